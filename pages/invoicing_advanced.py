"""Invoicing > Advanced Configuration (`/billers/<id>/invoicing/advanced`): the invoicing flags."""

from __future__ import annotations

from collections.abc import Mapping

from pages.biller import BillerPage
from pages.entries import Address, Field, Loc, LocFor
from pages.readers import read_checkboxes, yes_no
from robot.core.conversion import (
    APPLY_GLOBAL_BIF_CUSTOMIZATIONS,
    REAL_TIME_DATA_REFRESH,
    SUPPRESS_STALE_BALANCES,
)
from robot.core.errors import ScreenChangedError


class InvoicingAdvancedPage(BillerPage):
    SCREEN = "invoicing_advanced"
    TITLE = "Invoicing > Advanced Configuration"
    address = Address("/billers/{id}/invoicing/advanced")
    ROUTE = (("menu", "menu_link"), ("tabs", "tab"))
    menu_link = Loc("role:link:Invoicing")
    tab = Loc("role:link:Advanced Configuration")
    flag = LocFor("role:checkbox:{flag}")
    save = Loc("role:button:Save")
    # The flags the conversion sets, as the CRM labels them (each a checkbox's label).
    real_time_data_refresh = Field(REAL_TIME_DATA_REFRESH)
    suppress_stale_balances = Field(SUPPRESS_STALE_BALANCES)
    apply_global_bif_customizations = Field(APPLY_GLOBAL_BIF_CUSTOMIZATIONS)

    def read_flags(self) -> dict[str, bool]:
        """Every checkbox of the form: `{label: checked}`, the conversion's flags under the
        robot's names whatever the CRM calls them (a flag the form lacks is an error naming its
        entry, never read as "off")."""
        shown = self.read(read_checkboxes, self.save)
        missing = self.missing_fields(shown)
        if missing:
            raise ScreenChangedError(
                f"{self.TITLE} shows no checkbox for {', '.join(missing)} (it shows "
                f"{', '.join(shown) or 'none'}): could not find the flag"
            )
        return self.as_fields(shown)

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
            box = self.flag(flag=self.shown_name(label))
            self.set_checked(f"{verb} {label}", box, on)
        self.submit("save the Advanced Configuration", self.save)
        return True
