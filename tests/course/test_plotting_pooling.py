"""Tests for cnn_core.course.pooling.plots (Agg backend, no display)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection

from cnn_core.course.common.glyph_plots import glyph_outline
from cnn_core.course.pooling.plots import number_size, plot_pooling
from cnn_core.course.pooling.windows import window_winners
from cnn_core.functional import avgpool2d_forward, maxpool2d_forward


@pytest.fixture
def axes():
    fig, axes = plt.subplots(1, 2)
    yield axes
    plt.close(fig)


def winner_dots(ax):
    """The dots marking winners: paths of the collection labelled "winners"."""
    found = [c for c in ax.collections if c.get_label() == "winners"]
    return found[0].get_paths() if found else []


def written_numbers(ax, shape, fmt="{:.1f}"):
    """The numbers written in the grid cells of ``ax``, row-major: the first glyph collection
    holds one outline per cell, centred in it; each is matched against the outlines of every
    candidate text in ``fmt`` ("0.0" ... "99.9"), so a wrong, missing or misplaced number
    shows up as a different text."""
    numbers = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    centres = [(c + 0.5, r + 0.45) for r, c in np.ndindex(shape)]
    assert np.allclose(numbers.get_offsets(), centres)
    size = number_size(shape)
    candidates = {fmt.format(v / 10): glyph_outline(fmt.format(v / 10), size)
                  for v in range(1000)}
    return [next((text for text, outline in candidates.items()
                  if outline.vertices.shape == path.vertices.shape
                  and np.allclose(outline.vertices, path.vertices)), None)
            for path in numbers.get_paths()]


def pooled(x, k, s, mode):
    pool = maxpool2d_forward if mode == "max" else avgpool2d_forward
    return pool(x[None, None], k, s)[0][0, 0]


@pytest.mark.parametrize("k, s", [(2, 2), (3, 2), (3, 1), (2, 3)])
def test_every_window_is_drawn_where_it_lies(axes, k, s):
    x = np.arange(64, dtype=float).reshape(8, 8)
    out = pooled(x, k, s, "max")
    windows = plot_pooling(axes, x, out, k, s, "max")
    assert len(windows) == out.size
    for (i, j), rect in zip(np.ndindex(out.shape), windows):
        assert int(rect.get_x()) == j * s and int(rect.get_y()) == i * s
        assert k - 0.6 < rect.get_width() < k           # inset a little, never beyond


def test_max_mode_marks_one_winner_per_window_and_writes_the_output(axes):
    x = np.random.default_rng(0).integers(0, 10, size=(7, 7)).astype(float)
    out = pooled(x, 3, 2, "max")
    plot_pooling(axes, x, out, 3, 2, "max", selected=(1, 2))
    dots = winner_dots(axes[0])
    assert len(dots) == out.size
    cells = {(int(y), int(x)) for x, y in (d.vertices.mean(axis=0) for d in dots)}
    assert cells == {tuple(rc) for rc in window_winners(x, 3, 2).reshape(-1, 2)}
    assert written_numbers(axes[1], out.shape) == [f"{v:.1f}" for v in out.ravel()]
    r, c = window_winners(x, 3, 2)[1, 2]
    assert f"input ({r}, {c})" in axes[1].get_xlabel()
    assert x[r, c] == out[1, 2]


def test_average_mode_has_no_winners_and_explains_the_mean(axes):
    x = np.arange(36, dtype=float).reshape(6, 6)
    out = pooled(x, 2, 2, "average")
    plot_pooling(axes, x, out, 2, 2, "average", selected=(0, 0))
    assert not winner_dots(axes[0])
    assert written_numbers(axes[1], out.shape) == [f"{v:.1f}" for v in out.ravel()]
    assert "average of the 4 values" in axes[1].get_xlabel()
    assert f"{out[0, 0]:.2f}" in axes[1].get_xlabel()


def test_unreached_cells_are_hatched_only_when_some_exist(axes):
    x = np.zeros((8, 8))
    plot_pooling(axes, x, pooled(x, 3, 2, "max"), 3, 2)       # reaches 7 of 8 rows
    hatched = [a for a in axes[0].get_children() if getattr(a, "get_hatch", lambda: None)()]
    assert len(hatched) == 2
    axes[0].clear()
    plot_pooling(axes, x, pooled(x, 2, 2, "max"), 2, 2)
    hatched = [a for a in axes[0].get_children() if getattr(a, "get_hatch", lambda: None)()]
    assert not hatched


def test_plot_pooling_rejects_inconsistent_input(axes):
    x = np.zeros((6, 6))
    out = pooled(x, 2, 2, "max")
    with pytest.raises(ValueError, match="mode"):
        plot_pooling(axes, x, out, 2, 2, "median")
    with pytest.raises(ValueError, match="out"):
        plot_pooling(axes, x, out, 3, 1)
    with pytest.raises(ValueError, match="selected"):
        plot_pooling(axes, x, out, 2, 2, selected=(3, 0))
