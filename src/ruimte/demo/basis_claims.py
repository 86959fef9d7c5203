# SPDX-License-Identifier: Apache-2.0
"""The claim records of the *basis* scenario.

Housing north of Lindeweer, a nature corridor, water storage, a mobility and an
energy hub at the station, the RES turbines and solar fields (one deliberately
breaking the 400 m setback, some deliberately overlapping other claims), a
business park expansion, a battery, and three claims not yet located.
"""

from __future__ import annotations

from ruimte.demo import energy
from ruimte.demo.claims import (
    GM_LINDEWEER,
    GM_OOSTERBROEK,
    GRID_OPERATOR,
    PROVINCE,
    RES,
    WATER_BOARD,
    ClaimSites,
    area_ha,
    claim,
)


def basis_claims(s: ClaimSites) -> list[dict]:
    """Return the claim records of the basis scenario (ids C001 onwards).

    Parameters
    ----------
    s : ClaimSites
        Where the located claims lie.

    Returns
    -------
    list of dict
        Records for :func:`ruimte.demo.planning.claims_frame`.
    """
    mw = energy.PROPOSED_TYPE[0]
    rec = [
        claim(
            "C001",
            "housing",
            "housing",
            1_800,
            "homes",
            "GM9901",
            GM_LINDEWEER,
            "municipality",
            "P05",
            "proposed",
            2030,
            "basis",
            f"Woonwijk Lindeweer-Noord: 1,800 homes on {area_ha(s.housing_zone):g} ha "
            "(≈30 homes/ha)",
            s.housing_zone,
        ),
        claim(
            "C002",
            "nature_reserve",
            "nature",
            area_ha(s.corridor),
            "ha",
            "ES99",
            PROVINCE,
            "province",
            "P07",
            "proposed",
            2030,
            "basis",
            "Natuurverbinding Waardse Uiterwaarden - Kampse Heide: nature restoration "
            "connecting two nature areas",
            s.corridor,
        ),
        claim(
            "C003",
            "water_storage",
            "climate_adaptation",
            area_ha(s.water_storage),
            "ha",
            "ES99",
            WATER_BOARD,
            "res_region",
            "P08",
            "adopted",
            2030,
            "basis",
            "Waterberging De Waard: retention area along the river",
            s.water_storage,
        ),
        claim(
            "C004",
            "mobility_hub",
            "mobility",
            area_ha(s.mobility_hub),
            "ha",
            "GM9901",
            GM_LINDEWEER,
            "municipality",
            "P05",
            "proposed",
            2028,
            "basis",
            "Mobiliteitshub Station Lindeweer: P+R, bike parking, shared cars",
            s.mobility_hub,
        ),
        claim(
            "C005",
            "energy_hub",
            "energy",
            12,
            "MW",
            "GM9901",
            GRID_OPERATOR,
            "province",
            "P06",
            "idea",
            2028,
            "basis",
            "Energiehub Station Lindeweer: solar carports, battery and "
            "charging plaza next to the mobility hub",
            s.energy_hub,
        ),
    ]
    for i, p in enumerate(s.turbines):
        rec.append(
            claim(
                f"C{6 + i:03d}",
                "wind_turbine",
                "energy",
                mw,
                "MW",
                "ES99",
                RES,
                "res_region",
                "P01",
                "proposed",
                2030,
                "basis",
                f"RES zoekgebied Windpark Middenwaard-Zuid, turbine {i + 1} "
                f"({mw:g} MW, rotor {energy.PROPOSED_TYPE[1]:g} m)",
                p,
            )
        )
    n = 6 + len(s.turbines)
    rec += [
        claim(
            f"C{n:03d}",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            RES,
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            f"RES turbine near Veldrode: deliberately {s.violation_dist_m:.0f} m from the nearest "
            "dwelling, inside the 400 m rule of thumb (setback violation)",
            s.violation,
        ),
        claim(
            f"C{n + 1:03d}",
            "solar_field",
            "energy",
            round(area_ha(s.solar_nature) / 1.2, 1),
            "MWp",
            "ES99",
            RES,
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            "Zonneveld Waardse Kampen: overlaps the nature restoration and water storage",
            s.solar_nature,
        ),
        claim(
            f"C{n + 2:03d}",
            "solar_field",
            "energy",
            round(area_ha(s.sheep_field) / 1.2, 1),
            "MWp",
            "ES99",
            "Energiecoöperatie Waardkracht",
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            "Zonneweide on permanent grassland, can be shared with sheep grazing",
            s.sheep_field,
        ),
        claim(
            f"C{n + 3:03d}",
            "solar_field",
            "energy",
            round(area_ha(s.solar_housing) / 1.2, 1),
            "MWp",
            "GM9901",
            "Zonnepark Ontwikkeling Middenwaard B.V.",
            "res_region",
            "P01",
            "idea",
            2030,
            "basis",
            "Zonnepark Lindeweer-Noord: partly overlaps the housing expansion",
            s.solar_housing,
        ),
        claim(
            f"C{n + 4:03d}",
            "business_park",
            "economy",
            area_ha(s.park_expansion),
            "ha",
            "GM9901",
            GM_LINDEWEER,
            "municipality",
            "P05",
            "proposed",
            2032,
            "basis",
            "Uitbreiding bedrijventerrein Lindeweer-Oost",
            s.park_expansion,
        ),
        claim(
            f"C{n + 5:03d}",
            "battery",
            "energy",
            20,
            "MW",
            "GM9901",
            GRID_OPERATOR,
            "province",
            "P06",
            "proposed",
            2027,
            "basis",
            "Batterij 20 MW / 40 MWh next to substation Lindeweer-Oost",
            s.battery,
        ),
        claim(
            f"C{n + 6:03d}",
            "solar_field",
            "energy",
            80,
            "ha",
            "GM9903",
            RES,
            "res_region",
            "P01",
            "idea",
            2030,
            "basis",
            "80 ha solar in Zandmeer, location not yet chosen",
            None,
        ),
        claim(
            f"C{n + 7:03d}",
            "housing",
            "housing",
            1_500,
            "homes",
            "GM9902",
            GM_OOSTERBROEK,
            "municipality",
            "P04",
            "adopted",
            2030,
            "basis",
            "1,500 homes in Oosterbroek (woondeal), location not yet chosen",
            None,
        ),
        claim(
            f"C{n + 8:03d}",
            "heat_network",
            "energy",
            3_000,
            "homes",
            "GM9902",
            GM_OOSTERBROEK,
            "municipality",
            "P09",
            "idea",
            2035,
            "basis",
            "Warmtenet Oosterbroek for 3,000 homes, route not yet chosen",
            None,
        ),
    ]
    return rec
