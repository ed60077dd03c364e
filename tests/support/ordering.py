"""The longest tests first, the unit tests last.

The workers then start on the slow tests together, and the quick ones fill the gaps at the end,
instead of one worker finishing a slow test alone while the others wait. After pytest's own
ordering (which groups tests by the fixtures they share), keeping each group's order.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_duration_rank)


def _duration_rank(item: pytest.Item) -> int:
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("e2e") else 2
