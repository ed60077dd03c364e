"""Deleting an FTP setting or a maintenance window, through Flask's test client: each row of the
default skin offers a Delete behind a confirm(), the POST is CSRF-checked and leaves a History
row; the legacy skin offers no Delete at all."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_sim.faults import parse_fault_spec
from tests.support.crm_sim_forms import post_form, sign_in

CONVERTED = "20731"  # seeded with one PDF setting, one Zip File setting and one window
PATH = "cedarhollowutilitiesftp\\\\ToInvoiceCloud\\\\PDFs"
WINDOW = "IMT Spectrum Conversion (2021-02-08)"


@dataclass(frozen=True)
class Row:
    """A row that can be deleted: where it is listed, its Delete's accessible name and
    question, the state key that holds it, and the History row its delete writes."""

    screen_path: str
    label: str
    question: str
    state_key: str
    history: tuple[str, str, str, str]  # screen, field, old, new
    unknown: str  # a delete path that names no such row


ROWS = {
    "pdf": Row(
        f"/billers/{CONVERTED}/ftp",
        f"Delete PDF setting {PATH}",
        f"Delete PDF setting {PATH}? This cannot be undone.",
        "pdf_settings",
        ("FTP Management", f"PDF setting {PATH}", PATH, "(deleted)"),
        f"/billers/{CONVERTED}/ftp/pdf/9999/delete",
    ),
    "zip": Row(
        f"/billers/{CONVERTED}/ftp",
        f"Delete Zip File setting {PATH}",
        f"Delete Zip File setting {PATH}? This cannot be undone.",
        "zip_settings",
        ("FTP Management", f"Zip File setting {PATH}", PATH, "(deleted)"),
        f"/billers/{CONVERTED}/ftp/zip/9999/delete",
    ),
    "window": Row(
        f"/billers/{CONVERTED}/portal/maintenance-windows",
        f"Delete maintenance window {WINDOW}",
        f"Delete maintenance window {WINDOW}? This cannot be undone.",
        "maintenance_windows",
        ("Maintenance Windows", f"Maintenance window {WINDOW}", WINDOW, "(deleted)"),
        f"/billers/{CONVERTED}/portal/maintenance-windows/9999/delete",
    ),
}


def toast(page: str) -> str | None:
    match = re.search(r'data-testid="toast"[^>]*>([^<]*)<', page)
    return match.group(1) if match else None


def delete_form(page: str, label: str) -> tuple[str, str]:
    """The action and the confirm() question of the form whose button is named `label`."""
    for form in re.findall(r"<form [^>]*>.*?</form>", page, flags=re.DOTALL):
        if f'aria-label="{html.escape(label)}"' in form:
            action = re.search(r'action="([^"]+)"', form)
            question = re.search(r'data-confirm="([^"]+)"', form)
            assert action is not None and question is not None, form
            assert 'name="csrf_token" value=""' not in form  # the token is in the form
            return action.group(1), html.unescape(question.group(1))
    raise AssertionError(f"no form with a button named {label}")


@pytest.mark.parametrize("kind", list(ROWS))
def test_a_delete_asks_removes_the_row_records_history_and_says_deleted(
    client: FlaskClient, state: Callable[[str], dict[str, Any]], kind: str
) -> None:
    row = ROWS[kind]
    action, question = delete_form(client.get(row.screen_path).text, row.label)
    assert question == row.question
    others = {k: state(CONVERTED)[r.state_key] for k, r in ROWS.items() if k != kind}

    response = post_form(client, action)

    assert (response.status_code, response.headers["Location"]) == (303, row.screen_path)
    page = client.get(row.screen_path).text
    assert toast(page) == "Deleted."
    assert f'aria-label="{html.escape(row.label)}"' not in page
    found = state(CONVERTED)
    assert found[row.state_key] == []
    assert {k: found[r.state_key] for k, r in ROWS.items() if k != kind} == others
    entry = found["history"][-1]
    assert (entry["user"], entry["screen"], entry["field"], entry["old"], entry["new"]) == (
        "pm.demo",
        *row.history,
    )
    assert post_form(client, action).status_code == 404  # gone


@pytest.mark.parametrize("kind", list(ROWS))
@pytest.mark.parametrize("token", ["", "not-the-token"], ids=["no-token", "wrong-token"])
def test_a_delete_without_the_csrf_token_is_refused(
    client: FlaskClient, state: Callable[[str], dict[str, Any]], kind: str, token: str
) -> None:
    row = ROWS[kind]
    action, _ = delete_form(client.get(row.screen_path).text, row.label)
    before = state(CONVERTED)
    data = {"csrf_token": token} if token else {}
    assert client.post(action, data=data).status_code == 400
    assert state(CONVERTED) == before


@pytest.mark.parametrize(
    "path",
    [
        *(row.unknown for row in ROWS.values()),
        f"/billers/{CONVERTED}/ftp/csv/1/delete",  # no such kind of setting
        "/billers/99999/ftp/pdf/1/delete",  # no such biller
        "/billers/99999/portal/maintenance-windows/1/delete",
    ],
)
def test_a_delete_of_what_does_not_exist_is_404(client: FlaskClient, path: str) -> None:
    assert post_form(client, path).status_code == 404


@pytest.mark.parametrize("kind", list(ROWS))
def test_a_row_is_deleted_only_through_its_own_biller(
    client: FlaskClient, state: Callable[[str], dict[str, Any]], kind: str
) -> None:
    row = ROWS[kind]
    action, _ = delete_form(client.get(row.screen_path).text, row.label)
    assert post_form(client, action.replace(CONVERTED, "10482")).status_code == 404
    assert len(state(CONVERTED)[row.state_key]) == 1


@pytest.mark.parametrize(("mode", "gone"), [("before_commit", False), ("after_commit", True)])
def test_a_delete_meets_injected_faults_like_any_save(
    app: Flask,
    client: FlaskClient,
    state: Callable[[str], dict[str, Any]],
    mode: str,
    gone: bool,
) -> None:
    row = ROWS["pdf"]
    action, _ = delete_form(client.get(row.screen_path).text, row.label)
    app.extensions["crm_sim.faults"].replace(parse_fault_spec(f"fail_once=POST:{action}:{mode}"))
    assert post_form(client, action).status_code == 500
    assert (state(CONVERTED)[row.state_key] == []) is gone


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (ROWS["pdf"].screen_path, f'<td class="mono">{PATH}</td>'),
        (ROWS["window"].screen_path, WINDOW),
    ],
    ids=["ftp", "windows"],
)
def test_the_legacy_skin_lists_the_rows_but_offers_no_delete(
    make_app: Callable[..., Flask], path: str, shown: str
) -> None:
    client = make_app(skin="legacy").test_client()
    assert sign_in(client).status_code == 303
    response = client.get(path)
    assert response.status_code == 200
    assert shown in response.text
    assert "/delete" not in response.text
    assert "data-confirm" not in response.text
