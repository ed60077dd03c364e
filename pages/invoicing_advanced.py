"""Invoicing > Advanced Configuration (`/billers/<id>/invoicing/advanced`): the invoicing flags."""

from __future__ import annotations

from collections.abc import Mapping

from pages.biller import BillerPage
from pages.locators import Loc, LocFor
from pages.readers import read_checkboxes, yes_no
from robot.core.errors import ScreenChangedError


class InvoicingAdvancedPage(BillerPage):
    SCREEN = "invoicing_advanced"
    TITLE = "Invoicing > Advanced Configuration"
    PATH = "/billers/{id}/invoicing/advanced"
    ROUTE = (("menu", "menu_link"), ("tabs", "tab"))
    menu_link = Loc("role:link:Invoicing")
    tab = Loc("role:link:Advanced Configuration")
    flag = LocFor("role:checkbox:{flag}")
    save = Loc("role:button:Save")

    def read_flags(self) -> dict[str, bool]:
        """Every checkbox of the form: `{label: checked}`."""
        return self.read(read_checkboxes, self.save)

    def read_values(self) -> dict[str, str]:
        return {label: yes_no(on) for label, on in self.read_flags().items()}

    def enable(self, *flags: str) -> bool:
        return self.set_flags(dict.fromkeys(flags, True))

    def disable(self, *flags: str) -> bool:
        return self.set_flags(dict.fromkeys(flags, False))

    def set_flags(self, wanted: Mapping[str, bool]) -> bool:
        """Tick or clear the named flags and save once; False when all already were so."""
        current = self.open().read_flags()
        unknown = [f for f in wanted if f not in current]
        if unknown:
            raise ScreenChangedError(
                f"{self.TITLE} has no checkbox {', '.join(unknown)}; it shows "
                f"{', '.join(current) or 'none'}"
            )
        changes = {f: on for f, on in wanted.items() if current[f] != on}
        if not changes:
            return False
        for label, on in changes.items():
            verb = "tick" if on else "clear"
            self.set_checked(f"{verb} {label}", self.flag(flag=label), on)
        self.submit("save the Advanced Configuration", self.save)
        return True
