# SPDX-License-Identifier: Apache-2.0
"""The exported electricity grid: substations as nodes, cables between their end nodes.

Each substation becomes a ``Transformer`` with an in and an out port. Each
line (a grid line or a cable claim) becomes an ``ElectricityCable`` whose
in port is joined to the node nearest its first point and whose out port to
the node nearest its last point, within the grid's snap tolerance
(``snap_tolerance_m`` in ``ruimte/analysis/grid/data/network_limits.csv``,
the tolerance the grid analysis joins line ends with). Line ends with no
substation that near (a joint, a tap, the edge of the region) are grouped
when within the same tolerance of each other and each group becomes a
``Bus``. Claims with an electricity port connect to the substation the grid
analysis assigns them (:func:`ruimte.analysis.grid.assignment.assign_claims`);
node ports nothing reached connect to the electricity network, which stands
for the grid beyond the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ruimte.exchange.esdl_carriers import ELECTRICITY, Networks
from ruimte.exchange.esdl_geometry import to_esdl_geometry


def snap_tolerance_m() -> float:
    """Return the line-end tolerance in metres (grid ``network_limits.csv``).

    Examples
    --------
    >>> snap_tolerance_m()
    50.0
    """
    from ruimte.analysis.grid.factors import network_limits

    return float(network_limits()["snap_tolerance_m"])


@dataclass
class Grid:
    """Nodes (transformers, buses) and cables of an export, joined on :meth:`finish`.

    Parameters
    ----------
    esdl : module
    area : esdl.Area
    networks : Networks
    crs : CRS-like
        Projected CRS (metres) of the coordinates passed in.
    tolerance_m : float
    """

    esdl: Any
    area: Any
    networks: Networks
    crs: Any
    tolerance_m: float = field(default_factory=snap_tolerance_m)
    nodes: dict[str, Any] = field(default_factory=dict)
    node_xy: list[tuple[float, float]] = field(default_factory=list)
    cables: list[tuple[Any, tuple[float, float], tuple[float, float]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_node(self, key: str, asset: Any, point: shapely.Geometry) -> None:
        """Register a substation asset (with ports made here) at a projected point."""
        for kind in ("in", "out"):
            self.networks.new_port(asset, kind, ELECTRICITY)
        self.nodes[key] = asset
        p = point if point.geom_type == "Point" else point.representative_point()
        self.node_xy.append((p.x, p.y))

    def add_cable(self, asset: Any, line: shapely.Geometry) -> None:
        """Register a cable asset (ports made here) with its projected line geometry."""
        for kind in ("in", "out"):
            self.networks.new_port(asset, kind, ELECTRICITY)
        if line.geom_type == "MultiLineString":
            line = shapely.line_merge(line)
            if line.geom_type == "MultiLineString":
                line = max(line.geoms, key=lambda g: g.length)
        start, end = shapely.get_point(line, 0), shapely.get_point(line, -1)
        self.cables.append((asset, (start.x, start.y), (end.x, end.y)))

    def _port(self, asset: Any, cls: Any) -> Any:
        return next(p for p in asset.port if isinstance(p, cls))

    def _end_nodes(self) -> list[Any]:
        """Return the node asset at each cable end (2 per cable), making buses where needed."""
        esdl = self.esdl
        ends = np.array([xy for _, a, b in self.cables for xy in (a, b)], dtype=float)
        chosen: list[Any] = [None] * len(ends)
        keys = list(self.nodes)
        if keys:
            dist, idx = cKDTree(np.array(self.node_xy)).query(ends)
            for i, (d, j) in enumerate(zip(dist, idx, strict=True)):
                if d <= self.tolerance_m:
                    chosen[i] = self.nodes[keys[j]]
        loose = [i for i, n in enumerate(chosen) if n is None]
        if loose:
            xy = ends[loose]
            pairs = cKDTree(xy).query_pairs(self.tolerance_m, output_type="ndarray")
            graph = coo_matrix(
                (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy), len(xy))
            )
            n, label = connected_components(graph, directed=False)
            centre = [xy[label == k].mean(axis=0) for k in range(n)]
            wgs = gpd.GeoSeries(shapely.points(centre), crs=self.crs).to_crs("EPSG:4326")
            buses = []
            for k in range(n):
                bus = esdl.Bus(id=f"ruimte-bus-{k + 1}", name=f"line junction {k + 1} (ruimte)")
                bus.geometry = to_esdl_geometry(esdl, wgs.iloc[k])
                self.area.asset.append(bus)
                for kind in ("in", "out"):
                    self.networks.new_port(bus, kind, ELECTRICITY)
                buses.append(bus)
            for i, k in zip(loose, label, strict=True):
                chosen[i] = buses[k]
            self.notes.append(
                f"{len(loose)} line end(s) with no substation within {self.tolerance_m:g} m: "
                f"joined at {n} Bus junction(s)."
            )
        return chosen

    def connect_claim(self, port: Any, substation: str | None) -> bool:
        """Connect an electricity port of a claim's asset to its substation; False if none."""
        node = self.nodes.get(str(substation)) if substation is not None else None
        if node is None:
            return False
        esdl = self.esdl
        # a producer's OutPort feeds the substation's InPort; a consumer draws from its OutPort
        other = esdl.InPort if isinstance(port, esdl.OutPort) else esdl.OutPort
        port.connectedTo.append(self._port(node, other))
        return True

    def finish(self) -> None:
        """Join every cable to its end nodes; connect node ports left alone to the network."""
        esdl = self.esdl
        if self.cables:
            chosen = self._end_nodes()
            same = []
            for i, (cable, _, _) in enumerate(self.cables):
                first, last = chosen[2 * i], chosen[2 * i + 1]
                self._port(cable, esdl.InPort).connectedTo.append(self._port(first, esdl.OutPort))
                self._port(cable, esdl.OutPort).connectedTo.append(self._port(last, esdl.InPort))
                if first is last:
                    same.append(str(cable.id))
            if same:
                self.notes.append(
                    f"{len(same)} cable(s) with both ends at the same node: {', '.join(same)}."
                )
        for asset in [*self.nodes.values(), *self._buses()]:
            for port in asset.port:
                if not port.connectedTo:
                    self.networks.connect_to_network(port, ELECTRICITY)

    def _buses(self) -> list[Any]:
        return [a for a in self.area.asset if isinstance(a, self.esdl.Bus)]
