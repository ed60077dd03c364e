"""The readers find their element as Playwright's evaluate does: the one element at once, a late
one waited for, several refused (the page objects turn that into a ScreenChangedError)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.readers import evaluate_one, read_chosen_option, read_definition_list

pytestmark = pytest.mark.e2e

PROFILE = "<dl id='profile'><dt>Biller ID</dt><dd>10482</dd><dt>Status</dt><dd>Live</dd></dl>"


def test_the_one_element_is_read(page: Page) -> None:
    page.set_content(PROFILE)
    assert read_definition_list(page.locator("#profile")) == {
        "Biller ID": "10482",
        "Status": "Live",
    }


def test_an_element_shown_late_is_waited_for(page: Page) -> None:
    page.set_content(
        "<script>setTimeout(() => { document.body.innerHTML = "
        "\"<select id='rows'><option>25</option><option selected>All</option></select>\"; }, 300)"
        "</script>"
    )
    assert read_chosen_option(page.locator("#rows")) == "All"


def test_an_element_never_shown_times_out(page: Page) -> None:
    page.set_content("<p>nothing here</p>")
    page.set_default_timeout(300)
    with pytest.raises(PlaywrightTimeoutError):
        read_definition_list(page.locator("#profile"))


def test_two_elements_are_refused_not_guessed_between(page: Page) -> None:
    page.set_content(PROFILE + PROFILE.replace("10482", "20731"))
    with pytest.raises(PlaywrightError, match="strict mode violation"):
        read_definition_list(page.locator("dl"))


def test_a_script_that_ends_in_a_comment_is_evaluated_whole(page: Page) -> None:
    page.set_content(PROFILE)
    assert evaluate_one(page.locator("dl"), "el => el.id // the list's own id") == "profile"
