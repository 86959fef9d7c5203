# SPDX-License-Identifier: Apache-2.0
"""Provenance and function mapping of the demo vector datasets."""

from __future__ import annotations

from ruimte.demo import buildings as bld
from ruimte.demo import farmland

SOURCE = "ruimte demo generator, seed {seed}"
LICENCE = "CC0-1.0, fictional data"


def dataset_info(seed: int) -> dict[str, dict]:
    """Return source, licence, description and function mapping per vector dataset.

    Parameters
    ----------
    seed : int
        The generator seed, quoted in each ``source``.

    Returns
    -------
    dict of str to dict
        Dataset name to ``source``, ``licence``, ``description`` and ``mapping``
        (how features map to vocabulary functions).
    """
    src = SOURCE.format(seed=seed)

    def entry(desc: str, mapping: dict) -> dict:
        return {"source": src, "licence": LICENCE, "description": desc, "mapping": mapping}

    return {
        "buildings": entry(
            "BAG-like building footprints: terraced and semi-detached houses in "
            "street blocks, industrial halls and offices on business parks, "
            "farmhouses with barns.",
            {"field": "gebruiksdoel", "values": dict(bld.GEBRUIKSDOEL_FUNCTIONS)},
        ),
        "roads": entry(
            "Road centre lines: motorway A99, regional N-roads, local streets and "
            "polder roads (wegtype, breedte_m).",
            {"function": "road"},
        ),
        "railway": entry(
            "Double-track railway through Lindeweer (station) and Oosterbroek.",
            {"function": "railway"},
        ),
        "rivers": entry(
            "The river De Waard: a 120 m wide meandering polygon.", {"function": "surface_water"}
        ),
        "waterways": entry(
            "Middenwaardkanaal centre line (40 m wide, CEMT Va).", {"function": "waterway"}
        ),
        "lakes": entry("Lakes (plassen).", {"function": "surface_water"}),
        "nature": entry(
            "Nature reserves and forests, some Natura 2000 (natura2000 True).",
            {
                "field": "function",
                "values": {"nature_reserve": "nature_reserve", "forest": "forest"},
            },
        ),
        "farmland": entry(
            "BRP-like agricultural parcels tiling the rural land (gewascode, "
            "gewas). Code 9901 is fictional (greenhouses).",
            {"field": "gewascode", "values": {k: v[1] for k, v in farmland.CROPS.items()}},
        ),
        "wind_turbines": entry(
            "Existing wind turbines in three lines (capacity_mw, rotor_m, "
            "hub_height_m, commissioned).",
            {"function": "wind_turbine"},
        ),
        "solar_parks": entry(
            "Existing ground-mounted solar parks; capacity_mwp = ha / 1.2 (FACTS: 1.1-1.3 ha/MW).",
            {"function": "solar_field"},
        ),
        "substations": entry(
            "HV/MV (150/20 kV) and MV/MV (20/10 kV) substations with capacity "
            "and peak load / feed-in.",
            {"function": "substation"},
        ),
        "hv_lines": entry("150 kV overhead lines.", {"function": "hv_line"}),
        "mv_lines": entry(
            "20 kV cables from the HV/MV substations to MV/MV stations.", {"function": "mv_line"}
        ),
    }
