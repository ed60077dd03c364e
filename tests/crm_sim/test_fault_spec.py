"""The --faults spec: what it accepts, how it refuses, and that a seed replays exactly."""

from __future__ import annotations

import pytest

from crm_sim.faults import FailOnce, FaultInjector, FaultSpecError, parse_fault_spec


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("latency=50-400ms", "latency_ms", (50.0, 400.0)),
        ("latency=1s", "latency_ms", (1000.0, 1000.0)),
        ("latency=0.1-0.2s", "latency_ms", (100.0, 200.0)),
        ("error_rate=0.05", "error_rate", 0.05),
        ("commit_then_error=1", "commit_then_error", 1.0),
        ("drop_rate=0", "drop_rate", 0.0),
        ("expire_session_every=60", "expire_session_every", 60),
        ("seed=7", "seed", 7),
        (
            "fail_once=POST:/billers/10482/advanced-settings/14/delete:after_commit",
            "fail_once",
            (FailOnce("POST", "/billers/10482/advanced-settings/14/delete", "after_commit"),),
        ),
        ("fail_once=get:/billers", "fail_once", (FailOnce("GET", "/billers", "before_commit"),)),
        ("ui=sticky_toast+missing_filter", "ui", frozenset({"sticky_toast", "missing_filter"})),
        (
            "ui=duplicate_save_button,ui=sticky_toast",
            "ui",
            frozenset({"duplicate_save_button", "sticky_toast"}),
        ),
    ],
)
def test_spec_part_is_understood(text: str, field: str, expected: object) -> None:
    assert getattr(parse_fault_spec(text), field) == expected


def test_full_example_spec_is_understood() -> None:
    spec = parse_fault_spec(
        "latency=50-400ms,error_rate=0.05,commit_then_error=0.02,"
        "drop_rate=0.01,expire_session_every=60,seed=7"
    )
    assert (
        spec.latency_ms,
        spec.error_rate,
        spec.commit_then_error,
        spec.drop_rate,
        spec.expire_session_every,
        spec.seed,
    ) == ((50.0, 400.0), 0.05, 0.02, 0.01, 60, 7)


def test_empty_spec_means_no_faults() -> None:
    assert parse_fault_spec(" ") == parse_fault_spec("")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "error_rate=2",
            'bad fault spec part "error_rate=2": error_rate wants a number from 0 '
            "to 1, e.g. error_rate=0.05",
        ),
        ("drop_rate=often", 'part "drop_rate=often": drop_rate wants a number from 0 to 1'),
        ("latency=fast", 'part "latency=fast": latency wants a range with a unit'),
        ("latency=50-400", 'part "latency=50-400": latency wants a range with a unit'),
        ("latency=400-50ms", 'part "latency=400-50ms": the latency range must go from low to high'),
        ("seed=x", 'part "seed=x": seed wants a whole number'),
        (
            "expire_session_every=0",
            'part "expire_session_every=0": expire_session_every must be at least 1',
        ),
        ("fail_once=POST", 'part "fail_once=POST": fail_once wants METHOD:/path\\[:mode\\]'),
        ("fail_once=POST:/billers:later", "unknown fail_once mode 'later'"),
        ("ui=blink", "unknown ui variant 'blink'"),
        ("chaos=1", "unknown fault 'chaos'; known faults: latency, error_rate"),
        ("seed", 'part "seed": each part is key=value'),
        ("seed=7,error_rate=", 'part "error_rate=": each part is key=value'),
    ],
)
def test_bad_spec_names_the_part_and_what_is_wanted(text: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        parse_fault_spec(text)


def _decisions(spec: str, count: int = 200) -> list[tuple[str | None, bool, float]]:
    injector = FaultInjector(parse_fault_spec(spec))
    decisions = [injector.decide("POST", f"/billers/10482/x/{n % 3}") for n in range(count)]
    return [(d.fail, d.expire_session, round(d.latency_s, 6)) for d in decisions]


RANDOM_FAULTS = "latency=1-5ms,error_rate=0.1,commit_then_error=0.1,drop_rate=0.1"


def test_same_seed_gives_the_same_faults() -> None:
    assert _decisions(f"{RANDOM_FAULTS},seed=7") == _decisions(f"{RANDOM_FAULTS},seed=7")


def test_different_seed_gives_different_faults() -> None:
    assert _decisions(f"{RANDOM_FAULTS},seed=7") != _decisions(f"{RANDOM_FAULTS},seed=8")


def test_rates_give_roughly_their_share_of_faults() -> None:
    fails = [fail for fail, _, _ in _decisions(f"{RANDOM_FAULTS},seed=3", 2000)]
    assert 150 < fails.count("before_commit") < 250
    assert {"before_commit", "after_commit", "drop", None} == set(fails)


def test_installing_a_spec_replays_it_from_the_first_request() -> None:
    injector = FaultInjector(parse_fault_spec(f"{RANDOM_FAULTS},seed=5"))
    first = [injector.decide("POST", "/x").fail for _ in range(50)]
    injector.replace(parse_fault_spec(f"{RANDOM_FAULTS},seed=5"))
    assert [injector.decide("POST", "/x").fail for _ in range(50)] == first


def test_reads_never_get_write_faults() -> None:
    injector = FaultInjector(parse_fault_spec("error_rate=1,commit_then_error=1,drop_rate=1"))
    assert {injector.decide("GET", "/billers").fail for _ in range(20)} == {None}


def test_session_expires_every_nth_request() -> None:
    injector = FaultInjector(parse_fault_spec("expire_session_every=3"))
    assert [injector.decide("GET", "/billers").expire_session for _ in range(7)] == [
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]


def test_fail_once_fires_on_its_request_only_once() -> None:
    target = "/billers/10482/advanced-settings/14/delete"
    injector = FaultInjector(parse_fault_spec(f"fail_once=POST:{target}:drop"))
    assert injector.decide("POST", "/billers/10482/advanced-settings/15/delete").fail is None
    assert injector.decide("GET", target).fail is None
    assert injector.decide("POST", target).fail == "drop"
    assert injector.decide("POST", target).fail is None
