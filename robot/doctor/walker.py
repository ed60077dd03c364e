"""The doctor's walker: checks entries on the screen shown, follows routes as a PM would, and
keeps what it found, one finding per entry. It reads and opens; it never saves anything."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace

from playwright.sync_api import Locator

from pages.biller import BillerPage
from pages.entries import REGISTRY, Entry
from pages.locators import LocatorSpec, Root, build, parse_spec
from pages.lookup import PageLookup
from pages.problems import PageProblems
from robot.browser.fingerprints import of_element as fingerprint_of
from robot.core.errors import RobotError, SelectorOverrideError
from robot.doctor.probe import Look, Status, count, look, status_of
from robot.doctor.proposals import Proposal, propose_address, propose_locator, propose_text


@dataclass
class Finding:
    entry: Entry
    status: Status
    matches: int = 0
    stop: str = ""
    value: str = ""  # what was looked for: the profile's value, else the default
    container: str | None = None  # the scoping entry that is missing, for a scoped locator
    proposals: list[Proposal] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.entry.name,
            "kind": self.entry.kind,
            "screen": self.entry.screen,
            "status": self.status,
            "matches": self.matches,
            "looked_for": self.value,
            "default": self.entry.default,
            "stop": self.stop,
            "missing_container": self.container,
            "note": self.note,
            "proposals": [p.as_dict() for p in self.proposals],
        }


@dataclass
class Stop:
    """One state of one screen the walk reached, with what it found there."""

    number: int
    title: str
    findings: list[Finding] = field(default_factory=list)
    screenshot: str | None = None
    problem: str | None = None  # why the walk could not reach the state
    located: dict[str, Locator] = field(default_factory=dict, repr=False)
    screens: set[str] = field(default_factory=set)  # the SCREENs whose entries it looked at
    shot: bool = False


class Walker:
    def __init__(
        self,
        fingerprints: Mapping[str, Mapping[str, str]],
        shoot: Callable[[Stop], None] = lambda _stop: None,
        *,
        sso_username: str | None = None,
    ) -> None:
        self.fingerprints = fingerprints
        self.shoot = shoot  # a picture of a stop's screen, found elements outlined
        # The username the robot types on a company sign-in (CRM_SIGN_IN=sso), which leads the
        # walk to the provider's password step; None where the robot types nothing there.
        self.sso_username = sso_username
        self.prints: dict[str, dict[str, str]] = {}  # what each entry found, this time
        self.stops: list[Stop] = []
        self.found: dict[str, Finding] = {}
        self._look: Look | None = None
        self.ended_early = False  # the walk could not go on (sign-in failed)

    @property
    def stop(self) -> Stop:
        return self.stops[-1]

    def begin(self, title: str, screen: str | None = None) -> Stop:
        """A new stop; `screen` (a SCREEN) is what it is about, even if it is never reached."""
        self.done()
        self.stops.append(Stop(len(self.stops) + 1, title))
        if screen is not None:
            self.stop.screens.add(screen)
        self._look = None
        return self.stop

    def done(self) -> None:
        """The stop's checks are over: its picture is taken before the walk leaves the state."""
        if self.stops and not self.stop.shot:
            self.stop.shot = True
            self.shoot(self.stop)

    def attempt(self, action: Callable[[], object]) -> bool:
        """Do one step of reaching a state; a failure ends this stop, not the walk."""
        try:
            action()
        except RobotError as exc:
            self.stop.problem = exc.message
            return False
        self._look = None  # the screen changed
        return True

    # --- checking entries --------------------------------------------------------------------

    def check(
        self,
        screen: PageLookup,
        name: str,
        *,
        fields: Mapping[str, object] | None = None,
        within: str | None = None,
        within_fields: Mapping[str, object] | None = None,
        besides: Collection[str] = (),
    ) -> Finding:
        """Look for one entry on the screen shown (inside the entry `within`, if given); a miss
        is never proposed as one of `besides` (what other entries already name)."""
        full = name if "." in name else f"{screen.SCREEN}.{name}"
        entry = REGISTRY.entry(full)
        self.stop.screens.add(screen.SCREEN)
        if entry.kind == "text":
            return self._go_on(screen, self._keep(self._check_text(screen, entry)))
        root: Root = screen.page
        if within is not None:
            container = _locate(screen, within, screen.page, within_fields or {})
            if count(container) != 1:
                finding = self._check_locator(screen, entry, fields or {}, screen.page, besides)
                finding.container = _full(screen, within)
                if finding.status != "found":
                    finding.note = f"the container {finding.container} is not on the screen"
                return self._go_on(screen, self._keep(finding))
            root = container
        return self._go_on(
            screen, self._keep(self._check_locator(screen, entry, fields or {}, root, besides))
        )

    def _go_on(self, screen: PageLookup, finding: Finding) -> Finding:
        """Walk on with the first proposal for an entry that missed, so that one miss (the
        sign-in button, a menu link) does not hide the screens behind it. In memory only, for
        this walk: the profile file is a person's to change."""
        if finding.status in ("missing", "ambiguous") and finding.proposals:
            profile = screen.session.selectors
            value = finding.proposals[0].value
            name = finding.entry.name
            if finding.entry.kind == "text":
                profile.texts[name] = value
            else:
                profile.specs[name] = parse_spec(value, name=name, origin="the doctor's proposal")
            finding.note = (finding.note + "; " if finding.note else "") + (
                "the walk went on with the first proposal"
            )
        return finding

    def shown(self, screen: PageLookup, name: str) -> bool:
        """Does the screen show the text entry `name` (without recording a finding)?"""
        text = screen.crm_text(name)
        shown = count(screen.page.get_by_text(text, exact=True))
        return text in self._looked(screen).texts or shown > 0

    def observe(
        self,
        screen: PageLookup,
        name: str,
        found: bool,
        proposals: list[str],
        *,
        missing: Status = "missing",
        note: str = "",
    ) -> Finding:
        """Record what a check of the walk's own found for a text entry (a pattern, a state, an
        option offered); not found, its status is `missing` ("optional" for an entry the robot
        does without) and `note` says more."""
        entry = REGISTRY.entry(f"{screen.SCREEN}.{name}")
        self.stop.screens.add(screen.SCREEN)
        finding = Finding(
            entry,
            "found" if found else missing,
            int(found),
            self.stop.title,
            screen.crm_text(entry.name),
            proposals=[Proposal(p, 1.0, "what the screen shows") for p in proposals],
            note="" if found else note,
        )
        return self._keep(finding)

    def check_address(self, screen: PageProblems, name: str, **fields: str) -> Finding:
        """Is the page at the screen's address `name` (an `Address` entry, its `fields` filled
        in)? Where it is not, the address it is at is proposed, with the fields put back."""
        found = screen.at(screen.crm_text(name, **fields))
        finding = self.observe(screen, name, found, [])
        if not found:
            finding.proposals = [propose_address(screen.shown_address(), fields)]
        return self._go_on(screen, finding)

    def skip(self, name: str, why: str) -> None:
        """An entry the walk cannot show without writing (a toast, an error, a confirm())."""
        entry = REGISTRY.entry(name)
        if name not in self.found:
            self.found[name] = Finding(entry, "not checked", note=why)

    def _check_locator(
        self,
        screen: PageLookup,
        entry: Entry,
        fields: Mapping[str, object],
        root: Root,
        besides: Collection[str] = (),
    ) -> Finding:
        spec = screen.session.selectors.spec(entry.name)
        locator = _locate(screen, entry.name, root, fields)
        matches = count(locator)
        finding = Finding(entry, status_of(matches), matches, self.stop.title, spec.text)
        if matches == 1:
            self.stop.located[entry.name] = locator
            found = fingerprint_of(locator)
            if found is not None:
                self.prints[entry.name] = found
            return finding
        if matches == 0:
            finding.container = self._missing_container(spec.fill(fields), root)
        proposals = propose_locator(
            entry,
            fields,
            self._looked(screen),
            lambda value: self._matches(entry, value, fields, root),
            self.fingerprints.get(entry.name),
        )
        finding.proposals = [p for p in proposals if p.value not in besides]
        if finding.proposals:
            best = finding.proposals[0]
            spec = parse_spec(best.value, name=entry.name).fill(fields)
            element = fingerprint_of(build(root, spec))
            finding.proposals[0] = replace(best, element=element)
        return finding

    def _check_text(self, screen: PageLookup, entry: Entry) -> Finding:
        text = screen.crm_text(entry.name)
        shown = self._looked(screen).texts
        matches = shown.count(text) or count(screen.page.get_by_text(text, exact=True))
        finding = Finding(entry, "found" if matches else "missing", matches, self.stop.title, text)
        if not matches:
            term = entry.name in screen.field_names()
            finding.proposals = propose_text(
                entry, self._looked(screen), text, term=term, columns=screen.column_names()
            )
        return finding

    def _matches(
        self,
        entry: Entry,
        value: str,
        fields: Mapping[str, object],
        root: Root,
    ) -> int:
        try:
            spec = parse_spec(value, name=entry.name).fill(fields)
        except (SelectorOverrideError, KeyError):
            return 0
        return count(build(root, spec))

    def _missing_container(self, spec: LocatorSpec, root: Root) -> str | None:
        """For a chained spec that matches nothing, the first steps that already match
        nothing: the container a person should look at."""
        for cut in range(1, len(spec.steps)):
            partial = LocatorSpec(spec.name, spec.steps[:cut], spec.origin)
            if count(build(root, partial)) == 0:
                return f"{spec.name} up to {partial.text}"
        return None

    def _looked(self, screen: PageLookup) -> Look:
        if self._look is None:
            self._look = look(screen.page)
        return self._look

    def _keep(self, finding: Finding) -> Finding:
        # An entry found anywhere is found, unless it was found only with the doctor's own
        # proposal (a miss it walked on with): the profile still lacks it.
        known = self.found.get(finding.entry.name)
        if known is None or (known.status != "found" and not _walked_on(known)):
            self.found[finding.entry.name] = finding
        self.stop.findings.append(finding)
        return finding

    # --- reaching screens --------------------------------------------------------------------

    def route(self, screen: BillerPage) -> bool:
        """Open a biller's screen through its route, checking each link on the way."""
        self.stop.screens.add(screen.SCREEN)
        if not self.attempt(screen.open_first_page):
            return False
        followed: list[str] = []  # a way never takes the same link twice
        for where, name in screen.ROUTE:
            within = None if where == "page" else _container_name(where)
            if within is not None and self.check(screen, within).status != "found":
                if not self.found[within].proposals:
                    self.stop.problem = f"could not find {within}"
                    return False
            container = screen.nav.container(where)
            finding = self.check(screen, name, within=within, besides=followed)
            if finding.status != "found" and not finding.proposals:
                self.stop.problem = f"could not follow {finding.entry.name} ({finding.status})"
                return False
            link = screen.loc(name, within=container)
            followed.append(screen.session.selectors.spec(finding.entry.name).text)

            def follow(link: Locator = link) -> None:
                screen.follow(f"open {screen.TITLE}", link)

            if not self.attempt(follow):
                return False
        self.check_address(screen, "address", id=screen.biller_id)
        return True


def _walked_on(finding: Finding) -> bool:
    """A miss the walk went on past with its first proposal."""
    return finding.status in ("missing", "ambiguous") and bool(finding.proposals)


def _locate(screen: PageLookup, name: str, root: Root, fields: Mapping[str, object]) -> Locator:
    """The entry's locator as the profile says, filled in, relative to `root`."""
    return build(root, screen.session.selectors.spec(_full(screen, name)).fill(fields))


def _container_name(where: str) -> str:
    return {"menu": "navigation.biller_menu", "tabs": "navigation.tabs"}[where]


def _full(screen: PageLookup, name: str) -> str:
    return name if "." in name else f"{screen.SCREEN}.{name}"
