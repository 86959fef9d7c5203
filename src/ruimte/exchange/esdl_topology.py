# SPDX-License-Identifier: Apache-2.0
"""Build ESDL assets from claims and connect them, so an export has no loose ends.

Every exported asset gets the ports its function's carriers call for
(``data/esdl_function_carriers.csv``: a wind turbine an electricity out
port, an electrolyser an electricity in and a hydrogen out port, a heat
pipe heat in and out). An electricity port connects to the claim's
substation where the export has a grid (:mod:`ruimte.exchange.esdl_grid`),
any other port to the network of its carrier
(:class:`ruimte.exchange.esdl_carriers.Networks`): producers feed the
network's ``InPort``, consumers draw from its ``OutPort``.
"""

from __future__ import annotations

from typing import Any

import shapely

from ruimte.exchange.esdl_carriers import ELECTRICITY, Networks, port_carriers
from ruimte.exchange.esdl_fields import state_for_status, write_ruimte_kpis
from ruimte.exchange.esdl_geometry import to_esdl_geometry
from ruimte.exchange.esdl_mapping import W_PER_UNIT, export_class


def connect_asset(
    networks: Networks, asset: Any, function: str | None, *, grid: Any = None,
    substation: str | None = None,
) -> None:  # fmt: skip
    """Give ``asset`` the ports of its function's carriers and connect each one.

    Parameters
    ----------
    networks : Networks
    asset : esdl.Asset
    function : str or None
        The claim's function (decides the carriers).
    grid : Grid, optional
        The export's grid; electricity ports join ``substation`` there.
    substation : str, optional
        The substation id the claim is assigned to.
    """
    for kind, cid in port_carriers(networks.esdl, asset, function):
        port = networks.new_port(asset, kind, cid)
        if cid == ELECTRICITY and grid is not None and grid.connect_claim(port, substation):
            continue
        networks.connect_to_network(port, cid)


def set_quantity(asset: Any, quantity: float, unit: str) -> bool:
    """Set the ESDL attribute that carries ``quantity``; False when none fits.

    Parameters
    ----------
    asset : esdl.Asset
    quantity : float
    unit : str
        ``MW``/``MWp``/``kW``... (power in W), ``homes``, ``km``, ``ha``, ``sites``.

    Returns
    -------
    bool
    """
    cls = type(asset).__name__
    if unit in W_PER_UNIT:
        watts = quantity * W_PER_UNIT[unit]
        if cls == "Battery":
            asset.maxChargeRate = watts
            asset.maxDischargeRate = watts
            return True
        if hasattr(asset, "power"):
            asset.power = watts
            return True
    if unit == "homes" and hasattr(asset, "numberOfBuildings"):
        asset.numberOfBuildings = int(round(quantity))
        return True
    if unit == "km" and hasattr(asset, "length"):
        asset.length = quantity * 1000.0
        return True
    if unit == "ha":
        asset.surfaceArea = int(round(quantity * 1e4))
        return True
    if unit == "sites" and float(quantity).is_integer():
        asset.aggregated = quantity > 1
        asset.aggregationCount = int(quantity)
        return True
    return False


def claim_values(row: Any) -> dict[str, Any]:
    """Return the ruimte fields of a claim row (namedtuple or Series) as a dict."""
    from ruimte.exchange.esdl_fields import RUIMTE_FIELDS

    return {name: getattr(row, name, None) for name in RUIMTE_FIELDS}


def asset_from_claim(esdl: Any, row: Any, vocabulary: Any, notes: list[str]) -> Any | None:
    """Return a new ESDL asset for a claim in WGS84, or None when its function has no class.

    Parameters
    ----------
    esdl : module
    row : namedtuple
        A claim (geometry in lon/lat, or empty for a not-located claim).
    vocabulary : Vocabulary
    notes : list of str
        Receives a note when the quantity has no ESDL attribute.

    Returns
    -------
    esdl.Asset or None
    """
    fn = vocabulary.function(row.function)
    geom = row.geometry
    located = geom is not None and not geom.is_empty
    polygon = located and geom.geom_type.endswith("Polygon")
    cls = export_class(str(row.function), fn.esdl_class, polygon)
    if not cls:
        return None
    asset = getattr(esdl, cls)(id=str(row.claim_id), name=_label(row))
    asset.assetType = str(row.function)  # tells functions that share a class apart
    state = state_for_status(getattr(row, "status", None))
    asset.state = esdl.AssetStateEnum.getEEnumLiteral(state)
    from ruimte.exchange.esdl_fields import is_missing

    if is_missing(row.quantity) or is_missing(getattr(row, "unit", None)):
        notes.append(f"claim {row.claim_id}: quantity unknown: no ESDL power or size written.")
    elif not set_quantity(asset, float(row.quantity), str(row.unit)):
        notes.append(f"claim {row.claim_id}: no ESDL attribute for {row.unit!r}; "
                     "the quantity is kept in its ruimte:quantity KPI only.")  # fmt: skip
    if located:
        asset.geometry = to_esdl_geometry(esdl, geom)
    write_ruimte_kpis(esdl, asset, claim_values(row))
    return asset


def _label(row: Any) -> str:
    text = getattr(row, "description", None)
    return str(text) if isinstance(text, str) and text else str(row.claim_id)


def is_located(geom: shapely.Geometry | None) -> bool:
    """Whether a claim geometry is present and not empty."""
    return geom is not None and not geom.is_empty
