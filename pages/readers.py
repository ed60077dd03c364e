"""Reading a whole definition list or table in one round trip to the browser.

Reading cell by cell through locators costs a round trip per cell; a screen like Advanced Settings
has hundreds. These readers run one script on the located element and return plain text.
A cell that holds only a checkbox reads `Yes` / `No`, like the CRM's own text cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator

from robot.core.secrets import MASKED

_DEFINITION_LIST = """
el => {
  const out = [];
  let term = null;
  for (const node of el.querySelectorAll('dt, dd')) {
    const text = (node.innerText || node.textContent || '').trim();
    if (node.tagName === 'DT') { term = text; continue; }
    if (term !== null) { out.push([term, text]); term = null; }
  }
  return out;
}
"""

_TABLE = """
el => {
  const value = cell => {
    const text = (cell.innerText || cell.textContent || '').trim();
    const box = cell.querySelector('input[type=checkbox]');
    if (!text && box) return box.checked ? 'Yes' : 'No';
    return text;
  };
  const rows = [...el.rows];
  const head = el.tHead && el.tHead.rows.length ? el.tHead.rows[0]
    : rows.find(r => [...r.cells].every(c => c.tagName === 'TH'));
  const headers = head ? [...head.cells].map(c => (c.innerText || c.textContent || '').trim())
    : [];
  const body = [];
  for (const row of rows) {
    if (row === head || (el.tHead && row.parentElement === el.tHead)) continue;
    const cells = [...row.cells];
    // A lone cell spanning the table is the "nothing here" line, not a row.
    if (headers.length > 1 && cells.length === 1 && cells[0].colSpan > 1) continue;
    body.push({
      cells: cells.map(value),
      secret: cells.map(c => c.dataset.secret === 'true'),
      data: {...row.dataset},
    });
  }
  return {headers, rows: body};
}
"""

_CHECKBOXES = """
el => {
  const scope = el.form || el;
  const inputs = scope.elements ? [...scope.elements] : [...scope.querySelectorAll('input')];
  const label = i => ((i.labels && i.labels.length ? i.labels[0].innerText : '')
    || i.getAttribute('aria-label') || i.name || '').trim();
  return inputs.filter(i => i.type === 'checkbox').map(i => [label(i), i.checked]);
}
"""


_FINGERPRINT = """
el => {
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const row = el.closest('tr, [role=row]');
  // A container's text holds what it contains (Advanced Settings: secrets), a box's its value:
  // neither is kept.
  const tag = el.tagName.toLowerCase();
  const plain = !['table', 'dl', 'nav', 'dialog', 'fieldset', 'form', 'input', 'textarea',
    'select', 'tbody', 'div', 'section', 'main'].includes(tag);
  const siblings = el.parentElement ? [...el.parentElement.children] : [el];
  return {
    tag,
    role: el.getAttribute('role') || '',
    name: clean(el.getAttribute('aria-label') || (el.labels && el.labels[0]
      ? el.labels[0].innerText : '') || (plain ? el.innerText : '')),
    id: el.id || '',
    text: plain ? clean(el.innerText) : '',
    row: row && row.firstElementChild ? clean(row.firstElementChild.innerText) : '',
    position: String(siblings.indexOf(el) + 1),
  };
}
"""


@dataclass(frozen=True)
class TableRow:
    cells: dict[str, str]
    secret_columns: frozenset[str] = frozenset()
    data: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def __repr__(self) -> str:
        shown = {k: (MASKED if k in self.secret_columns else v) for k, v in self.cells.items()}
        return f"TableRow({shown!r})"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[TableRow]


def evaluate_one(locator: Locator, script: str, *, timeout_ms: float | None = None) -> Any:
    """`locator.evaluate(script)`, in one round trip to the browser when the element is there.

    Playwright's own evaluate waits for the element, evaluates on it and lets it go: three round
    trips. The element the locator finds alone is evaluated in the call that finds it; when it
    finds none (not shown yet) or several, Playwright's evaluate waits or refuses as it would.
    """
    # the script on a line of its own: a comment at its end cannot swallow what follows
    found = locator.evaluate_all(f"els => els.length === 1 ? [(\n{script}\n)(els[0])] : null")
    return found[0] if found is not None else locator.evaluate(script, timeout=timeout_ms)


def read_definition_list(locator: Locator) -> dict[str, str]:
    """`{term: definition}` of a `<dl>`, in the order shown."""
    pairs: list[list[str]] = evaluate_one(locator, _DEFINITION_LIST)
    return {term: text for term, text in pairs}


def read_table(locator: Locator) -> Table:
    raw = evaluate_one(locator, _TABLE)
    headers: list[str] = raw["headers"]
    rows = []
    for row in raw["rows"]:
        names = headers if len(headers) == len(row["cells"]) else _numbered(len(row["cells"]))
        cells = dict(zip(names, row["cells"], strict=True))
        secret = frozenset(n for n, s in zip(names, row["secret"], strict=True) if s)
        rows.append(TableRow(cells, secret, dict(row["data"])))
    return Table(headers, rows)


def read_checkboxes(locator: Locator) -> dict[str, bool]:
    """`{label: checked}` of every checkbox in a fieldset, or in the form of a button."""
    pairs: list[list[object]] = evaluate_one(locator, _CHECKBOXES)
    return {str(label): bool(checked) for label, checked in pairs}


def read_option_labels(select: Locator) -> list[str]:
    """The labels of a `<select>`'s options, as shown."""
    labels: list[str] = evaluate_one(select, "s => [...s.options].map(o => o.label.trim())")
    return labels


def read_chosen_option(select: Locator) -> str:
    """The label of the option a `<select>` shows as chosen ("" when none is)."""
    label: str = evaluate_one(
        select, "s => s.selectedOptions.length ? s.selectedOptions[0].label : ''"
    )
    return label.strip()


def read_text_box(box: Locator) -> str:
    """What a text box holds, without the spaces around it."""
    return box.input_value().strip()


def _numbered(count: int) -> list[str]:
    return [f"column {i + 1}" for i in range(count)]


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# Beside what the element looks like, the entry's locator that found it: a fingerprint stands
# for the element only as long as the profile's entry still says the same.
FINGERPRINT_SPEC = "spec"


def read_fingerprint(locator: Locator, *, timeout_ms: float | None = None) -> dict[str, str]:
    """What an element looks like, to know it again (robot/browser/fingerprints.py): its tag,
    role, name, id, text, row and position. Never a box's value or a container's content."""
    found: dict[str, object] = evaluate_one(locator, _FINGERPRINT, timeout_ms=timeout_ms)
    return {key: str(value) for key, value in found.items()}
