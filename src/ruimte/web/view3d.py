# SPDX-License-Identifier: Apache-2.0
"""The studio's 3D view: building heights and a scenario's turbines to scale.

Heights come from ``data/view3d.yaml`` (a building's own height attribute
first, else a default per function, each with its source); turbines are the
scenario's located wind claims and existing turbines, drawn from their hub
height and rotor diameter (:func:`~ruimte.analysis.nuisance.shapes3d.turbine_prisms`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ruimte.web.deps import StudioDep, UserDep
from ruimte.web.geojson import feature_collection
from ruimte.web.heights import view_settings

router = APIRouter(prefix="/api", tags=["3d"])


@router.get("/scenarios/{scenario}/view3d")
def scenario_view3d(scenario: str, studio: StudioDep, user: UserDep) -> dict[str, Any]:
    """Return what the 3D view draws for a scenario.

    ``building_layers``: the map layers of the dwelling datasets, extruded;
    ``height_attributes`` and ``default_height_m`` (per function, ``other``
    for the rest) decide each building's height; ``turbines``: GeoJSON
    prisms (tower and rotor slabs) with ``base_m`` and ``height_m``.
    """
    from ruimte.analysis.nuisance.inputs import DWELLING_FUNCTION, datasets_of, scenario_turbines
    from ruimte.analysis.nuisance.shapes3d import turbine_prisms
    from ruimte.rules import load_rules

    ws = studio.ws
    ws.scenario_lineage(scenario)
    conf = view_settings()

    def build() -> dict[str, Any]:
        turbines, warnings = scenario_turbines(ws, scenario)
        wind_from = float(
            load_rules("wind", workspace=ws.folder).potential.get("prevailing_wind_deg", 225)
        )
        prisms = turbine_prisms(
            turbines,
            tower_diameter_m=float(conf["tower_diameter_m"]["value"]),
            rotor_depth_m=float(conf["rotor_depth_m"]["value"]),
            slices=int(conf["rotor_slices"]["value"]),
            wind_from_deg=wind_from,
        )
        keep = ["part", "base_m", "height_m", "origin", "claim_id", "name", "turbine_type",
                "hub_height_m", "rotor_m", "assumed", "geometry"]  # fmt: skip
        return {
            "scenario": scenario,
            "pitch_deg": conf["pitch_deg"]["value"],
            "height_attributes": conf["height_attributes"]["value"],
            "default_height_m": {k: v["value"] for k, v in conf["default_height_m"].items()},
            "building_layers": datasets_of(ws, DWELLING_FUNCTION),
            "turbine_count": len(turbines),
            "warnings": warnings,
            "turbines": feature_collection(prisms[[c for c in keep if c in prisms]]),
        }

    return studio.reads.get(("view3d", scenario), build)[1]  # type: ignore[no-any-return]
