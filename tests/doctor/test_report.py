"""What the doctor makes of its findings: whether the profile needs work, and the draft a
person checks. An optional entry the CRM does not offer (the robot does without it, more
slowly) is proposed in the draft and never fails the doctor."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import pages.catalog  # noqa: F401  (registers every page object's entries)
from pages.entries import REGISTRY
from pages.overrides import SelectorOverrides
from robot.doctor.probe import Status
from robot.doctor.proposals import Proposal
from robot.doctor.report import summary, write_draft
from robot.doctor.run import DoctorResult
from robot.doctor.walker import Finding

PAGE_ROWS = "advanced_settings.page_rows"
EDIT = "profile.edit"


def finding(name: str, status: Status, *offers: str) -> Finding:
    proposals = [Proposal(offer, 1.0, "offered by the screen") for offer in offers]
    return Finding(REGISTRY.entry(name), status, value="20", proposals=proposals)


@pytest.mark.parametrize(
    ("status", "ok"),
    [("found", True), ("optional", True), ("not checked", True), ("missing", False)],
)
def test_only_what_needs_work_fails_the_doctor(status: Status, ok: bool, tmp_path: Path) -> None:
    result = DoctorResult([finding(PAGE_ROWS, status)], [], tmp_path, 0)
    assert result.ok is ok
    assert summary(result.findings)[status] == 1


def test_the_draft_proposes_what_the_crm_offers_for_an_optional_entry(tmp_path: Path) -> None:
    draft = tmp_path / "profile-draft.toml"
    findings = [finding(PAGE_ROWS, "optional", "25", "50"), finding(EDIT, "found")]
    assert write_draft(draft, findings, SelectorOverrides()) == 1
    assert tomllib.loads(draft.read_text())["advanced_settings"]["page_rows"] == "25"
    assert "# proposed: optional as '20', offered by the screen; also: 50" in draft.read_text()
