# SPDX-License-Identifier: Apache-2.0
"""The eligibility kernel: exclusion rules on a chunked grid, exact per cell centre.

:func:`eligible_window` decides one window of cells; :func:`eligibility_array`
lays the windows out as a Dask array (one task per chunk, each reading the
features within the largest buffer around it: the halo), and
:func:`compute_eligibility` runs the same windows in memory on local threads
(no task graph: Dask is imported only for a cluster) or, through that array,
on a ``dask.distributed`` cluster. Every path computes the same cells the same
way, so the answers are identical.

Cell codes: 1 eligible, 0 excluded, 255 outside the analysis area.
"""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from affine import Affine

from ruimte.analysis.eligibility.exact import centres_inside, features_within
from ruimte.analysis.eligibility.features import Features
from ruimte.analysis.eligibility.grid import Grid, Window
from ruimte.analysis.overlay.arrays import ordered_map

if TYPE_CHECKING:  # pragma: no cover
    import dask.array as da

logger = logging.getLogger(__name__)

__all__ = [
    "ELIGIBLE",
    "EXCLUDED",
    "OUTSIDE",
    "FeatureLayer",
    "ClassLayer",
    "EligibilityProblem",
    "eligible_window",
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
    grid = problem.grid
    bounds = grid.window_bounds(window)
    inside = centres_inside(problem.area, grid, window)
    ok = inside.copy()
    for rule in problem.exclude_classes:
        ok &= ~rule.matches(grid, window)
    for rule in problem.include_classes:
        ok &= rule.matches(grid, window)
    for layer in problem.include:
        if ok.any():
            ok &= features_within(layer.features_near(bounds), layer.buffer_m, grid, window, ok)
    # exclude rules with the same buffer are one test: within b of any of their features
    groups: dict[float, list[Features]] = {}
    for layer in problem.exclude:
        groups.setdefault(layer.buffer_m, []).append(layer.features_near(bounds))
    for buffer_m, parts in groups.items():
        if ok.any():
            ok &= ~features_within(Features.concat(parts), buffer_m, grid, window, ok)
    out = np.where(ok, ELIGIBLE, EXCLUDED).astype(np.uint8)
    out[~inside] = OUTSIDE
    return out


def eligibility_array(problem: EligibilityProblem, chunk: int = 1024) -> da.Array:
    """Lay the problem out as a lazy Dask array, one task per chunk.

    Each task sees the whole problem (shared once in the graph) and reads only
    the features within ``max_buffer_m`` of its chunk.
    """
    import dask
    import dask.array as da

    token = uuid.uuid4().hex
    shared = dask.delayed(problem, name=f"eligibility-problem-{token}")
    rows: dict[int, list[Any]] = {}
    for r0, r1, c0, c1 in windows(problem.grid, chunk):
        task = dask.delayed(eligible_window)(
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
) -> np.ndarray:
    """Compute the eligibility grid.

    Parameters
    ----------
    problem : EligibilityProblem
    chunk : int
        Chunk edge in cells; memory per task grows with ``(chunk + 2·halo)²``.
    scheduler : str or distributed.Client, optional
        None: local threads. ``"sync"``: in the calling thread. A
        ``distributed.Client`` or a scheduler address (``"tcp://host:8786"``):
        run on that cluster.
    progress : bool
        Show a progress bar on stderr (local schedulers).

    Returns
    -------
    numpy.ndarray of uint8
        ``ELIGIBLE`` / ``EXCLUDED`` / ``OUTSIDE`` per cell.
    """
    if scheduler is not None and not (isinstance(scheduler, str) and scheduler == "sync"):
        from distributed import Client

        array = eligibility_array(problem, chunk)
        if isinstance(scheduler, str):
            with Client(scheduler) as client:
                return np.asarray(client.compute(array).result())
        return np.asarray(scheduler.compute(array).result())
    # In memory, the same windows on local threads (or in this thread): no task graph,
    # so a run does not pay for importing Dask (about 0.6 s) before its first cell.
    out = np.empty((problem.grid.rows, problem.grid.cols), dtype=np.uint8)
    parts = windows(problem.grid, chunk)
    bar = _ProgressBar(len(parts)) if progress else None
    try:
        if scheduler == "sync":
            blocks: Any = (eligible_window(problem, w) for w in parts)
        else:
            blocks = ordered_map(lambda w: eligible_window(problem, w), parts)
        for (r0, r1, c0, c1), block in zip(parts, blocks, strict=True):
            out[r0:r1, c0:c1] = block
            if bar is not None:
                bar.step()
    finally:
        if bar is not None:
            bar.close()
    return out


class _ProgressBar:
    """Windows done, on stderr (tqdm), shown after two seconds."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, file=sys.stderr, delay=2.0, leave=False, unit="chunk")

    def step(self) -> None:
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
