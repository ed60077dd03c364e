"""Starting a browser for the robot: which Chromium, with which flags and page settings, or a
connection to a remote browser (`--browser-endpoint`).

The tests use the same flags and context, so that what they see is what the robot sees.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from pages.problems import first_line
from robot.core.errors import BrowserError, SettingsError
from robot.core.transport import spki_hashes

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
# Debian's build of Chromium's old headless mode (package chromium-headless-shell): the same
# engine, version and pixels without the desktop browser's compositor, for about a quarter less
# CPU per conversion (measured on 2 cores). Playwright prefers its own headless shell likewise.
# The binary itself rather than /usr/bin's wrapper script, which does not exec it: a signal to
# the browser must reach the browser.
SYSTEM_HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
LAUNCH_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Software compositing in the browser process, instead of a GPU process drawing through
    # SwiftShader: the same pixels for about 15 % less CPU per conversion (measured on 2 cores).
    "--disable-gpu",
)
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "en-US"
TIMEZONE = "America/Chicago"


def launch_args(ca_bundle: Path | None = None) -> list[str]:
    """Chromium's flags: quiet (no background traffic), and no sandbox when run as root. With a
    company CA bundle (CRM_ROBOT_CA_BUNDLE), a chain the CRM presents is trusted when one of its
    certificates has a key of the bundle; every other certificate error still stops the run."""
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    if ca_bundle is not None:
        args.append(f"--ignore-certificate-errors-spki-list={','.join(spki_hashes(ca_bundle))}")
    return args


def context_options() -> dict[str, Any]:
    """The context every capture uses, so that two captures of one screen match pixel for pixel."""
    return {
        "viewport": dict(VIEWPORT),
        "device_scale_factor": 1,
        "locale": LOCALE,
        "timezone_id": TIMEZONE,
        "reduced_motion": "reduce",
        "color_scheme": "light",
    }


# Style sheets, scripts, images and fonts: never the target of a form, so never routed (every
# routed request makes a round trip through the robot's process).
_ASSET = r"[^?#]*\.(?:css|js|mjs|png|gif|jpe?g|svg|ico|woff2?|ttf|map)(?:[?#].*)?$"


def outside_crm(base_url: str) -> re.Pattern[str]:
    """Every http(s) URL that is not the CRM's: its company sign-in, or anything else a page
    may reach for."""
    return re.compile(rf"^{_OUTSIDE.format(base=re.escape(base_url.rstrip('/')))}")


def routed_requests(base_url: str) -> re.Pattern[str]:
    """What the robot routes while it posts a form: the CRM's pages, and everything outside."""
    base = re.escape(base_url.rstrip("/"))
    return re.compile(rf"^(?:{base}/(?!{_ASSET})|{_OUTSIDE.format(base=base)})")


_OUTSIDE = r"(?!{base}(?:[/?#]|$))https?://"


def system_chromium(*, headless: bool = True) -> Path | None:
    """Debian's Chromium: its headless shell for a headless browser where installed."""
    for path in (SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM) if headless else (SYSTEM_CHROMIUM,):
        if path.is_file():
            return path
    return None


def chromium_executable(
    configured: Path | str | None, playwright: Playwright, *, headless: bool = True
) -> Path:
    """CRM_ROBOT_BROWSER_EXECUTABLE, else Playwright's own Chromium if on disk, else Debian's
    (its headless shell for a headless browser, where installed)."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise BrowserError(
                f"CRM_ROBOT_BROWSER_EXECUTABLE: {path} does not exist; point it at a Chromium "
                "binary or unset it"
            )
        return path
    try:
        own = Path(playwright.chromium.executable_path)
    except PlaywrightError:
        own = Path()
    if own.name and own.is_file():
        return own
    system = system_chromium(headless=headless)
    if system is not None:
        return system
    raise BrowserError(
        "no Chromium found (neither Playwright's own nor /usr/bin/chromium); install one with "
        "`make setup` or set CRM_ROBOT_BROWSER_EXECUTABLE"
    )


def launch_browser(
    playwright: Playwright,
    executable: Path | str | None,
    *,
    headless: bool,
    slow_mo_ms: int,
    ca_bundle: Path | None = None,
) -> Browser:
    """A Chromium of this machine (see `chromium_executable`) with the robot's flags."""
    return playwright.chromium.launch(
        executable_path=str(chromium_executable(executable, playwright, headless=headless)),
        headless=headless,
        slow_mo=slow_mo_ms,
        args=launch_args(ca_bundle),
    )


def trust_ca_bundle(ca_bundle: Path | None) -> None:
    """Playwright's driver sends the robot's form posts itself (robot/browser/session.py's
    `_post_once`), through Node's TLS: it trusts the company CA through NODE_EXTRA_CA_CERTS,
    read when the driver starts."""
    if ca_bundle is not None:
        os.environ["NODE_EXTRA_CA_CERTS"] = str(ca_bundle)


def connect_browser(playwright: Playwright, endpoint: str, *, slow_mo_ms: int) -> Browser:
    """A remote browser: a Playwright browser server (ws://, wss://) or DevTools (http(s)://)."""
    scheme = urlsplit(endpoint).scheme
    try:
        if scheme in ("ws", "wss"):
            return playwright.chromium.connect(endpoint, slow_mo=slow_mo_ms)
        if scheme in ("http", "https"):
            return playwright.chromium.connect_over_cdp(endpoint, slow_mo=slow_mo_ms)
    except PlaywrightError as exc:
        shown = endpoint_label(endpoint)
        why = first_line(exc).replace(endpoint, shown)
        raise BrowserError(
            f"CRM_ROBOT_BROWSER_ENDPOINT: no browser answered at {shown} "
            f"({why}); start the browser server or unset it"
        ) from None
    raise SettingsError(
        f"CRM_ROBOT_BROWSER_ENDPOINT: must start with ws:// (Playwright browser server) "
        f"or http:// (Chrome DevTools), given {endpoint}"
    )


def endpoint_label(endpoint: str) -> str:
    """`ws://grid:3000`: a browser endpoint without its path and query, where a browser server
    or a grid keeps its access token; what messages and summaries show."""
    parts = urlsplit(endpoint)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"
