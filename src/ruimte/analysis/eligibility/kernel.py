# SPDX-License-Identifier: Apache-2.0
"""The eligibility kernel: exclusion rules on a chunked grid, exact per cell centre.

:func:`eligible_window` decides one window of cells; :func:`eligibility_array`
lays the windows out as a Dask array (one task per chunk, each reading the
features within the largest buffer around it: the halo), and
:func:`compute_eligibility` runs the same windows in memory on local threads
(no task graph: Dask is imported only for a cluster) or, through that array,
on a ``dask.distributed`` cluster. Every path computes the same cells the same
way, so the answers are identical.

Cell codes: 1 eligible, 0 excluded, 255 outside the analysis area. With
``cover=True`` the same pass also counts each cell's eligible sub-points
(:func:`covered_window`, :mod:`.subcells`), from which the areas are summed.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from ruimte.analysis.eligibility.exact import centres_inside, features_within
from ruimte.analysis.eligibility.features import Features
from ruimte.analysis.eligibility.grid import Grid, Window
from ruimte.analysis.eligibility.subcells import FULL, full_or_none, popcount
from ruimte.analysis.overlay.arrays import ordered_map

if TYPE_CHECKING:  # pragma: no cover
    import dask.array as da
    from affine import Affine

logger = logging.getLogger(__name__)

__all__ = [
    "ELIGIBLE",
    "EXCLUDED",
    "OUTSIDE",
    "FeatureLayer",
    "ClassLayer",
    "EligibilityProblem",
    "eligible_window",
    "covered_window",
    "eligibility_array",
    "compute_eligibility",
]

ELIGIBLE, EXCLUDED, OUTSIDE = 1, 0, 255
_BUILD_LOCK = threading.Lock()  # one thread takes a layer apart, the others wait


@dataclass
class FeatureLayer:
    """Vector features with one buffer distance (an exclude or include rule).

    Attributes
    ----------
    geoms : numpy.ndarray of shapely geometries
    buffer_m : float
    label : str
        Shown in logs and summaries.
    """

    geoms: np.ndarray
    buffer_m: float = 0.0
    label: str = ""
    _tree: shapely.STRtree | None = field(default=None, repr=False, compare=False)
    _features: Features | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        geoms = np.asarray(self.geoms, dtype=object)
        keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        self.geoms = geoms[keep]

    def __getstate__(self) -> dict[str, Any]:
        # Rebuild the index where the layer lands (a worker) instead of pickling it.
        return {**self.__dict__, "_tree": None, "_features": None}

    def features_near(self, bounds: tuple[float, float, float, float]) -> Features:
        """Points, segments and polygons that come within ``buffer_m`` of the box ``bounds``."""
        if self._features is None:
            with _BUILD_LOCK:
                if self._features is None:
                    self._features = Features.of(self.geoms)
        xmin, ymin, xmax, ymax = bounds
        b = self.buffer_m
        return self._features.within((xmin - b, ymin - b, xmax + b, ymax + b))

    def near(self, bounds: tuple[float, float, float, float]) -> np.ndarray:
        """Features that come within ``buffer_m`` of the box ``bounds``."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        xmin, ymin, xmax, ymax = bounds
        b = self.buffer_m
        box = shapely.box(xmin - b, ymin - b, xmax + b, ymax + b)
        return self.geoms[self._tree.query(box)]


@dataclass(frozen=True)
class ClassLayer:
    """A class raster (e.g. land use) and the classes a rule names.

    The class of a cell is the raster value at the cell centre (nearest
    neighbour); centres off the raster read as ``nodata``.
    """

    array: np.ndarray
    transform: Affine
    classes: tuple[int, ...]
    nodata: int = 0
    label: str = ""

    def matches(self, grid: Grid, window: Window) -> np.ndarray:
        """Cells of ``window`` whose centre falls on one of ``classes``."""
        xs, ys = grid.centres(window)
        inv = ~self.transform
        cols = np.floor(inv.a * xs + inv.c).astype(np.int64)
        rows = np.floor(inv.e * ys + inv.f).astype(np.int64)
        nrows, ncols = self.array.shape
        row_ok = (rows >= 0) & (rows < nrows)
        col_ok = (cols >= 0) & (cols < ncols)
        values = np.full((len(ys), len(xs)), self.nodata, dtype=self.array.dtype)
        sub = self.array[np.ix_(rows[row_ok], cols[col_ok])]
        values[np.ix_(row_ok, col_ok)] = sub
        return np.isin(values, self.classes)


@dataclass(frozen=True)
class EligibilityProblem:
    """Everything the kernel needs: grid, analysis area and rules as arrays.

    Attributes
    ----------
    grid : Grid
    area : numpy.ndarray of shapely polygons
        The analysis area; cells whose centre lies outside get ``OUTSIDE``.
    exclude : tuple of FeatureLayer
    include : tuple of FeatureLayer
        When given, a cell must lie within the buffer of every include layer.
    exclude_classes, include_classes : tuple of ClassLayer
    """

    grid: Grid
    area: np.ndarray
    exclude: tuple[FeatureLayer, ...] = ()
    include: tuple[FeatureLayer, ...] = ()
    exclude_classes: tuple[ClassLayer, ...] = ()
    include_classes: tuple[ClassLayer, ...] = ()

    @property
    def max_buffer_m(self) -> float:
        """Largest buffer of any layer: the halo each chunk reads around itself."""
        return max((f.buffer_m for f in (*self.exclude, *self.include)), default=0.0)


def eligible_window(problem: EligibilityProblem, window: Window) -> np.ndarray:
    """Decide every cell of one window.

    Parameters
    ----------
    problem : EligibilityProblem
    window : Window
        ``(row0, row1, col0, col1)`` of the grid.

    Returns
    -------
    numpy.ndarray of uint8
        ``ELIGIBLE`` (1), ``EXCLUDED`` (0) or ``OUTSIDE`` (255) per cell.
    """
    return _decide(problem, window, False)[0]


def covered_window(problem: EligibilityProblem, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Decide every cell of one window, and count its eligible sub-points.

    Returns
    -------
    codes : numpy.ndarray of uint8
        As :func:`eligible_window`.
    cover : numpy.ndarray of uint8
        Eligible sub-points per cell, ``0 .. FULL`` (:mod:`.subcells`): exact
        sub-points along the edges of the buffers, the centre's answer for
        the whole cell at the edges of polygons, class rasters and the
        analysis area (cells outside it cover nothing).
    """
    codes, bits = _decide(problem, window, True)
    cover = popcount(bits)
    cover[codes == OUTSIDE] = 0
    return codes, cover


def _decide(problem: EligibilityProblem, window: Window, sub: bool) -> tuple[np.ndarray, Any]:
    grid = problem.grid
    bounds = grid.window_bounds(window)
    inside = centres_inside(problem.area, grid, window)
    ok = inside.copy()
    for rule in problem.exclude_classes:
        ok &= ~rule.matches(grid, window)
    for rule in problem.include_classes:
        ok &= rule.matches(grid, window)
    # the analysis area and the class rules count for the whole cell, by its centre
    bits = full_or_none(ok) if sub else None

    def todo() -> np.ndarray:  # cells with a centre or sub-point still eligible
        return ok if bits is None else ok | (bits != 0)

    def apply(features: Features, buffer_m: float, include: bool) -> None:
        nonlocal ok, bits
        found = features_within(features, buffer_m, grid, window, todo(), sub)
        within, got = found if sub else (found, None)
        ok &= within if include else ~within
        if bits is not None:
            bits &= got if include else ~got

    for layer in problem.include:
        if todo().any():
            apply(layer.features_near(bounds), layer.buffer_m, True)
    # exclude rules with the same buffer are one test: within b of any of their features
    groups: dict[float, list[Features]] = {}
    for layer in problem.exclude:
        groups.setdefault(layer.buffer_m, []).append(layer.features_near(bounds))
    for buffer_m, parts in groups.items():
        if todo().any():
            apply(Features.concat(parts), buffer_m, False)
    out = np.where(ok, ELIGIBLE, EXCLUDED).astype(np.uint8)
    out[~inside] = OUTSIDE
    return out, bits


def packed_window(problem: EligibilityProblem, window: Window) -> np.ndarray:
    """:func:`covered_window` as one uint8 per cell: ``code · (FULL + 1) + cover``, 255 outside."""
    codes, cover = covered_window(problem, window)
    return np.where(codes == OUTSIDE, OUTSIDE, codes * (FULL + 1) + cover).astype(np.uint8)


def unpack(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and cover from :func:`packed_window`'s values.

    Examples
    --------
    >>> codes, cover = unpack(np.array([255, 3, 17 + 16], dtype=np.uint8))
    >>> codes.tolist(), cover.tolist()
    ([255, 0, 1], [0, 3, 16])
    """
    outside = packed == OUTSIDE
    codes = np.where(outside, OUTSIDE, packed // (FULL + 1)).astype(np.uint8)
    cover = np.where(outside, 0, packed % (FULL + 1)).astype(np.uint8)
    return codes, cover


def eligibility_array(
    problem: EligibilityProblem, chunk: int = 1024, cover: bool = False
) -> da.Array:
    """Lay the problem out as a lazy Dask array, one task per chunk.

    Each task sees the whole problem (shared once in the graph) and reads only
    the features within ``max_buffer_m`` of its chunk. With ``cover`` the
    values are :func:`packed_window`'s (see :func:`unpack`).
    """
    import dask
    import dask.array as da

    token = uuid.uuid4().hex
    shared = dask.delayed(problem, name=f"eligibility-problem-{token}")
    rows: dict[int, list[Any]] = {}
    for r0, r1, c0, c1 in windows(problem.grid, chunk):
        task = dask.delayed(packed_window if cover else eligible_window)(
            shared, (r0, r1, c0, c1), dask_key_name=f"eligible-window-{token}-{r0}-{c0}"
        )
        block = da.from_delayed(task, shape=(r1 - r0, c1 - c0), dtype=np.uint8)
        rows.setdefault(r0, []).append(block)
    return da.block(list(rows.values()))


def windows(grid: Grid, chunk: int) -> list[tuple[int, int, int, int]]:
    """Return the chunks of ``grid`` as ``(r0, r1, c0, c1)``, row by row.

    Examples
    --------
    >>> windows(Grid.covering((0, 0, 30, 20), 10.0), 2)
    [(0, 2, 0, 2), (0, 2, 2, 3)]
    """
    return [
        (r0, min(r0 + chunk, grid.rows), c0, min(c0 + chunk, grid.cols))
        for r0 in range(0, grid.rows, chunk)
        for c0 in range(0, grid.cols, chunk)
    ]


def compute_eligibility(
    problem: EligibilityProblem,
    *,
    chunk: int = 1024,
    scheduler: str | Any | None = None,
    progress: bool = False,
    cover: bool = False,
) -> Any:
    """Compute the eligibility grid.

    Parameters
    ----------
    problem : EligibilityProblem
    chunk : int
        Chunk edge in cells; memory per task grows with ``(chunk + 2·halo)²``.
        A grid smaller than two chunks per core is cut into smaller ones, so
        that every core has work.
    scheduler : str or distributed.Client, optional
        None: local threads. ``"sync"``: in the calling thread. A
        ``distributed.Client`` or a scheduler address (``"tcp://host:8786"``):
        run on that cluster.
    progress : bool
        Show a progress bar on stderr (local schedulers).
    cover : bool
        Also count the eligible sub-points of every cell (:func:`covered_window`).

    Returns
    -------
    numpy.ndarray of uint8, or (codes, cover)
        ``ELIGIBLE`` / ``EXCLUDED`` / ``OUTSIDE`` per cell; with ``cover``
        also the eligible sub-points per cell (``0 .. FULL``).
    """
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler == "sync"):
        from distributed import Client

        array = eligibility_array(problem, chunk, cover)
        if isinstance(scheduler, str):
            with Client(scheduler) as client:
                values = np.asarray(client.compute(array).result())
        else:
            values = np.asarray(scheduler.compute(array).result())
        return unpack(values) if cover else values
    # In memory, the same windows on local threads (or in this thread): no task graph,
    # so a run does not pay for importing Dask (about 0.6 s) before its first cell.
    shape = (problem.grid.rows, problem.grid.cols)
    codes = np.empty(shape, dtype=np.uint8)
    counts = np.empty(shape, dtype=np.uint8) if cover else None
    parts = windows(problem.grid, _local_chunk(problem.grid, chunk, scheduler))

    def one(w: Window) -> Any:
        return covered_window(problem, w) if cover else eligible_window(problem, w)

    bar = _ProgressBar(len(parts)) if progress else None
    try:
        blocks: Any = (one(w) for w in parts) if scheduler == "sync" else ordered_map(one, parts)
        for (r0, r1, c0, c1), block in zip(parts, blocks, strict=True):
            if counts is None:
                codes[r0:r1, c0:c1] = block
            else:
                codes[r0:r1, c0:c1], counts[r0:r1, c0:c1] = block
            if bar is not None:
                bar.step()
    finally:
        if bar is not None:
            bar.close()
    return codes if counts is None else (codes, counts)


def _local_chunk(grid: Grid, chunk: int, scheduler: Any) -> int:
    """Return the chunk edge for local threads: at most ``chunk``, two windows per core.

    Halves the edge (not below 256 cells) while the grid has fewer windows
    than twice the cores, so a small grid does not run on one core.
    """
    if scheduler == "sync":
        return chunk
    cores = os.cpu_count() or 1
    while chunk > 256 and len(windows(grid, chunk)) < 2 * cores:
        chunk //= 2
    return chunk


class _ProgressBar:
    """Windows done, on stderr (tqdm), shown after two seconds."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, file=sys.stderr, delay=2.0, leave=False, unit="chunk")

    def step(self) -> None:
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
