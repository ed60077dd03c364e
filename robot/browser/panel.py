"""The checkpoint panel of a headed run: the PM answers a checkpoint in the page they watch.

Before a step writes, the panel shows the step, what is asked and the changes the step is about
to make (secrets already masked by the caller), with Continue / Skip / Abort; the keys c, s and
a answer too. Three properties matter more than looks:

- It survives the CRM's full-page navigations: the open question lives in the tab's
  sessionStorage and an init script draws the panel on every load (like the step banner).
- It cannot be clicked through by the robot: it is drawn in a closed shadow root, which no
  locator of the robot's reaches; only a trusted event (a person's click or key) answers; and
  an answer counts only for the question open at that moment (the robot does nothing while a
  question is open, and nothing can answer a question already closed).
- It never talks to the CRM: the answer goes to the robot through a binding of the browser
  context, never through a form or a request; and it is closed before the step makes its first
  change, so no proof screenshot holds it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from scenarios.ports import Answer, Shown

PANEL_ID = "crm-robot-checkpoint"
STORAGE_KEY = "crm-robot-checkpoint"
BINDING = "__crmRobotCheckpointAnswer"
WAKE = "crm-robot: checkpoint answered"  # logged on the console once an answer is sent
# The panel's frame colour: no CRM screen of ours uses it, so a test can tell a proof screenshot
# holds no panel pixels.
ACCENT = (124, 58, 237)
# Each answer's button: label, key, colour. The tests find a button by its colour, as a person
# finds it by sight (the closed shadow root hides it from locators).
BUTTONS: dict[Answer, tuple[str, str, tuple[int, int, int]]] = {
    "continue": ("Continue", "c", (21, 128, 61)),
    "skip": ("Skip", "s", (75, 85, 99)),
    "abort": ("Abort", "a", (185, 28, 28)),
}
REQUIRED_CONTINUE = "Confirmed: continue"
_CLOSE_TRIES = 3

_DRAW = """
(() => {
  const KEY = '__KEY__', ID = '__ID__', BINDING = '__BINDING__', WAKE = '__WAKE__';
  const BUTTONS = __BUTTONS__;
  const ACCENT = 'rgb(__ACCENT__)';
  let open = null;  // {id, buttons} while a question is shown
  const rgb = c => 'rgb(' + c.join(',') + ')';
  const answer = (id, value) => {
    if (!open || open.id !== id || open.sent) return;
    open.sent = true;
    for (const b of open.buttons) b.disabled = true;
    if (window[BINDING]) window[BINDING](id, value);
    console.debug(WAKE);  // wakes the robot's wait at once (the binding's call is the answer)
  };
  const el = (tag, text, css) => {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (css) node.style.cssText = css;
    return node;
  };
  const build = (q) => {
    const host = el('div', '', 'position:fixed;right:16px;bottom:16px;z-index:2147483647;');
    host.id = ID;
    const root = host.attachShadow({mode: 'closed'});
    // A column whose list scrolls: the heading and the buttons stay in sight however many
    // changes a step makes.
    const box = el('section', '', [
      'width:460px', 'max-height:70vh', 'display:flex', 'flex-direction:column',
      'background:#fff', 'color:#111827',
      'border:4px solid ' + ACCENT, 'border-radius:10px', 'padding:14px 16px',
      'box-shadow:0 8px 28px rgba(0,0,0,.35)', 'font:14px/1.45 system-ui,sans-serif',
    ].join(';'));
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'crm-robot checkpoint');
    box.appendChild(el('div', 'crm-robot checkpoint', 'font-weight:700;color:' + ACCENT));
    box.appendChild(el('div', q.heading, 'font-weight:700;font-size:16px;margin:2px 0 6px'));
    box.appendChild(el('div', q.prompt, 'margin-bottom:6px'));
    if (q.changes.length) {
      const list = el('ul', '', [
        'margin:0 0 10px', 'padding-left:18px', 'font-size:13px', 'overflow:auto',
        'min-height:0', 'flex:1 1 auto',
      ].join(';'));
      for (const line of q.changes) list.appendChild(el('li', line, 'word-break:break-word'));
      box.appendChild(list);
    }
    const row = el('div', '', 'display:flex;gap:8px;justify-content:flex-end;flex:none');
    const buttons = [];
    for (const [value, label, key, colour] of BUTTONS) {
      const text = (value === 'continue' && q.continueLabel) ? q.continueLabel : label;
      const b = el('button', text + ' (' + key + ')', [
        'background:' + rgb(colour), 'color:#fff', 'border:0', 'border-radius:6px',
        'padding:8px 14px', 'font:600 14px system-ui,sans-serif', 'cursor:pointer',
      ].join(';'));
      b.type = 'button';
      b.addEventListener('click', ev => { if (ev.isTrusted) answer(q.id, value); });
      row.appendChild(b);
      buttons.push(b);
    }
    box.appendChild(row);
    root.appendChild(box);
    return {host, buttons};
  };
  const draw = () => {
    const old = document.getElementById(ID);
    if (old) old.remove();
    open = null;
    let q = null;
    try { q = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { q = null; }
    if (!q) return;
    const built = build(q);
    (document.body || document.documentElement).appendChild(built.host);
    open = {id: q.id, buttons: built.buttons, sent: false};
  };
  document.addEventListener('keydown', ev => {
    if (!open || !ev.isTrusted || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const hit = BUTTONS.find(([, , key]) => key === ev.key.toLowerCase());
    if (!hit) return;
    ev.preventDefault();
    ev.stopPropagation();
    answer(open.id, hit[0]);
  }, true);
  window.__crmRobotDrawCheckpoint = draw;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
"""

_SET = """
state => {
  if (state) sessionStorage.setItem('__KEY__', state); else sessionStorage.removeItem('__KEY__');
  if (window.__crmRobotDrawCheckpoint) window.__crmRobotDrawCheckpoint();
}
"""


def _script(template: str) -> str:
    buttons = [[value, label, key, list(colour)] for value, (label, key, colour) in BUTTONS.items()]
    return (
        template.replace("__KEY__", STORAGE_KEY)
        .replace("__ID__", PANEL_ID)
        .replace("__BINDING__", BINDING)
        .replace("__WAKE__", WAKE)
        .replace("__BUTTONS__", json.dumps(buttons))
        .replace("__ACCENT__", ",".join(str(c) for c in ACCENT))
    )


class PanelGone(Exception):
    """The page the panel was shown in closed (or the browser went) while it waited."""


@dataclass
class CheckpointPanel:
    """The panel in one page. `open()` a question, `answer()` until it gives one, `close()`."""

    page: Page
    _open_id: str | None = field(default=None, init=False)
    _answer: Answer | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        context: BrowserContext = self.page.context
        context.expose_binding(BINDING, self._on_answer)
        context.add_init_script(_script(_DRAW))
        self._evaluate(_script(_DRAW))

    def open(self, shown: Shown, *, required: bool) -> None:
        """Show the question; any answer given before is void."""
        self._open_id = secrets.token_hex(8)
        self._answer = None
        state = {
            "id": self._open_id,
            "heading": shown.heading,
            "prompt": shown.prompt,
            "changes": list(shown.changes),
            "continueLabel": REQUIRED_CONTINUE if required else "",
        }
        self._evaluate(_script(_SET), json.dumps(state))

    def answer(self, wait_ms: int) -> Answer | None:
        """The answer, once given; else None when none came within `wait_ms`.

        Waits for the panel's console signal that an answer was sent. The sync API delivers the
        binding's call only while this thread is inside a Playwright call, and the caller looks
        at the terminal between two waits: so the wait is bounded, in the caller's loop.
        """
        if self._answer is None:
            try:
                self.page.wait_for_event("console", lambda m: m.text == WAKE, timeout=wait_ms)
            except PlaywrightTimeoutError:
                pass  # nobody answered yet
            except PlaywrightError as error:
                raise PanelGone(str(error)) from None
        return self._answer

    def close(self) -> None:
        """No panel, on this page and on any page loaded after: the step's changes and its
        screenshots come next. A page caught navigating is waited for and cleared again."""
        self._open_id = None
        for _ in range(_CLOSE_TRIES):
            if self._evaluate(_script(_SET), ""):
                return
            try:
                self.page.wait_for_load_state("domcontentloaded")
            except PlaywrightError as error:
                raise PanelGone(str(error)) from None
        raise PanelGone("the page kept navigating while the checkpoint panel was being closed")

    def _on_answer(self, source: dict[str, object], question_id: object, value: object) -> None:
        # Only the open question's id counts, and only from our page's own main frame: a frame
        # of the CRM's, or a stale panel on a page loaded before, answers nothing.
        if question_id != self._open_id or source.get("frame") is not self.page.main_frame:
            return
        for answer in BUTTONS:
            if value == answer:
                self._answer = answer

    def _evaluate(self, script: str, arg: str | None = None) -> bool:
        try:
            self.page.evaluate(script, arg)
        except PlaywrightError:
            # A page navigating at this moment: the init script draws the panel (or none) from
            # sessionStorage once the next page has loaded. A closed page shows up in answer().
            return False
        return True
