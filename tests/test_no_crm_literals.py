"""No CRM wording is matched by a literal the adaptation profile cannot change.

This walks the page objects (and the robot code that reads screens) and looks at every string
literal used where a screen's text is matched: passed to a Playwright finder or filter,
compared, read as a key from what a screen showed, or tested with startswith/endswith. Each
must be the default of a profile entry (so a profile can change it) or one of the few literals
below that are not CRM wording, each with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from pages.entries import known_entries

ROOT = Path(__file__).resolve().parents[1]
# The modules that read CRM screens; the locator language itself (pages/locators.py,
# entries.py, overrides.py) and the readers' structural scripts are what the literals feed.
WALKED = sorted(
    [
        *(
            path
            for path in (ROOT / "pages").glob("*.py")
            if path.name not in ("locators.py", "entries.py", "overrides.py", "readers.py")
        ),
        *(ROOT / "scenarios").glob("*.py"),
        ROOT / "robot" / "run" / "guards.py",
        ROOT / "robot" / "capture" / "screens.py",
    ]
)
FINDERS = {
    "get_by_role",
    "get_by_text",
    "get_by_label",
    "get_by_placeholder",
    "get_by_title",
    "get_by_alt_text",
    "get_by_test_id",
    "locator",
    "filter",
    "startswith",
    "endswith",
    "get",
}
NOT_CRM_WORDING = {
    "strict mode violation": "Playwright's own message",
    "q": "a query parameter of the grid's URL (the address, not what the screen shows)",
    "per_page": "a query parameter of the grid's URL",
    "page": "a query parameter of the grid's URL",
    "all": "a query parameter's value in the grid's URL",
    "1": "a query parameter's value in the URL",
    "setting": "the grid row's data attribute, a fallback when no number column is read",
    "true": "the value of aria-disabled (ARIA), not wording",
    "/login": "the sign-in page's path",
    "expired": "the robot's name for a page problem, and the sign-in URL's query parameter",
    "login": "the robot's name for a page problem",
    "error": "the robot's name for a page problem",
    "spinner": "the robot's name for a page problem",
    "menu": "the robot's name for where a link is (Where)",
    "tabs": "the robot's name for where a link is (Where)",
    "confirm": "the kind of a browser dialog (Dialog.type)",
    "name": "a group of the robot's own heading pattern",
    "id": "a group of the robot's own heading pattern",
    ".": "the separator of logical entry names",
    "s.": "the plural ending the returned-invoices pattern makes optional",
    "password": "the robot's rule: a setting named like a password is treated as a secret",
    "scheduled": "the robot's capture phase",
    "capture-after": "the robot's step id",
    "x": "a key of the robot's own masked-box script",
    "y": "a key of the robot's own masked-box script",
    "width": "a key of the robot's own masked-box script",
    "height": "a key of the robot's own masked-box script",
    "kind": "a key of the robot's own masked-box script",
    # Change actions and keys of the robot's own records (scenarios/base.py Change).
    "capture": "a Change action",
    "run": "a Change action",
    "remove": "a Change action",
    "create": "a Change action",
    "set": "a Change action",
    "deactivate": "a Change action",
    "partner": "a Change key",
    "flag": "a Change key",
    "guid": "a Change key",
    "pdf": "a Change key",
    "zip": "a Change key",
    "": "an empty value",
}


def _literals(path: Path) -> Iterator[tuple[int, str, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                items = side.elts if isinstance(side, ast.Tuple | ast.Set | ast.List) else [side]
                for item in items:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        yield node.lineno, item.value, "compared"
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                yield node.lineno, node.slice.value, "read as a key"
        elif isinstance(node, ast.Call):
            yield from _passed(node)


def _passed(call: ast.Call) -> Iterator[tuple[int, str, str]]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in FINDERS:
        return
    arguments = [*call.args[:1], *(k.value for k in call.keywords if k.arg in ("name", "has_text"))]
    for argument in arguments:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            yield call.lineno, argument.value, f"passed to {name}()"
        elif isinstance(argument, ast.JoinedStr) and name not in ("startswith", "get"):
            yield call.lineno, ast.unparse(argument), f"passed to {name}()"


@pytest.mark.parametrize("path", WALKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_crm_text_a_screen_is_matched_by_is_a_profile_entry(path: Path) -> None:
    defaults = {entry.default for entry in known_entries()}
    literals = [
        f"{path.relative_to(ROOT)}:{line}: {text!r} {how}"
        for line, text, how in _literals(path)
        if text not in defaults and text not in NOT_CRM_WORDING
    ]
    assert literals == []


def test_the_walk_sees_a_literal_where_there_is_one(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "def f(self, row):\n"
        "    self.page.get_by_role('button', name='Save Changes').click()\n"
        "    return row['Partner'] == 'Yes please'\n",
        encoding="utf-8",
    )
    found = {text for _, text, _ in _literals(page)}
    assert {"button", "Save Changes", "Partner", "Yes please"} <= found
