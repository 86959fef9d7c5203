# SPDX-License-Identifier: Apache-2.0
"""Write a kept ESDL file back with the scenario's claims applied to it.

Assets that became claims are compared with the claim values stored at
import time (:func:`ruimte.exchange.esdl_store.snapshot`): only the fields
edited in ruimte are re-written (quantity, status -> ``state``, geometry,
function, ruimte's ``ruimte:*`` KPIs); an asset whose claim was withdrawn
is removed with its connections; claims added since become new assets
connected by carrier to the file's networks (its electricity network,
new networks for other carriers). Everything else — assets
ruimte does not model, ports, connections, carriers, KPIs, areas and the
energy system's metadata — is written as it was read.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import shapely

from ruimte.exchange.esdl_carriers import ELECTRICITY, Networks, known_carriers
from ruimte.exchange.esdl_fields import state_for_status, write_ruimte_kpis
from ruimte.exchange.esdl_geometry import to_esdl_geometry
from ruimte.exchange.esdl_store import snapshot
from ruimte.exchange.esdl_topology import claim_values, set_quantity


def kept_source(ws: Any, scenario: str) -> dict[str, Any] | None:
    """Return the latest kept ESDL import of a scenario's lineage, if any.

    See :func:`ruimte.exchange.esdl_history.kept_sources` for all of them.
    """
    from ruimte.exchange.esdl_history import kept_sources

    rows = kept_sources(ws, scenario)
    return rows[-1] if rows else None


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def _same_geometry(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(shapely.from_wkb(a).equals_exact(shapely.from_wkb(b), 1e-6))


def changed_fields(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Return the claim fields that differ between the import snapshot and now.

    Examples
    --------
    >>> changed_fields({"quantity": 6.0, "status": "realised", "geometry": None},
    ...                {"quantity": 8.0, "status": "realised", "geometry": None})
    ['quantity']
    """
    out = []
    for name in now:
        if name == "geometry":
            if not _same_geometry(before.get(name), now[name]):
                out.append(name)
        elif not _same(before.get(name), now[name]):
            out.append(name)
    return out


def merge_claims(
    sources: dict[str, Any] | list[dict[str, Any]],
    claims: gpd.GeoDataFrame,
    vocabulary: Any,
    *,
    crs: Any,
) -> tuple[Any, list[str], dict[str, Any]]:
    """Apply a scenario's claims to its kept ESDL files.

    Parameters
    ----------
    sources : dict or list of dict
        Rows of ``esdl_sources``, oldest first
        (:func:`ruimte.exchange.esdl_history.kept_sources`), combined into
        one system (:func:`ruimte.exchange.esdl_history.combine`).
    claims : GeoDataFrame
        The scenario's effective claims, in the workspace CRS.
    vocabulary : Vocabulary
    crs : CRS-like
        The CRS of ``claims``.

    Returns
    -------
    (EnergySystemHandler, list of str, dict)
        The handler, notes, and ``{"base", "changed", "added", "removed"}``
        (asset ids; ``changed`` maps asset id -> changed fields).
    """
    import esdl
    from esdl.esdl_handler import EnergySystemHandler

    from ruimte.exchange.esdl_export import add_claims
    from ruimte.exchange.esdl_history import combine

    sources = [sources] if isinstance(sources, dict) else list(sources)
    handler = EnergySystemHandler()
    root, notes = combine(handler, sources)
    by_id: dict[str, Any] = {}
    for o in root.eAllContents():
        if isinstance(o, esdl.Asset):
            by_id.setdefault(str(o.id), o)  # the first file's asset where ids repeat
    by_claim = claims.set_index("claim_id", drop=False) if not claims.empty else claims
    mapped: dict[str, Any] = {}
    for source in sources:
        for esdl_id, info in (source.get("assets") or {}).items():
            mapped.setdefault(esdl_id, info)
    changed: dict[str, list[str]] = {}
    removed: list[str] = []
    for esdl_id, info in mapped.items():
        asset = by_id.get(esdl_id)
        cid = info["claim_id"]
        if asset is None:
            continue
        if claims.empty or cid not in by_claim.index:
            asset.delete()
            removed.append(esdl_id)
            continue
        row = by_claim.loc[cid]
        fields = changed_fields(info["snapshot"], snapshot(row))
        if fields:
            _apply(esdl, asset, row, fields, crs)
            changed[esdl_id] = fields
    if removed:
        notes.append(
            f"{len(removed)} asset(s) whose claim was withdrawn removed: {', '.join(removed)}."
        )
    mapped_claims = {info["claim_id"] for info in mapped.values()}
    new = claims[~claims["claim_id"].isin(mapped_claims)] if not claims.empty else claims
    added: list[str] = []
    if not new.empty:
        area = _main_area(esdl, root)
        known = known_carriers(esdl, root)
        if ELECTRICITY not in known:
            known[ELECTRICITY] = (_carrier(esdl, root), _network(esdl, root))
        elif known[ELECTRICITY][1] is None:
            known[ELECTRICITY] = (known[ELECTRICITY][0], _network(esdl, root))
        holder = known[ELECTRICITY][0].eContainer() or esdl.Carriers(id="carriers")
        networks = Networks(esdl, area, holder, known)
        before = set(by_id)
        notes.extend(add_claims(esdl, area, networks, new, vocabulary))
        new_ids = set(new["claim_id"].astype(str))
        added = [str(o.id) for o in area.asset if str(o.id) not in before and o.id in new_ids]
    base = ", ".join(str(s["file_name"]) for s in sources)
    report = {"base": base, "changed": changed, "added": added, "removed": removed}
    return handler, notes, report


def _apply(esdl: Any, asset: Any, row: Any, fields: list[str], crs: Any) -> None:
    """Re-write the edited fields of one asset from its claim."""
    if "quantity" in fields or "unit" in fields:
        set_quantity(asset, float(row["quantity"]), str(row["unit"]))
    if "status" in fields:
        asset.state = esdl.AssetStateEnum.getEEnumLiteral(state_for_status(row["status"]))
    if "function" in fields:
        asset.assetType = str(row["function"])
    if "geometry" in fields:
        geom = row["geometry"]
        if geom is None or geom.is_empty:
            asset.geometry = None
        else:
            wgs = gpd.GeoSeries([geom], crs=crs).to_crs("EPSG:4326").iloc[0]
            asset.geometry = to_esdl_geometry(esdl, wgs)
    write_ruimte_kpis(esdl, asset, claim_values(_Row(row)))


class _Row:
    """Attribute access to a Series (for :func:`claim_values`)."""

    def __init__(self, row: Any) -> None:
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return self._row.get(name)


def _main_area(esdl: Any, root: Any) -> Any:
    if isinstance(root, esdl.EnergySystem) and root.instance and root.instance[0].area:
        return root.instance[0].area
    if isinstance(root, esdl.Area):
        return root
    return next(o for o in root.eAllContents() if isinstance(o, esdl.Area))


def _network(esdl: Any, root: Any) -> Any:
    return next((o for o in root.eAllContents() if isinstance(o, esdl.ElectricityNetwork)), None)


def _carrier(esdl: Any, root: Any) -> Any:
    found = next((o for o in root.eAllContents() if isinstance(o, esdl.ElectricityCommodity)), None)
    if found is not None:
        return found
    carrier = esdl.ElectricityCommodity(id="electricity", name="Electricity")
    if isinstance(root, esdl.EnergySystem):
        if root.energySystemInformation is None:
            root.energySystemInformation = esdl.EnergySystemInformation(id="esi")
        if root.energySystemInformation.carriers is None:
            root.energySystemInformation.carriers = esdl.Carriers(id="carriers")
        root.energySystemInformation.carriers.carrier.append(carrier)
    return carrier
