"""The locator language of the adaptation profile: how a spec names an element on a CRM screen.

A spec is one step, or several joined by ` >> ` (each step looks inside what the steps before it
matched):

- `role:ROLE:NAME` / `role:ROLE`: by ARIA role and accessible name (exact)
- `label:TEXT`, `text:TEXT`, `placeholder:TEXT`: by label, visible text, placeholder (exact)
- `testid:ID`: by `data-testid`
- `css:SELECTOR`, `xpath:EXPRESSION`: escape hatches for markup without accessible names
- `nth:N`: the Nth (from 1) of what the steps before it match
- `row:TEXT`: the table row (`<tr>` or role `row`) whose first cell reads TEXT
- `has-text:TEXT`: what the steps before it match, narrowed to those containing TEXT

`role:table:Billers >> row:{number} >> role:button:Remove` is "the Remove button in the row of
setting {number} of the Billers table". A spec may hold `{fields}` the page object fills in; an
override may use the fields its default uses. Ambiguity is never resolved by guessing: an action
on a spec that matches several elements fails, naming the entry.
"""

from __future__ import annotations

import difflib
import inspect
import re
import string
import typing
from collections.abc import Mapping
from dataclasses import dataclass, replace

from playwright.sync_api import FrameLocator, Locator, Page

from robot.core.errors import SelectorOverrideError

SEPARATOR = " >> "
KINDS = ("role", "label", "text", "testid", "placeholder", "css", "xpath", "nth", "row", "has-text")
# Steps that only narrow what the steps before them matched.
NARROWING = ("nth", "has-text")
FORMS = (
    "role:ROLE:NAME, role:ROLE, label:TEXT, text:TEXT, testid:ID, placeholder:TEXT, "
    "css:SELECTOR, xpath:EXPRESSION, nth:N, row:TEXT or has-text:TEXT, joined by >>"
)
ROLES: tuple[str, ...] = typing.get_args(
    inspect.signature(Page.get_by_role).parameters["role"].annotation
)
ROWS = "tr, [role=row]"

Root = Page | Locator | FrameLocator


@dataclass(frozen=True)
class Step:
    kind: str
    value: str
    role_name: str | None = None

    @property
    def text(self) -> str:
        if self.kind == "role" and self.role_name is not None:
            return f"role:{self.value}:{self.role_name}"
        return f"{self.kind}:{self.value}"

    def fill(self, fields: Mapping[str, object]) -> Step:
        name = None if self.role_name is None else _format(self.role_name, fields)
        return Step(self.kind, _format(self.value, fields), name)


@dataclass(frozen=True)
class LocatorSpec:
    """A parsed spec; `origin` says where it came from (the profile file), for messages."""

    name: str
    steps: tuple[Step, ...]
    origin: str = "default"

    @property
    def kind(self) -> str:
        return self.steps[0].kind

    @property
    def value(self) -> str:
        return self.steps[0].value

    @property
    def role_name(self) -> str | None:
        return self.steps[0].role_name

    @property
    def text(self) -> str:
        return SEPARATOR.join(step.text for step in self.steps)

    def fill(self, fields: Mapping[str, object]) -> LocatorSpec:
        if not fields:
            return self
        return replace(self, steps=tuple(step.fill(fields) for step in self.steps))

    def describe(self) -> str:
        """`advanced_settings.filter (label:Find setting, from my.toml)`."""
        where = "" if self.origin == "default" else f", from {self.origin}"
        return f"{self.name} ({self.text}{where})"

    def container(self) -> LocatorSpec | None:
        """The spec of what the last step looks inside (None for a one-step spec)."""
        if len(self.steps) < 2:
            return None
        return replace(self, steps=self.steps[:-1])


class _Strict(dict[str, object]):
    def __missing__(self, key: str) -> object:
        raise KeyError(key)


def _format(text: str, fields: Mapping[str, object]) -> str:
    return text.format_map(_Strict(fields)) if fields else text


def fields_of(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def parse_spec(text: object, *, name: str, origin: str = "default") -> LocatorSpec:
    """Parse a spec; a bad one is a SelectorOverrideError naming the entry and the forms."""
    where = f"{name}" + ("" if origin == "default" else f" in {origin}")
    if not isinstance(text, str):
        raise SelectorOverrideError(f"{where}: must be a string in one of the forms {FORMS}")
    steps = tuple(_parse_step(part, text, where) for part in text.split(SEPARATOR))
    if steps[0].kind in NARROWING:
        raise SelectorOverrideError(
            f'{where}: "{text}" starts with {steps[0].kind}:, which narrows what a step before '
            "it matched; put the element it narrows first"
        )
    return LocatorSpec(name, steps, origin)


def _parse_step(part: str, whole: str, where: str) -> Step:
    kind, sep, rest = part.strip().partition(":")
    if not sep or kind not in KINDS or not rest.strip():
        raise SelectorOverrideError(
            f'{where}: "{whole}" is not a locator; use one of the forms {FORMS}'
        )
    if kind == "nth" and not (rest.strip().isdigit() and int(rest) >= 1):
        raise SelectorOverrideError(f'{where}: "{part}": nth takes a position from 1, like nth:2')
    if kind != "role":
        return Step(kind, rest)
    role, sep, role_name = rest.partition(":")
    if role not in ROLES:
        close = difflib.get_close_matches(role, ROLES, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see the ARIA role names"
        raise SelectorOverrideError(f'{where}: "{role}" is not an ARIA role{hint}')
    return Step(kind, role, role_name if sep else None)


def build(root: Root, spec: LocatorSpec) -> Locator:
    """The Playwright locator for a (filled-in) spec, relative to `root`."""
    found: Root = root
    for step in spec.steps:
        found = _step(found, step)
    assert isinstance(found, Locator)
    return found


def _step(root: Root, step: Step) -> Locator:
    if step.kind in NARROWING:
        assert isinstance(root, Locator)  # parse_spec refuses a spec that starts narrowing
        if step.kind == "nth":
            return root.nth(int(step.value) - 1)
        return root.filter(has_text=re.compile(re.escape(step.value)))
    if step.kind == "role":
        role = typing.cast(typing.Any, step.value)  # checked against ROLES when parsed
        if step.role_name is None:
            return root.get_by_role(role)
        return root.get_by_role(role, name=step.role_name, exact=True)
    return _FINDERS[step.kind](root, step.value)


def _row(root: Root, text: str) -> Locator:
    first_cell = re.compile(rf"^\s*{re.escape(text)}\s*$")
    rows = root.locator(ROWS)
    # The row's first element child. As XPath, not `:scope > :first-child`: Playwright matches
    # that CSS in script, row by row, tens of times slower on a grid of a hundred rows.
    return rows.filter(has=rows.page.locator("xpath=./*[1]", has_text=first_cell))


_FINDERS: dict[str, typing.Callable[[Root, str], Locator]] = {
    "label": lambda root, value: root.get_by_label(value, exact=True),
    "text": lambda root, value: root.get_by_text(value, exact=True),
    "testid": lambda root, value: root.get_by_test_id(value),
    "placeholder": lambda root, value: root.get_by_placeholder(value, exact=True),
    "css": lambda root, value: root.locator(f"css={value}"),
    "xpath": lambda root, value: root.locator(f"xpath={value}"),
    "row": _row,
}
