# SPDX-License-Identifier: Apache-2.0
"""The energy datasets: wind turbines, substations, 150 kV lines and 20 kV cables.

Built from the asset primitives in :mod:`ruimte.demo.energy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from ruimte.demo import energy
from ruimte.demo._frames import to_gdf
from ruimte.demo.landscape import PLACES

WIND_PARK_NAMES = ["Windpark Kampsveld", "Windpark Waardlanden", "Windpark Hoge Dijk"]

#: The two HV/MV substations (Lindeweer-Oost first, then Zandmeer).
HV_SUBSTATIONS: list[dict] = [
    {
        "naam": "Lindeweer-Oost 150/20 kV",
        "voltage_kv": "150/20",
        "station_type": "HS/MS",
        "transformers": "2x80 MVA",
        "capacity_mva": 160.0,
        "peak_load_mw": 104.0,
        "peak_feedin_mw": 121.0,
        "function": "substation",
    },
    {
        "naam": "Zandmeer 150/20 kV",
        "voltage_kv": "150/20",
        "station_type": "HS/MS",
        "transformers": "2x63 MVA",
        "capacity_mva": 126.0,
        "peak_load_mw": 71.0,
        "peak_feedin_mw": 118.0,
        "function": "substation",
    },
]


@dataclass(frozen=True)
class Grid:
    """The electricity grid datasets plus the two HV/MV substation points.

    Attributes
    ----------
    substations, hv_lines, mv_lines : GeoDataFrame
        The datasets of the same names.
    hv1, hv2 : Point
        Substations Lindeweer-Oost and Zandmeer (claims are placed next to them).
    """

    substations: gpd.GeoDataFrame
    hv_lines: gpd.GeoDataFrame
    mv_lines: gpd.GeoDataFrame
    hv1: Point
    hv2: Point


def turbine_sites(
    forbidden: shapely.Geometry, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return the lines of existing turbines (4, 5, 4) and of proposed ones (4, 2).

    Parameters
    ----------
    forbidden : shapely geometry
        Where no turbine may stand (already buffered).
    rng : numpy.random.Generator
        Random numbers, drawn for the existing lines first.

    Returns
    -------
    existing, proposed : list of numpy.ndarray
        Turbine points per line; proposed lines keep their distance from existing ones.
    """
    exist_lines = energy.place_turbine_lines(rng, [4, 5, 4], forbidden)
    prop_lines = energy.place_turbine_lines(
        rng, [4, 2], forbidden, taken=np.concatenate(exist_lines)
    )
    return exist_lines, prop_lines


def turbines_frame(lines: list[np.ndarray], rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Return the ``wind_turbines`` dataset: one wind park per line of turbines.

    Parameters
    ----------
    lines : list of numpy.ndarray
        Turbine points per line (at most three lines).
    rng : numpy.random.Generator
        Random numbers, one commissioning year per line.

    Returns
    -------
    GeoDataFrame
    """
    wt_rows, wt_geoms = [], []
    for k, pts in enumerate(lines):
        cap, rotor, hub, y0, y1 = energy.TURBINE_TYPES[k % 3]
        year = int(rng.integers(y0, y1 + 1))
        for j, pnt in enumerate(pts):
            wt_rows.append(
                {
                    "naam": f"{WIND_PARK_NAMES[k]} WTG{j + 1}",
                    "windpark": WIND_PARK_NAMES[k],
                    "capacity_mw": cap,
                    "rotor_m": rotor,
                    "hub_height_m": hub,
                    "tip_height_m": hub + rotor / 2,
                    "commissioned": year,
                    "function": "wind_turbine",
                }
            )
            wt_geoms.append(pnt)
    turbines = to_gdf(wt_rows, wt_geoms)
    turbines["commissioned"] = turbines["commissioned"].astype("int64")
    return turbines


def grid_layers(
    lindeweer_park: shapely.Polygon, blockers: shapely.STRtree, rng: np.random.Generator
) -> Grid:
    """Return substations and lines of the 150 kV and 20 kV grid.

    Parameters
    ----------
    lindeweer_park : Polygon
        The Lindeweer business park; substation Lindeweer-Oost lies south of it.
    blockers : shapely.STRtree
        Buildings and obstacles that substations keep clear of.
    rng : numpy.random.Generator
        Random numbers, drawn for the two HV/MV sites, then per MV/MV station,
        then for the three 150 kV lines.

    Returns
    -------
    Grid
    """
    px0, py0, px1, py1 = lindeweer_park.bounds
    hv1 = energy.free_spot((px0 + px1) / 2, py0 - 150, blockers, 40, rng)
    zan = PLACES[2]
    hv2 = energy.free_spot(zan.x + 1_350, zan.y + 500, blockers, 40, rng)
    vel = [p for p in PLACES if p.name == "Veldrode"][0]
    mv_sites = [
        ("Lindeweer-West", PLACES[0], np.pi, hv1),
        ("Oosterbroek", PLACES[1], -2.3, hv1),
        ("Eikelhoven", PLACES[4], -0.8, hv1),
        ("Zandmeer-Noord", zan, 1.7, hv2),
        ("Haverlo", PLACES[3], 0.3, hv2),
        ("Veldrode", vel, -1.9, hv2),
        ("Aldwoude", PLACES[8], 2.6, hv2),
    ]
    sub_rows = [dict(row) for row in HV_SUBSTATIONS]
    sub_geoms: list[Point] = [hv1, hv2]
    mv_geoms = []
    mv_rows = []
    for name, p, ang, hv in mv_sites:
        r = p.radius * 1.35 + 120
        spot = energy.free_spot(p.x + r * np.cos(ang), p.y + r * np.sin(ang), blockers, 30, rng)
        cap = float(rng.choice([20.0, 25.0, 31.5, 40.0]))
        sub_rows.append(
            {
                "naam": f"{name} 20/10 kV",
                "voltage_kv": "20/10",
                "station_type": "MS/MS",
                "transformers": f"2x{cap / 2:g} MVA",
                "capacity_mva": cap,
                "peak_load_mw": round(cap * rng.uniform(0.45, 0.85), 1),
                "peak_feedin_mw": round(cap * rng.uniform(0.2, 0.9), 1),
                "function": "substation",
            }
        )
        sub_geoms.append(spot)
        mv_geoms.append(energy.mv_line(hv, spot))
        mv_rows.append(
            {
                "naam": f"{'Lindeweer-Oost' if hv is hv1 else 'Zandmeer'} - {name}",
                "voltage_kv": 20,
                "capacity_mva": 12.0,
                "circuits": 2,
                "function": "mv_line",
            }
        )
    hv_geoms = [
        energy.hv_line(hv1, hv2, rng),
        energy.hv_line(hv1, (179_900.0, 491_800.0), rng),
        energy.hv_line(hv2, (210_100.0, 478_500.0), rng),
    ]
    hv_lines = to_gdf(
        {
            "naam": [
                "Lindeweer-Oost - Zandmeer",
                "Lindeweer-Oost - West (buiten regio)",
                "Zandmeer - Oost (buiten regio)",
            ],
            "voltage_kv": [150, 150, 150],
            "capacity_mva": [250.0, 300.0, 300.0],
            "circuits": [2, 2, 2],
            "function": "hv_line",
        },
        hv_geoms,
    )
    return Grid(
        substations=to_gdf(sub_rows, sub_geoms),
        hv_lines=hv_lines,
        mv_lines=to_gdf(mv_rows, mv_geoms),
        hv1=hv1,
        hv2=hv2,
    )
