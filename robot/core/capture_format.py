"""The capture folder: nine PNGs, `values.json` and `manifest.json` (a contract).

The capture side writes these models, the comparison side reads them back with `read_capture`,
so both agree on one shape. A folder is checked as a whole when read: every screen present, every
PNG matching the sha256 the manifest recorded. Secrets never appear here: the PNGs are masked and
secret values are fingerprints (`secret:<hex>`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from robot.core.errors import ComparisonInputError
from robot.core.steps import SCREEN_STEMS, SCREEN_TITLES, SCREENS

__all__ = ["SCREENS", "SCREEN_STEMS", "SCREEN_TITLES"]  # also read here by the capture side


MANIFEST_FILE = "manifest.json"
# A biller's folder of scheduled captures, beside its run folders: no run may take this name.
SCHEDULED_DIR = "scheduled"
VALUES_FILE = "values.json"
SECRET_PREFIX = "secret:"  # fingerprints of secret values in values.json
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Values = dict[str, dict[str, str]]
_VALUES = TypeAdapter(Values)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BillerRef(_Strict):
    id: str
    name: str
    slug: str


class Viewport(_Strict):
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class MaskedRegion(_Strict):
    """A rectangle painted over before the screenshot was saved."""

    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    kind: Literal["secret", "volatile"]


class ScreenRecord(_Strict):
    file: str
    url: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    masked: list[MaskedRegion] = Field(default_factory=list)


class Manifest(_Strict):
    biller: BillerRef
    environment: str
    phase: Literal["before", "after", "scheduled"]
    run_id: str
    started_at: datetime
    finished_at: datetime
    base_url: str
    viewport: Viewport
    browser_version: str
    screens: dict[str, ScreenRecord]


@dataclass(frozen=True)
class Capture:
    """A capture folder read and checked: the manifest, the values and each PNG's bytes."""

    folder: Path
    manifest: Manifest
    values: Values
    png: dict[str, bytes]

    def path(self, stem: str) -> Path:
        return self.folder / self.manifest.screens[stem].file

    def screen_values(self, stem: str) -> dict[str, str]:
        return self.values.get(stem, {})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    path = folder / MANIFEST_FILE
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def write_values(folder: Path, values: Values) -> Path:
    path = folder / VALUES_FILE
    path.write_text(json.dumps(values, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_capture(folder: Path | str) -> Capture:
    """Read a capture folder; raise ComparisonInputError naming exactly what is wrong."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ComparisonInputError(f"{folder}: not a capture folder (no such directory).")
    manifest = _read_model(folder / MANIFEST_FILE, Manifest)
    values = _read_values(folder / VALUES_FILE)

    missing = [stem for stem in SCREEN_STEMS if stem not in manifest.screens]
    if missing:
        raise ComparisonInputError(
            f"{folder / MANIFEST_FILE}: screen {', '.join(missing)} missing; "
            "a capture holds all nine screens, capture it again."
        )
    png: dict[str, bytes] = {}
    for stem in SCREEN_STEMS:
        record = manifest.screens[stem]
        path = folder / record.file
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ComparisonInputError(
                f"{path}: screenshot of {stem} missing; capture the folder again."
            ) from None
        if not data.startswith(PNG_SIGNATURE):
            raise ComparisonInputError(
                f"{path}: screenshot of {stem} is not a PNG file; capture the folder again."
            )
        if sha256_hex(data) != record.sha256:
            raise ComparisonInputError(
                f"{path}: does not match the sha256 in {MANIFEST_FILE}; the file changed after "
                "capture, capture it again."
            )
        png[stem] = data
    return Capture(folder=folder, manifest=manifest, values=values, png=png)


def read_manifest(folder: Path | str) -> Manifest:
    """Only `manifest.json` of a capture folder (whose biller, when); ComparisonInputError
    when it is missing or not a manifest."""
    return _read_model(Path(folder) / MANIFEST_FILE, Manifest)


def read_values(folder: Path | str) -> Values:
    """Only `values.json` of a capture folder (what a plan needs to know its expectations)."""
    return _read_values(Path(folder) / VALUES_FILE)


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ComparisonInputError(f"{path}: missing; is this a capture folder?") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ComparisonInputError(f"{path}: not valid JSON ({exc}).") from None


def _read_model(path: Path, model: type[Manifest]) -> Manifest:
    data = _read_json(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ComparisonInputError(f"{path}: {problems}") from None


def _read_values(path: Path) -> Values:
    data = _read_json(path)
    try:
        return _VALUES.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ComparisonInputError(
            f"{path}: {problems} (wanted {{screen: {{field: text}}}})"
        ) from None
