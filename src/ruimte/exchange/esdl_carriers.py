# SPDX-License-Identifier: Apache-2.0
"""Energy carriers of exported assets and one network per carrier.

Which carrier flows in and out of a claim's asset is data:
``data/esdl_function_carriers.csv`` (function -> in and out carrier) and
``data/esdl_carriers.csv`` (carrier -> ESDL commodity class, name and the
network class its assets connect to). A function not listed there gets the
ports of its ESDL kind, all electricity (a producer an out port, a consumer
or storage an in port, a conversion or transport both).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

ELECTRICITY = "electricity"


@dataclass(frozen=True)
class CarrierSpec:
    """One carrier of ``esdl_carriers.csv``."""

    id: str
    esdl_class: str
    name: str
    network_class: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ruimte.exchange").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.cache
def carrier_specs() -> dict[str, CarrierSpec]:
    """Return ``{carrier id: CarrierSpec}`` from ``esdl_carriers.csv``.

    Examples
    --------
    >>> carrier_specs()["heat"].network_class
    'HeatNetwork'
    """
    return {
        r["id"]: CarrierSpec(r["id"], r["esdl_class"], r["name"], r["network_class"])
        for r in _rows("esdl_carriers.csv")
    }


@functools.cache
def function_carriers() -> dict[str, tuple[str | None, str | None]]:
    """Return ``{function: (in carrier or None, out carrier or None)}``.

    Examples
    --------
    >>> function_carriers()["electrolyser"]
    ('electricity', 'hydrogen')
    >>> function_carriers()["geothermal_well"]
    (None, 'heat')
    """
    out = {}
    specs = carrier_specs()
    for r in _rows("esdl_function_carriers.csv"):
        pair = (r["in_carrier"] or None, r["out_carrier"] or None)
        for c in pair:
            if c is not None and c not in specs:
                raise ValueError(
                    f"esdl_function_carriers.csv: {r['function']}: unknown carrier {c!r}"
                )
        out[r["function"]] = pair
    return out


def port_carriers(esdl: Any, asset: Any, function: str | None) -> list[tuple[str, str]]:
    """Return ``[(kind, carrier id)]`` of the ports an exported asset gets (kind ``in``/``out``).

    Parameters
    ----------
    esdl : module
    asset : esdl.Asset
    function : str or None
        The claim's function (``assetType``).

    Returns
    -------
    list of (str, str)
    """
    pair = function_carriers().get(str(function)) if function else None
    if pair is None:
        kinds: tuple[str, ...] = ()
        if isinstance(asset, esdl.Producer):
            kinds = ("out",)
        elif isinstance(asset, (esdl.Consumer, esdl.Storage)):
            kinds = ("in",)
        elif isinstance(asset, (esdl.Conversion, esdl.Transport)):
            kinds = ("in", "out")
        return [(k, ELECTRICITY) for k in kinds]
    return [(k, c) for k, c in zip(("in", "out"), pair, strict=True) if c is not None]


class Networks:
    """Carrier objects and one network asset per carrier, each made on first use.

    Parameters
    ----------
    esdl : module
    area : esdl.Area
        Where new network assets go.
    carriers : esdl.Carriers
        Where new carrier objects go.
    known : dict, optional
        ``{carrier id: (esdl carrier, network asset or None)}`` already in the
        file (a kept import's electricity carrier and network).
    """

    def __init__(self, esdl: Any, area: Any, carriers: Any, known: dict | None = None) -> None:
        self.esdl, self.area, self.carriers = esdl, area, carriers
        self._carrier = {k: v[0] for k, v in (known or {}).items()}
        self._network = {k: v[1] for k, v in (known or {}).items() if v[1] is not None}

    def carrier(self, cid: str) -> Any:
        """Return the ESDL carrier object for a carrier id (added to the file when new)."""
        if cid not in self._carrier:
            spec = carrier_specs()[cid]
            obj = getattr(self.esdl, spec.esdl_class)(id=cid, name=spec.name)
            self.carriers.carrier.append(obj)
            self._carrier[cid] = obj
        return self._carrier[cid]

    def network(self, cid: str) -> Any:
        """Return the network asset of a carrier (added to the area when new)."""
        if cid not in self._network:
            spec = carrier_specs()[cid]
            asset = getattr(self.esdl, spec.network_class)(
                id=f"ruimte-{cid.replace('_', '-')}-network", name=f"{spec.name} network (ruimte)"
            )
            self.area.asset.append(asset)
            self._network[cid] = asset
        return self._network[cid]

    def port(self, cid: str, kind: str) -> Any:
        """Return the network's ``in`` or ``out`` port for a carrier (made when missing)."""
        esdl = self.esdl
        net = self.network(cid)
        cls = esdl.InPort if kind == "in" else esdl.OutPort
        for port in net.port:
            if isinstance(port, cls) and port.carrier is self.carrier(cid):
                return port
        port = cls(id=f"{net.id}-{kind}", name=kind, carrier=self.carrier(cid))
        net.port.append(port)
        return port

    def new_port(self, asset: Any, kind: str, cid: str) -> Any:
        """Add an ``in``/``out`` port of carrier ``cid`` to ``asset`` and return it."""
        cls = self.esdl.InPort if kind == "in" else self.esdl.OutPort
        port = cls(id=f"{asset.id}-{kind}", name=kind, carrier=self.carrier(cid))
        asset.port.append(port)
        return port

    def connect_to_network(self, port: Any, cid: str) -> None:
        """Connect an asset's port to its carrier's network (in draws from out and vice versa)."""
        kind = "out" if isinstance(port, self.esdl.InPort) else "in"
        port.connectedTo.append(self.port(cid, kind))


#: words in a carrier's name that tell which ruimte carrier it is (files in the wild
#: also use the generic EnergyCarrier class, e.g. Ameland's "NaturalGas", "Electricity")
_NAMES = {
    "electricity": ("electric", "elektr", "stroom"),
    "heat": ("heat", "warmte"),
    "hydrogen": ("hydrogen", "h2", "waterstof"),
    "biogas": ("biogas", "groen gas", "green gas"),
    "natural_gas": ("gas",),
}


def _named(carrier: Any, cid: str) -> bool:
    name = str(carrier.name or carrier.id or "").lower()
    if cid == "natural_gas" and any(_named(carrier, o) for o in ("hydrogen", "biogas")):
        return False
    return any(word in name for word in _NAMES.get(cid, ()))


def known_carriers(esdl: Any, root: Any) -> dict[str, tuple[Any, Any]]:
    """Match a kept file's carriers and networks to ruimte's carrier ids.

    A carrier matches by ESDL class and name (``GasCommodity`` "Hydrogen" is
    hydrogen), else by class alone where that is unambiguous (not a gas),
    else a generic ``EnergyCarrier`` by name. A network matches when it is of
    the carrier's network class and one of its ports carries it.

    Parameters
    ----------
    esdl : module
    root : esdl object
        The kept file's root.

    Returns
    -------
    dict
        ``{carrier id: (esdl carrier, network asset or None)}``.
    """
    objects = list(root.eAllContents())
    carriers = [o for o in objects if isinstance(o, esdl.Carrier)]
    out: dict[str, tuple[Any, Any]] = {}
    for cid, spec in carrier_specs().items():
        same = [c for c in carriers if type(c).__name__ == spec.esdl_class]
        generic = [c for c in carriers if type(c).__name__ == "EnergyCarrier"]
        found = [c for c in same if _named(c, cid)]
        if not found and spec.esdl_class != "GasCommodity":
            found = same
        found = found or [c for c in generic if _named(c, cid)]
        if not found:
            continue
        carrier = found[0]
        network = next(
            (o for o in objects if type(o).__name__ == spec.network_class
             and any(p.carrier is carrier for p in o.port)),
            None,
        )  # fmt: skip
        out[cid] = (carrier, network)
    return out
