"""What the doctor writes: `doctor.json` (every entry: found, missing, ambiguous, not reached
or not checked, with the proposals), `profile-draft.toml` (the profile with the first proposal
for every entry that needs one, for a person to check and confirm) and `index.html` (offline:
a screenshot of each screen with what was found outlined, and the misses with their
candidates)."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path

from pages.overrides import SelectorOverrides
from robot.doctor.walker import Finding, Stop

NEEDS_WORK = ("missing", "ambiguous", "not reached")
# Entries a person may want to change, with proposals in the draft: what needs work, and what
# the robot does without (it works, more slowly).
PROPOSED = (*NEEDS_WORK, "optional")


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(f.status for f in findings)
    return {
        status: counts.get(status, 0)
        for status in ("found", "missing", "ambiguous", "not reached", "optional", "not checked")
    }


def write_json(
    path: Path, findings: list[Finding], stops: list[Stop], meta: dict[str, object]
) -> None:
    document = {
        **meta,
        "summary": summary(findings),
        "entries": [f.as_dict() for f in findings],
        "screens": [
            {"number": s.number, "title": s.title, "screenshot": s.screenshot, "problem": s.problem}
            for s in stops
        ],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def write_draft(path: Path, findings: list[Finding], profile: SelectorOverrides) -> int:
    """The profile as it is, plus a first proposal for each entry that needs one; returns how
    many entries the draft proposes."""
    by_screen: dict[str, list[str]] = {}
    proposed = 0
    for finding in findings:
        screen, _, short = finding.entry.name.partition(".")
        value = _kept(finding.entry.name, profile)
        note = ""
        if finding.status in PROPOSED and finding.proposals:
            best = finding.proposals[0]
            value, proposed = best.value, proposed + 1
            others = "; ".join(p.value for p in finding.proposals[1:])
            note = f"  # proposed: {finding.status} as {finding.value!r}, {best.why}"
            note += f"; also: {others}" if others else ""
        elif finding.status in NEEDS_WORK:
            note = f"  # {finding.status}: no candidate found; see index.html"
            by_screen.setdefault(screen, []).append(f"# {short} = ?{note}")
            continue
        if value is not None:
            by_screen.setdefault(screen, []).append(f"{short} = {_toml(value)}{note}")
    lines = [
        "# crm-robot adaptation profile: a draft by `crm-robot doctor`.",
        "# Check every proposed line against the CRM, then save it as your profile and run",
        "# `crm-robot doctor PLAN --selectors FILE` again until it reports nothing missing.",
    ]
    for screen in sorted(by_screen):
        lines += ["", f"[{screen}]", *by_screen[screen]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return proposed


def _kept(name: str, profile: SelectorOverrides) -> str | None:
    if name in profile.specs:
        return profile.specs[name].text
    return profile.texts.get(name)


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_html(path: Path, findings: list[Finding], stops: list[Stop], title: str) -> None:
    by_stop: dict[str, list[Finding]] = {}
    for finding in findings:
        by_stop.setdefault(finding.stop, []).append(finding)
    counts = summary(findings)
    parts = [
        "<!doctype html><meta charset=utf-8>",
        f"<title>{_e(title)}</title>",
        "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1f2937}"
        "img{max-width:100%;border:1px solid #d1d5db}"
        ".missing,.ambiguous,.not-reached{color:#b91c1c}.optional{color:#b45309}"
        ".found{color:#15803d}td,th{padding:2px 8px;text-align:left;vertical-align:top}"
        "code{background:#f3f4f6;padding:0 3px}</style>",
        f"<h1>{_e(title)}</h1>",
        "<p>" + ", ".join(f"{n} {s}" for s, n in counts.items()) + "</p>",
    ]
    for stop in stops:
        misses = [f for f in by_stop.get(stop.title, []) if f.status != "found"]
        parts.append(f"<section><h2>{stop.number}. {_e(stop.title)}</h2>")
        if stop.problem:
            parts.append(f"<p class=missing>Could not go on here: {_e(stop.problem)}</p>")
        if misses:
            parts.append(
                "<table><tr><th>entry</th><th>status</th><th>looked for</th>"
                "<th>candidates</th></tr>"
            )
            parts += [_row(f) for f in misses]
            parts.append("</table>")
        if stop.screenshot:
            parts.append(f'<p><img src="{_e(stop.screenshot)}" alt="{_e(stop.title)}"></p>')
        parts.append("</section>")
    unchecked = [f for f in findings if f.status == "not checked"]
    if unchecked:
        parts.append("<section><h2>Not checked</h2><table>")
        parts += [
            f"<tr><td><code>{_e(f.entry.name)}</code></td><td>{_e(f.note)}</td></tr>"
            for f in unchecked
        ]
        parts.append("</table></section>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _row(finding: Finding) -> str:
    candidates = (
        "<br>".join(
            f"<code>{_e(p.value)}</code> ({p.score:.2f}, {_e(p.why)})" for p in finding.proposals
        )
        or "none"
    )
    where = f"<br>{_e(finding.note)}" if finding.note else ""
    css = finding.status.replace(" ", "-")
    return (
        f"<tr><td><code>{_e(finding.entry.name)}</code></td>"
        f"<td class={css}>{_e(finding.status)} ({finding.matches})</td>"
        f"<td><code>{_e(finding.value)}</code>{where}</td><td>{candidates}</td></tr>"
    )


def _e(text: object) -> str:
    return html.escape(str(text))
