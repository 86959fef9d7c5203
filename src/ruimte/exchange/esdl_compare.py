# SPDX-License-Identifier: Apache-2.0
"""Describe an ESDL file as plain data, to compare two files (round trips, tests)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any


def _value(value: Any) -> Any:
    if hasattr(value, "name") and hasattr(value, "value") and not hasattr(value, "eClass"):
        return str(value.name)  # an EEnumLiteral
    if isinstance(value, (list, tuple)) or type(value).__name__.startswith("E"):
        try:
            return tuple(_value(v) for v in value)
        except TypeError:
            pass
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def attributes(obj: Any) -> dict[str, Any]:
    """Return every attribute (not reference) of an ESDL object with its value."""
    from pyecore.ecore import EAttribute

    return {
        f.name: _value(obj.eGet(f))
        for f in obj.eClass.eAllStructuralFeatures()
        if isinstance(f, EAttribute)
    }


def describe(path: str | Path) -> dict[str, Any]:
    """Return what a round trip must keep of an ESDL file.

    Parameters
    ----------
    path : path

    Returns
    -------
    dict
        ``assets`` (Counter of (class, id, name)), ``connections`` (set of
        port-id pairs), ``attributes`` ({object id: attributes} of every
        object with an id, geometry points and KPIs included), ``carriers``,
        ``areas`` and ``system`` (the energy system's own attributes).
    """
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    root = EnergySystemHandler().load_file(str(path))
    objects = list(root.eAllContents())
    assets = Counter(
        (type(o).__name__, str(o.id), str(o.name)) for o in objects if isinstance(o, esdl.Asset)
    )
    connections = {
        tuple(sorted((str(p.id), str(q.id))))
        for p in objects
        if isinstance(p, esdl.Port)
        for q in p.connectedTo
    }
    by_id = {}
    for o in objects:
        key = getattr(o, "id", None)
        if key is not None:
            by_id[(type(o).__name__, str(key))] = attributes(o)
    geometry = {
        str(o.id): _geometry_points(o.geometry) for o in objects if isinstance(o, esdl.Asset)
    }
    carriers = {(type(o).__name__, str(o.id)) for o in objects if isinstance(o, esdl.Carrier)}
    areas = Counter((str(o.id), str(o.name)) for o in objects if isinstance(o, esdl.Area))
    kpis = Counter(
        (type(o).__name__, str(o.name), _value(getattr(o, "value", None)))
        for o in objects
        if isinstance(o, esdl.KPI)
    )
    return {"assets": assets, "connections": connections, "attributes": by_id,
            "geometry": geometry, "carriers": carriers, "areas": areas, "kpis": kpis,
            "system": attributes(root)}  # fmt: skip


def _geometry_points(geometry: Any) -> tuple[Any, ...] | None:
    if geometry is None:
        return None
    return tuple(
        (type(o).__name__, getattr(o, "lat", None), getattr(o, "lon", None))
        for o in [geometry, *geometry.eAllContents()]
    )
