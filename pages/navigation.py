"""The left navigation, the tabs, the biller heading, and choosing a biller through search."""

from __future__ import annotations

import re
import string
from typing import Literal

from playwright.sync_api import Locator

from pages.base import BasePage
from pages.biller_search import BillerSearchPage
from pages.entries import Loc, LocFor, TextFor

Where = Literal["menu", "tabs", "page"]
# What the biller heading's fields may hold.
_HEADING_FIELDS = {"name": r"(?P<name>.*\S)", "id": r"(?P<id>[^()]+)"}


class Navigation(BasePage):
    SCREEN = "navigation"
    TITLE = "Navigation"
    biller_menu = Loc("role:navigation:Biller menu")
    tabs = Loc("role:navigation:Tabs")
    menu_link = LocFor("role:link:{item}")
    tab = LocFor("role:link:{tab}")
    selected_tab = Loc("css:[aria-current=page]")  # inside `tabs`: the tab shown
    # The one top-level heading on a biller's pages, and what it says:
    # "Prairie Pine Mutual (10482)".
    biller_heading = Loc("css:h1")
    biller_title = TextFor("{name} ({id})")

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
        texts = self.loc("selected_tab", within=self.tabs).all_inner_texts()
        return texts[0].strip() if texts else None

    def shown_biller(self) -> tuple[str, str] | None:
        """(name, Biller ID) from the heading, or None when no biller heading is shown."""
        texts = self.biller_heading.all_inner_texts()
        if len(texts) != 1:
            return None
        match = self._heading_pattern().match(" ".join(texts[0].split()))
        return (match["name"], match["id"]) if match else None

    def _heading_pattern(self) -> re.Pattern[str]:
        """`biller_title` as a pattern: its fields captured, its spaces optional."""
        pattern = ""
        for text, field, _, _ in string.Formatter().parse(self.crm_text("biller_title")):
            pattern += r"\s*".join(re.escape(part) for part in text.split(" "))
            pattern += _HEADING_FIELDS[field] if field else ""
        return re.compile(f"^{pattern}$")

    def select_biller(self, biller_id: str, name: str) -> None:
        """Search for the Biller ID and open the result named exactly `name`."""
        search = BillerSearchPage(self.session)
        search.open()
        search.search(biller_id)
        search.select(name)
