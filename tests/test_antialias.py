"""The anti-aliasing detector's shortcut for opaque pixels gives pixelmatch's brightness deltas
bit for bit: every pair of pixels, opaque, translucent or one of each."""

from __future__ import annotations

import numpy as np
import pytest

from robot.compare.antialias import _brightness_delta, _BrightnessDeltas


@pytest.mark.parametrize(
    ("alphas", "seed"),
    [((255,), 1), ((0, 255), 2), ((0, 1, 128, 254, 255), 3), (tuple(range(256)), 4)],
    ids=["opaque", "transparent-or-opaque", "some-translucent", "any-alpha"],
)
def test_the_shortcut_gives_the_general_formula_s_deltas(
    alphas: tuple[int, ...], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    flat = rng.integers(0, 256, size=(4096, 4), dtype=np.uint8)
    flat[:, 3] = rng.choice(np.array(alphas, dtype=np.uint8), size=len(flat))
    words = flat.view(np.uint32).reshape(-1)
    index = rng.integers(0, len(flat), size=2000)
    pos = rng.integers(0, len(flat), size=2000)

    fast = _BrightnessDeltas(flat, words, index).to(pos)
    general = _brightness_delta(flat[index].astype(np.int32), flat[pos].astype(np.int32))
    assert np.array_equal(fast, general)
