"""A watch list: the billers a scheduled capture opens, without a conversion plan for each.

A scheduled capture only needs to know which biller to open and how to recognise it; watching a
few hundred billers should not mean writing a few hundred conversion plans. A watch list is a
CSV file with a header row, or a TOML file of `[[biller]]` tables, with the columns of a plan's
`[biller]` table:

    id,guid,name,environment,expected_partner
    90001,9A1C2E3F-0001-4B5C-8D7E-000000000001,Sim Biller 001,UAT,IMT MIPS APPS

`expected_partner` may be left out (or empty). It is validated like a plan, before any browser
opens: every problem on its own line naming the row (CSV rows count the header as row 1, as a
spreadsheet shows them; TOML counts the `[[biller]]` tables) and the column, exit 2. A biller
listed twice is refused.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from robot.core.errors import PlanError
from robot.core.validation import problem_lines
from robot.plan.model import Biller, slug_of

OPTIONAL = ("expected_partner",)


class Watched(Protocol):
    """What a scheduled capture needs of a biller: a conversion plan or a watch-list row."""

    @property
    def biller(self) -> Biller: ...

    @property
    def biller_slug(self) -> str: ...

    @property
    def source(self) -> str | None: ...


@dataclass(frozen=True)
class WatchedBiller:
    """One row of a watch list."""

    biller: Biller
    source: str  # "FILE row N", for messages

    @property
    def biller_slug(self) -> str:
        return slug_of(self.biller)


def load_watch_list(path: Path) -> list[WatchedBiller]:
    """Every biller of the list, or PlanError naming each bad row and column."""
    rows = _rows(path)
    problems: list[str] = []
    watched: list[WatchedBiller] = []
    seen: dict[str, str] = {}
    for label, row in rows:
        try:
            biller = Biller.model_validate(row)
        except ValidationError as exc:
            problems += [f"{label}, column {line}" for line in problem_lines(exc, Biller)]
            continue
        if biller.id in seen:
            problems.append(
                f"{label}, column id: biller {biller.id} is already on {seen[biller.id]}"
            )
            continue
        seen[biller.id] = label
        watched.append(WatchedBiller(biller, f"{path} {label}"))
    if not rows:
        problems.append("no billers; list at least one (see docs/scheduled.md)")
    if problems:
        raise PlanError(problems, source=str(path))
    return watched


def _rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"watch list not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"watch list cannot be read as UTF-8 text: {path} ({exc})") from None
    if path.suffix.lower() == ".toml":
        return _toml_rows(text, path)
    if path.suffix.lower() == ".csv":
        return _csv_rows(text)
    raise PlanError(f"--billers: {path} must be a .csv or a .toml file")


def _csv_rows(text: str) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    reader = csv.DictReader(io.StringIO(text))
    for number, record in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:  # more cells than the header has columns
            row["(extra cells)"] = ",".join(record[None])
        rows.append((f"row {number}", _without_empty_optional(row)))
    return rows


def _toml_rows(text: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"TOML syntax error: {exc}", source=str(path)) from None
    tables = data.get("biller", [])
    if not isinstance(tables, list) or set(data) - {"biller"}:
        raise PlanError("write one [[biller]] table per biller, nothing else", source=str(path))
    return [(f"biller {n}", dict(t)) for n, t in enumerate(tables, start=1) if isinstance(t, dict)]


def _without_empty_optional(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not (k in OPTIONAL and v == "")}
