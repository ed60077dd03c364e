"""crm_sim in real Chromium: what the robot will meet, screen by screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from tests.support.crm_sim_server import CrmSimServer

pytestmark = pytest.mark.e2e

SAMPLE_HEADING = "Prairie Pine Mutual (10482)"
SPECTRUM_URL = "https://www.pdspectrum.com/wsSpectrumAPICore"
GRID = "/billers/10482/advanced-settings"


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Biller menu")


def tabs(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Tabs")


def open_sample(page: Page) -> None:
    page.get_by_role("searchbox", name="Search billers").fill("Prairie Pine")
    page.get_by_role("button", name="Search").click()
    billers = page.get_by_role("table", name="Billers")
    expect(billers.get_by_role("row")).to_have_count(3)  # header + the sample and its namesake
    billers.get_by_role("link", name="Prairie Pine Mutual", exact=True).click()
    expect(page.get_by_role("heading", name=SAMPLE_HEADING, level=1)).to_be_visible()


def watch_spinner(page: Page) -> None:
    """Playwright waits out a form's navigation before it looks again, so the spinner shown
    during the save is noted by the page itself (sessionStorage outlives the navigation)."""
    page.evaluate("""() => {
        const spinner = document.querySelector('[role=status][data-testid=spinner]');
        new MutationObserver(() => {
            if (!spinner.hidden && getComputedStyle(spinner).display !== 'none') {
                sessionStorage.setItem('spinner-seen', spinner.getAttribute('aria-label'));
            }
        }).observe(spinner, {attributes: true});
    }""")


CURRENT_TAB = "nav[aria-label='Tabs'] a[aria-current='page']:text-is('{}')"
MENU_SCREENS = [
    ("Profile", "profile", "dl[aria-label='Profile']"),
    ("Products", "products", "table:has(caption:text-is('Products'))"),
    ("Credit/Debit Cards", "cards", "table:has(caption:text-is('Card Types'))"),
    ("OBD", "obd", "dl[aria-label='OBD']"),
    (
        "Cloud IVR Connect Invoice Types",
        "ivr-invoice-types",
        "table:has(caption:text-is('Invoice Types'))",
    ),
    ("Invoicing", "invoicing", CURRENT_TAB.format("General")),
    ("Integration Summary", "integration-summary", "dl[aria-label='Integration Summary']"),
    ("FTP Management", "ftp", "table:has(caption:text-is('Zip File Settings'))"),
    ("DataPump Management", "datapump", "fieldset:has(legend:text-is('Payment DataPump'))"),
    ("Advanced Settings", "advanced-settings", "table:has(caption:text-is('Advanced Settings'))"),
    ("Biller Portal", "portal", CURRENT_TAB.format("Overview")),
    ("Search", "search", CURRENT_TAB.format("Payments")),
    ("History", "history", "table:has(caption:text-is('Change History'))"),
]


def test_every_screen_is_reached_through_the_navigation(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    banner = page.get_by_role("banner")
    expect(banner.get_by_test_id("env-banner")).to_have_text("UAT")
    expect(banner.get_by_text("Signed in as pm.demo")).to_be_visible()
    expect(banner.locator("[data-volatile=true]", has_text="Server time: ")).to_have_text(
        re.compile(r"^Server time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d C[SD]T$")
    )
    open_sample(page)
    for link, slug, landmark in MENU_SCREENS:
        menu(page).get_by_role("link", name=link, exact=True).click()
        expect(page).to_have_url(f"{crm_sim.url}/billers/10482/{slug}")
        expect(page.locator(landmark)).to_be_visible()
        expect(page.get_by_role("heading", name=SAMPLE_HEADING, level=1)).to_be_visible()
        tip = page.get_by_role("complementary", name="Tip of the day")
        expect(tip).to_have_attribute("data-volatile", "true")


@pytest.mark.parametrize(
    ("start", "clicks", "arrival"),
    [
        ("Invoicing", [("Tabs", "Advanced Configuration")], "checkbox:Real Time Data Refresh"),
        ("Integration Summary", [("Tabs", "BIF Customizations")], "textbox:InvoiceFormatGUID"),
        (
            "Biller Portal",
            [("Tabs", "Settings"), ("", "Portal Customization"), ("", "Maintenance Windows")],
            "button:New Maintenance Window",
        ),
        (
            "Search",
            [("Tabs", "Files"), ("", "Invoice Files"), ("Tabs", "History")],
            "button:Data Refresh",
        ),
    ],
)
def test_nested_screens_are_reached_as_a_pm_does(
    signed_in_page: Page, start: str, clicks: list[tuple[str, str]], arrival: str
) -> None:
    page = signed_in_page
    open_sample(page)
    menu(page).get_by_role("link", name=start, exact=True).click()
    for region, link in clicks:
        scope = tabs(page) if region == "Tabs" else page.get_by_role("main")
        scope.get_by_role("link", name=link, exact=True).click()
        if region == "Tabs":
            expect(tabs(page).get_by_role("link", name=link, exact=True)).to_have_attribute(
                "aria-current", "page"
            )
    role, name = arrival.split(":")
    expect(page.get_by_role(role, name=name, exact=True)).to_be_visible()  # type: ignore[arg-type]


def test_setting_is_edited_in_its_dialog(signed_in_page: Page, crm_sim: CrmSimServer) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + GRID)
    page.get_by_role("button", name="Edit setting 8", exact=True).click()
    dialog = page.get_by_role("dialog", name="Edit setting 8")
    expect(dialog).to_contain_text("RTDR Endpoint")
    dialog.get_by_role("textbox", name="Value").fill(SPECTRUM_URL)
    watch_spinner(page)
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("toast")).to_have_text("Saved.")
    assert page.evaluate("sessionStorage.getItem('spinner-seen')") == "Saving…"
    expect(page.get_by_test_id("spinner")).to_be_hidden()
    expect(page.locator("tr[data-setting='8'] td").nth(2)).to_have_text(SPECTRUM_URL)
    assert crm_sim.state("10482")["advanced_settings"]["8"]["value"] == SPECTRUM_URL


def test_cancel_closes_the_dialog_and_changes_nothing(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + GRID)
    before = crm_sim.state("10482")
    page.get_by_role("button", name="Edit setting 9", exact=True).click()
    dialog = page.get_by_role("dialog", name="Edit setting 9")
    dialog.get_by_role("textbox", name="Value").fill("typed but not saved")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert crm_sim.state("10482") == before


@pytest.mark.parametrize("accept", [True, False], ids=["ok", "cancel"])
def test_delete_asks_for_confirmation(
    signed_in_page: Page, crm_sim: CrmSimServer, accept: bool
) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + GRID)
    questions: list[str] = []

    def answer(dialog: Dialog) -> None:
        questions.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    page.get_by_role("button", name="Delete setting 14", exact=True).click()
    row = page.locator("tr[data-setting='14']")
    if accept:
        expect(page.get_by_test_id("toast")).to_have_text("Deleted.")
        expect(row).to_have_count(0)
    else:
        expect(row).to_have_count(1)
        expect(page.get_by_test_id("spinner")).to_be_hidden()
    assert questions == ["Delete setting 14 (MIPS DataPump Endpoint)? This cannot be undone."]
    assert ("14" in crm_sim.state("10482")["advanced_settings"]) is not accept


def test_advanced_settings_page_through_filter_and_show_all(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + GRID)
    rows = page.locator("tr[data-setting]")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination).to_contain_text("Page 1 of 5")
    expect(rows).to_have_count(25)
    pagination.get_by_role("link", name="Next").click()
    expect(pagination).to_contain_text("Page 2 of 5")
    pagination.get_by_role("link", name="Page 5", exact=True).click()
    expect(rows).to_have_count(23)
    expect(pagination.get_by_role("link", name="Next")).to_have_count(0)
    page.get_by_label("Rows per page").select_option("All")
    expect(pagination).to_contain_text("Page 1 of 1")
    expect(rows).to_have_count(123)
    page.get_by_role("searchbox", name="Filter settings").fill("MIPS")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(17)
    expect(page).to_have_url(re.compile(r"\?(?=.*\bq=MIPS\b)(?=.*\bper_page=all\b)"))


def test_maintenance_window_is_created(signed_in_page: Page, crm_sim: CrmSimServer) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + "/billers/10482/portal/maintenance-windows")
    page.get_by_role("button", name="New Maintenance Window").click()
    page.get_by_label("Internal Description").fill("IMT Spectrum Conversion (2026-12-15)")
    page.get_by_label("Customer-Facing Message").fill("Biller payment portal will be unavailable.")
    page.get_by_label("Start (Central Time)").fill("2026-12-15T01:00")
    page.get_by_label("End (Central Time)").fill("2026-12-15T05:00")
    page.get_by_label("Active").check()
    page.get_by_label("Apply to all pages").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("toast")).to_have_text("Saved.")
    row = page.get_by_role("table", name="Maintenance Windows").get_by_role("row").nth(1)
    expect(row.get_by_role("cell")).to_have_text(
        [
            "IMT Spectrum Conversion (2026-12-15)",
            "2026-12-15 01:00",
            "2026-12-15 05:00",
            "Yes",
            "Yes",
            "Edit Delete",
        ]
    )
    [window] = crm_sim.state("10482")["maintenance_windows"]
    assert (window["start"], window["end"], window["active"], window["all_pages"]) == (
        "2026-12-15T01:00",
        "2026-12-15T05:00",
        True,
        True,
    )


def test_expired_session_returns_to_login_and_back(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    open_sample(page)
    crm_sim.set_faults("expire_session_every=1")
    menu(page).get_by_role("link", name="Products").click()
    expect(page.get_by_text("Your session has expired. Please sign in again.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fbillers%2F10482%2Fproducts&expired=1"))
    crm_sim.set_faults("")
    page.get_by_label("Username").fill("pm.demo")
    page.get_by_label("Password").fill("crm-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("table", name="Products")).to_be_visible()


@pytest.mark.parametrize(
    ("biller", "shows_data"),
    [("20731", True), ("10482", False)],
    ids=["converted-biller", "mips-settings"],
)
def test_data_refresh_shows_invoices_only_with_spectrum_settings(
    signed_in_page: Page, crm_sim: CrmSimServer, biller: str, shows_data: bool
) -> None:
    page = signed_in_page
    page.goto(f"{crm_sim.url}/billers/{biller}/search/files/invoice-files/history")
    page.get_by_role("button", name="Data Refresh").click()
    invoices = page.get_by_role("table", name="Refreshed Invoices")
    no_data = page.get_by_role("alert").filter(has_text="No data returned from Spectrum.")
    if shows_data:
        expect(
            page.get_by_text(re.compile(r"^Data Refresh returned [3-6] invoices\.$"))
        ).to_be_visible()
        expect(invoices.get_by_role("row").first).to_contain_text("Account")
        expect(no_data).to_have_count(0)
    else:
        expect(no_data).to_be_visible()
        expect(invoices).to_have_count(0)


def test_bad_guid_shows_the_servers_error_and_stores_nothing(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    page.goto(crm_sim.url + "/billers/10482/integration-summary/bif")
    before = crm_sim.state("10482")
    page.get_by_role("textbox", name="InvoiceFormatGUID").fill("A7DA43F3-9D20-45C9-8DC5")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save").click()
    assert answer.value.status == 422
    expect(page.get_by_test_id("form-error")).to_have_text("Please correct the errors below.")
    expect(page.get_by_test_id("field-error")).to_have_text(
        "InvoiceFormatGUID must be a GUID like A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3."
    )
    expect(page.get_by_role("textbox", name="InvoiceFormatGUID")).to_have_value(
        "A7DA43F3-9D20-45C9-8DC5"
    )
    assert crm_sim.state("10482") == before


def test_sticky_toast_covers_the_save_button_until_clicked(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    crm_sim.set_faults("ui=sticky_toast")
    page.goto(crm_sim.url + "/billers/10482/datapump")
    page.get_by_role("button", name="Save Non-payment DataPump").click()
    toast = page.get_by_test_id("toast")
    expect(toast).to_have_text("Saved.")
    save = page.get_by_role("button", name="Save Non-payment DataPump")
    page.wait_for_load_state()  # measure with the stylesheet applied
    box, under = toast.bounding_box(), save.bounding_box()
    assert box and under
    centre = (under["x"] + under["width"] / 2, under["y"] + under["height"] / 2)
    assert box["x"] <= centre[0] <= box["x"] + box["width"]
    assert box["y"] <= centre[1] <= box["y"] + box["height"], (box, under, page.viewport_size)
    toast.click()
    expect(toast).to_have_count(0)
    save.click()
    expect(page.get_by_test_id("toast")).to_have_text("Saved.")


def test_duplicate_save_button_variant_shows_two_save_buttons(
    signed_in_page: Page, crm_sim: CrmSimServer
) -> None:
    page = signed_in_page
    crm_sim.set_faults("ui=duplicate_save_button")
    page.goto(crm_sim.url + "/billers/10482/invoicing/advanced")
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(2)
