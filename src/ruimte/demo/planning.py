# SPDX-License-Identifier: Apache-2.0
"""Plans, targets, scenarios, stakeholders and claim records of the demo region."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from ruimte.workspace.schema import CLAIMS, TARGETS

CRS = "EPSG:28992"

#: the claim columns the demo fills (``layer`` follows from the function;
#: inheritance and edit-tracking columns are filled by the workspace)
_TRACKING = {
    "layer",
    "removed",
    "version",
    "updated_at",
    "updated_by",
    "combined_with",
    "quantity_basis",
    "attributes",
}
CLAIM_COLUMNS = [c for c in CLAIMS.column_names if c not in _TRACKING] + ["geometry"]


def plans() -> pd.DataFrame:
    """Nine plans at four governance levels (all fictional)."""
    rows = [
        (
            "P01",
            "RES Middenwaard 2.0",
            "res",
            "res_region",
            "RES Middenwaard",
            "ES99",
            "adopted",
            "2022-03-01",
            "2023-07-01",
            2030,
        ),
        (
            "P02",
            "Omgevingsvisie Middenwaard 2050",
            "omgevingsvisie",
            "province",
            "Provincie Middenwaard",
            "PV99",
            "in_force",
            "2019-09-01",
            "2021-12-15",
            2050,
        ),
        (
            "P03",
            "Omgevingsverordening Middenwaard 2024",
            "omgevingsverordening",
            "province",
            "Provincie Middenwaard",
            "PV99",
            "in_force",
            "2022-06-01",
            "2023-11-20",
            2030,
        ),
        (
            "P04",
            "Woondeal Middenwaard",
            "woondeal",
            "province",
            "Provincie Middenwaard",
            "PV99",
            "adopted",
            "2022-05-01",
            "2023-02-14",
            2030,
        ),
        (
            "P05",
            "Omgevingsplan Lindeweer",
            "omgevingsplan",
            "municipality",
            "Gemeente Lindeweer",
            "GM9901",
            "consultation",
            "2024-01-15",
            None,
            2035,
        ),
        (
            "P06",
            "Investeringsplan Netbeheer Middenwaard 2024-2034",
            "investeringsplan",
            "province",
            "Netbeheer Middenwaard",
            "PV99",
            "adopted",
            "2023-06-01",
            "2024-01-01",
            2034,
        ),
        (
            "P07",
            "NPLG gebiedsprogramma Middenwaard",
            "nplg_gebiedsprogramma",
            "province",
            "Provincie Middenwaard",
            "PV99",
            "draft",
            "2023-07-01",
            None,
            2035,
        ),
        (
            "P08",
            "Regionale adaptatiestrategie Waard en Zand",
            "regionale_adaptatiestrategie",
            "res_region",
            "Waterschap Middenwaard",
            "ES99",
            "adopted",
            "2020-10-01",
            "2021-11-30",
            2050,
        ),
        (
            "P09",
            "Warmteprogramma Oosterbroek",
            "warmteprogramma",
            "municipality",
            "Gemeente Oosterbroek",
            "GM9902",
            "draft",
            "2025-02-01",
            None,
            2035,
        ),
    ]
    cols = [
        "plan_id",
        "name",
        "plan_type",
        "governance_level",
        "owner",
        "region_code",
        "phase",
        "start_date",
        "adoption_date",
        "horizon_year",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["horizon_year"] = df["horizon_year"].astype("int64")
    return df


def targets() -> pd.DataFrame:
    """Targets that cascade from region to municipalities (the splits add up exactly)."""
    rows: list[tuple] = []
    munis = ["GM9901", "GM9902", "GM9903", "GM9904"]

    def cascade(
        prefix: str,
        parent: str,
        transition: str,
        function: str | None,
        total: float,
        parts: list[float],
        unit: str,
        year: int,
        scenario: str | None,
        what: str,
    ) -> None:
        rows.append(
            (
                f"{prefix}0",
                parent,
                transition,
                function,
                total,
                unit,
                year,
                scenario,
                f"{what}: {parent} total",
            )
        )
        for i, (m, q) in enumerate(zip(munis, parts, strict=True), start=1):
            rows.append(
                (
                    f"{prefix}{i}",
                    m,
                    transition,
                    function,
                    q,
                    unit,
                    year,
                    scenario,
                    f"{what}: share of {m}",
                )
            )

    cascade(
        "T1",
        "ES99",
        "energy",
        None,
        1.2,
        [0.45, 0.30, 0.25, 0.20],
        "TWh/yr",
        2030,
        None,
        "RES Middenwaard 2.0: new renewable electricity (onshore wind + solar)",
    )
    cascade(
        "T2",
        "PV99",
        "housing",
        "housing",
        9_000.0,
        [4_200.0, 2_100.0, 1_700.0, 1_000.0],
        "homes",
        2030,
        None,
        "Woondeal Middenwaard: new homes 2022-2030",
    )
    cascade(
        "T3",
        "ES99",
        "energy",
        None,
        1.6,
        [0.60, 0.40, 0.35, 0.25],
        "TWh/yr",
        2030,
        "ambitie",
        "Ambition RES Middenwaard: new renewable electricity",
    )
    rows.append(
        (
            "T40",
            "PV99",
            "nature",
            "nature_reserve",
            600.0,
            "ha",
            2035,
            None,
            "NPLG gebiedsprogramma: new nature (NNN completion) in the province",
        )
    )
    rows.append(
        (
            "T50",
            "ES99",
            "climate_adaptation",
            "water_storage",
            120.0,
            "ha",
            2035,
            None,
            "Regionale adaptatiestrategie: extra water storage",
        )
    )
    df = pd.DataFrame(rows, columns=TARGETS.column_names)
    df["quantity"] = df["quantity"].astype(float)
    df["horizon_year"] = df["horizon_year"].astype("int64")
    return df


def scenarios() -> pd.DataFrame:
    """Two scenarios: ``basis`` and ``ambitie`` (branching from basis).

    Assumptions cite /work/shared/FACTS.md: 2,960 full-load hours (fleet 2022,
    derived), 3,400 h (2020 turbine, derived), 875 kWh/kWp (CBS), 1.1–1.3 ha/MWp,
    ≈400 m turbine setback rule of thumb, 1.5 kW/dwelling design load, 25–35 homes/ha.
    """
    basis = {
        "full_load_hours_wind": 2960,
        "kwh_per_kwp": 875,
        "ha_per_mwp": 1.2,
        "turbine_setback_m": 400,
        "homes_per_ha": 30,
        "household_peak_kw": 1.5,
        "sources": "FACTS.md §2, §3, §4, §5",
    }
    ambitie = dict(basis, full_load_hours_wind=3400, ha_per_mwp=1.1, homes_per_ha=35)
    return pd.DataFrame(
        {
            "name": ["basis", "ambitie"],
            "parent": [None, "basis"],
            "description": [
                "Adopted and proposed plans as they stand (RES 2.0, woondeal, NPLG).",
                "Higher ambition: more wind, floating solar, denser housing.",
            ],
            "assumptions": [
                json.dumps(basis, ensure_ascii=False),
                json.dumps(ambitie, ensure_ascii=False),
            ],
        }
    )


def stakeholders() -> pd.DataFrame:
    """Fictional stakeholders in the seven groups."""
    rows = [
        ("S01", "Anke Verhoef", "residents", "Bewonersvereniging Veldrode"),
        ("S02", "Joost Kamperman", "residents", "Dorpsraad Moerkamp"),
        ("S03", "Sanne de Waard", "residents", "Energiecoöperatie Waardkracht"),
        ("S04", "Gerrit Hoeksema", "farmers", "Agrarisch Collectief Middenwaard"),
        ("S05", "Marieke Brinkhorst", "farmers", "Melkveehouderij De Waardhoeve"),
        ("S06", "Tom Lindhout", "grid_operator", "Netbeheer Middenwaard"),
        ("S07", "Femke Roelink", "nature_organisation", "Stichting Middenwaards Landschap"),
        ("S08", "Bas Overdijk", "municipality", "Gemeente Lindeweer"),
        ("S09", "Ilse Zandvoort", "municipality", "Gemeente Oosterbroek"),
        ("S10", "Ruud Havermans", "municipality", "Gemeente Zandmeer"),
        ("S11", "Noor Elzinga", "municipality", "Gemeente Haverlo"),
        ("S12", "Kees Middelburg", "province", "Provincie Middenwaard"),
        ("S13", "Ellen Dijkgraaf", "water_board", "Waterschap Middenwaard"),
    ]
    return pd.DataFrame(rows, columns=["stakeholder_id", "name", "group", "organisation"])


def claims_frame(records: list[dict]) -> gpd.GeoDataFrame:
    """Turn claim records into a GeoDataFrame with exactly :data:`CLAIM_COLUMNS`."""
    df = pd.DataFrame(records)
    df["quantity"] = df["quantity"].astype(float)
    df["horizon_year"] = df["horizon_year"].astype("int64")
    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)
    return gdf[CLAIM_COLUMNS]
