"""Documents outside the CRM: the procedure's wording, the plan's values, secrets on request."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from robot.core.secrets import Secret
from robot.core.settings import load_settings
from robot.plan.credentials import RtdrCredentials
from robot.plan.documents import Document, default_docs_dir, render_documents, write_documents
from robot.plan.model import ConversionPlan, load_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans" / "prairie-pine-mutual.toml"
KEY, PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a", "ppm-demo-rtdr-pass"
NAMES = [
    "jira.txt",
    "integration-coding-form.md",
    "integration-coding-form.html",
    "customer-message.txt",
    "email-provider-go-live-readiness.txt",
    "email-provider-window-removed.txt",
    "salesforce-go-live-note.txt",
]


@pytest.fixture(scope="module")
def sample() -> ConversionPlan:
    return load_plan(SAMPLE)


@pytest.fixture(scope="module")
def documents(sample: ConversionPlan) -> dict[str, Document]:
    return {doc.name: doc for doc in render_documents(sample)}


@pytest.fixture(scope="module")
def with_secrets(sample: ConversionPlan) -> dict[str, Document]:
    credentials = RtdrCredentials("ppm_spectrum_api", Secret(f"{KEY}|{PASSWORD}"))
    return {doc.name: doc for doc in render_documents(sample, credentials)}


def test_all_seven_documents_are_rendered(documents: dict[str, Document]) -> None:
    assert list(documents) == NAMES


def test_jira_text_uses_the_procedures_wording_and_window(documents: dict[str, Document]) -> None:
    jira = documents["jira.txt"].text
    assert (
        "Biller is converting from IMT MIPS APPS to IMT Spectrum, including presentment linking "
        "and setup for RTDR and DataPump, as reflected on the Integration Coding Form. Go-live is "
        "scheduled for December 15, 2026."
    ) in jira
    assert "  Start: 2026-12-15 01:00 CST\n  End: 2026-12-15 05:00 CST\n" in jira
    assert "  Internal description: IMT Spectrum Conversion (2026-12-15)\n" in jira
    assert "Confluence Guide: [link: Confluence Guide]" in jira
    assert "PDF Remote Link Guide – Guru Card: [link: PDF Remote Link Guide – Guru Card]" in jira
    assert "Integration Coding Form: [link: Integration Coding Form]" in jira
    assert "JIRA submitted: 2026-11-10 (35 days before go-live)" in jira


def test_without_secrets_documents_name_the_env_keys(documents: dict[str, Document]) -> None:
    for doc in documents.values():
        assert KEY not in doc.text and PASSWORD not in doc.text
        assert doc.holds_secrets is False
    jira = documents["jira.txt"].text
    assert "  Private key: kept in .env as RTDR_PRIVATE_KEY\n" in jira
    assert "  Password: kept in .env as RTDR_PASSWORD\n" in jira
    form = documents["integration-coding-form.md"].text
    assert (
        "| 10 | RTDR Key or Password | `<RTDR_PRIVATE_KEY>\\|<RTDR_PASSWORD> (from .env)` |" in form
    )


def test_with_secrets_the_form_holds_key_and_password(with_secrets: dict[str, Document]) -> None:
    form = with_secrets["integration-coding-form.md"].text
    # The "|" is escaped so that the Markdown table keeps its columns.
    assert f"| 10 | RTDR Key or Password | `{KEY}\\|{PASSWORD}` | Update |" in form
    assert f"<code>{KEY}|{PASSWORD}</code>" in with_secrets["integration-coding-form.html"].text
    assert f"  Private key: {KEY}\n  Password: {PASSWORD}\n" in with_secrets["jira.txt"].text
    holding = [name for name, doc in with_secrets.items() if doc.holds_secrets]
    assert holding == NAMES[:3]
    for name in NAMES[3:]:
        assert KEY not in with_secrets[name].text and PASSWORD not in with_secrets[name].text


def test_coding_form_lists_every_configured_value(documents: dict[str, Document]) -> None:
    form = documents["integration-coding-form.md"].text
    for expected in [
        "| Biller GUID | `3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90` |",
        "| Integration Partner ID | IMT MIPS APPS → IMT Spectrum |",
        "| InvoiceFormatGUID | `A7DA43F3-9D20-45C9-8DC5-BE5AE931A8A3` |",
        "| PDF Setting | `prairiepinemutual` | `prairiepinemutualftp\\\\ToInvoiceCloud\\\\PDFs` | "
        "Backup; Move to Filename Pending; Active |",
        "| Payment | Web, IVR, Walk-in Counter |",
        "| Non-payment | none |",
        "| 8 | RTDR Endpoint | `https://www.pdspectrum.com/wsSpectrumAPICore` | Update |",
        "| 14-22, 88, 105 | old DataPump and PDF endpoints | | Remove |",
    ]:
        assert expected in form


def test_html_form_escapes_plan_text(sample: ConversionPlan) -> None:
    plan = sample.model_copy(deep=True)
    plan.maintenance_window.message = "Closed <b>tonight</b> & tomorrow"
    html = {d.name: d for d in render_documents(plan)}["integration-coding-form.html"].text
    assert "Closed &lt;b&gt;tonight&lt;/b&gt; &amp; tomorrow" in html
    assert "<b>tonight</b>" not in html
    assert html.startswith("<!doctype html>")


def test_customer_message_is_the_procedures_with_the_date(documents: dict[str, Document]) -> None:
    assert documents["customer-message.txt"].text == (
        "Biller payment portal will be unavailable on December 15, 2026 from 1:00 AM to 5:00 AM "
        "Central Time. Customers will be unable to process payments or access payment "
        "information. Site availability will resume immediately after the maintenance window. "
        "We appreciate your patience and understanding. Thank you.\n"
    )


def test_provider_emails_and_salesforce_note(documents: dict[str, Document]) -> None:
    readiness = documents["email-provider-go-live-readiness.txt"].text
    assert readiness.startswith(
        "To: [provider contact, IMT/Spectrum]\nSubject: Prairie Pine Mutual (10482): ready for "
        "IMT Spectrum go-live on 2026-12-15?\n"
    )
    assert "Please confirm that you are ready for go-live" in readiness
    removed = documents["email-provider-window-removed.txt"].text
    assert "Subject: Prairie Pine Mutual (10482): maintenance window removed" in removed
    assert (
        '"IMT Spectrum Conversion (2026-12-15)" (2026-12-15 01:00 CST to 2026-12-15 05:00 CST)'
        in removed
    )
    note = documents["salesforce-go-live-note.txt"].text
    assert note.startswith(
        "Go-live confirmation: Prairie Pine Mutual (Biller ID 10482, GUID "
        "3F2B8C1D-6E4A-4B7F-9C2D-8A1E5F6B7C90) converted from IMT MIPS APPS to IMT Spectrum; "
        "go-live 2026-12-15.\n"
    )


def test_files_holding_secrets_are_owner_only(
    tmp_path: Path, with_secrets: dict[str, Document]
) -> None:
    paths = write_documents(list(with_secrets.values()), tmp_path / "docs")
    modes = {path.name: os.stat(path).st_mode & 0o777 for path in paths}
    assert modes == {name: 0o600 if name in NAMES[:3] else 0o644 for name in NAMES}


def test_default_folder_is_under_the_output_root(sample: ConversionPlan, tmp_path: Path) -> None:
    settings = load_settings(None, {"CRM_ROBOT_OUTPUT_DIR": str(tmp_path / "out")})
    assert default_docs_dir(sample, settings) == tmp_path / "out" / "prairie-pine-mutual" / "docs"
