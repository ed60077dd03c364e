"""The browser floor of `bench/convert.py`: the conversion's writes made in a browser, with
nothing but what a browser must do for each one.

The same Chromium, flags and page settings as the robot (robot/browser/launch.py). For each
write: load the page that holds the form, set its fields and submit it from a script (one round
trip; no locators, no reading, no checks, no toast), then wait for the CRM's answer page to load.
A confirm() before a delete is accepted. This is the least any browser robot pays per write, so
that the robot's ratio to it is its own overhead, and this floor's ratio to the form posts is
the price of the browser itself. The forms both floors post, and the demo's facts they post
(its sign-in, the RTDR secrets, the invoicing flags), are defined here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from playwright.sync_api import Page, Request, sync_playwright
from pydantic import SecretStr

from robot.browser.launch import chromium_executable, context_options, launch_args
from robot.plan.model import ConversionPlan

# Sets the named fields of the form that posts to `action` and submits it as a click would
# (its submit event runs the page's own script: the confirm() of a delete, the spinner).
# `exact`: a checkbox not named is cleared (the form says the whole state, as the plain post
# does); otherwise it is left as the page shows it.
_SUBMIT = """([action, pairs, exact]) => {
  const form = [...document.forms].find((f) => new URL(f.action).pathname === action);
  if (!form) { throw new Error("no form posts to " + action); }
  for (const el of form.elements) {
    if (!el.name || el.type === "hidden" || el.type === "submit" || el.tagName === "BUTTON") {
      continue;
    }
    const wanted = pairs.filter(([name]) => name === el.name).map(([, value]) => value);
    if (el.type === "checkbox" || el.type === "radio") {
      const on = wanted.includes(el.value);
      if (on || exact) { el.checked = on; }
    } else if (wanted.length) {
      el.value = wanted[0];
    }
  }
  form.requestSubmit();
}"""


@dataclass(frozen=True)
class Write:
    page: str  # the page that holds the form
    action: str  # where the form posts
    form: list[tuple[str, str]]
    exact: bool = True


# --- the forms, as both floors post them ---------------------------------------------------

USERNAME = "pm.demo"
PASSWORD = "crm-demo-pass"  # the embedded CRM's demo password, public seed data
KEY_PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"  # .env.example's demo values
FLAG_COLUMNS = (
    "real_time_data_refresh",
    "suppress_stale_balances",
    "apply_global_bif_customizations",
)
ON = "on"


def window_form(plan: ConversionPlan, *, active: bool) -> list[tuple[str, str]]:
    window = plan.maintenance_window
    form = [
        ("description", window.description or ""),
        ("message", window.message or ""),
        ("start", window.start_input),
        ("end", window.end_input),
        ("all_pages", ON),
    ]
    return [*form, ("active", ON)] if active else form


def ftp_forms(plan: ConversionPlan) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The PDF and the Zip settings' forms."""
    common = [("ftp_username", plan.ftp_username), ("path", plan.ftp_path), ("backup", ON)]
    pdf = [*common, ("move_action", "Move to Filename Pending"), ("active", ON)]
    return pdf, [*common, ("delete_zip_files", ON), ("active", ON)]


def typed_settings(plan: ConversionPlan) -> dict[int, str]:
    """Advanced Settings 8-13 as typed, the secret ones (the RTDR key and password) in clear."""
    wanted = plan.settings_to_set(SecretStr(KEY_PASSWORD))
    return {n: v.get_secret_value() if isinstance(v, SecretStr) else v for n, v in wanted.items()}


# --- the browser floor ----------------------------------------------------------------------


def browser_floor(base_url: str, plan: ConversionPlan) -> int:
    """The conversion's writes made in a browser; returns the number of page loads the browser
    made (counted as `bench/convert.py` counts the robot's)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_executable(None, playwright)), args=launch_args()
        )
        try:
            page = browser.new_context(**context_options()).new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            loads: list[Request] = []
            page.on("request", lambda r: loads.append(r) if r.is_navigation_request() else None)
            for write in _writes(page, base_url, plan):
                page.goto(base_url + write.page)
                with page.expect_navigation():
                    page.evaluate(_SUBMIT, [write.action, write.form, write.exact])
            return len(loads)
        finally:
            browser.close()


def _writes(page: Page, base_url: str, plan: ConversionPlan) -> Iterator[Write]:
    """The writes in the procedure's order (one at a time: the window's edit page is known only
    once the window exists)."""
    b = f"/billers/{plan.biller.id}"
    yield Write("/login", "/login", [("username", USERNAME), ("password", PASSWORD)])
    new_window = f"{b}/portal/maintenance-windows/new"
    yield Write(new_window, new_window, window_form(plan, active=True))
    profile = f"{b}/profile/edit"
    yield Write(profile, profile, [("integration_partner", plan.target_partner)], exact=False)
    flags = f"{b}/invoicing/advanced"
    yield Write(flags, flags, [(name, ON) for name in FLAG_COLUMNS], exact=False)
    bif = f"{b}/integration-summary/bif"
    yield Write(bif, bif, [("invoice_format_guid", plan.invoice_format_guid)])
    pdf_form, zip_form = ftp_forms(plan)
    pdf, zip_ = f"{b}/ftp/pdf/new", f"{b}/ftp/zip/new"
    yield Write(pdf, pdf, pdf_form)
    yield Write(zip_, zip_, zip_form)
    terminals = [("option", t) for t in plan.datapump.payment_terminals]
    yield Write(f"{b}/datapump", f"{b}/datapump/payment", terminals)
    yield Write(f"{b}/datapump", f"{b}/datapump/non-payment", [])
    grid = f"{b}/advanced-settings"
    for number in plan.advanced_settings.remove_numbers():
        yield Write(f"{grid}?q={number}", f"{grid}/{number}/delete", [])
    for number, text in typed_settings(plan).items():
        yield Write(f"{grid}?q={number}", f"{grid}/{number}", [("value", text)])
    page.goto(base_url + f"{b}/portal/maintenance-windows")
    edit = page.eval_on_selector("a[href$='/edit']", "a => new URL(a.href).pathname")
    yield Write(edit, edit, window_form(plan, active=False))
