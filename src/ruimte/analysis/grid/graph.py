# SPDX-License-Identifier: Apache-2.0
"""Network distance along lines: a sparse graph of line vertices and substations.

Vertices of all lines (and the substations) are nodes; consecutive vertices
are joined by their segment length; nodes closer than a snap tolerance are
joined too. Shortest paths come from :func:`scipy.sparse.csgraph.dijkstra`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from ruimte.analysis.grid.network import GridModel


@dataclass(frozen=True)
class LineGraph:
    """A graph of the grid.

    Attributes
    ----------
    xy : ndarray, shape (n, 2)
        Node coordinates; the first ``n_substations`` are the substations.
    n_substations : int
    matrix : csr_array
        Symmetric edge lengths in metres.
    node_line : ndarray of int
        Index of the line a node came from (-1 for substations).
    component : ndarray of int
        Connected-component label of each node.
    """

    xy: np.ndarray
    n_substations: int
    matrix: csr_array
    node_line: np.ndarray
    component: np.ndarray

    def substation_distances_m(self) -> np.ndarray:
        """Return network distances (m) from each substation to every node, shape (s, n)."""
        return np.asarray(
            dijkstra(self.matrix, directed=False, indices=np.arange(self.n_substations))
        )


def build_graph(model: GridModel, *, snap_tolerance_m: float = 50.0) -> LineGraph:
    """Build the line graph of ``model``.

    Parameters
    ----------
    model : GridModel
    snap_tolerance_m : float
        Nodes closer than this are joined (line ends meeting at a substation or
        at each other).

    Returns
    -------
    LineGraph
    """
    subs_xy = shapely.get_coordinates(model.substations.geometry.to_numpy())
    lines = model.lines.geometry.to_numpy()
    coords, line_index = shapely.get_coordinates(lines, return_index=True)
    xy = np.vstack([subs_xy, coords]) if len(coords) else subs_xy
    n_subs = len(subs_xy)
    node_line = np.concatenate([np.full(n_subs, -1), line_index]).astype(int)
    # segments between consecutive vertices of the same line
    ids = np.arange(n_subs, len(xy))
    same = line_index[1:] == line_index[:-1]
    a, b = ids[:-1][same], ids[1:][same]
    seg = np.hypot(*(xy[a] - xy[b]).T)
    # snapping: join nodes within the tolerance (tiny weight keeps them distinct in csgraph)
    pairs = cKDTree(xy).query_pairs(snap_tolerance_m, output_type="ndarray")
    snap = np.maximum(np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T), 1e-6)
    rows = np.concatenate([a, pairs[:, 0]])
    cols = np.concatenate([b, pairs[:, 1]])
    weights = np.concatenate([np.maximum(seg, 1e-6), snap])
    n = len(xy)
    matrix = coo_array((weights, (rows, cols)), shape=(n, n)).tocsr()
    matrix = matrix.maximum(matrix.T)
    _, labels = connected_components(matrix, directed=False)
    return LineGraph(xy, n_subs, csr_array(matrix), node_line, labels)


def components(graph: LineGraph, model: GridModel) -> list[dict[str, list[str]]]:
    """Return the connected components: the substations and lines in each.

    Parameters
    ----------
    graph : LineGraph
    model : GridModel

    Returns
    -------
    list of dict
        ``{"substations": [...names], "lines": [...names]}``, largest first.
    """
    out = []
    sub_names = model.substations["name"].astype(str).to_numpy()
    line_names = model.lines["name"].astype(str).to_numpy()
    for label in np.unique(graph.component):
        nodes = np.flatnonzero(graph.component == label)
        subs = sorted({sub_names[i] for i in nodes if i < graph.n_substations})
        lines = sorted({line_names[graph.node_line[i]] for i in nodes if graph.node_line[i] >= 0})
        out.append({"substations": subs, "lines": lines})
    return sorted(out, key=lambda c: (-len(c["substations"]), -len(c["lines"])))


def nearest_node(
    graph: LineGraph, points_xy: np.ndarray, *, k: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``k`` nearest graph nodes of each point and the straight distances (m).

    Parameters
    ----------
    graph : LineGraph
    points_xy : ndarray, shape (p, 2)
    k : int
        Number of neighbours.

    Returns
    -------
    (ndarray of int, ndarray of float)
        Shape ``(p, k)`` each (``(p,)`` when ``k == 1``).
    """
    dist, idx = cKDTree(graph.xy).query(points_xy, k=k)
    return np.asarray(idx, dtype=int), np.asarray(dist, dtype=float)
