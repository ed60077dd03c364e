"""The legacy skin through Flask's test client: the same CRM as the default skin (routes, posted
field names, data, server behaviour), in markup and words an old WebForms admin CRM has."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_sim.app import create_app
from crm_sim.cli import build_parser
from crm_sim.config import SimConfig
from crm_sim.skins import TEMPLATES, say
from tests.support.crm_sim_forms import post_form, sign_in

BILLER = "/billers/10482"
SCREENS = [
    "/billers",
    "/billers?q=no-such-biller",
    *(
        f"{BILLER}{tail}"
        for tail in (
            "/profile",
            "/profile/edit",
            "/products",
            "/cards",
            "/obd",
            "/ivr-invoice-types",
            "/invoicing",
            "/invoicing/advanced",
            "/integration-summary",
            "/integration-summary/bif",
            "/ftp",
            "/ftp/pdf/new",
            "/ftp/zip/new",
            "/datapump",
            "/advanced-settings",
            "/advanced-settings?per_page=all",
            "/portal",
            "/portal/settings",
            "/portal/settings/customization",
            "/portal/settings/branding",
            "/portal/maintenance-windows",
            "/portal/maintenance-windows/new",
            "/search",
            "/search/files",
            "/search/files/payment-files",
            "/search/files/invoice-files",
            "/search/files/invoice-files/history",
            "/history",
        )
    ),
]
# What the default skin offers the robot and an old admin CRM does not have.
ABSENT = ("aria-label", "aria-labelledby", "aria-describedby", "<caption", "data-testid")


@pytest.fixture
def client_of(tmp_path: Path) -> Callable[[str], FlaskClient]:
    """A signed-in PM on a fresh crm_sim in the given skin."""

    def make(skin: str) -> FlaskClient:
        settings = {"db_path": tmp_path / f"{skin}.sqlite3", "reset": True, "save_delay_ms": 0}
        app: Flask = create_app({**settings, "skin": skin})
        app.config["TESTING"] = True
        client = app.test_client()
        assert sign_in(client).status_code == 303
        return client

    return make


@pytest.fixture
def legacy(client_of: Callable[[str], FlaskClient]) -> FlaskClient:
    return client_of("legacy")


class _Fields(HTMLParser):
    """What a page's forms post: (field name, value) for every field whose value the page
    decides (checkboxes, options, hidden fields other than the CSRF token), else (name, "")."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str]] = set()
        self._select: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = {k: v or "" for k, v in attrs}
        name = at.get("name", "")
        if tag in ("input", "textarea") and name and name != "csrf_token":
            fixed = at.get("type") in ("checkbox", "hidden")
            self.found.add((name, at.get("value", "") if fixed else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            self._option = at.get("value")
            if self._option is not None:
                self.found.add((self._select, self._option))

    def handle_data(self, data: str) -> None:
        # An option without a value attribute posts its text.
        if self._select and self._option is None and data.strip():
            self.found.add((self._select, data.strip()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "option":
            self._option = None


def posted_fields(page: str) -> set[tuple[str, str]]:
    parser = _Fields()
    parser.feed(page)
    return parser.found


@pytest.mark.parametrize("path", SCREENS)
def test_a_legacy_screen_has_no_accessible_names_test_ids_or_captions(
    legacy: FlaskClient, path: str
) -> None:
    page = legacy.get(path).text
    assert [word for word in ABSENT if word in page] == []
    assert "ctl00_" in page  # WebForms ids


@pytest.mark.parametrize("path", SCREENS)
def test_a_legacy_screen_posts_the_fields_the_default_one_posts(
    client_of: Callable[[str], FlaskClient], path: str
) -> None:
    default, legacy = client_of("default").get(path), client_of("legacy").get(path)
    assert legacy.status_code == default.status_code == 200
    assert same_form(posted_fields(legacy.text)) == same_form(posted_fields(default.text))


def same_form(fields: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The fields a form posts, whatever the skin's addresses: its forms that get their answer
    carry the biller (WebForms addresses name it in the query), and the screen to return to is
    the skin's own address."""
    return {(n, "" if n == "return_to" else v) for n, v in fields if n != "BillerID"}


def test_every_default_template_has_a_legacy_twin() -> None:
    default = {p.name for p in TEMPLATES.glob("*.html")}
    assert default - {p.name for p in (TEMPLATES / "legacy").glob("*.html")} == set()


def test_the_default_skin_uses_no_wording_filter() -> None:
    """Its pages stay exactly as docs/crm-screens.md says."""
    assert [p.name for p in TEMPLATES.glob("*.html") if "|word" in p.read_text()] == []


@pytest.mark.parametrize(
    ("skin", "deleted", "saved", "error"),
    [
        ("default", "Deleted.", "Saved.", "Path is required."),
        ("legacy", "Record deleted.", "Changes saved.", "Folder Path is required."),
    ],
)
def test_toasts_and_validation_errors_are_worded_by_the_skin(
    client_of: Callable[[str], FlaskClient], skin: str, deleted: str, saved: str, error: str
) -> None:
    client = client_of(skin)
    back = {"return_to": f"{BILLER}/advanced-settings"}
    page = post_form(client, f"{BILLER}/advanced-settings/14/delete", back, follow_redirects=True)
    assert f">{deleted}</div>" in page.text
    flags = {"real_time_data_refresh": "on"}
    page = post_form(client, f"{BILLER}/invoicing/advanced", flags, follow_redirects=True)
    assert f">{saved}</div>" in page.text
    refused = post_form(client, f"{BILLER}/ftp/pdf/new", {"ftp_username": "x", "path": ""})
    assert refused.status_code == 422
    assert f">{error}</" in refused.text


def test_the_legacy_skin_stores_what_the_default_one_stores(
    client_of: Callable[[str], FlaskClient],
) -> None:
    states = []
    for skin in ("default", "legacy"):
        client = client_of(skin)
        form = {"integration_partner": "IMT Spectrum", "primary_contact": "Ada Lovelace"}
        assert post_form(client, f"{BILLER}/profile/edit", form).status_code == 303
        pdf = {"ftp_username": "u", "path": "p\\\\q", "move_action": "Move to Filename Pending"}
        created = post_form(client, f"{BILLER}/ftp/pdf/new", {**pdf, "active": "on"})
        assert created.status_code == 303
        states.append(client.get("/api/state/10482").get_json())
    for state in states:
        state.pop("history")
    assert states[0] == states[1]


def test_the_legacy_summary_says_enabled_and_disabled(legacy: FlaskClient) -> None:
    page = legacy.get(f"{BILLER}/integration-summary").text
    terms = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", page))
    assert terms["Real-Time Data Refresh"] == "Disabled"
    assert terms["Integration Partner"] == "IMT MIPS APPS"
    assert terms["Payment Data Pump"] == "Lockbox"


@pytest.mark.parametrize(
    ("variant", "path", "shown"),
    [
        (
            "duplicate_save_button",
            "/profile/edit",
            lambda page: page.count('value="Save Changes"') == 2,
        ),
        ("missing_filter", "/advanced-settings", lambda page: "Search settings" not in page),
        ("sticky_toast", "/advanced-settings", lambda page: "status-message-sticky" in page),
    ],
)
def test_the_ui_faults_change_the_legacy_screens_too(
    legacy: FlaskClient, variant: str, path: str, shown: Callable[[str], bool]
) -> None:
    assert legacy.post("/api/faults", json={"spec": f"ui={variant}"}).status_code == 200
    if variant == "sticky_toast":
        post_form(legacy, f"{BILLER}/invoicing/advanced", {})  # a save, so that a toast shows
    assert shown(legacy.get(BILLER + path).text)


@pytest.mark.parametrize(
    ("text", "legacy"),
    [
        ("Saved.", "Changes saved."),
        ("On", "Enabled"),
        ("FTP Username is required.", "FTP User is required."),
        ("Name must be 100 characters or fewer.", "Setting Name must be 100 characters or fewer."),
        (
            "End (Central Time) must be after Start (Central Time) (2026-12-15 01:00).",
            "End Date/Time (CT) must be after Start Date/Time (CT) (2026-12-15 01:00).",
        ),
        (
            "A PDF setting for this path already exists.",
            "A PDF setting for this path already exists.",
        ),
    ],
)
def test_server_texts_are_said_in_the_legacy_words(text: str, legacy: str) -> None:
    assert say(text, "legacy") == legacy
    assert say(text, "default") == text


def test_crm_sim_serve_takes_a_skin() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).skin == "default"
    assert parser.parse_args(["serve", "--skin", "legacy"]).skin == "legacy"
    with pytest.raises(SystemExit) as refused:
        parser.parse_args(["serve", "--skin", "modern"])
    assert refused.value.code == 2
    with pytest.raises(ValueError, match="skin must be one of default, legacy, not 'modern'"):
        SimConfig(skin="modern")  # type: ignore[arg-type]


def test_a_legacy_screen_lives_at_a_webforms_address_and_links_only_to_such(
    legacy: FlaskClient,
) -> None:
    page = legacy.get("/Biller/advanced-settings.aspx?BillerID=10482&per_page=all")
    assert page.status_code == 200
    same = legacy.get("/billers/10482/advanced-settings?per_page=all").text
    assert page.text.count("<tr") == same.count("<tr") > 100  # every setting, as there
    links = re.findall(r'(?:href|action)="(/[^"]*)"', page.text)
    assert "/Biller/ftp.aspx?BillerID=10482" in links
    assert [link for link in links if link.startswith(("/billers", "/login"))] == []
    # A redirect goes to a WebForms address too: here, the sign-in for a browser without one.
    away = legacy.__class__(legacy.application).get("/Biller/ftp.aspx?BillerID=10482")
    assert away.headers["Location"].startswith("/Account/Login.aspx?")
