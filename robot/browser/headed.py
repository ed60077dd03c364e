"""What a PM watching a headed run sees: a banner in the page naming the step, and the element
the robot is about to use outlined.

The banner text lives in the tab's sessionStorage and an init script draws it on every page load,
so it survives the CRM's full-page navigations. It is hidden while the nine screens are captured,
so that the proof screenshots show the CRM only. A headless run has a NullDisplay: the same calls,
nothing shown.
"""

from __future__ import annotations

import json
from typing import Protocol

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

BANNER_ID = "crm-robot-banner"
STORAGE_KEY = "crm-robot-banner"

SIGN_IN_BANNER_ID = "crm-robot-sign-in"
_STYLE = ";".join(
    (
        "position:fixed",
        "left:50%",
        "top:6px",
        "transform:translateX(-50%)",
        "z-index:2147483647",
        "background:#1f2937",
        "color:#fde68a",
        "font:600 14px/1.4 system-ui,sans-serif",
        "padding:6px 14px",
        "border-radius:6px",
        "box-shadow:0 2px 8px rgba(0,0,0,.35)",
        "pointer-events:none",
        "white-space:nowrap",
    )
)

_DRAW = """
(() => {
  const draw = () => {
    const text = sessionStorage.getItem('__KEY__') || '';
    let el = document.getElementById('__ID__');
    if (!text) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement('div');
      el.id = '__ID__';
      el.setAttribute('role', 'note');
      el.setAttribute('aria-label', 'crm-robot step');
      el.style.cssText = '__STYLE__';
      (document.body || document.documentElement).appendChild(el);
    }
    el.textContent = text;
  };
  window.__crmRobotDrawBanner = draw;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
"""
_DRAW = (
    _DRAW.replace("__KEY__", STORAGE_KEY).replace("__ID__", BANNER_ID).replace("__STYLE__", _STYLE)
)

# CRM_SIGN_IN=manual: on every page away from the CRM's screens (its sign-in page, or a company
# sign-in on another host), a banner asking the PM to sign in. It needs no state to survive the
# hops between hosts, and vanishes by itself once the CRM shows a screen again.
_SIGN_IN_PROMPT = """
(([crm, login, text]) => {
  const draw = () => {
    const away = !location.href.startsWith(crm + '/') || location.pathname === login;
    if (!away || document.getElementById('__ID__')) return;
    const el = document.createElement('div');
    el.id = '__ID__';
    el.setAttribute('role', 'note');
    el.setAttribute('aria-label', 'crm-robot sign-in');
    el.style.cssText = '__STYLE__';
    el.textContent = text;
    (document.body || document.documentElement).appendChild(el);
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})
""".replace("__ID__", SIGN_IN_BANNER_ID).replace("__STYLE__", _STYLE)

_SET = """
text => {
  sessionStorage.setItem('__KEY__', text);
  if (window.__crmRobotDrawBanner) window.__crmRobotDrawBanner();
}
""".replace("__KEY__", STORAGE_KEY)

_HIGHLIGHT = """
els => {
  for (const old of document.querySelectorAll('[data-crm-robot-highlight]')) {
    old.style.outline = old.dataset.crmRobotOutline || '';
    delete old.dataset.crmRobotHighlight;
  }
  for (const el of els) {
    el.dataset.crmRobotOutline = el.style.outline;
    el.dataset.crmRobotHighlight = '1';
    el.style.outline = '3px solid #f59e0b';
    el.style.outlineOffset = '2px';
    el.scrollIntoView({block: 'center', inline: 'nearest'});
  }
}
"""

_CLEAR_HIGHLIGHT = """
() => {
  for (const old of document.querySelectorAll('[data-crm-robot-highlight]')) {
    old.style.outline = old.dataset.crmRobotOutline || '';
    delete old.dataset.crmRobotHighlight;
  }
}
"""


class Display(Protocol):
    """What the run shows a person watching: the step and what it does now."""

    def show_step(self, index: int, total: int, title: str, detail: str = "") -> None: ...

    def show_detail(self, detail: str) -> None: ...

    def hide(self) -> None: ...

    def show(self) -> None: ...


class NullDisplay:
    """The display of a headless run: no one watches, nothing is shown."""

    def show_step(self, index: int, total: int, title: str, detail: str = "") -> None:
        return None

    def show_detail(self, detail: str) -> None:
        return None

    def hide(self) -> None:
        return None

    def show(self) -> None:
        return None


def prompt_sign_in(page: Page, crm_base_url: str, login_path: str, text: str) -> None:
    """Ask the PM, in the page, to sign in (CRM_SIGN_IN=manual): on this page and on every page
    away from the CRM's screens until the CRM shows one again."""
    arguments = [crm_base_url.rstrip("/"), login_path, text]
    script = f"{_SIGN_IN_PROMPT}({json.dumps(arguments)})"
    page.context.add_init_script(script)
    try:
        page.evaluate(script)
    except PlaywrightError:
        pass  # cosmetic; the next page load draws it


class HeadedDisplay:
    """Banner and highlight for one page. Cosmetic: a failure here never stops the run."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.step_text = ""
        self.visible = True
        page.context.add_init_script(_DRAW)
        self._run(_DRAW)

    def show_step(self, index: int, total: int, title: str, detail: str = "") -> None:
        self.step_text = f"{index}/{total} {title}"
        self._update(detail)

    def show_detail(self, detail: str) -> None:
        self._update(detail)

    def hide(self) -> None:
        """No banner and no outline: for the proof screenshots."""
        self.visible = False
        self._set("")
        self._run(_CLEAR_HIGHLIGHT)

    def show(self) -> None:
        self.visible = True
        self._update("")

    def before_action(self, description: str, locator: Locator | None) -> None:
        """The page base's hook: name the action in the banner, outline the element."""
        if not self.visible:
            return
        self._update(description)
        if locator is None:
            return
        try:
            # evaluate_all does not wait: an element that is not there is the page's error
            # to report, not ours.
            locator.evaluate_all(_HIGHLIGHT)
        except PlaywrightError:
            pass

    def _update(self, detail: str) -> None:
        if not self.visible or not self.step_text:
            return
        self._set(f"{self.step_text}: {detail}" if detail else self.step_text)

    def _set(self, text: str) -> None:
        try:
            self.page.evaluate(_SET, text)
        except PlaywrightError:
            pass

    def _run(self, script: str) -> None:
        try:
            self.page.evaluate(script)
        except PlaywrightError:
            pass
