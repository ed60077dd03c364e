"""Saving a form as a PM does: submit, wait for the spinner and the toast, read the validation
errors of a refused save; and answering the CRM's confirm() dialogs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Dialog, Locator, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.loading import PageLoading
from robot.core.errors import (
    BusinessRuleError,
    RobotError,
    ScreenChangedError,
    SessionExpiredError,
    TransientCrmError,
)


class PageSaving(PageLoading):
    def submit(self, description: str, button: Locator, *, toast: str = "common.saved") -> None:
        """Click a submit button and wait for the CRM's answer: the toast (the text entry
        `toast`), or errors.

        Validation errors are a BusinessRuleError naming them. If the session had expired, the
        robot signs in again, returns to the screen and raises SessionExpiredError: nothing was
        saved, and the caller reads the screen again before it re-applies the change.
        """
        before = self.page.url

        def click() -> Response | None:
            with self.page.expect_navigation() as loaded:
                self.act(description, button, lambda el: el.click())
            return loaded.value

        with self.session.routed():
            self._load(description, click)
        problem = self.page_problem()
        if problem == "expired":
            self.session.sign_in_again(before)
            raise SessionExpiredError(
                f"{self.TITLE}: the CRM session expired while trying to {description}; "
                "nothing was saved. The robot signed in again; read the screen and apply the "
                "change again"
            )
        if problem is not None:
            raise self._problem_error(problem, description)
        errors = self.form_errors()
        if errors:
            raise BusinessRuleError(
                f"{self.TITLE}: the CRM refused to {description}: {'; '.join(errors)}. "
                "Nothing was stored; correct the plan or the CRM, then run again"
            )
        self._wait_for_toast(description, toast)
        self.session.saved_answers[self.page] = self.page.url

    def form_errors(self) -> list[str]:
        """The field errors shown after a refused save (empty when there are none)."""
        if not self.field_error.or_(self.form_error).count():
            # Counted in Playwright's own JavaScript world, as the waits for the toast that
            # follow: a page pays for each world it is used in (README, Benchmarks), and the
            # answer to a save is often left without being read.
            return []
        texts = [t.strip() for t in self.field_error.all_inner_texts() if t.strip()]
        if texts:
            return texts
        return [t.strip() for t in self.form_error.all_inner_texts() if t.strip()]

    def _wait_for_toast(self, description: str, entry: str) -> None:
        """The spinner gone and the toast shown; then the toast is closed (Escape, as a PM
        would), since it can cover the lower right of the page for seconds, or for good."""
        text = self.crm_text(entry)
        toast = self.toast.filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        try:
            if self.spinner.filter(visible=True).count():
                # Waiting polls on animation frames, a frame or two even for a spinner that is
                # not there: only when one is shown.
                self.spinner.wait_for(state="hidden")
            toast.wait_for(state="visible")
            self.page.keyboard.press("Escape")
            self.toast.wait_for(state="detached")
        except PlaywrightTimeoutError:
            raise self._toast_error(description, entry, text) from None

    def _toast_error(self, description: str, entry: str, text: str) -> RobotError:
        shown = [t.strip() for t in self.toast.all_inner_texts() if t.strip()]
        if shown and shown[-1] != text:
            # The CRM answered, in other words than the profile's: no retry can help.
            return ScreenChangedError(
                f'{self.TITLE}: the toast read "{shown[-1]}" where {entry} ("{text}") was '
                f"expected after trying to {description}; if that is how this CRM says it, "
                f"set {entry} in your profile"
            )
        return TransientCrmError(
            f'{self.TITLE}: no {entry} toast ("{text}") after trying to {description}; '
            "read the screen to see whether the change was stored, then run again"
        )

    @contextmanager
    def confirming(self, entry: str, **fields: object) -> Iterator[list[str]]:
        """Accept the confirm() whose message starts with the text entry `entry` (filled with
        `fields`); dismiss any other."""
        expected = self.crm_text(entry, **fields)
        seen: list[str] = []

        def answer(dialog: Dialog) -> None:
            seen.append(dialog.message)
            if dialog.type == "confirm" and dialog.message.startswith(expected):
                dialog.accept()
            else:
                dialog.dismiss()

        self.page.on("dialog", answer)
        try:
            yield seen
        except TransientCrmError:
            if seen and not seen[-1].startswith(expected):
                raise ScreenChangedError(
                    f'{self.TITLE} asked "{seen[-1]}" where {entry} ("{expected}...") was '
                    "expected, so the robot answered Cancel; if that is how this CRM asks, set "
                    f"{entry} in your profile"
                ) from None
            raise
        finally:
            self.page.remove_listener("dialog", answer)
