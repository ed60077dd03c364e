"""Screens through Flask's test client: grid paging, saves, audit history, state API, refresh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.crm_sim_forms import post_form, sign_in

SAMPLE = "10482"
SPECTRUM_URL = "https://www.pdspectrum.com/wsSpectrumAPICore"
SAMPLE_SECRET = "PPM-DEMO-PRIVATE-KEY-7f3a|ppm-demo-rtdr-pass"
MIPS_ONLY = [str(n) for n in [*range(14, 23), 88, 105]]
GRID = "/billers/10482/advanced-settings"


def setting_numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-setting="(\d+)">', page)]


def toast(page: str) -> str | None:
    match = re.search(r'data-testid="toast"[^>]*>([^<]*)<', page)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("query", "count", "page_text"),
    [
        ("", 25, "Page 1 of 5"),
        ("?page=5", 23, "Page 5 of 5"),
        ("?page=9", 23, "Page 5 of 5"),
        ("?per_page=50&page=2", 50, "Page 2 of 3"),
        ("?per_page=all", 123, "Page 1 of 1"),
        ("?per_page=all&q=mips", 17, "Page 1 of 1"),
        ("?q=RTDR%20Username", 1, "Page 1 of 1"),
        ("?q=nothing-like-this", 0, "Page 1 of 1"),
    ],
)
def test_advanced_settings_grid_pages_and_filters(
    client: FlaskClient, query: str, count: int, page_text: str
) -> None:
    page = client.get(GRID + query).text
    assert len(setting_numbers(page)) == count
    assert page_text in page


def test_grid_numbers_are_sorted_and_not_contiguous(client: FlaskClient) -> None:
    numbers = setting_numbers(client.get(GRID + "?per_page=all").text)
    assert numbers == sorted(numbers)
    assert numbers[-1] > len(numbers)
    assert {8, 9, 10, 11, 12, 13, 14, 22, 88, 105} <= set(numbers)


def test_secret_settings_are_marked_in_the_grid(client: FlaskClient) -> None:
    page = client.get(GRID).text
    secret_rows = re.findall(
        r'<tr data-setting="(\d+)">\s*<td>\d+</td>\s*<td>[^<]*</td>\s*'
        r'<td class="value" data-secret="true">',
        page,
    )
    assert secret_rows == ["10", "13", "16", "20"]  # the key|password rows and the passwords


def test_delete_keeps_the_page_and_says_deleted(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    here = GRID + "?page=2&per_page=25"
    response = post_form(client, GRID + "/88/delete", {"return_to": here})
    assert (response.status_code, response.headers["Location"]) == (303, here)
    assert toast(client.get(here).text) == "Deleted."
    assert toast(client.get(here).text) is None  # shown once
    assert "88" not in state(SAMPLE)["advanced_settings"]


def test_editing_a_setting_is_recorded_in_history(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    post_form(client, GRID + "/8", {"value": SPECTRUM_URL})
    assert toast(client.get(GRID).text) == "Saved."
    found = state(SAMPLE)
    assert found["advanced_settings"]["8"] == {"name": "RTDR Endpoint", "value": SPECTRUM_URL}
    entry = found["history"][-1]
    assert (entry["user"], entry["screen"], entry["field"], entry["new"]) == (
        "pm.demo",
        "Advanced Settings",
        "Setting 8 (RTDR Endpoint)",
        SPECTRUM_URL,
    )
    assert entry["old"].startswith("https://mips.")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (GRID + "/10", {"value": SAMPLE_SECRET}),
        (GRID + "/13", {"value": SAMPLE_SECRET}),
        (GRID + "/16/delete", {}),
        (GRID + "/new", {"number": "301", "name": "Partner API Password", "value": "hunter2"}),
    ],
)
def test_secrets_show_as_changed_in_history(
    client: FlaskClient,
    state: Callable[[str], dict[str, Any]],
    path: str,
    data: dict[str, str],
) -> None:
    post_form(client, path, data)
    entry = state(SAMPLE)["history"][-1]
    assert (entry["old"], entry["new"]) == ("changed", "changed")
    page = client.get("/billers/10482/history").text
    assert "PPM-DEMO" not in page and "hunter2" not in page and "mips-prairie" not in page


def test_history_screen_lists_changes_newest_first(client: FlaskClient) -> None:
    post_form(
        client,
        "/billers/10482/profile/edit",
        {"integration_partner": "IMT Spectrum", "primary_contact": "Dana Whitfield"},
    )
    post_form(client, "/billers/10482/datapump/non-payment", {})
    page = client.get("/billers/10482/history").text
    assert page.index("Non-payment DataPump Registrations") < page.index("Integration Partner ID")
    assert "<td>IMT MIPS APPS</td><td>IMT Spectrum</td>" in page


def test_datapump_saves_exactly_the_checked_terminals(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    client.post("/billers/10482/datapump/payment")  # no token: refused, see test_auth
    post_form(
        client, "/billers/10482/datapump/payment", {"option": ["Web", "IVR", "Walk-in Counter"]}
    )
    assert state(SAMPLE)["datapump"]["payment"] == {
        "Web": True,
        "IVR": True,
        "Walk-in Counter": True,
        "Lockbox": False,
    }


def test_invoicing_flags_follow_the_checkboxes(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    post_form(
        client,
        "/billers/10482/invoicing/advanced",
        {
            "real_time_data_refresh": "on",
            "suppress_stale_balances": "on",
            "apply_global_bif_customizations": "on",
            "show_invoice_detail": "on",
        },
    )
    assert state(SAMPLE)["invoicing"] == {
        "real_time_data_refresh": True,
        "suppress_stale_balances": True,
        "apply_global_bif_customizations": True,
        "show_invoice_detail": True,
        "allow_partial_payments": False,
    }
    summary = client.get("/billers/10482/integration-summary").text
    assert "<dt>Real Time Data Refresh</dt><dd>On</dd>" in summary


def test_ftp_setting_edit_keeps_backslashes(
    client: FlaskClient, state: Callable[[str], dict[str, Any]]
) -> None:
    path = "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs"
    post_form(
        client,
        "/billers/10482/ftp/zip/new",
        {
            "ftp_username": "prairiepinemutual",
            "path": path,
            "backup": "on",
            "delete_zip_files": "on",
            "active": "on",
        },
    )
    page = client.get("/billers/10482/ftp").text
    edit = re.search(rf'href="([^"]+)" aria-label="Edit Zip File setting {re.escape(path)}"', page)
    assert edit is not None
    post_form(
        client, edit.group(1), {"ftp_username": "prairiepinemutual", "path": path, "backup": "on"}
    )
    assert state(SAMPLE)["zip_settings"] == [
        {
            "ftp_username": "prairiepinemutual",
            "path": path,
            "backup": True,
            "delete_zip_files": False,
            "active": False,
        }
    ]


def test_maintenance_window_is_listed_in_central_time(client: FlaskClient) -> None:
    post_form(
        client,
        "/billers/10482/portal/maintenance-windows/new",
        {
            "description": "IMT Spectrum Conversion (2026-12-15)",
            "message": "Soon.",
            "start": "2026-12-15T01:00",
            "end": "2026-12-15T05:00",
            "active": "on",
            "all_pages": "on",
        },
    )
    page = client.get("/billers/10482/portal/maintenance-windows").text
    assert "<td>2026-12-15 01:00</td><td>2026-12-15 05:00</td><td>Yes</td><td>Yes</td>" in page
    assert 'aria-label="Edit maintenance window IMT Spectrum Conversion (2026-12-15)"' in page


def test_biller_search_finds_by_name_id_or_guid(client: FlaskClient) -> None:
    by_name = client.get("/billers?q=prairie pine").text
    assert ">Prairie Pine Mutual</a>" in by_name and ">Prairie Pine Mutual Water</a>" in by_name
    assert ">Cedar Hollow Utilities<" not in by_name
    assert ">Cedar Hollow Utilities</a>" in client.get("/billers?q=20731").text
    assert ">Lakeshore Gas &amp; Electric</a>" in client.get("/billers?q=5d1a7f3c").text
    assert 'No billers match "nobody".' in client.get("/billers?q=nobody").text


def test_unknown_biller_is_not_found(client: FlaskClient) -> None:
    assert client.get("/billers/99999/profile").status_code == 404


# --- state API --------------------------------------------------------------------------------


def test_state_reports_the_sample_biller_before_conversion(app: Flask) -> None:
    found = app.test_client().get("/api/state/10482").get_json()
    assert found["biller"] == {
        "id": "10482",
        "guid": "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90",
        "name": "Prairie Pine Mutual",
        "ftp_name": "prairiepinemutualftp",
        "environment": "UAT",
    }
    assert found["integration_partner"] == "IMT MIPS APPS"
    assert set(MIPS_ONLY) <= set(found["advanced_settings"])
    assert found["invoice_format_guid"] == "0C1E6A52-3B7D-4F19-A8E2-5D4C3B2A1F06"
    assert not any(
        found["invoicing"][k]
        for k in (
            "real_time_data_refresh",
            "suppress_stale_balances",
            "apply_global_bif_customizations",
        )
    )
    assert (found["pdf_settings"], found["zip_settings"], found["maintenance_windows"]) == (
        [],
        [],
        [],
    )
    assert found["datapump"] == {
        "payment": {"Web": False, "IVR": False, "Walk-in Counter": False, "Lockbox": True},
        "non_payment": {
            "Registrations": True,
            "Paperless Enrollments": False,
            "AutoPay Enrollments": False,
            "Account Updates": False,
        },
    }
    assert found["history"] == []


def test_state_reports_the_converted_biller_as_converted(app: Flask) -> None:
    found = app.test_client().get("/api/state/20731").get_json()
    assert found["integration_partner"] == "IMT Spectrum"
    assert not set(MIPS_ONLY) & set(found["advanced_settings"])
    assert found["advanced_settings"]["8"]["value"] == SPECTRUM_URL
    assert (
        found["advanced_settings"]["10"]["value"]
        == found["advanced_settings"]["13"]["value"]
        == "CHU-DEMO-PRIVATE-KEY-2b91|chu-demo-rtdr-pass"
    )
    assert found["invoice_format_guid"] == "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"
    assert [w["active"] for w in found["maintenance_windows"]] == [False]
    assert found["pdf_settings"][0]["move_action"] == "Move to Filename Pending"


def test_state_of_unknown_biller_is_404_json(app: Flask) -> None:
    response = app.test_client().get("/api/state/12345")
    assert (response.status_code, response.get_json()) == (
        404,
        {"error": "no biller with ID 12345"},
    )


def test_state_api_refuses_other_hosts(app: Flask) -> None:
    response = app.test_client().get(
        "/api/state/10482", environ_overrides={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert response.status_code == 403


def test_extra_billers_look_like_the_sample(make_app: Callable[..., Flask]) -> None:
    client = make_app(extra_billers=12).test_client()
    found = client.get("/api/state/90012").get_json()
    assert found["biller"] == {
        "id": "90012",
        "guid": "F0000000-0000-4000-8000-000000090012",
        "name": "Sim Biller 012",
        "ftp_name": "simbiller012ftp",
        "environment": "UAT",
    }
    assert found["integration_partner"] == "IMT MIPS APPS"
    assert set(MIPS_ONLY) <= set(found["advanced_settings"])
    assert client.get("/api/state/90013").status_code == 404


def test_reset_reseeds_but_keeps_you_signed_in(client: FlaskClient) -> None:
    post_form(client, GRID + "/14/delete")
    assert client.post("/api/reset").get_json() == {"ok": True}
    assert "14" in client.get("/api/state/10482").get_json()["advanced_settings"]
    assert client.get("/billers").status_code == 200


# --- Data Refresh -----------------------------------------------------------------------------

HISTORY = "/billers/10482/search/files/invoice-files/history"
RIGHT = {8: SPECTRUM_URL, 9: "ppm_spectrum_api", 10: SAMPLE_SECRET}


def refresh(client: FlaskClient, *, rtdr: bool, settings: dict[int, str]) -> str:
    post_form(
        client,
        "/billers/10482/invoicing/advanced",
        {"real_time_data_refresh": "on"} if rtdr else {},
    )
    for number, value in settings.items():
        post_form(client, f"{GRID}/{number}", {"value": value})
    response = post_form(client, HISTORY + "/refresh")
    assert response.headers["Location"] == HISTORY
    return client.get(HISTORY).text


@pytest.mark.parametrize(
    ("rtdr", "settings"),
    [
        pytest.param(False, RIGHT, id="right-settings-but-rtdr-off"),
        pytest.param(True, {}, id="mips-era-settings"),
        pytest.param(True, {**RIGHT, 8: SPECTRUM_URL + "/"}, id="endpoint-trailing-slash"),
        pytest.param(True, {**RIGHT, 8: SPECTRUM_URL.replace("https", "http")}, id="http"),
        pytest.param(True, {**RIGHT, 9: "ppmw_spectrum_api"}, id="other-billers-username"),
        pytest.param(True, {**RIGHT, 10: "PPM-DEMO-PRIVATE-KEY-7f3a"}, id="key-no-password"),
        pytest.param(
            True,
            {**RIGHT, 10: "ppm-demo-rtdr-pass|PPM-DEMO-PRIVATE-KEY-7f3a"},
            id="key-and-password-swapped",
        ),
    ],
)
def test_data_refresh_returns_nothing_unless_everything_is_right(
    client: FlaskClient, rtdr: bool, settings: dict[int, str]
) -> None:
    page = refresh(client, rtdr=rtdr, settings=settings)
    assert 'role="alert">No data returned from Spectrum.' in page
    assert "Refreshed Invoices" not in page


def test_data_refresh_shows_invoices_with_the_right_settings(client: FlaskClient) -> None:
    page = refresh(client, rtdr=True, settings=RIGHT)
    rows = re.findall(r"<tr><td>(482-\d{6})</td><td>(INV-10482-\d+)</td>", page)
    assert f"Data Refresh returned {len(rows)} invoices." in page
    assert 3 <= len(rows) <= 6
    assert "<caption>Refreshed Invoices</caption>" in page
    assert client.get(HISTORY).text.count("Data Refresh returned") == 0  # shown once


def test_data_refresh_gives_the_same_invoices_every_time(client: FlaskClient) -> None:
    first = refresh(client, rtdr=True, settings=RIGHT)
    second = refresh(client, rtdr=True, settings={})
    table = re.compile(r"<caption>Refreshed Invoices</caption>.*?</table>", re.S)
    assert table.search(first).group(0) == table.search(second).group(0)  # type: ignore[union-attr]


# --- UI variants ------------------------------------------------------------------------------


def signed_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client)
    return client


def test_duplicate_save_button_variant_doubles_save_buttons(make_app: Callable[..., Flask]) -> None:
    client = signed_in(make_app(faults="ui=duplicate_save_button"))
    assert (
        client.get("/billers/10482/integration-summary/bif").text.count(
            '<button type="submit" class="primary'
        )
        == 2
    )
    assert client.get("/billers/10482/datapump").text.count(">Save Payment DataPump<") == 2


def test_missing_filter_variant_hides_the_filter(make_app: Callable[..., Flask]) -> None:
    page = signed_in(make_app(faults="ui=missing_filter")).get(GRID).text
    assert "Filter settings" not in page and "Rows per page" in page


def test_sticky_toast_variant_keeps_the_toast(make_app: Callable[..., Flask]) -> None:
    client = signed_in(make_app(faults="ui=sticky_toast"))
    post_form(client, "/billers/10482/datapump/non-payment", {})
    page = client.get("/billers/10482/datapump").text
    assert 'class="toast toast-sticky" role="status" data-testid="toast">Saved.' in page


def test_restart_keeps_data_and_adds_missing_extra_billers(
    make_app: Callable[..., Flask],
) -> None:
    first = make_app(extra_billers=1).test_client()
    sign_in(first)
    post_form(first, GRID + "/14/delete")
    again = make_app(reset=False, extra_billers=3).test_client()
    assert "14" not in again.get("/api/state/10482").get_json()["advanced_settings"]
    assert again.get("/api/state/90003").get_json()["biller"]["name"] == "Sim Biller 003"
    assert again.get("/api/state/90004").status_code == 404
