"""The path-scoped latency fault: one biller's pages slow, the rest of the CRM at full speed."""

from __future__ import annotations

import time

import pytest

from crm_sim.faults import FaultInjector, FaultSpecError, SlowPath, parse_fault_spec
from tests.support.crm_sim_http import call, sign_in
from tests.support.crm_sim_server import CrmSimServer

SLOW_S = 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slow=/billers/90002/:30s", (SlowPath("/billers/90002/", (30000.0, 30000.0)),)),
        ("slow=/billers/1:100-200ms", (SlowPath("/billers/1", (100.0, 200.0)),)),
        (
            "slow=/a:1s,slow=/b:2s",
            (SlowPath("/a", (1000.0, 1000.0)), SlowPath("/b", (2000.0, 2000.0))),
        ),
    ],
)
def test_slow_part_is_understood(text: str, expected: tuple[SlowPath, ...]) -> None:
    assert parse_fault_spec(text).slow == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slow=30s", 'part "slow=30s": slow wants /path-prefix:latency'),
        ("slow=billers:30s", 'part "slow=billers:30s": slow wants /path-prefix:latency'),
        ("slow=/billers:fast", 'part "slow=/billers:fast": latency wants a range with a unit'),
    ],
)
def test_bad_slow_part_names_what_is_wanted(text: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        parse_fault_spec(text)


@pytest.mark.parametrize(
    ("method", "path", "latency_s"),
    [
        ("GET", "/billers/90002/profile", 30.0),
        ("POST", "/billers/90002/profile/edit", 30.0),
        ("GET", "/billers/90001/profile", 0.0),
        ("GET", "/billers", 0.0),
        ("GET", "/login", 0.0),
    ],
)
def test_only_paths_under_the_prefix_are_slowed(method: str, path: str, latency_s: float) -> None:
    injector = FaultInjector(parse_fault_spec("slow=/billers/90002/:30s"))
    assert injector.decide(method, path).latency_s == latency_s


def test_slow_path_adds_to_the_general_latency() -> None:
    injector = FaultInjector(parse_fault_spec("latency=5ms,slow=/billers/90002/:1s"))
    assert injector.decide("GET", "/billers/90002/obd").latency_s == pytest.approx(1.005)


@pytest.mark.e2e
def test_a_slowed_biller_holds_its_answer_while_others_answer_at_once(
    crm_sim: CrmSimServer,
) -> None:
    cookie, _ = sign_in(crm_sim.url)

    def profile(biller: str) -> tuple[float, int, str]:
        started = time.monotonic()
        status, _, page = call(crm_sim.url, "GET", f"/billers/{biller}/profile", cookie=cookie)
        return time.monotonic() - started, status, page

    unfaulted, _, _ = profile("10482")  # the same request with no fault, as the measure
    crm_sim.set_faults(f"slow=/billers/10483/:{SLOW_S:g}s")
    fast, fast_status, fast_page = profile("10482")
    slow, slow_status, slow_page = profile("10483")
    assert (fast_status, slow_status) == (200, 200)
    assert "Prairie Pine Mutual (10482)" in fast_page
    assert "Prairie Pine Mutual Water (10483)" in slow_page
    assert slow >= SLOW_S
    # Not held: the fault added less than half its delay, however busy the machine is.
    assert fast - unfaulted < SLOW_S / 2
