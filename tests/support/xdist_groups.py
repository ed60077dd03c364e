"""`--dist loadgroup` as pytest-xdist documents it, on pytest 9.

xdist sends the tests of one `xdist_group` to one worker by giving their node ids the suffix
`@<group>`. xdist 3.8 writes the new id to `Item._nodeid`, which pytest 9 no longer reads (an
item's id lives in `Item._id`), so every group was split across the workers without a word.
This hook writes the id where pytest reads it, after xdist had its turn.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId  # pytest 9's structured node id; xdist's suffix is in it

    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
