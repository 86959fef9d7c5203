# SPDX-License-Identifier: Apache-2.0
"""The claim records of the *ambitie* scenario: extra and replacing claims.

The ambitie scenario builds on basis: two extra turbines, floating solar, a
larger housing expansion (replacing C001), an electrolyser and unlocated solar.
"""

from __future__ import annotations

from ruimte.demo import energy
from ruimte.demo.claims import GM_LINDEWEER, GRID_OPERATOR, RES, ClaimSites, area_ha, claim


def ambitie_claims(s: ClaimSites) -> list[dict]:
    """Return the claim records of the ambitie scenario (ids C101 onwards).

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
    return [
        claim(
            "C101",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            RES,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: extra turbine 1",
            s.ambitie_turbines[0],
        ),
        claim(
            "C102",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            RES,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: extra turbine 2",
            s.ambitie_turbines[1],
        ),
        claim(
            "C103",
            "floating_solar",
            "energy",
            round(area_ha(s.floating_solar) / 1.2, 1),
            "MWp",
            "ES99",
            RES,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            f"Ambitie: floating solar on half of {s.lake_name}",
            s.floating_solar,
        ),
        claim(
            "C104",
            "housing",
            "housing",
            2_400,
            "homes",
            "GM9901",
            GM_LINDEWEER,
            "municipality",
            "P05",
            "idea",
            2035,
            "ambitie",
            "Ambitie: Lindeweer-Noord enlarged to 2,400 homes on "
            f"{area_ha(s.housing_zone_amb):g} ha (replaces C001)",
            s.housing_zone_amb,
            replaces="C001",
        ),
        claim(
            "C105",
            "electrolyser",
            "energy",
            20,
            "MW",
            "GM9903",
            GRID_OPERATOR,
            "province",
            "P06",
            "idea",
            2032,
            "ambitie",
            "Ambitie: 20 MW electrolyser next to substation Zandmeer",
            s.electrolyser,
        ),
        claim(
            "C106",
            "solar_field",
            "energy",
            120,
            "ha",
            "GM9904",
            RES,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: 120 ha solar in Haverlo, not yet located",
            None,
        ),
    ]
