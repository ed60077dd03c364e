"""09 DataPump Management (`/billers/<id>/datapump`): payment and non-payment DataPump."""

from __future__ import annotations

from collections.abc import Iterable

from pages.biller import BillerPage
from pages.entries import Address, Loc, LocFor
from pages.readers import read_checkboxes, yes_no
from robot.core.errors import BusinessRuleError


class DataPumpPage(BillerPage):
    SCREEN = "datapump"
    TITLE = "DataPump Management"
    address = Address("/billers/{id}/datapump")
    ROUTE = (("menu", "menu_link"),)
    menu_link = Loc("role:link:DataPump Management")
    payment = Loc("role:group:Payment DataPump")
    non_payment = Loc("role:group:Non-payment DataPump")
    option = LocFor("role:checkbox:{option}")
    save_payment = Loc("role:button:Save Payment DataPump")
    save_non_payment = Loc("role:button:Save Non-payment DataPump")

    def read_payment(self) -> dict[str, bool]:
        """`{terminal: selected}` of the payment DataPump."""
        return self.read(read_checkboxes, self.payment)

    def read_non_payment(self) -> dict[str, bool]:
        return self.read(read_checkboxes, self.non_payment)

    def read_values(self) -> dict[str, str]:
        values = {f"Payment DataPump {t}": yes_no(on) for t, on in self.read_payment().items()}
        for option, on in self.read_non_payment().items():
            values[f"Non-payment DataPump {option}"] = yes_no(on)
        return values

    def set_payment_terminals(self, terminals: Iterable[str]) -> bool:
        """Select exactly these terminals for the payment DataPump; False when already so."""
        self.open()
        return self._select_exactly(
            "payment", "save_payment", "Payment DataPump", set(terminals), self.read_payment()
        )

    def set_non_payment(self, options: Iterable[str]) -> bool:
        """Select exactly these non-payment options (the conversion selects none)."""
        self.open()
        return self._select_exactly(
            "non_payment",
            "save_non_payment",
            "Non-payment DataPump",
            set(options),
            self.read_non_payment(),
        )

    def _select_exactly(
        self, group: str, save: str, title: str, wanted: set[str], current: dict[str, bool]
    ) -> bool:
        unknown = sorted(wanted - set(current))
        if unknown:
            raise BusinessRuleError(
                f"{self.TITLE}: {title} has no option {', '.join(unknown)}; it offers "
                f"{', '.join(current) or 'none'}. Fix the plan's terminals and run again"
            )
        changes = {name: name in wanted for name, on in current.items() if on != (name in wanted)}
        if not changes:
            return False
        within = self.loc(group)
        for name, on in changes.items():
            verb = "select" if on else "clear"
            box = self.loc("option", within=within, option=name)
            self.set_checked(f"{verb} {name} in {title}", box, on)
        self.submit(f"save the {title}", self.loc(save))
        return True
