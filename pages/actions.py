"""Acting on one element as a PM does (click, type, tick, choose), and turning what Playwright
raises into the robot's errors: a missing or ambiguous element is a ScreenChangedError naming
the logical locator, a browser fault a TransientCrmError."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import SecretStr

from pages.lookup import locator_key
from pages.problems import PageProblems, first_line
from pages.readers import FINGERPRINT_SPEC, read_fingerprint, read_option_labels
from robot.core.errors import RobotError, ScreenChangedError, TransientCrmError

T = TypeVar("T")


class PageActions(PageProblems):
    def act(self, description: str, locator: Locator, action: Callable[[Locator], T]) -> T:
        """Run `action` on `locator`; a missing or ambiguous element is a ScreenChangedError."""

        def run(element: Locator) -> T:
            self._remember(element)
            self.session.saved_answers.pop(self.page, None)  # the page may change from here
            if self.session.before_action is not None:
                self.session.before_action(description, element)
            return action(element)

        return self._guarded(description, locator, run)

    def _remember(self, element: Locator) -> None:
        """The first time an entry finds its element, what the element looks like. Waits no
        longer than the action itself would for the element, and once per entry."""
        if not self.session.keeps_fingerprints:
            return  # read for nothing: nobody keeps them
        located = self.session.located.get(locator_key(element))
        if located is None or located.spec.name in self.session.fingerprints:
            return  # read by this run, or by an earlier one today (robot/browser/fingerprints.py)
        found = read_fingerprint(element)
        found[FINGERPRINT_SPEC] = self.session.selectors.spec(located.spec.name).text
        self.session.fingerprints[located.spec.name] = found

    def read(self, reader: Callable[[Locator], T], locator: Locator) -> T:
        """Read what `locator` shows with `reader` (pages.readers), with the errors of `act`."""

        def run(element: Locator) -> T:
            self._remember(element)
            return reader(element)

        return self._guarded("read the screen", locator, run)

    def _guarded(self, description: str, locator: Locator, action: Callable[[Locator], T]) -> T:
        try:
            return action(locator)
        except PlaywrightTimeoutError:
            raise self._failure(description, locator) from None
        except PlaywrightError as exc:
            if "strict mode violation" in str(exc):
                raise self._failure(description, locator) from None
            raise TransientCrmError(
                f"{self.TITLE}: the browser failed to {description} ({first_line(exc)}); "
                "check that the CRM is up, then run again"
            ) from None

    def click(self, description: str, locator: Locator) -> None:
        self.act(description, locator, lambda el: el.click())

    def fill(self, description: str, locator: Locator, value: str) -> None:
        self.act(description, locator, lambda el: el.fill(value))

    def fill_secret(self, description: str, locator: Locator, value: SecretStr) -> None:
        """Type a secret with tracing paused, so no trace holds the keystrokes."""
        with self.session.paused_tracing():
            self.act(description, locator, lambda el: el.fill(value.get_secret_value()))

    def set_checked(self, description: str, locator: Locator, checked: bool) -> None:
        self.act(description, locator, lambda el: el.set_checked(checked))

    def choose_option(self, description: str, locator: Locator, label: str) -> None:
        """Choose the option shown as `label`; a list without it is a ScreenChangedError."""

        def choose(el: Locator) -> None:
            options = read_option_labels(el)
            if label not in options:
                raise ScreenChangedError(
                    f'{self.TITLE}: {self.describe(locator)} has no option "{label}"; '
                    f"it offers {', '.join(options) or 'nothing'}"
                )
            el.select_option(label=label)

        self.act(description, locator, choose)

    def _failure(self, description: str, locator: Locator) -> RobotError:
        problem = self.page_problem(fresh=True)
        if problem is not None:
            return self._problem_error(problem, description)
        try:
            count = locator.count()
        except PlaywrightError:
            count = 1
        what = self.describe(locator)
        if count == 0:
            container = self.missing_container(locator)
            if container is not None:
                return ScreenChangedError(
                    f"{self.TITLE} shows nothing matching {container}, which holds {what} "
                    f"({description})"
                )
            return ScreenChangedError(f"{self.TITLE} shows nothing matching {what} ({description})")
        if count > 1:
            return ScreenChangedError(
                f"{self.TITLE} shows {count} elements matching {what} ({description})"
            )
        return TransientCrmError(
            f"{self.TITLE}: the CRM did not answer in time to {description} ({what}); "
            "check that the CRM is up, then run again"
        )
