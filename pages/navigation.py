"""The left navigation, the tabs, the biller heading, and choosing a biller through search."""

from __future__ import annotations

import re
from typing import Literal

from playwright.sync_api import Locator

from pages.base import BasePage
from pages.biller_search import BillerSearchPage
from pages.entries import Loc, LocFor

Where = Literal["menu", "tabs", "page"]
_HEADING = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>[^()]+)\)$")


class Navigation(BasePage):
    SCREEN = "navigation"
    TITLE = "Navigation"
    biller_menu = Loc("role:navigation:Biller menu")
    tabs = Loc("role:navigation:Tabs")
    menu_link = LocFor("role:link:{item}")
    tab = LocFor("role:link:{tab}")

    @property
    def biller_heading(self) -> Locator:
        # The one level-1 heading on a biller's pages: "Prairie Pine Mutual (10482)".
        return self.page.get_by_role("heading", level=1)

    def container(self, where: Where) -> Locator | None:
        if where == "menu":
            return self.biller_menu
        if where == "tabs":
            return self.tabs
        return None

    def go(self, item: str) -> None:
        """Click `item` in the Biller menu (`Profile`, `Advanced Settings`, ...)."""
        link = self.loc("menu_link", within=self.biller_menu, item=item)
        self.follow(f"open {item} from the Biller menu", link)

    def open_tab(self, tab: str) -> None:
        link = self.loc("tab", within=self.tabs, tab=tab)
        self.follow(f"open the {tab} tab", link)

    def current_tab(self) -> str | None:
        current = self.tabs.get_by_role("link").and_(self.page.locator("[aria-current=page]"))
        texts = current.all_inner_texts()
        return texts[0].strip() if texts else None

    def shown_biller(self) -> tuple[str, str] | None:
        """(name, Biller ID) from the heading, or None when no biller heading is shown."""
        texts = self.biller_heading.all_inner_texts()
        if len(texts) != 1:
            return None
        match = _HEADING.match(" ".join(texts[0].split()))
        return (match["name"], match["id"]) if match else None

    def select_biller(self, biller_id: str, name: str) -> None:
        """Search for the Biller ID and open the result named exactly `name`."""
        search = BillerSearchPage(self.session)
        search.open()
        search.search(biller_id)
        search.select(name)
