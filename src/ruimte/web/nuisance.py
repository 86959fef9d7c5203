# SPDX-License-Identifier: Apache-2.0
"""Nuisance of a scenario's turbines: summary, one dwelling's values, A vs B, 3D turbines.

The answers come from :mod:`ruimte.analysis.nuisance.report`, the functions
behind ``ruimte nuisance --json``, computed once per workspace version (the
studio's read cache) and never stored by a GET. Like the claims, they may be
read by anyone who may see the studio (log in when it is not public).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pyproj import Transformer

from ruimte.analysis.nuisance.assess import NuisanceResult
from ruimte.web.deps import StudioDep, UserDep
from ruimte.web.errors import NotFoundError
from ruimte.web.state import Studio

router = APIRouter(prefix="/api", tags=["nuisance"])
#: how far from a click a dwelling may be to be "the clicked dwelling"
CLICK_RADIUS_M = 30.0


def scenario_nuisance_result(
    studio: Studio, scenario: str, sunshine: str | None = None, dem: str | None = None
) -> NuisanceResult:
    """Return the scenario's nuisance result, cached per workspace version.

    ``sunshine`` names a shipped climate table (``knmi-de-bilt``: realistic
    flicker; default worst case); ``dem`` a raster dataset (viewshed).
    """
    from ruimte.analysis.nuisance.run import SUNSHINE_TABLES, read_sunshine, run_nuisance

    ws = studio.ws
    ws.scenario_lineage(scenario)  # an unknown scenario: 404 with a suggestion
    if sunshine is not None and sunshine not in SUNSHINE_TABLES:
        raise NotFoundError(
            f"no climate table {sunshine!r}; choose one of: {', '.join(SUNSHINE_TABLES)}."
        )
    fractions = read_sunshine(sunshine) if sunshine is not None else None
    _, result = studio.reads.get(
        ("nuisance", scenario, sunshine, dem),
        lambda: run_nuisance(ws, scenario, save=False, sunshine_fraction=fractions, dem=dem)[0],
    )
    return result  # type: ignore[no-any-return]


@router.get("/scenarios/{scenario}/nuisance")
def scenario_nuisance(
    scenario: str,
    studio: StudioDep,
    user: UserDep,
    sunshine: Annotated[str | None, Query(max_length=100)] = None,
    dem: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Return noise, flicker and visibility counts of a scenario (as ``ruimte nuisance --json``).

    Dwellings over each norm for the scenario, per claim and per region;
    flicker counts; dwellings and area per visibility band. ``result`` is
    None: the API computes and does not store (``ruimte nuisance`` stores).
    ``?sunshine=knmi-de-bilt`` gives the realistic flicker expectation,
    ``?dem=NAME`` a viewshed on that raster dataset.
    """
    from ruimte.analysis.nuisance.report import nuisance_payload
    from ruimte.analysis.nuisance.settings import load_norms

    result = scenario_nuisance_result(studio, scenario, sunshine, dem)
    return nuisance_payload(result, None, load_norms())


@router.get("/scenarios/{scenario}/nuisance/dwelling")
def nuisance_dwelling(
    scenario: str,
    studio: StudioDep,
    user: UserDep,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
) -> dict[str, Any]:
    """Return Lden, Lnight, flicker and band at the dwelling clicked (within 30 m of lon/lat)."""
    from ruimte.analysis.nuisance.report import dwelling_values

    result = scenario_nuisance_result(studio, scenario)
    if result.dwellings is None:
        raise NotFoundError("the workspace has no dwellings dataset: values at dwellings unknown.")
    to_ws = Transformer.from_crs("EPSG:4326", result.dwellings.crs, always_xy=True)
    x, y = to_ws.transform(lon, lat)
    found = dwelling_values(result, x, y, within_m=CLICK_RADIUS_M)
    if found is None:
        raise NotFoundError(
            f"no dwelling within {CLICK_RADIUS_M:g} m of ({lon:.6f}, {lat:.6f}); click on a house."
        )
    return {"scenario": scenario, **found}


@router.get("/compare/nuisance")
def compare_nuisance(
    studio: StudioDep,
    user: UserDep,
    a: Annotated[str, Query(max_length=100)],
    b: Annotated[str, Query(max_length=100)],
) -> dict[str, Any]:
    """Return the dwellings over each noise and flicker norm in scenario A and in B."""
    from ruimte.analysis.nuisance.report import compare_payload
    from ruimte.analysis.nuisance.settings import load_norms

    return compare_payload(
        scenario_nuisance_result(studio, a), scenario_nuisance_result(studio, b), load_norms()
    )
