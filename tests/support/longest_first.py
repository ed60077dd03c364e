"""The slow end-to-end tests first.

xdist hands the tests out in the order of the collection, so the slow end-to-end tests start at
once and the short ones fill the workers in behind them. In the order of the files, a test of
several minutes (a whole conversion under faults) could start half-way through the suite and run
on alone at its end.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture parameters
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_weight)  # stable: a file's tests stay in their order


def _weight(item: pytest.Item) -> int:
    """0 for a slow end-to-end test, 1 for another end-to-end test, 2 for a unit test."""
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("e2e") else 2
