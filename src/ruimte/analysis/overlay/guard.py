# SPDX-License-Identifier: Apache-2.0
"""A guard, not a kill: estimate the memory the pieces of land need before cutting them.

The estimate counts, per tile, the vertices of the footprints that take part
and the overlapping pairs (each pair's boundaries cross, adding vertices):
the arrangement holds about that many vertices, and every piece kept holds
its share. Overlaps cut by enumeration instead (shallow stacks, see
:mod:`~ruimte.analysis.overlay.enumeration`) count their own vertices plus the
crossings with the footprints meeting them, kept and, for the slices in
flight, worked on. Bytes per vertex are measured on the stacked-corridor and
200k-claim benchmarks (``benchmarks/overlay.py``) with a margin. When the
estimate exceeds the memory available, the run stops before it starts, with
the numbers and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

from ruimte.analysis.overlay.arrangement import Tiling
from ruimte.analysis.overlay.arrays import workers
from ruimte.analysis.overlay.settings import OverlayError

#: bytes per arrangement vertex while a tile is cut (lines, faces, points, trees)
WORKING_BYTES = 1_200
#: bytes per arrangement vertex kept in the result (faces, incidence, findings)
RESULT_BYTES = 700
#: crossings added per overlapping pair (two boundaries that overlap cross at least twice)
CROSSINGS_PER_PAIR = 4
#: share of the available memory a run may plan to use
SHARE = 0.8


class OverlayMemoryError(OverlayError, MemoryError):
    """The overlay would need more memory than the machine has; the message says what to do."""


@dataclass(frozen=True)
class MemoryEstimate:
    """Memory the pieces of land would need.

    Attributes
    ----------
    tiles : int
        Tiles with land of interest.
    vertices : int
        Vertices of the arrangement, all tiles (estimated).
    largest_tile : int
        Vertices of the largest tile.
    needed_bytes : int
        The tiles in flight at once plus everything kept.
    enumerated : int
        Vertices of the pieces cut by enumeration (estimated); they are in
        ``needed_bytes``, not in ``vertices``.
    """

    tiles: int
    vertices: int
    largest_tile: int
    needed_bytes: int
    enumerated: int = 0


def with_enumerated(found: MemoryEstimate, overlaps: np.ndarray, n_others: int) -> MemoryEstimate:
    """Add to ``found`` the pieces of ``overlaps`` cut by enumeration.

    ``n_others`` counts (overlap, other footprint meeting it) pairs: each adds
    crossings. The pieces are kept; the slices in flight (at most two per
    worker of four per worker, :func:`~ruimte.analysis.overlay.arrays.ordered_map`)
    are worked on at the same time.

    Examples
    --------
    >>> from shapely import box
    >>> e = with_enumerated(MemoryEstimate(0, 0, 0, 0), np.array([box(0, 0, 1, 1)]), 1)
    >>> e.enumerated, e.needed_bytes == 9 * (RESULT_BYTES + WORKING_BYTES // 2)
    (9, True)
    """
    vertices = int(shapely.get_num_coordinates(overlaps).sum()) + CROSSINGS_PER_PAIR * n_others
    needed = found.needed_bytes + vertices * (RESULT_BYTES + WORKING_BYTES // 2)
    return replace(found, needed_bytes=needed, enumerated=vertices)


def estimate(footprints: np.ndarray, overlaps: np.ndarray, tiling: Tiling) -> MemoryEstimate:
    """Estimate the memory :func:`~ruimte.analysis.overlay.arrangement.arrangement_faces` needs.

    Examples
    --------
    >>> from shapely import box
    >>> fp = np.array([box(0, 0, 2, 2), box(1, 0, 3, 2)])
    >>> e = estimate(fp, np.array([box(1, 0, 2, 2)]), Tiling.covering(np.array([1, 0, 2, 2]), 9))
    >>> e.tiles, e.vertices
    (1, 14)
    """
    boxes = shapely.box(*tiling.boxes().T)
    tile, fp = shapely.STRtree(footprints).query(boxes)
    vertices = np.bincount(
        tile, weights=shapely.get_num_coordinates(footprints)[fp], minlength=len(boxes)
    )
    tile_o, _ = shapely.STRtree(overlaps).query(boxes)
    pairs = np.bincount(tile_o, minlength=len(boxes))
    per_tile = (vertices + CROSSINGS_PER_PAIR * pairs) * (pairs > 0)
    largest = int(per_tile.max(initial=0))
    total = int(per_tile.sum())
    in_flight = min(2 * workers(), int((per_tile > 0).sum()))
    needed = in_flight * largest * WORKING_BYTES + total * RESULT_BYTES
    return MemoryEstimate(int((pairs > 0).sum()), total, largest, int(needed))


def available_bytes() -> int | None:
    """Return the memory available to new work (``MemAvailable``), or None where unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def check_memory(found: MemoryEstimate, tile_m: float) -> None:
    """Raise :class:`OverlayMemoryError` if ``found`` needs more than the memory available.

    The message gives the estimate, the memory available and what to do.
    """
    available = available_bytes()
    if available is None or found.needed_bytes <= SHARE * available:
        return
    gib = 1024**3
    kept = found.vertices * RESULT_BYTES
    working = found.needed_bytes - kept - found.enumerated * (RESULT_BYTES + WORKING_BYTES // 2)
    if working > kept + found.enumerated * RESULT_BYTES:  # the tiles, not the result, are too large
        advice = f"Use smaller tiles (--tile-m {max(tile_m / 4, 1):,.0f}), or free memory."
    else:
        advice = (
            "Limit the run to a region (--region) or to fewer claims, or free memory "
            "(smaller tiles do not help: the pieces themselves fill the memory)."
        )
    enumerated = f"; {found.enumerated:,} vertices of enumerated pieces" if found.enumerated else ""
    raise OverlayMemoryError(
        f"the overlay would need about {found.needed_bytes / gib:.1f} GiB "
        f"({found.vertices:,} arrangement vertices in {found.tiles:,} tiles of {tile_m:,.0f} m, "
        f"the largest {found.largest_tile:,}{enumerated}), "
        f"but {available / gib:.1f} GiB is available; stopped before starting. {advice}"
    )
