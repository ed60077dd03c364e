"""Proposals for an entry the screen does not show as the profile says: candidates taken from
what the screen does show, ranked, each a ready-to-paste profile value.

A candidate scores by how close its accessible name, label, id or text is to the entry's
default (and to the fingerprint of the element the entry found last time, when there is one),
and by its role. Only proposals that match exactly one element on the screen are offered: the
robot never guesses, and neither does its advice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from pages.entries import Entry
from pages.locators import LocatorSpec
from robot.doctor.probe import Element, Look

MAX_PROPOSALS = 3
_ASPNET_ID = re.compile(r"^[A-Za-z][\w-]*$")
_WORD = re.compile(r"[^\W_]{3,}")  # a word of three letters or more (not "of", "a", "#")


@dataclass(frozen=True)
class Proposal:
    value: str  # the profile value: a spec for a locator, the text for a text
    score: float
    why: str
    # What the element the proposal finds looks like (robot/browser/fingerprints.py), so that a
    # person, or a test, can tell whether it is the element the entry means.
    element: Mapping[str, str] | None = None

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"value": self.value, "score": round(self.score, 3)}
        found["why"] = self.why
        if self.element is not None:
            found["element"] = dict(self.element)
        return found


def similarity(a: str, b: str) -> float:
    a, b = a.casefold().strip(), b.casefold().strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    # A name that holds the other whole ("Save" in "Save Changes") is closer than its ratio.
    if a in b or b in a:
        return max(ratio, 0.8)
    # So is one that shares a word with it in another order ("Maintenance Windows",
    # "Scheduled Maintenance"), the more so the more of their words it shares.
    words_a, words_b = set(_WORD.findall(a)), set(_WORD.findall(b))
    shared = len(words_a & words_b) / len(words_a | words_b) if words_a and words_b else 0.0
    return max(ratio, 0.5 + 0.4 * shared) if shared else ratio


def propose_text(
    entry: Entry, look: Look, looked_for: str, *, term: bool, columns: list[str] | None = None
) -> list[Proposal]:
    """The texts on the screen closest to what was looked for or to the entry's default (a
    renamed column, flag or option); for the name of a field (`term`), only texts that name
    fields (headers, terms, labels, options); for a column header, only the headers, and,
    where none is close, the header in the entry's place among the screen's `columns` (their
    names, in order) when the screen shows as many headers as there are columns."""
    if entry.role == "columnheader":
        shown = look.headers
    else:
        shown = look.terms if term else look.texts
    scored = sorted(
        (
            (max(similarity(entry.default, text), similarity(looked_for, text)), text)
            for text in dict.fromkeys(shown)
            if text != looked_for
        ),
        key=lambda pair: -pair[0],
    )
    proposals = [
        Proposal(text, score, f'the screen shows "{text}"')
        for score, text in scored[:MAX_PROPOSALS]
        if score >= 0.45
    ]
    headers = [header for header in look.headers if header]
    if proposals or not columns or entry.name not in columns or len(headers) != len(columns):
        return proposals
    header = headers[columns.index(entry.name)]
    return [Proposal(header, 0.45, f'the column in the same place is headed "{header}"')]


def propose_address(shown: str, fields: Mapping[str, str]) -> Proposal:
    """The address a screen is at, each part of its path and each query value that is a
    field's value put back as `{field}`: one biller's address made the screen's."""
    by_value = {value: "{" + name + "}" for name, value in fields.items()}
    parts = urlsplit(shown)
    path = "/".join(by_value.get(part, part) for part in parts.path.split("/"))
    query = "&".join(f"{k}={by_value.get(v, v)}" for k, v in parse_qsl(parts.query))
    return Proposal(f"{path}?{query}" if query else path, 1.0, "the address the screen is at")


def propose_locator(
    entry: Entry,
    fields: Mapping[str, object],
    look: Look,
    matches: Callable[[str], int],
    fingerprint: Mapping[str, str] | None = None,
) -> list[Proposal]:
    """Candidates for a locator entry, best first; `matches(value)` counts a proposal's matches
    on the screen (filled in with `fields`), and only those matching one element are kept."""
    assert entry.spec is not None
    filled = entry.spec.fill(fields)
    ranked = sorted(
        ((_score(filled, entry.role, element, fingerprint), element) for element in look.elements),
        key=lambda pair: -pair[0],
    )
    proposals: list[Proposal] = []
    for score, element in ranked:
        if score < 0.35 or len(proposals) >= MAX_PROPOSALS:
            break
        for value in _specs_for(element, fields):
            if value not in {p.value for p in proposals} and matches(value) == 1:
                proposals.append(Proposal(value, score, _why(element)))
                break
    return proposals


def _score(
    spec: LocatorSpec, role: str | None, element: Element, fingerprint: Mapping[str, str] | None
) -> float:
    """How much `element` looks like what the entry means: its name, its role (the spec's,
    else the entry's `role`, else what the kind of spec usually names) and its fingerprint."""
    last = spec.steps[-1]
    wanted_name = last.role_name or last.value
    names = [element.name, element.text, element.id.replace("_", " ")]
    score = max(similarity(wanted_name, name) for name in names)
    wanted_role = last.value if last.kind == "role" else role or _role_of_kind(last.kind)
    if wanted_role and element.role == wanted_role:
        score += 0.25
    elif wanted_role and _family(wanted_role) == _family(element.role):
        score += 0.15
    elif wanted_role:
        score -= 0.3
    if fingerprint:
        score += 0.5 * _fingerprint_match(fingerprint, element)
    return score


_FAMILIES = {
    "searchbox": "box",
    "textbox": "box",
    "combobox": "box",
    "spinbutton": "box",
    "button": "control",
    "link": "control",
    "tab": "control",
    "table": "grid",
    "grid": "grid",
    "list": "grid",
    "navigation": "region",
    "group": "region",
}


def _family(role: str) -> str:
    """Roles a PM would not tell apart on an old CRM: a search box is a text box, a link that
    acts as a button is a button."""
    return _FAMILIES.get(role, role)


def _role_of_kind(kind: str) -> str:
    return {"label": "textbox", "placeholder": "textbox"}.get(kind, "")


def _fingerprint_match(fingerprint: Mapping[str, str], element: Element) -> float:
    keys = ("tag", "role", "name", "id", "text")
    shown = {
        "tag": element.tag,
        "role": element.role,
        "name": element.name,
        "id": element.id,
        "text": element.text,
    }
    same = sum(1 for key in keys if fingerprint.get(key) and fingerprint.get(key) == shown[key])
    return same / len(keys)


def _specs_for(element: Element, fields: Mapping[str, object]) -> list[str]:
    """Profile values that could name the element, most robust first, with field values put
    back as `{field}` so that the value serves every row."""
    values: list[str] = []
    in_row = element.row is not None and any(str(v) == element.row for v in fields.values())
    if element.role and element.name:
        values.append(f"role:{element.role}:{element.name}")
    if element.id and _ASPNET_ID.match(element.id):
        values.append(f"css:#{element.id}")
    if in_row and element.row is not None:
        role = element.role or element.tag
        name = f":{element.name}" if element.name and element.role else ""
        values.append(
            f"row:{element.row} >> role:{role}{name}"
            if element.role
            else f"row:{element.row} >> css:{element.tag}"
        )
    if element.role:
        values.append(f"role:{element.role} >> nth:{element.index}")
    values.append(f"css:{element.tag} >> nth:{element.index}")
    return [_generalise(value, fields) for value in values]


def _generalise(value: str, fields: Mapping[str, object]) -> str:
    for name, field_value in fields.items():
        shown = str(field_value)
        if shown and shown in value:
            value = value.replace(shown, "{" + name + "}")
    return value


def _why(element: Element) -> str:
    parts = [f"a {element.role or element.tag}"]
    if element.name:
        parts.append(f'named "{element.name}"')
    if element.id:
        parts.append(f"id {element.id}")
    if element.row:
        parts.append(f'in the row of "{element.row}"')
    return ", ".join(parts)
