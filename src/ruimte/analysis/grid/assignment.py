# SPDX-License-Identifier: Apache-2.0
"""Assign located claims to substations: by network distance, else by service area.

With lines, a claim connects to the nearest graph node (a line vertex or a
substation); its distance to a substation is that straight leg plus the
shortest path along the lines. Without lines, each substation serves its
Voronoi cell (:func:`shapely.voronoi_polygons`) and the distance is straight.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from ruimte.analysis.grid.graph import LineGraph, build_graph, components
from ruimte.analysis.grid.network import GridModel


@dataclass
class Assignment:
    """Which substation each claim loads.

    Attributes
    ----------
    claims : GeoDataFrame
        Input claims plus ``substation_id``, ``distance_km`` and ``method``
        (``network`` or ``service_area``); unlocated claims get no substation.
    parents : Series
        ``substation_id -> parent substation_id`` (or None): where a lower
        substation's load goes next (a 20/10 kV station fed by a 150/20 kV one).
    service_areas : GeoDataFrame
        Voronoi cell of each substation, clipped to the extent of claims and substations.
    warnings : list of str
    """

    claims: gpd.GeoDataFrame
    parents: pd.Series
    service_areas: gpd.GeoDataFrame
    warnings: list[str] = field(default_factory=list)


def service_areas(model: GridModel, extent: shapely.Geometry | None = None) -> gpd.GeoDataFrame:
    """Return the Voronoi service area of each substation.

    Parameters
    ----------
    model : GridModel
    extent : shapely geometry, optional
        Area to clip to; default the substations' envelope buffered by 10 km.

    Returns
    -------
    GeoDataFrame
        ``substation_id, name, geometry``.
    """
    points = model.substations.geometry.to_numpy()
    if extent is None:
        extent = shapely.envelope(shapely.MultiPoint(points)).buffer(10_000)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=extent)
    )
    cells = shapely.intersection(cells, extent)
    # voronoi_polygons does not keep the input order: match cells to their point
    tree = shapely.STRtree(cells)
    hit = tree.query(points, predicate="intersects")
    order = np.empty(len(points), dtype=int)
    order[hit[0]] = hit[1]
    return gpd.GeoDataFrame(
        {
            "substation_id": model.substations["substation_id"].to_numpy(),
            "name": model.substations["name"].to_numpy(),
        },
        geometry=cells[order],
        crs=model.substations.crs,
    )


def _parents(model: GridModel, dist_m: np.ndarray) -> pd.Series:
    """Nearest substation whose low voltage equals this one's high voltage."""
    subs = model.substations
    hv = subs["voltage_hv_kv"].to_numpy()
    lv = subs["voltage_lv_kv"].to_numpy()
    ids = subs["substation_id"].to_numpy()
    parents: list[str | None] = []
    for i in range(len(subs)):
        candidates = np.flatnonzero(np.isclose(lv, hv[i]) & np.isfinite(dist_m[:, i]))
        candidates = candidates[candidates != i]
        parents.append(
            str(ids[candidates[np.argmin(dist_m[candidates, i])]]) if len(candidates) else None
        )
    return pd.Series(parents, index=ids, name="parent_id", dtype=object)


def _network_distance_m(
    graph: LineGraph, dist: np.ndarray, points: np.ndarray, allowed: np.ndarray
) -> np.ndarray:
    """Distance (m) from each point to each substation, shape (substations, points).

    Straight to the nearest allowed node (a substation or a vertex of a line a
    claim may connect to), then along the lines.
    """
    nodes = np.flatnonzero(allowed)
    _, idx = cKDTree(graph.xy[nodes]).query(points)
    node = nodes[np.asarray(idx, dtype=int)]
    leg = np.hypot(*(points - graph.xy[node]).T)
    return dist[:, node] + leg[None, :]


def connection_nodes(graph: LineGraph, model: GridModel, max_kv: float) -> np.ndarray:
    """Return which graph nodes a claim may connect to.

    Substations always; line vertices only of lines at or below ``max_kv``
    (claims connect to the distribution grid), or of every line where the
    model has none that low (a transmission-only grid such as the OSM one).
    """
    volts = model.lines["voltage_kv"].to_numpy(dtype=float)
    low = np.nan_to_num(volts, nan=np.inf) <= max_kv
    if not low.any():
        low = np.ones(len(volts), dtype=bool)
    line_ok = np.concatenate([low, [False]])  # index -1 (substations) -> False
    return (graph.node_line < 0) | line_ok[graph.node_line]


def assign_claims(
    claims: gpd.GeoDataFrame,
    model: GridModel,
    *,
    max_distance_km: float = 10.0,
    snap_tolerance_m: float = 50.0,
    max_connection_kv: float = 25.0,
    graph: LineGraph | None = None,
) -> Assignment:
    """Assign each located claim to a substation.

    Parameters
    ----------
    claims : GeoDataFrame
        Must hold ``claim_id``; claims without geometry are left unassigned.
    model : GridModel
    max_distance_km : float
        Claims farther than this from their substation are reported.
    snap_tolerance_m : float
        Tolerance for joining line ends (see :func:`build_graph`).
    max_connection_kv : float
        Claims connect to substations or to lines up to this voltage
        (see :func:`connection_nodes`).
    graph : LineGraph, optional
        A graph built before from ``model``.

    Returns
    -------
    Assignment
    """
    warnings: list[str] = []
    subs = model.substations
    out = gpd.GeoDataFrame(claims.copy(), geometry="geometry", crs=claims.crs).to_crs(subs.crs)
    located = ~(out.geometry.isna() | out.geometry.is_empty).to_numpy()
    points = shapely.get_coordinates(out.geometry[located].representative_point().to_numpy())
    extent = shapely.envelope(
        shapely.union_all([*subs.geometry.to_numpy(), *out.geometry[located].to_numpy()])
    ).buffer(5_000)
    areas = service_areas(model, extent)
    sub_ids = subs["substation_id"].to_numpy()
    substation = np.full(len(out), None, dtype=object)
    distance_km = np.full(len(out), np.nan)
    method = np.full(len(out), None, dtype=object)
    if model.has_network:
        graph = graph or build_graph(model, snap_tolerance_m=snap_tolerance_m)
        comps = components(graph, model)
        if len(comps) > 1:
            parts = "; ".join(_part_text(c) for c in comps[:5]) + (
                f"; and {len(comps) - 5} more parts" if len(comps) > 5 else ""
            )
            warnings.append(
                f"the grid is not connected: {len(comps)} parts: {parts}. Claims are assigned "
                "within the part they connect to; check the line ends or the snap tolerance."
            )
        dist = graph.substation_distances_m()
        if len(points):
            allowed = connection_nodes(graph, model, max_connection_kv)
            total = _network_distance_m(graph, dist, points, allowed)
            best = np.argmin(total, axis=0)
            ok = np.isfinite(total[best, np.arange(len(best))])
            substation[located] = np.where(ok, sub_ids[best], None)
            distance_km[located] = np.where(ok, total[best, np.arange(len(best))] / 1000.0, np.nan)
            method[located] = "network"
        parents = _parents(model, dist[:, : graph.n_substations])
    else:
        if len(points):
            inside = shapely.STRtree(areas.geometry.to_numpy()).query(
                shapely.points(points), predicate="within"
            )
            cell = np.full(len(points), -1)
            cell[inside[0]] = inside[1]
            sub_xy = shapely.get_coordinates(subs.geometry.to_numpy())
            substation[located] = sub_ids[cell]
            distance_km[located] = np.hypot(*(points - sub_xy[cell]).T) / 1000.0
            method[located] = "service_area"
        xy = shapely.get_coordinates(subs.geometry.to_numpy())
        straight = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        parents = _parents(model, straight)
    out["substation_id"] = substation
    out["distance_km"] = distance_km
    out["method"] = method
    names = dict(zip(sub_ids, subs["name"], strict=True))
    for row in out[out["distance_km"] > max_distance_km].itertuples():
        warnings.append(
            f"claim {row.claim_id} is {row.distance_km:.1f} km from the nearest substation "
            f"({names[row.substation_id]}), more than {max_distance_km:g} km: a new substation or "
            "a long connection may be needed."
        )
    return Assignment(out, parents, areas, warnings)


def _part_text(component: dict[str, list[str]], shown: int = 5) -> str:
    """Return one part of a disconnected grid as text: its first few substations (or lines).

    Examples
    --------
    >>> _part_text({"substations": ["a", "b"], "lines": ["l1"]})
    '[a, b]'
    >>> _part_text({"substations": [f"s{i}" for i in range(7)], "lines": []})
    '[s0, s1, s2, s3, s4 and 2 more substations]'
    >>> _part_text({"substations": [], "lines": ["l1", "l2"]})
    '[no substation] lines l1, l2'
    """
    subs = component["substations"]
    if not subs:
        return f"[no substation] lines {', '.join(component['lines'][:shown])}"
    more = f" and {len(subs) - shown} more substations" if len(subs) > shown else ""
    return f"[{', '.join(subs[:shown])}{more}]"
