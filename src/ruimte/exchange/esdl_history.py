# SPDX-License-Identifier: Apache-2.0
"""Every ESDL file imported into a scenario, combined into the one system its export starts from.

Each import is kept as a row of ``esdl_sources`` (:mod:`ruimte.exchange.esdl_store`).
A scenario's export starts from all files imported into it and into its
ancestors, the root's first and each scenario's in import order: the first file is the base
(its energy system's metadata and instances stay as they were); the main
area of each later file becomes a sub-area of the base's main area, with
everything in it, and its carriers, units, profiles and services join the base's
energy-system information (an item whose id the base already has is the
base's: references to it are pointed there).
"""

from __future__ import annotations

from typing import Any

from ruimte.exchange.esdl_merge import _main_area


def kept_sources(ws: Any, scenario: str) -> list[dict[str, Any]]:
    """Return the kept ESDL imports a scenario's export starts from, oldest first.

    Those of every scenario in the lineage count, the root ancestor's first
    (a variant holds its parent's claims, so it holds the parent's files too),
    and within one scenario in import order. A file imported again further
    down the lineage counts once, where it was first imported.

    Parameters
    ----------
    ws : Workspace
    scenario : str

    Returns
    -------
    list of dict
        Rows of the ``esdl_sources`` table (empty when none).
    """
    from ruimte.workspace import schema

    if schema.ESDL_SOURCES.name not in ws.layer_names():
        return []
    sources = ws._read_typed(schema.ESDL_SOURCES)
    if sources.empty:
        return []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in ws.scenario_lineage(scenario):
        rows = sources[sources["scenario"] == name].sort_values("imported_at", kind="stable")
        for _, row in rows.iterrows():
            if row["sha256"] not in seen:  # the same file again lower down: once
                seen.add(row["sha256"])
                out.append(dict(row))
    return out


def combine(handler: Any, sources: list[dict[str, Any]]) -> tuple[Any, list[str]]:
    """Load the kept files into ``handler`` as one energy system; return its root and notes.

    Parameters
    ----------
    handler : esdl.esdl_handler.EnergySystemHandler
    sources : list of dict
        Rows of ``esdl_sources``, oldest first (at least one).

    Returns
    -------
    (esdl object, list of str)
    """
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    root = handler.load_from_string(sources[0]["xmi"])
    notes: list[str] = []
    if len(sources) == 1:
        return root, notes
    ids = {str(o.id) for o in root.eAllContents() if getattr(o, "id", None) is not None}
    for source in sources[1:]:
        other = EnergySystemHandler().load_from_string(source["xmi"])
        objects = list(other.eAllContents())
        clash = sorted({str(o.id) for o in objects if isinstance(o, esdl.Asset)} & ids)
        if clash:
            notes.append(
                f"{source['file_name']}: {len(clash)} asset id(s) also in an earlier import "
                f"of the scenario ({', '.join(clash[:5])}): the export holds both; tools "
                "that look assets up by id see the first."
            )
        _join_information(esdl, root, other)
        target = _main_area(esdl, root)
        for area in _top_areas(esdl, other):
            target.area.append(area)  # moves the area and everything in it
        ids |= {str(o.id) for o in objects if getattr(o, "id", None) is not None}
    names = ", ".join(s["file_name"] for s in sources)
    notes.append(f"{len(sources)} ESDL files imported into the scenario combined: {names}.")
    return root, notes


def _top_areas(esdl: Any, root: Any) -> list[Any]:
    if isinstance(root, esdl.Area):
        return [root]
    if isinstance(root, esdl.EnergySystem):
        return [i.area for i in root.instance if i.area is not None]
    return [o for o in root.eContents if isinstance(o, esdl.Area)]


def _join_information(esdl: Any, root: Any, other: Any) -> None:
    """Move ``other``'s energy-system information, services, ... into ``root``'s.

    Everything the energy system holds besides its instances is merged item
    by item; an item whose id ``root`` already has is ``root``'s and
    references to ``other``'s copy are pointed at it.
    """
    if not isinstance(other, esdl.EnergySystem) or not isinstance(root, esdl.EnergySystem):
        return
    replaced: dict[int, Any] = {}
    for feature in _containments(other):
        if feature.name == "instance" or feature.many:
            continue
        child = other.eGet(feature)
        if child is not None:
            _merge_into(root, feature, child, replaced)
    if replaced:
        _repoint(other, replaced)


def _merge_into(parent: Any, feature: Any, child: Any, replaced: dict[int, Any]) -> None:
    """Put ``child`` in ``parent.feature`` (single-valued), merging with what is there."""
    own = parent.eGet(feature)
    if own is None:
        parent.eSet(feature, child)  # moves it and everything in it
        return
    for inner in _containments(child):
        if inner.many:
            have = {str(o.id): o for o in own.eGet(inner) if getattr(o, "id", None) is not None}
            for item in list(child.eGet(inner)):
                key = getattr(item, "id", None)
                if key is not None and str(key) in have:
                    replaced[id(item)] = have[str(key)]
                else:
                    own.eGet(inner).append(item)
        elif child.eGet(inner) is not None:
            _merge_into(own, inner, child.eGet(inner), replaced)


def _containments(obj: Any) -> list[Any]:
    return [r for r in obj.eClass.eAllReferences() if r.containment]


def _repoint(root: Any, replaced: dict[int, Any]) -> None:
    """Point every reference to a replaced object in ``root`` at its replacement."""
    for obj in root.eAllContents():
        for ref in obj.eClass.eAllReferences():
            if ref.containment:
                continue
            value = obj.eGet(ref)
            if ref.many:
                items = list(value)
                if any(id(v) in replaced for v in items):
                    new = [replaced.get(id(v), v) for v in items]
                    value.clear()
                    value.extend(new)
            elif value is not None and id(value) in replaced:
                obj.eSet(ref, replaced[id(value)])
