"""Documents outside the CRM: the procedure's wording, the plan's values, secrets on request."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from robot.core.secrets import Secret
from robot.core.settings import load_settings
from robot.plan.credentials import RtdrCredentials
from robot.plan.documents import Document, default_docs_dir, render_documents, write_documents
from robot.plan.links import Links
from robot.plan.model import ConversionPlan, load_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "plans" / "prairie-pine-mutual.toml"
KEY, PASSWORD = "PPM-DEMO-PRIVATE-KEY-7f3a", "ppm-demo-rtdr-pass"
NAMES = [
    "email-provider-initial-setup.txt",
    "jira.txt",
    "integration-coding-form.md",
    "integration-coding-form.html",
    "customer-message.txt",
    "email-provider-go-live-readiness.txt",
    "team-note-maintenance-window-active.txt",
    "email-provider-window-removed.txt",
    "salesforce-go-live-note.txt",
    "email-provider-rollback-done.txt",
]
# The JIRA text and the Coding Form: the only documents that may hold credentials.
HOLDING = NAMES[1:4]
CONFLUENCE = "https://invoicecloud.atlassian.net/wiki/x/FADghQ"
GURU = "https://app.getguru.com/card/iEMxq7pT/PDF-Remote-Link-Guide-IMT-Spectrum"
GIVEN_LINKS = {
    "confluence_guide": "https://invoicecloud.atlassian.net/wiki/spaces/IM/pages/99",
    "pdf_remote_link_guide": "https://app.getguru.com/card/abc123/PDF-Guide?tab=2&x=1",
    "prior_spectrum_jira": "https://invoicecloud.atlassian.net/browse/INT-4242",
    "box_upload": "https://app.box.com/f/0a1b2c3d4e5f",
}


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


def test_all_ten_documents_are_rendered_in_the_procedures_order(
    documents: dict[str, Document],
) -> None:
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
    assert f"  Confluence Guide: {CONFLUENCE}\n" in jira
    assert f"  PDF Remote Link Guide – Guru Card: {GURU}\n" in jira
    assert "  Prior Spectrum integrations: [link: prior Spectrum integration JIRA]\n" in jira
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
    assert holding == HOLDING
    for name in set(NAMES) - set(HOLDING):
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


def test_rollback_email_says_the_biller_is_back_on_imt_mips_apps(
    documents: dict[str, Document],
) -> None:
    email = documents["email-provider-rollback-done.txt"].text
    assert email.startswith(
        "To: [provider contact, IMT/Spectrum]\nSubject: Prairie Pine Mutual (10482): rolled back "
        "to IMT MIPS APPS, go-live postponed\n"
    )
    assert (
        "The IMT Spectrum go-live of Prairie Pine Mutual (Biller ID 10482), planned for December "
        "15, 2026, is postponed. We have rolled the biller back to IMT MIPS APPS"
    ) in email
    assert (
        "The RTDR and DataPump credentials are back on the IMT MIPS APPS endpoints: we no longer "
        "call https://www.pdspectrum.com/wsSpectrumAPICore for this biller."
    ) in email
    assert "a new go-live date and maintenance window" in email
    # Signed as the other provider e-mails are.
    assert email.endswith("Thank you,\n[Project Manager], InvoiceCloud\n")


def test_files_holding_secrets_are_owner_only(
    tmp_path: Path, with_secrets: dict[str, Document]
) -> None:
    paths = write_documents(list(with_secrets.values()), tmp_path / "docs")
    modes = {path.name: os.stat(path).st_mode & 0o777 for path in paths}
    assert modes == {name: 0o600 if name in HOLDING else 0o644 for name in NAMES}


def test_default_folder_is_under_the_output_root(sample: ConversionPlan, tmp_path: Path) -> None:
    settings = load_settings(None, {"CRM_ROBOT_OUTPUT_DIR": str(tmp_path / "out")})
    assert default_docs_dir(sample, settings) == tmp_path / "out" / "prairie-pine-mutual" / "docs"


# --- the initial e-mail, the team note and the plan's links ---------------------------------


def test_initial_email_sends_the_upload_link_and_asks_for_what_the_procedure_needs(
    documents: dict[str, Document],
) -> None:
    email = documents["email-provider-initial-setup.txt"].text
    assert email.startswith(
        "To: [provider contact, IMT/Spectrum]\nSubject: Prairie Pine Mutual (10482): IMT "
        "Spectrum conversion, secure upload link, tokens and go-live date\n"
    )
    assert "secure upload link:\n[link: Box secure upload link]\n" in email
    for asked in [
        "- the UAT and production tokens\n",
        "- the API credentials for IMT Spectrum (username, private key and password)\n",
        "- the go-live date: we propose December 15, 2026\n",
        "- the maintenance window: we propose 2026-12-15 01:00 CST to 2026-12-15 05:00 CST "
        "(Central Time).",
    ]:
        assert asked in email
    assert "through that link (not by e-mail)" in email


def test_team_note_says_the_window_is_active(documents: dict[str, Document]) -> None:
    note = documents["team-note-maintenance-window-active.txt"].text
    assert note.startswith(
        "To: [conversion team]\nSubject: Prairie Pine Mutual (10482): maintenance window active "
        "for the IMT Spectrum conversion\n"
    )
    assert (
        'The maintenance window "IMT Spectrum Conversion (2026-12-15)" for Prairie Pine Mutual '
        "(Biller ID 10482) is active, from 2026-12-15 01:00 CST to 2026-12-15 05:00 CST (Central "
        "Time), on all pages. Customers see:\n\nBiller payment portal will be unavailable on "
        "December 15, 2026"
    ) in note
    assert f"  Confluence Guide: {CONFLUENCE}\n" in note


def test_team_note_leaves_out_all_pages_when_the_window_is_not_on_every_page(
    sample: ConversionPlan,
) -> None:
    plan = sample.model_copy(deep=True)
    plan.maintenance_window.all_pages = False
    note = {d.name: d for d in render_documents(plan)}["team-note-maintenance-window-active.txt"]
    assert "(Central Time). Customers see:" in note.text


# Where each link appears: (document, the text before the link, the text after it).
LINK_PLACES = {
    "confluence_guide": [
        ("jira.txt", "  Confluence Guide: ", "\n"),
        ("integration-coding-form.md", "- Confluence Guide: ", "\n"),
        ("team-note-maintenance-window-active.txt", "  Confluence Guide: ", "\n"),
    ],
    "pdf_remote_link_guide": [
        ("jira.txt", "  PDF Remote Link Guide – Guru Card: ", "\n"),
        ("integration-coding-form.md", "- PDF Remote Link Guide – Guru Card: ", "\n"),
        ("team-note-maintenance-window-active.txt", "  PDF Remote Link Guide – Guru Card: ", "\n"),
    ],
    "prior_spectrum_jira": [("jira.txt", "  Prior Spectrum integrations: ", "\n")],
    "box_upload": [("email-provider-initial-setup.txt", "secure upload link:\n", "\n")],
}
DEFAULTS = {
    "confluence_guide": CONFLUENCE,
    "pdf_remote_link_guide": GURU,
    "prior_spectrum_jira": "[link: prior Spectrum integration JIRA]",
    "box_upload": "[link: Box secure upload link]",
}


@pytest.mark.parametrize("key", list(LINK_PLACES))
@pytest.mark.parametrize("given", [True, False], ids=["given", "default"])
def test_documents_use_the_plans_link_or_its_default(
    sample: ConversionPlan, key: str, given: bool
) -> None:
    plan = sample.model_copy(
        update={"links": Links.model_validate({key: GIVEN_LINKS[key]} if given else {})}
    )
    documents = {d.name: d.text for d in render_documents(plan)}
    shown = GIVEN_LINKS[key] if given else DEFAULTS[key]
    for name, before, after in LINK_PLACES[key]:
        assert f"{before}{shown}{after}" in documents[name], name
    if given:
        # A link given in the plan replaces the default everywhere, not in some documents only.
        assert not any(DEFAULTS[key] in text for text in documents.values())


def test_html_form_links_its_references_escaped(sample: ConversionPlan) -> None:
    plan = sample.model_copy(update={"links": Links.model_validate(GIVEN_LINKS)})
    html = {d.name: d for d in render_documents(plan)}["integration-coding-form.html"].text
    guru = GIVEN_LINKS["pdf_remote_link_guide"].replace("&", "&amp;")
    assert f'<li>PDF Remote Link Guide – Guru Card: <a href="{guru}">{guru}</a></li>' in html
    confluence = GIVEN_LINKS["confluence_guide"]
    assert f'<li>Confluence Guide: <a href="{confluence}">{confluence}</a></li>' in html


def test_with_the_plans_links_still_no_document_holds_a_secret_unless_asked(
    sample: ConversionPlan,
) -> None:
    plan = sample.model_copy(update={"links": Links.model_validate(GIVEN_LINKS)})
    for document in render_documents(plan):
        assert KEY not in document.text and PASSWORD not in document.text, document.name
    credentials = RtdrCredentials("ppm_spectrum_api", Secret(f"{KEY}|{PASSWORD}"))
    for document in render_documents(plan, credentials):
        if document.name not in HOLDING:
            assert KEY not in document.text and PASSWORD not in document.text, document.name
