"""Only end-to-end tests start servers and browsers, so that `pytest -m "not e2e"` (`make
test-fast`) is exactly the tests that need neither: a test that starts one without the `e2e`
mark fails, saying so, instead of slowing the fast run down unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

_running: list[pytest.Item] = []


@contextmanager
def running(item: pytest.Item) -> Iterator[None]:
    """`item` is the test being run (its set-up, call and tear-down) inside this block."""
    _running.append(item)
    try:
        yield
    finally:
        _running.remove(item)


def check_may_start(what: str) -> None:
    """Raise unless the test being run (if any) is marked e2e; `what` names what it starts."""
    if _running and _running[-1].get_closest_marker("e2e") is None:
        raise AssertionError(
            f"{_running[-1].nodeid} starts {what} but is not marked e2e: mark it "
            "@pytest.mark.e2e, so that `make test-fast` leaves it out"
        )
