"""Server-side validation: HTTP 422, the error beside its field, a summary, nothing stored."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.crm_sim_forms import post_form

SAMPLE = "10482"
PDF_PATH = "prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs"
GOOD_WINDOW = {
    "description": "IMT Spectrum Conversion (2026-12-15)",
    "message": "Down a while.",
    "start": "2026-12-15T01:00",
    "end": "2026-12-15T05:00",
    "active": "on",
}
GOOD_PDF = {
    "ftp_username": "prairiepinemutual",
    "path": PDF_PATH,
    "backup": "on",
    "move_action": "Move to Filename Pending",
    "active": "on",
}


def field_errors(page: str) -> list[str]:
    found = re.findall(r'data-testid="field-error"[^>]*>([^<]*)<', page)
    return [html.unescape(text) for text in found]


CASES = [
    pytest.param(
        "/billers/10482/integration-summary/bif",
        {"invoice_format_guid": "not-a-guid"},
        "InvoiceFormatGUID must be a GUID like A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3.",
        id="guid-format",
    ),
    pytest.param(
        "/billers/10482/integration-summary/bif",
        {"invoice_format_guid": "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A"},
        "InvoiceFormatGUID must be a GUID like A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3.",
        id="guid-one-digit-short",
    ),
    pytest.param(
        "/billers/10482/integration-summary/bif",
        {"invoice_format_guid": " "},
        "InvoiceFormatGUID is required.",
        id="guid-required",
    ),
    pytest.param(
        "/billers/10482/profile/edit",
        {"integration_partner": "IMT Spectrum", "primary_contact": ""},
        "Primary Contact is required.",
        id="profile-contact-required",
    ),
    pytest.param(
        "/billers/10482/profile/edit",
        {"integration_partner": "IMT Spectrumm", "primary_contact": "Dana"},
        "Integration Partner ID must be one of the listed options.",
        id="profile-unknown-partner",
    ),
    pytest.param(
        "/billers/10482/portal/maintenance-windows/new",
        {**GOOD_WINDOW, "end": "2026-12-15T00:30"},
        "End (Central Time) must be after Start (Central Time) (2026-12-15 01:00).",
        id="window-end-before-start",
    ),
    pytest.param(
        "/billers/10482/portal/maintenance-windows/new",
        {**GOOD_WINDOW, "end": GOOD_WINDOW["start"]},
        "End (Central Time) must be after Start (Central Time) (2026-12-15 01:00).",
        id="window-end-equals-start",
    ),
    pytest.param(
        "/billers/10482/portal/maintenance-windows/new",
        {**GOOD_WINDOW, "description": ""},
        "Internal Description is required.",
        id="window-description-required",
    ),
    pytest.param(
        "/billers/10482/portal/maintenance-windows/new",
        {**GOOD_WINDOW, "start": "15/12/2026 1am"},
        "Start (Central Time) must be a date and time like 2026-12-15T01:00.",
        id="window-start-format",
    ),
    pytest.param(
        "/billers/10482/ftp/pdf/new",
        {**GOOD_PDF, "ftp_username": ""},
        "FTP Username is required.",
        id="pdf-username-required",
    ),
    pytest.param(
        "/billers/10482/ftp/zip/new",
        {"ftp_username": "x", "path": ""},
        "Path is required.",
        id="zip-path-required",
    ),
    pytest.param(
        "/billers/20731/ftp/pdf/new",
        {**GOOD_PDF, "path": "cedarhollowutilitiesftp\\\\ToInvoiceCloud\\\\PDFs"},
        "A PDF setting for this path already exists.",
        id="pdf-duplicate-path",
    ),
    pytest.param(
        "/billers/20731/ftp/zip/new",
        {"ftp_username": "x", "path": "CEDARHOLLOWUTILITIESFTP\\\\ToInvoiceCloud\\\\PDFs"},
        "A Zip File setting for this path already exists.",
        id="zip-duplicate-path",
    ),
    pytest.param(
        "/billers/10482/advanced-settings/8",
        {"value": "x" * 501},
        "Value must be 500 characters or fewer (it has 501).",
        id="setting-value-length",
    ),
    pytest.param(
        "/billers/10482/advanced-settings/new",
        {"number": "14", "name": "Again"},
        "Number 14 is already used by another setting.",
        id="new-setting-duplicate",
    ),
    pytest.param(
        "/billers/10482/advanced-settings/new",
        {"number": "", "name": "X"},
        "Number is required.",
        id="new-setting-number-required",
    ),
    pytest.param(
        "/billers/10482/advanced-settings/new",
        {"number": "12a", "name": "X"},
        "Number must be a whole number from 1 to 999.",
        id="new-setting-number-format",
    ),
    pytest.param(
        "/billers/10482/advanced-settings/new",
        {"number": "300", "name": ""},
        "Name is required.",
        id="new-setting-name-required",
    ),
]


@pytest.mark.parametrize(("path", "data", "message"), CASES)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(
    client: FlaskClient,
    state: Callable[[str], dict[str, Any]],
    path: str,
    data: dict[str, str],
    message: str,
) -> None:
    biller_id = path.split("/")[2]
    before = state(biller_id)
    response = post_form(client, path, data)
    assert response.status_code == 422
    assert message in field_errors(response.text)
    assert 'data-testid="form-error">Please correct the errors below.' in response.text
    assert state(biller_id) == before


def test_refused_form_keeps_what_was_typed(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/billers/10482/portal/maintenance-windows/new",
        {**GOOD_WINDOW, "description": "", "message": "Keep me"},
    )
    assert ">Keep me</textarea>" in response.text
    assert 'value="2026-12-15T05:00"' in response.text


def test_refused_setting_edit_reopens_its_dialog(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/billers/10482/advanced-settings/8",
        {"value": "y" * 600, "return_to": "/billers/10482/advanced-settings"},
    )
    assert re.search(r'<dialog id="edit-8"[^>]*data-open-on-load', response.text)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/billers/10482/integration-summary/bif",
            {"invoice_format_guid": "A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3"},
        ),
        ("/billers/10482/portal/maintenance-windows/new", GOOD_WINDOW),
        ("/billers/10482/ftp/pdf/new", GOOD_PDF),
        ("/billers/10482/advanced-settings/8", {"value": "x" * 500}),
        (
            "/billers/10482/profile/edit",
            {"integration_partner": "IMT Spectrum", "primary_contact": "Dana Whitfield"},
        ),
    ],
)
def test_good_input_is_saved(
    client: FlaskClient, state: Callable[[str], dict[str, Any]], path: str, data: dict[str, str]
) -> None:
    before = state(SAMPLE)
    response = post_form(client, path, data)
    assert response.status_code == 303
    assert state(SAMPLE) != before
