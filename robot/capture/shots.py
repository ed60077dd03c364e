"""Full-page screenshots with regions painted over: Chromium's own capture, or Playwright's.

Playwright's `page.screenshot(full_page=True, mask=...)` asks Chromium for a PNG compressed for
size. The same request with `optimizeForSpeed` (Chromium's DevTools protocol) gives the same
pixels in about a third of the time, in a PNG that decodes faster too. `FastShots` makes that
request itself and prepares the page exactly as Playwright does (animations finished or
cancelled, carets hidden, fonts loaded, the mask boxes drawn in the top layer in one colour), so
that a screen shot either way is the same picture, pixel for pixel (tests/test_capture.py).
A browser that offers no DevTools session (a remote browser that is not Chromium) gets
Playwright's screenshot.
"""

from __future__ import annotations

import base64
from typing import Any, Protocol

from playwright.sync_api import CDPSession, Locator, Page
from playwright.sync_api import Error as PlaywrightError

# Playwright's preparation of a page for a screenshot (its screenshotter and highlight code),
# with the mask boxes given in document coordinates; returns the full page's size.
_PREPARE = """
async ({boxes, color}) => {
  const undo = [];
  const carets = document.querySelectorAll("input,textarea,[contenteditable]");
  for (const el of carets) {
    const value = el.style.getPropertyValue("caret-color");
    const priority = el.style.getPropertyPriority("caret-color");
    el.style.setProperty("caret-color", "transparent", "important");
    undo.push(() => el.style.setProperty("caret-color", value, priority));
  }
  const cancelled = new Set();
  const still = () => {
    for (const animation of document.getAnimations()) {
      if (!animation.effect || animation.playbackRate === 0 || cancelled.has(animation)) continue;
      if (Number.isFinite(animation.effect.getComputedTiming().endTime)) {
        try { animation.finish(); } catch (e) {}
      } else {
        try { animation.cancel(); cancelled.add(animation); } catch (e) {}
      }
    }
  };
  still();
  document.addEventListener("transitionrun", still);
  document.addEventListener("animationstart", still);
  undo.push(() => {
    document.removeEventListener("transitionrun", still);
    document.removeEventListener("animationstart", still);
    for (const animation of cancelled) { try { animation.play(); } catch (e) {} }
  });
  await document.fonts.ready;
  if (boxes.length) {
    const glass = document.createElement("x-crm-robot-mask");
    glass.setAttribute("popover", "manual");
    Object.assign(glass.style, {inset: "0", width: "100%", height: "100%", maxWidth: "none",
      maxHeight: "none", padding: "0", margin: "0", border: "none", overflow: "visible",
      pointerEvents: "none", display: "flex", backgroundColor: "transparent"});
    const shadow = glass.attachShadow({mode: "closed"});
    for (const box of boxes) {
      const mask = document.createElement("div");
      Object.assign(mask.style, {position: "absolute", display: "block", backgroundColor: color,
        left: (box.x - window.scrollX) + "px", top: (box.y - window.scrollY) + "px",
        width: box.width + "px", height: box.height + "px"});
      shadow.appendChild(mask);
    }
    document.documentElement.appendChild(glass);
    glass.showPopover();
    undo.push(() => glass.remove());
  }
  window.__crmRobotUndoShot = () => {
    undo.forEach(step => step());
    delete window.__crmRobotUndoShot;
  };
  const body = document.body, root = document.documentElement;
  return {
    width: Math.max(body.scrollWidth, root.scrollWidth, body.offsetWidth, root.offsetWidth,
                    body.clientWidth, root.clientWidth),
    height: Math.max(body.scrollHeight, root.scrollHeight, body.offsetHeight, root.offsetHeight,
                     body.clientHeight, root.clientHeight),
  };
}
"""
_UNDO = "() => window.__crmRobotUndoShot && window.__crmRobotUndoShot()"


class Shots(Protocol):
    def shoot(
        self, page: Page, masks: list[Locator], boxes: list[dict[str, Any]], timeout_ms: float
    ) -> bytes:
        """A full-page PNG of `page` with `masks` (found at `boxes`) painted over."""
        ...


class PlaywrightShots:
    """Playwright's full-page screenshot: any browser Playwright drives."""

    def __init__(self, mask_color: str) -> None:
        self.mask_color = mask_color

    def shoot(
        self, page: Page, masks: list[Locator], boxes: list[dict[str, Any]], timeout_ms: float
    ) -> bytes:
        return page.screenshot(
            full_page=True,
            animations="disabled",
            caret="hide",
            mask=masks,
            mask_color=self.mask_color,
            type="png",
            timeout=timeout_ms,
        )


class FastShots:
    """Chromium's `Page.captureScreenshot` with `optimizeForSpeed`, through a DevTools session
    opened once per page."""

    def __init__(self, mask_color: str) -> None:
        self.mask_color = mask_color
        self._page: Page | None = None
        self._cdp: CDPSession | None = None

    def shoot(
        self, page: Page, masks: list[Locator], boxes: list[dict[str, Any]], timeout_ms: float
    ) -> bytes:
        # The masks are painted from their boxes. A DevTools call takes no timeout: a browser
        # that stops answering is the session's to notice (a crash or a disconnect ends it).
        del masks, timeout_ms
        cdp = self.open(page)
        size = page.evaluate(_PREPARE, {"boxes": boxes, "color": self.mask_color})
        try:
            viewport = page.viewport_size or {"width": 0, "height": 0}
            fits = size["width"] <= viewport["width"] and size["height"] <= viewport["height"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            shot = cdp.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "clip": clip,
                    "captureBeyondViewport": not fits,
                    "optimizeForSpeed": True,
                },
            )
        finally:
            page.evaluate(_UNDO)
        return base64.b64decode(shot["data"])

    def open(self, page: Page) -> CDPSession:
        """The page's DevTools session (opened on first use, again for another page)."""
        if self._cdp is None or self._page is not page:
            self._page, self._cdp = page, page.context.new_cdp_session(page)
        return self._cdp


def shots_for(page: Page, mask_color: str) -> Shots:
    """The fast path where the browser offers a DevTools session (Chromium), else Playwright's."""
    if page.context.browser is None or page.context.browser.browser_type.name != "chromium":
        return PlaywrightShots(mask_color)
    fast = FastShots(mask_color)
    try:
        fast.open(page)
    except PlaywrightError:
        return PlaywrightShots(mask_color)
    return fast
