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
    ScreenChangedError,
    SessionExpiredError,
    TransientCrmError,
)


class PageSaving(PageLoading):
    def submit(self, description: str, button: Locator, *, toast: str | None = None) -> None:
        """Click a submit button and wait for the CRM's answer: the toast (`common.saved`
        unless the caller names another entry's text), or errors.

        Validation errors are a BusinessRuleError naming them. If the session had expired, the
        robot signs in again, returns to the screen and raises SessionExpiredError: nothing was
        saved, and the caller reads the screen again before it re-applies the change.
        """
        before = self.page.url

        def click() -> Response | None:
            with self.page.expect_navigation() as loaded:
                self.act(description, button, lambda el: el.click())
            return loaded.value

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
        self._wait_for_toast(description, self.saved if toast is None else toast)

    def form_errors(self) -> list[str]:
        """The field errors shown after a refused save (empty when there are none)."""
        texts = [t.strip() for t in self.field_error.all_inner_texts() if t.strip()]
        if texts:
            return texts
        return [t.strip() for t in self.form_error.all_inner_texts() if t.strip()]

    def _wait_for_toast(self, description: str, text: str) -> None:
        """The spinner gone and the toast shown; then the toast is closed (Escape, as a PM
        would), since it can cover the lower right of the page for seconds, or for good."""
        toast = self.toast.filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        try:
            self.spinner.wait_for(state="hidden")
            toast.wait_for(state="visible")
            self.page.keyboard.press("Escape")
            self.toast.wait_for(state="detached")
        except PlaywrightTimeoutError:
            raise TransientCrmError(
                f'{self.TITLE}: no "{text}" toast after trying to {description}; '
                "read the screen to see whether the change was stored, then run again"
            ) from None

    @contextmanager
    def confirming(self, expected: str) -> Iterator[list[str]]:
        """Accept the confirm() whose message starts with `expected`; dismiss any other."""
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
                    f'{self.TITLE} asked "{seen[-1]}" where "{expected}..." was expected; '
                    "the robot answered Cancel"
                ) from None
            raise
        finally:
            self.page.remove_listener("dialog", answer)
