"""Injected faults: latency, HTTP 500 before or after a commit, dropped connections, session
expiry, one-shot targeted failures and UI variants. Reproducible: every counted request draws from
a RNG seeded with (seed, request number), never from wall time.

Spec: comma-separated parts, for example
`latency=50-400ms,error_rate=0.05,commit_then_error=0.02,drop_rate=0.01,expire_session_every=60,
seed=7,fail_once=POST:/billers/10482/advanced-settings/14/delete:after_commit,ui=sticky_toast`.
`slow=/billers/90002/:30s` adds latency to every request whose path starts with the prefix (one
biller's pages time out while the others answer); it may repeat.
Faults never apply to `/api/*` or `/static/*`.
"""

from __future__ import annotations

import random
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, render_template, request

FAIL_MODES = ("before_commit", "after_commit", "drop", "drop_before_commit")
UI_VARIANTS = ("duplicate_save_button", "missing_filter", "sticky_toast")
RATE_KEYS = ("error_rate", "commit_then_error", "drop_rate")
INT_MINIMUMS = {"expire_session_every": 1, "seed": 0}
KNOWN_FAULTS = ("latency", *RATE_KEYS, *INT_MINIMUMS, "fail_once", "slow", "ui")
DROP_ENVIRON_KEY = "crm_sim.drop_connection"
FAULT_HEADER = "X-Crm-Sim-Fault"


class FaultSpecError(ValueError):
    """A fault spec that cannot be understood; the message names the part and what is wanted."""


@dataclass(frozen=True)
class FailOnce:
    method: str
    path: str
    mode: str


@dataclass(frozen=True)
class SlowPath:
    prefix: str
    latency_ms: tuple[float, float]


@dataclass(frozen=True)
class FaultSpec:
    latency_ms: tuple[float, float] | None = None
    error_rate: float = 0.0
    commit_then_error: float = 0.0
    drop_rate: float = 0.0
    expire_session_every: int = 0
    seed: int = 0
    fail_once: tuple[FailOnce, ...] = ()
    slow: tuple[SlowPath, ...] = ()
    ui: frozenset[str] = field(default_factory=frozenset)
    text: str = ""


def _bad(part: str, why: str) -> FaultSpecError:
    return FaultSpecError(f'bad fault spec part "{part}": {why}')


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*(ms|s)\s*$")


def _parse_latency(part: str, value: str) -> tuple[float, float]:
    match = _DURATION.match(value)
    if not match:
        raise _bad(part, "latency wants a range with a unit, e.g. latency=50-400ms or 1s")
    scale = 1.0 if match.group(3) == "ms" else 1000.0
    low = float(match.group(1)) * scale
    high = float(match.group(2)) * scale if match.group(2) else low
    if high < low:
        raise _bad(part, "the latency range must go from low to high")
    return low, high


def _parse_rate(part: str, key: str, value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise _bad(part, f"{key} wants a number from 0 to 1, e.g. {key}=0.05") from None
    if not 0.0 <= rate <= 1.0:
        raise _bad(part, f"{key} wants a number from 0 to 1, e.g. {key}=0.05")
    return rate


def _parse_int(part: str, key: str, value: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise _bad(part, f"{key} wants a whole number, e.g. {key}=7") from None
    if number < minimum:
        raise _bad(part, f"{key} must be at least {minimum}")
    return number


def _parse_fail_once(part: str, value: str) -> FailOnce:
    pieces = value.split(":")
    if len(pieces) == 2:
        pieces.append("before_commit")
    if len(pieces) != 3 or not pieces[0] or not pieces[1].startswith("/"):
        raise _bad(
            part,
            "fail_once wants METHOD:/path[:mode], "
            "e.g. fail_once=POST:/billers/10482/advanced-settings/14/delete:drop",
        )
    method, path, mode = pieces[0].upper(), pieces[1], pieces[2]
    if mode not in FAIL_MODES:
        raise _bad(part, f"unknown fail_once mode {mode!r}; use one of {', '.join(FAIL_MODES)}")
    return FailOnce(method, path, mode)


def _parse_slow(part: str, value: str) -> SlowPath:
    prefix, sep, duration = value.rpartition(":")
    if not sep or not prefix.startswith("/"):
        raise _bad(part, "slow wants /path-prefix:latency, e.g. slow=/billers/90002/:30s")
    return SlowPath(prefix, _parse_latency(part, duration))


def parse_fault_spec(text: str) -> FaultSpec:
    """Parse a fault spec; an empty spec means no faults."""
    found = _Parts()
    for raw in text.split(","):
        part = raw.strip()
        if part:
            _parse_part(found, part)
    return FaultSpec(
        **found.values,
        fail_once=tuple(found.fail_once),
        slow=tuple(found.slow),
        ui=frozenset(found.ui),
        text=text.strip(),
    )


@dataclass
class _Parts:
    """What the parts of a spec said so far: single values by field, repeatable ones in order."""

    values: dict[str, Any] = field(default_factory=dict)
    fail_once: list[FailOnce] = field(default_factory=list)
    slow: list[SlowPath] = field(default_factory=list)
    ui: set[str] = field(default_factory=set)


def _parse_part(found: _Parts, part: str) -> None:
    key, sep, value = part.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not value:
        raise _bad(part, "each part is key=value, e.g. error_rate=0.05")
    if key == "latency":
        found.values["latency_ms"] = _parse_latency(part, value)
    elif key in RATE_KEYS:
        found.values[key] = _parse_rate(part, key, value)
    elif key in INT_MINIMUMS:
        found.values[key] = _parse_int(part, key, value, INT_MINIMUMS[key])
    elif key == "fail_once":
        found.fail_once.append(_parse_fail_once(part, value))
    elif key == "slow":
        found.slow.append(_parse_slow(part, value))
    elif key == "ui":
        found.ui.update(_parse_ui(part, value))
    else:
        raise _bad(part, f"unknown fault {key!r}; known faults: {', '.join(KNOWN_FAULTS)}")


def _parse_ui(part: str, value: str) -> set[str]:
    variants = value.split("+")
    for variant in variants:
        if variant not in UI_VARIANTS:
            raise _bad(part, f"unknown ui variant {variant!r}; use one of {', '.join(UI_VARIANTS)}")
    return set(variants)


@dataclass(frozen=True)
class Decision:
    """What happens to one request. `fail` is one of FAIL_MODES or None."""

    number: int
    latency_s: float = 0.0
    fail: str | None = None
    expire_session: bool = False


def is_exempt(path: str) -> bool:
    return path.startswith("/api/") or path.startswith("/static/") or path == "/favicon.ico"


class FaultInjector:
    """Decides the fault of each counted request, thread-safely, from the request counter."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self.replace(spec or FaultSpec())

    @property
    def spec(self) -> FaultSpec:
        return self._spec

    def replace(self, spec: FaultSpec) -> None:
        """Install a new spec; the request count starts again, so a seed replays exactly."""
        with self._lock:
            self._spec = spec
            self._counter = 0
            self._pending = list(spec.fail_once)

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            self._counter += 1
            number, spec = self._counter, self._spec
            targeted = next(
                (f for f in self._pending if f.method == method and f.path == path), None
            )
            if targeted is not None:
                self._pending.remove(targeted)
        rng = random.Random(f"{spec.seed}:{number}")
        # Always draw the same four numbers so one fault never shifts the others.
        latency_roll, error_roll, commit_roll, drop_roll = (rng.random() for _ in range(4))
        latency_s = 0.0
        if spec.latency_ms:
            low, high = spec.latency_ms
            latency_s = (low + (high - low) * latency_roll) / 1000.0
        for slow in spec.slow:
            if path.startswith(slow.prefix):
                low, high = slow.latency_ms
                latency_s += (low + (high - low) * latency_roll) / 1000.0
        every = spec.expire_session_every
        expire = bool(every) and number % every == 0
        fail = targeted.mode if targeted else None
        if fail is None and method == "POST":
            if error_roll < spec.error_rate:
                fail = "before_commit"
            elif commit_roll < spec.commit_then_error:
                fail = "after_commit"
            elif drop_roll < spec.drop_rate:
                fail = "drop"
        return Decision(number, latency_s, fail, expire)


class DropConnectionMiddleware:
    """Closes the client socket without an answer when a request was marked for dropping."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        result = self.app(environ, start_response)
        if not environ.get(DROP_ENVIRON_KEY):
            return result  # type: ignore[no-any-return]
        if hasattr(result, "close"):
            result.close()
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # werkzeug treats a ConnectionError as a dropped connection and writes nothing.
        raise ConnectionAbortedError("crm_sim fault: connection dropped")


def install_fault_hooks(app: Any) -> None:
    """Run the injector first on every request and last on every answer."""
    app.before_request(_inject_before)
    app.after_request(_inject_after)


def _error_page(kind: str) -> Any:
    response = current_app.make_response((render_template("error.html"), 500))
    response.headers[FAULT_HEADER] = kind
    return response


def _inject_before() -> Any:
    if is_exempt(request.path):
        return None
    injector: FaultInjector = current_app.extensions["crm_sim.faults"]
    decision = injector.decide(request.method, request.path)
    g.fault = decision
    if decision.latency_s:
        time.sleep(decision.latency_s)
    if decision.fail == "before_commit":
        return _error_page("error_before_commit")
    if decision.fail == "drop_before_commit":
        request.environ[DROP_ENVIRON_KEY] = True
        return _error_page("drop")
    return None


def _inject_after(response: Any) -> Any:
    decision: Decision | None = g.get("fault")
    if decision is None:
        return response
    if decision.fail == "after_commit":
        return _error_page("error_after_commit")
    if decision.fail == "drop":
        request.environ[DROP_ENVIRON_KEY] = True
    return response
