# SPDX-License-Identifier: Apache-2.0
"""Build ESDL assets from claims and connect them, so an export has no loose ends.

Every exported asset gets the ports its ESDL kind has (a producer an
``OutPort``, a consumer or storage an ``InPort``, a conversion or transport
asset both) and each port is connected to the electricity network of the
energy system: producers feed the network's ``InPort``, consumers draw from
its ``OutPort``. Transformers and cables join the same network. Ports of the
network are only made when something connects to them.
"""

from __future__ import annotations

from typing import Any

import shapely

from ruimte.exchange.esdl_fields import state_for_status, write_ruimte_kpis
from ruimte.exchange.esdl_geometry import to_esdl_geometry
from ruimte.exchange.esdl_mapping import W_PER_UNIT, export_class


class Network:
    """The electricity network that exported assets connect to (made on first use).

    Parameters
    ----------
    esdl : module
    area : esdl.Area
        Where a new network asset goes.
    carrier : esdl.ElectricityCommodity
    network : esdl.ElectricityNetwork, optional
        An existing network (from a kept original) to connect to.
    """

    def __init__(self, esdl: Any, area: Any, carrier: Any, network: Any = None) -> None:
        self.esdl, self.area, self.carrier, self.asset = esdl, area, carrier, network

    def _port(self, kind: str) -> Any:
        esdl = self.esdl
        if self.asset is None:
            self.asset = esdl.ElectricityNetwork(id="ruimte-electricity-network",
                                                 name="Electricity network (ruimte)")  # fmt: skip
            self.area.asset.append(self.asset)
        cls = esdl.InPort if kind == "in" else esdl.OutPort
        for port in self.asset.port:
            if isinstance(port, cls):
                return port
        port = cls(id=f"{self.asset.id}-{kind}", name=kind, carrier=self.carrier)
        self.asset.port.append(port)
        return port

    def connect(self, asset: Any) -> None:
        """Give ``asset`` its ports and connect each to the network."""
        esdl = self.esdl
        kinds = _port_kinds(esdl, asset)
        for kind in kinds:
            cls = esdl.InPort if kind == "in" else esdl.OutPort
            port = cls(id=f"{asset.id}-{kind}", name=kind, carrier=self.carrier)
            asset.port.append(port)
            # an asset's InPort draws from the network's OutPort and vice versa
            port.connectedTo.append(self._port("out" if kind == "in" else "in"))


def _port_kinds(esdl: Any, asset: Any) -> tuple[str, ...]:
    if isinstance(asset, esdl.Producer):
        return ("out",)
    if isinstance(asset, (esdl.Consumer, esdl.Storage)):
        return ("in",)
    if isinstance(asset, (esdl.Conversion, esdl.Transport)):
        return ("in", "out")
    return ()  # buildings and other containers: no energy ports of their own


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
    if not set_quantity(asset, float(row.quantity), str(row.unit)):
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
