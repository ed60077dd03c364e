"""Secret canaries: fresh random secrets for each run, and one scanner that looks for them in
everything a run printed or left behind, in every form a leak could take.

A canary is found in its raw form and its URL-encoded, base64 (standard and URL-safe, at each of
the three byte alignments), JSON-escaped and HTML-escaped forms, and by its random core alone
(which catches a secret cut short or encoded some other way). Zip files (Playwright traces) are
opened and each member is scanned, nested zips too.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import secrets
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import numpy as np
from markupsafe import escape
from PIL import Image

# The colour robot/capture/screens.py paints over secret and volatile regions.
MASK_RGB = (0x80, 0x80, 0x80)


@dataclass(frozen=True)
class Canary:
    name: str  # what the secret is, for messages (never the value)
    value: str
    core: str = ""  # its random part: found alone, it is a leak too


@dataclass(frozen=True)
class RunSecrets:
    """The three secrets of one run. Each holds characters that every encoding changes
    (quotes, &, <, /, +, %, a space, an accented letter), so an encoded leak differs from the
    raw value and the scanner has to know the encoding to find it."""

    crm_password: Canary
    rtdr_key: Canary
    rtdr_password: Canary

    @classmethod
    def fresh(cls) -> RunSecrets:
        def made(name: str, template: str) -> Canary:
            core = secrets.token_hex(8)
            return Canary(name, template.format(core), core)

        return cls(
            made("CRM password", 'crm-{}-"q"&<é>/+%'),
            made("RTDR private key", "KEY-{}+/=&'é"),
            made("RTDR password", 'rtdr {}-"%<>\\'),
        )

    @property
    def key_password(self) -> str:
        return f"{self.rtdr_key.value}|{self.rtdr_password.value}"

    def env(
        self, key_var: str = "RTDR_PRIVATE_KEY", password_var: str = "RTDR_PASSWORD"
    ) -> dict[str, str]:
        return {
            "CRM_PASSWORD": self.crm_password.value,
            key_var: self.rtdr_key.value,
            password_var: self.rtdr_password.value,
        }

    def canaries(self) -> list[Canary]:
        joined = Canary("settings 10/13 value (key|password)", self.key_password)
        return [self.crm_password, self.rtdr_key, self.rtdr_password, joined]


@dataclass(frozen=True)
class Leak:
    where: str
    canary: str
    form: str

    def __str__(self) -> str:
        return f"{self.where}: the {self.canary} ({self.form})"


def base64_cores(raw: bytes) -> dict[str, bytes]:
    """The part of base64 that is the same whatever bytes come before and after `raw`, for each
    of the three positions `raw` can start at within a 3-byte group."""
    found = {}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        start = -(-offset * 8 // 6)  # the first character made of raw's bits only
        end = (offset + len(raw)) * 8 // 6  # the last whole character of raw's bits
        core = encoded[start:end]
        found[f"base64@{offset}"] = core
        found[f"base64url@{offset}"] = core.replace(b"+", b"-").replace(b"/", b"_")
    return found


def forms(value: str) -> dict[str, bytes]:
    """Every form of `value` the scanner looks for, by name."""
    url = quote(value, safe="")
    variants: dict[str, str] = {
        "raw": value,
        "url-encoded": url,
        "url-encoded (lower-case hex)": re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), url),
        "url-encoded (path)": quote(value),
        "form-encoded": quote_plus(value),
        "json-escaped": json.dumps(value)[1:-1],
        "json-escaped (unicode kept)": json.dumps(value, ensure_ascii=False)[1:-1],
        "json-escaped (slashes)": json.dumps(value)[1:-1].replace("/", "\\/"),
        "html-escaped": html.escape(value),
        "html-escaped (jinja)": str(escape(value)),
    }
    found = {name: text.encode() for name, text in variants.items()}
    found.update(base64_cores(value.encode()))
    return found


class Scanner:
    """Looks for canaries in text and files; `leaks` lists what it found."""

    def __init__(self, canaries: Iterable[Canary]) -> None:
        self.needles: list[tuple[str, str, bytes]] = []
        for canary in canaries:
            for form, needle in forms(canary.value).items():
                self.needles.append((canary.name, form, needle))
            if canary.core:
                self.needles.append((canary.name, "its random part", canary.core.encode()))
        self.leaks: list[Leak] = []
        self.scanned: list[str] = []

    def text(self, where: str, text: str) -> Scanner:
        return self.data(where, text.encode("utf-8", errors="surrogateescape"))

    def data(self, where: str, data: bytes) -> Scanner:
        self.scanned.append(where)
        members = list(_zip_members(data)) if data[:4] == b"PK\x03\x04" else None
        if members is not None:  # the members, uncompressed, are what can hold a secret
            for name, member in members:
                self.data(f"{where}!{name}", member)
            return self
        text = _without_pixels(data)
        for canary, form, needle in self.needles:
            if needle in text:
                self.leaks.append(Leak(where, canary, form))
        return self

    def folder(self, root: Path) -> Scanner:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            self.data(str(path), path.read_bytes())
        return self

    def exception(self, where: str, error: BaseException) -> Scanner:
        return self.text(where, f"{type(error).__name__}: {error}\n{error!r}")


def _zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        yield "(not a zip)", data
        return
    with archive:
        for name in archive.namelist():
            yield name, archive.read(name)


def _without_pixels(data: bytes) -> bytes:
    """An image's bytes without its compressed pixels (PNG IDAT chunks, JPEG scan data), where no
    text can be read; its metadata is kept. Other data as it is. (The masks check the pixels.)"""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        kept, at = [data[:8]], 8
        while at + 8 <= len(data):
            (length,) = struct.unpack(">I", data[at : at + 4])
            end = at + 12 + length
            if data[at + 4 : at + 8] != b"IDAT":
                kept.append(data[at:end])
            at = end
        return b"".join(kept)
    if data[:2] == b"\xff\xd8":
        scan = data.find(b"\xff\xda")
        return data if scan < 0 else data[:scan]
    return data


def assert_no_leaks(scanner: Scanner) -> None:
    assert scanner.scanned, "the scanner was given nothing to look at"
    found: dict[tuple[str, str], list[str]] = {}
    for leak in scanner.leaks:
        found.setdefault((leak.where, leak.canary), []).append(leak.form)
    lines = [f"{where}: the {what} ({', '.join(how)})" for (where, what), how in found.items()]
    assert not lines, "secret leaked:\n" + "\n".join(lines)


def unmasked_regions(folder: Path) -> list[str]:
    """Masked regions (listed in every manifest.json under `folder`) that are not one solid
    mask colour in their PNG; empty when every mask is solid."""
    problems = []
    mask = np.array(MASK_RGB, dtype=np.uint8)
    for manifest_path in sorted(folder.rglob("manifest.json")):
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        for screen in manifest["screens"].values():
            png = manifest_path.parent / screen["file"]
            with Image.open(png) as image:
                pixels = np.asarray(image.convert("RGB"))
            for region in screen.get("masked", []):
                x, y, w, h = (region[k] for k in ("x", "y", "width", "height"))
                # The inside of the region: its edge pixels may blend with the page.
                inside = pixels[y + 1 : y + h - 1, x + 1 : x + w - 1]
                other = int((inside != mask).any(axis=-1).sum())
                if other:
                    problems.append(
                        f"{png.relative_to(folder)} {region['kind']} region {x},{y},{w},{h}: "
                        f"{other} pixel(s) not the mask colour"
                    )
    return problems


def secret_regions(folder: Path, stem: str) -> int:
    """How many secret regions the manifests under `folder` record for screen `stem`."""
    count = 0
    for manifest_path in folder.rglob("manifest.json"):
        screen = json.loads(manifest_path.read_text())["screens"].get(stem, {})
        count += sum(1 for r in screen.get("masked", []) if r["kind"] == "secret")
    return count
