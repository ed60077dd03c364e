"""Capture folders for tests of the comparison and the report, without a browser.

Each screen is drawn from its values (a label and a value per row), so a changed value changes
the pixels of its row and nothing else, as on a real screen. Secret values are painted over and
recorded as masked, like the capture does; a clock in the corner differs between captures and is
masked as volatile.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from robot.core.capture_format import (
    SCREENS,
    SECRET_PREFIX,
    BillerRef,
    Manifest,
    MaskedRegion,
    ScreenRecord,
    Viewport,
    sha256_hex,
    write_manifest,
    write_values,
)

WIDTH = 360
ROW = 16
TOP = 34
CLOCK = (WIDTH - 90, 4, 86, 14)  # x, y, width, height of the volatile clock

PPM = BillerRef(id="10482", name="Prairie Pine Mutual", slug="prairie-pine-mutual")

BASE_VALUES: dict[str, dict[str, str]] = {
    "01-profile": {
        "Biller ID": "10482",
        "Biller Name": "Prairie Pine Mutual",
        "Integration Partner ID": "IMT MIPS APPS",
        "Status": "Active",
    },
    "02-products": {"Product Water": "Yes", "Product Sewer": "Yes"},
    "03-credit-debit-cards": {"Visa Accepted": "Yes", "Visa Convenience Fee": "1.95"},
    "04-obd": {"OBD Enabled": "No", "Days Before Due": "5"},
    "05-cloud-ivr-invoice-types": {"Utility Bill IVR Code": "1", "Utility Bill Enabled": "Yes"},
    "06-advanced-settings": {
        "Setting 8": "https://mips.example/api",
        "Setting 10": "secret:0a1b2c3d",
        "Setting 14": "MIPS Legacy Flag",
    },
    "07-integration-summary": {"Integration Partner ID": "IMT MIPS APPS", "PDF Settings": "0"},
    "08-ftp-management": {},
    "09-datapump-management": {"Payment DataPump Web": "No", "Payment DataPump Lockbox": "Yes"},
}

_FONT = ImageFont.load_default()


def render_screen(
    title: str, values: Mapping[str, str], clock: str
) -> tuple[bytes, list[MaskedRegion], tuple[int, int]]:
    height = TOP + ROW * max(len(values), 1) + 10
    img = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, WIDTH, 22), fill=(23, 35, 59))
    draw.text((6, 5), title, fill="white", font=_FONT)
    draw.text((CLOCK[0], CLOCK[1]), clock, fill=(200, 210, 230), font=_FONT)
    masked = [
        MaskedRegion(x=CLOCK[0], y=CLOCK[1], width=CLOCK[2], height=CLOCK[3], kind="volatile")
    ]
    for i, (name, value) in enumerate(values.items()):
        y = TOP + i * ROW
        draw.text((6, y), name, fill=(60, 60, 60), font=_FONT)
        if value.startswith(SECRET_PREFIX):
            box = (170, y - 1, 180, ROW - 2)
            draw.rectangle((box[0], box[1], box[0] + box[2], box[1] + box[3]), fill=(90, 90, 90))
            masked.append(
                MaskedRegion(x=box[0], y=box[1], width=box[2], height=box[3], kind="secret")
            )
        else:
            draw.text((170, y), value, fill=(20, 20, 20), font=_FONT)
        draw.line((4, y + ROW - 2, WIDTH - 4, y + ROW - 2), fill=(225, 228, 234))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue(), masked, img.size


def make_capture(
    folder: Path,
    values: Mapping[str, Mapping[str, str]] | None = None,
    *,
    phase: Literal["before", "after", "scheduled"] = "before",
    clock: str = "14:03:11 CST",
    biller: BillerRef = PPM,
    environment: str = "UAT",
) -> Path:
    """Write a capture folder whose nine PNGs show `values` (default BASE_VALUES)."""
    screen_values = {stem: dict(v) for stem, v in (values or BASE_VALUES).items()}
    folder.mkdir(parents=True, exist_ok=True)
    screens = {}
    for stem, title in SCREENS:
        png, masked, (w, h) = render_screen(title, screen_values.get(stem, {}), clock)
        (folder / f"{stem}.png").write_bytes(png)
        screens[stem] = ScreenRecord(
            file=f"{stem}.png",
            url=f"http://127.0.0.1:8765/billers/{biller.id}/{stem[3:]}",
            sha256=sha256_hex(png),
            width=w,
            height=h,
            masked=masked,
        )
    now = datetime(2026, 11, 26, 14, 3, 11, tzinfo=UTC)
    manifest = Manifest(
        biller=biller,
        environment=environment,
        phase=phase,
        run_id=f"20261126-140311-{phase}",
        started_at=now,
        finished_at=now,
        base_url="http://127.0.0.1:8765",
        viewport=Viewport(width=1280, height=900),
        browser_version="Chromium 130.0",
        screens=screens,
    )
    write_manifest(folder, manifest)
    write_values(folder, screen_values)
    return folder


def changed(
    base: Mapping[str, Mapping[str, str]], changes: Mapping[str, Mapping[str, str | None]]
) -> dict[str, dict[str, str]]:
    """A copy of `base` with fields set (or removed, for None) per screen."""
    out = {stem: dict(v) for stem, v in base.items()}
    for stem, fields in changes.items():
        screen = out.setdefault(stem, {})
        for name, value in fields.items():
            if value is None:
                screen.pop(name, None)
            else:
                screen[name] = value
    return out
