"""The base of every screen that belongs to one biller: how a PM reaches it, and which biller
it shows."""

from __future__ import annotations

from typing import ClassVar, Self
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Locator

from pages.base import BasePage, CrmSession
from pages.navigation import Navigation, Where
from pages.readers import Table, read_table
from robot.core.errors import ScreenChangedError

# The biller's first page: the one screen a PM bookmarks.
FIRST_PAGE = "profile.address"


class BillerPage(BasePage):
    """A biller's screen. Its `address` entry (an `Address`) is where it lives; `ROUTE` the
    clicks a PM makes to get there from any of the biller's pages: (where the link is, the
    locator name of the link)."""

    ROUTE: ClassVar[tuple[tuple[Where, str], ...]] = ()

    def __init__(self, session: CrmSession, biller_id: str) -> None:
        super().__init__(session)
        self.biller_id = str(biller_id)
        self.nav = Navigation(session)

    @property
    def screen_path(self) -> str:
        """The screen's address for this biller, as the profile gives it."""
        return self.crm_text(f"{self.SCREEN}.address", id=self.biller_id)

    @property
    def heading(self) -> Locator:
        return self.nav.biller_heading

    def is_open(self) -> bool:
        # The address first: it costs no round trip to the browser.
        return self.at(self.screen_path) and self.page_problem() is None

    def on_biller(self) -> bool:
        """Does the page's address name this biller (a part of its path, a query value)?"""
        parts = urlsplit(self.page.url)
        named = [*parts.path.split("/"), *(value for _, value in parse_qsl(parts.query))]
        return self.biller_id in named

    def open_first_page(self) -> None:
        """The biller's first page (Profile), loaded directly: the one screen a PM bookmarks."""
        self.goto(self.crm_text(FIRST_PAGE, id=self.biller_id), f"open biller {self.biller_id}")

    def open(self) -> Self:
        """Reach the screen through the left navigation and tabs, as a PM does."""
        if self.is_open():
            return self
        if len(self.ROUTE) > 1 and self.screen_path in self.session.routes_taken:
            # Followed once in this session, the long way proved the screen's address: load it.
            self.goto(self.screen_path, f"open {self.TITLE}")
            if self.is_open():
                return self
        if not self.on_biller() or self.page_problem() is not None:
            self.open_first_page()
            if self.is_open():
                return self
        for where, name in self.ROUTE:
            link = self.loc(name, within=self.nav.container(where))
            self.follow(f"open {self.TITLE}", link)
        if not self.at(self.screen_path):
            raise ScreenChangedError(
                f"the way to {self.TITLE} led to {self.shown_address()} instead of "
                f"{self.SCREEN}.address ({self.screen_path})"
            )
        self.session.routes_taken.add(self.screen_path)
        return self

    def reload(self) -> Self:
        """Load the screen again to read what the CRM holds now. The CRM's answer to a save made
        on this screen, untouched since, shows it already: that page is not loaded twice."""
        if self.shows_saved_answer() and self.is_open():
            return self
        self.goto(self.screen_path, f"reload {self.TITLE}")
        return self

    def shown_biller_id(self) -> str | None:
        shown = self.nav.shown_biller()
        return shown[1] if shown else None

    def shown_biller_name(self) -> str | None:
        shown = self.nav.shown_biller()
        return shown[0] if shown else None

    def read_values(self) -> dict[str, str]:
        raise NotImplementedError


class BillerTablePage(BillerPage):
    """A read-only screen that shows one table (locator name `table`)."""

    @property
    def table(self) -> Locator:
        return self.loc("table")

    def read_table(self) -> Table:
        """The table, its columns under the robot's names (see `as_fields`)."""
        return self.as_table(self.read(read_table, self.table))
