"""The one exception family of crm-robot.

Every error carries the exit code of the command-line contract and a message that tells the user
what to do next. Only the CLI turns an error into a message and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEM_FOUND = 1  # the job ran and found a problem: verification failed, unplanned change
    BAD_INPUT = 2  # plan, settings or arguments are wrong; nothing was started
    CRM_FAILED = 3  # the CRM or the browser failed after retries


class RobotError(Exception):
    """Base of every error crm-robot raises on purpose."""

    exit_code: ExitCode = ExitCode.CRM_FAILED
    default_message = "crm-robot stopped."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


# --- bad input (exit 2): raised before any browser opens ---------------------------------------


class BadInputError(RobotError):
    exit_code = ExitCode.BAD_INPUT
    default_message = "The input is not valid."


class PlanError(BadInputError):
    """A conversion plan is missing, unreadable or invalid. One line per problem."""

    default_message = "The plan is not valid; fix the fields named above and run again."

    def __init__(self, problems: list[str] | str, source: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__("\n".join(f"{where}{p}" for p in self.problems))


class SettingsError(BadInputError):
    """A setting from the environment or .env is missing or invalid."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class SelectorOverrideError(BadInputError):
    default_message = "The selector override file is not valid."


class UsageError(BadInputError):
    default_message = "The command line is not valid; see --help."


class ComparisonInputError(BadInputError):
    """A capture folder or image given to compare is missing, unreadable or inconsistent."""

    default_message = "The captures to compare are not usable; capture them again."


# --- the job ran and found a problem (exit 1) ---------------------------------------------------


class ProblemFound(RobotError):
    exit_code = ExitCode.PROBLEM_FOUND
    default_message = "The run found a problem; see the report."


class GuardError(ProblemFound):
    """A safety check before the first write failed: wrong biller, environment or state."""

    default_message = "A safety check failed before any change; nothing was written."


class BusinessRuleError(ProblemFound):
    """The CRM refused a change for a business reason (validation, overlap). Not retried."""


class VerificationError(ProblemFound):
    default_message = "A value read back from the CRM is not what the plan asked for."


class UnplannedChangeError(ProblemFound):
    default_message = "Something changed that no plan asked for; see the report."


class AbortedByUser(ProblemFound):
    default_message = "The run was stopped at a checkpoint; resume it with --resume."


class LockedError(ProblemFound):
    default_message = "Another crm-robot run holds the lock; wait for it to finish."


# --- the CRM or the browser failed (exit 3) -----------------------------------------------------


class CrmError(RobotError):
    exit_code = ExitCode.CRM_FAILED
    default_message = "The CRM did not answer as expected; check that it is up and try again."


class TransientCrmError(CrmError):
    """A fault that is worth a retry after re-reading the state: timeout, HTTP 500, drop."""


class SessionExpiredError(TransientCrmError):
    default_message = "The CRM session expired."


class SavedSessionExpiredError(CrmError):
    """The saved session is no longer accepted and no password flow may stand in: a retry
    cannot help, signing in again by hand can."""

    default_message = "the saved session has expired: run crm-robot sign-in again"


class ScreenChangedError(CrmError):
    """The CRM's screen is not what the page object expects (element missing or ambiguous)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"the CRM screen changed: {what}. Check the screen by hand; `crm-robot doctor "
            "PLAN` proposes what the entry should be in your profile (--selectors FILE)."
        )


class BrowserError(CrmError):
    default_message = (
        "The browser could not be started or stopped answering; "
        "set CRM_ROBOT_BROWSER_EXECUTABLE or run `make setup`."
    )


class CaptureError(CrmError):
    default_message = "A screen could not be captured."


class ScreenNotShownError(CaptureError):
    """A screen showed something else (sign-in, error page, spinner, no answer) on every try."""

    default_message = "The CRM did not show the screen; check the CRM, then capture again."
