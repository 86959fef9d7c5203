# SPDX-License-Identifier: Apache-2.0
"""Generate the fictional demo planning region *Middenwaard* (pure, deterministic).

Middenwaard is a 30 × 30 km square in RD New (x 180 000–210 000, y 470 000–500 000)
with four municipalities, a meandering river, lakes, nature, towns, farmland,
energy infrastructure and the planning layer (claims, plans, targets, scenarios,
stakeholders). All names are fictional. Nothing is written to disk.

The ``NL`` (national) region's geometry is simply the region square: the demo
has no data outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from shapely.geometry import MultiPolygon, Point, box

from ruimte.demo import buildings as bld
from ruimte.demo import energy, farmland, landscape, planning, raster
from ruimte.demo._geom import as_multipolygon, rotated_boxes
from ruimte.demo.landscape import BOUNDS, PLACES, SQUARE, STATION_XY, river_y

CRS = "EPSG:28992"
SOURCE = "ruimte demo generator, seed {seed}"
LICENCE = "CC0-1.0, fictional data"


@dataclass(frozen=True)
class RasterSpec:
    """A raster layer: array plus georeferencing and class meaning.

    Attributes
    ----------
    array : numpy.ndarray
        2-D array (rows north to south).
    transform : affine.Affine
        Pixel to RD coordinates.
    crs : str
        Coordinate reference system.
    nodata : int or float or None
        Nodata value.
    class_functions : dict of int to str
        Class value to vocabulary function id (empty for continuous rasters).
    description : str
        Human readable description.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    nodata: int | float | None
    class_functions: dict[int, str]
    description: str


@dataclass
class DemoRegion:
    """All frames of the demo region, ready for a workspace."""

    regions: gpd.GeoDataFrame
    datasets: dict[str, gpd.GeoDataFrame]
    dataset_info: dict[str, dict]
    rasters: dict[str, RasterSpec]
    claims: gpd.GeoDataFrame
    plans: pd.DataFrame
    targets: pd.DataFrame
    scenarios: pd.DataFrame
    stakeholders: pd.DataFrame
    crs: str = CRS
    bounds: tuple[float, float, float, float] = field(default=BOUNDS)


def _gdf(records: dict | list[dict], geometry: np.ndarray | list | None = None) -> gpd.GeoDataFrame:
    df = pd.DataFrame(records)
    if geometry is not None:
        df["geometry"] = list(geometry)
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)


def _regions(munis: dict[str, MultiPolygon]) -> gpd.GeoDataFrame:
    sq = MultiPolygon([SQUARE])
    rows = [
        ("NL", "Nederland (demo extent)", "national", None, sq),
        ("PV99", "Provincie Middenwaard", "province", "NL", sq),
        ("ES99", "RES Middenwaard", "res_region", "PV99", sq),
    ]
    names = dict(landscape.MUNICIPALITIES)
    rows += [(code, names[code], "municipality", "ES99", geom) for code, geom in munis.items()]
    return _gdf(
        [
            dict(zip(["code", "name", "level", "parent_code", "geometry"], r, strict=True))
            for r in rows
        ]
    )


def generate_demo_region(
    seed: int = 2026, *, progress: Callable[[str], None] | None = None
) -> DemoRegion:
    """Generate the fictional demo region Middenwaard.

    Parameters
    ----------
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same seed gives identical frames.
    progress : callable, optional
        Called with a short message before each step.

    Returns
    -------
    DemoRegion
        Regions, vector datasets with provenance, a 25 m land-use raster, claims,
        plans, targets, scenarios and stakeholders, all in EPSG:28992.
    """
    say = progress or (lambda _msg: None)
    rng = np.random.default_rng(seed)
    lay = landscape.Layout()

    say("regions and landscape")
    munis = landscape.make_municipalities(rng)
    lay.outlines = {p.name: landscape.town_outline(p, rng) for p in PLACES}
    lin = PLACES[0]
    oos = PLACES[1]
    lay.business_parks = {
        "Lindeweer": bld.park_box(lin, lay.outlines["Lindeweer"], 1_150, -750, 2_700, 250),
        "Oosterbroek": bld.park_box(oos, lay.outlines["Oosterbroek"], -450, -1_650, 550, -850),
    }
    lay.river_line, lay.river = landscape.make_river()
    lay.canal_line = landscape.make_canal()
    lay.roads, lay.railway = landscape.make_roads(rng, lay.outlines)
    built = lay.built_up()

    # --- the planning hot spots (fixed relative to the landscape) -----------------------
    lo = lay.outlines["Lindeweer"]
    yn = shapely.intersection(lo, box(lin.x - 400, lin.y, lin.x + 400, lin.y + 5_000)).bounds[3]
    housing_zone = box(lin.x - 390, yn + 5, lin.x + 390, yn + 775)
    housing_zone_amb = box(lin.x - 390, yn + 5, lin.x + 640, yn + 775)
    solar_housing = box(lin.x + 200, yn + 500, lin.x + 700, yn + 1_000)
    lpark = lay.business_parks["Lindeweer"]
    px0, py0, px1, py1 = lpark.bounds
    park_expansion = box(px1 + 5, py0, px1 + 505, py0 + 500)
    xs = np.arange(192_500, 199_500, 50.0)
    y_c = float(river_y(xs).max()) + 1_300
    xa, xb, xm = 194_200.0, 197_800.0, 196_000.0
    ws_bottom = float(river_y(np.arange(xm - 300, xm + 301, 10)).max()) + 90
    ws_top = y_c - 250
    ws_w = 400_000.0 / (ws_top - ws_bottom)
    water_storage = box(xm - ws_w / 2, ws_bottom, xm + ws_w / 2, ws_top)
    corridor_box = box(xa, y_c - 500, xb, y_c + 500)
    solar_nature = box(xm, y_c - 480, xm + 500, y_c + 20)
    hot = shapely.union_all(
        [
            housing_zone_amb,
            solar_housing,
            park_expansion,
            box(xa - 1_300, ws_bottom - 100, xb + 1_300, y_c + 1_400),
        ]
    )

    say("water and nature")
    corr = lay.corridors()
    lay.lakes = landscape.make_lakes(
        rng,
        shapely.union_all(
            [
                shapely.buffer(built, 400),
                shapely.buffer(corr, 60),
                shapely.buffer(lay.river, 300),
                hot,
                shapely.buffer(landscape.canal_polygon(lay.canal_line), 200),
            ]
        ),
    )
    water = lay.water()
    lay.nature = landscape.make_nature(
        rng,
        [(xa, y_c), (xb, y_c)],
        avoid=shapely.union_all([shapely.buffer(built, 900), hot]),
        remove=shapely.union_all([shapely.buffer(built, 150), shapely.buffer(water, 10)]),
    )
    corridor = shapely.difference(
        corridor_box, shapely.union_all([n["geometry"] for n in lay.nature[:2]])
    )
    nature_union = shapely.union_all([n["geometry"] for n in lay.nature])

    say("wind turbine sites")
    t_forbid = shapely.union_all(
        [
            shapely.buffer(built, 900),
            shapely.buffer(nature_union, 150),
            shapely.buffer(water, 100),
            shapely.buffer(corr, 150),
            shapely.buffer(hot, 300),
        ]
    )
    exist_lines = energy.place_turbine_lines(rng, [4, 5, 4], t_forbid)
    prop_lines = energy.place_turbine_lines(
        rng, [4, 2], t_forbid, taken=np.concatenate(exist_lines)
    )
    all_turbines = np.concatenate(exist_lines + prop_lines)

    say("buildings")
    obstacles = shapely.union_all(
        [shapely.buffer(corr, 4.0), shapely.buffer(water, 8.0), nature_union]
    )
    obstacle_parts = shapely.get_parts(obstacles)
    geoms, doel, years, places, streets = [], [], [], [], []
    for p in PLACES:
        angle = float(rng.uniform(-0.4, 0.4))
        t = bld.town_blocks(p, lay.outlines[p.name], angle, rng)
        h = t["houses"]
        if p.name in lay.business_parks:
            h_ok = ~shapely.intersects(h, shapely.buffer(lay.business_parks[p.name], 15))
            h, yrs = h[h_ok], t["bouwjaar"][h_ok]
        else:
            yrs = t["bouwjaar"]
        geoms.append(h)
        doel.append(np.full(h.size, "woonfunctie"))
        years.append(yrs)
        places.append(np.full(h.size, p.name))
        streets.append(t["streets"])
    for name, park in lay.business_parks.items():
        b = bld.business_park_halls(park, rng)
        geoms.append(b["halls"])
        doel.append(b["gebruiksdoel"])
        years.append(b["bouwjaar"])
        places.append(np.full(b["halls"].size, name))
        streets.append(b["streets"])
    polder = np.array([r["geometry"] for r in lay.roads if r["wegtype"] == "local"])
    farms = bld.farmsteads(
        polder,
        rng,
        forbidden=shapely.union_all([built, hot]),
        corridors=shapely.union_all(
            [shapely.buffer(water, 20), nature_union, shapely.buffer(corr, 2.0)]
        ),
        keep_clear=all_turbines,
        clear_m=400.0,
    )
    geoms.append(farms["geoms"])
    doel.append(farms["gebruiksdoel"])
    years.append(farms["bouwjaar"])
    munis_arr = np.array(list(munis.values()))
    fc = shapely.centroid(farms["geoms"])
    mi = shapely.STRtree(munis_arr).query(fc, predicate="within")
    farm_muni = np.empty(fc.size, dtype=object)
    farm_muni[mi[0]] = np.array(list(munis.keys()))[mi[1]]
    mname = dict(landscape.MUNICIPALITIES)
    places.append(np.array(["buitengebied " + mname[c] for c in farm_muni]))
    all_b = np.concatenate(geoms)
    b_doel = np.concatenate(doel)
    b_year = np.concatenate(years).astype("int64")
    b_place = np.concatenate(places)
    # drop buildings hitting roads, rail, water or nature, then any mutual overlaps
    tree = shapely.STRtree(all_b)
    hit = np.unique(tree.query(obstacle_parts, predicate="intersects")[1])
    keep = np.ones(all_b.size, bool)
    keep[hit] = False
    pairs = tree.query(all_b, predicate="intersects")
    pairs = pairs[:, pairs[0] < pairs[1]]
    keep[pairs[1]] = False
    all_b, b_doel, b_year, b_place = all_b[keep], b_doel[keep], b_year[keep], b_place[keep]
    areas = np.round(shapely.area(all_b), 1)
    buildings = _gdf(
        {
            "identificatie": [f"9999100{i:09d}" for i in range(all_b.size)],
            "gebruiksdoel": b_doel,
            "bouwjaar": b_year,
            "oppervlakte_m2": areas,
            "woonplaats": b_place,
            "function": [bld.GEBRUIKSDOEL_FUNCTIONS[d] for d in b_doel],
        },
        all_b,
    )
    btree = shapely.STRtree(all_b)

    say("deliberate setback violation")
    vel = [p for p in PLACES if p.name == "Veldrode"][0]
    vel_b = all_b[(b_place == "Veldrode") & (b_doel == "woonfunctie")]
    far = vel_b[np.argmax(shapely.get_x(shapely.centroid(vel_b)))]
    viol = Point(far.centroid.x + 320.0, vel.y)
    viol_dist = float(shapely.distance(all_b[btree.nearest(viol)], viol))

    say("farmland")
    town_streets = np.concatenate(streets)
    yards = farms["yards"]
    rural_block = shapely.union_all(
        [built, water, nature_union, shapely.buffer(corr, 0.5), shapely.union_all(yards)]
    )
    rural = shapely.difference(SQUARE, rural_block)
    parcels = farmland.parcels(rural, rng)
    codes = farmland.assign_crops(parcels, rng, glass_centre=(PLACES[2].x + 1_600, PLACES[2].y))
    # existing solar parks: arable parcels of 5-40 ha, far apart and away from hot spots
    pa = shapely.area(parcels) / 1e4
    cand = np.flatnonzero(
        (pa >= 6)
        & (pa <= 38)
        & np.isin(codes, ["259", "2014", "233", "256"])
        & ~shapely.intersects(parcels, shapely.buffer(hot, 200))
    )
    cand = rng.permutation(cand)
    chosen: list[int] = []
    for i in cand:
        c = parcels[i].centroid
        if all(c.distance(parcels[j].centroid) > 4_000 for j in chosen):
            chosen.append(int(i))
        if len(chosen) == 4:
            break
    solar_geoms = parcels[chosen]
    is_farm = np.ones(parcels.size, bool)
    is_farm[chosen] = False
    parcels, codes = parcels[is_farm], codes[is_farm]
    farm = _gdf(
        {
            "gewascode": codes,
            "gewas": [farmland.CROPS[c][0] for c in codes],
            "function": [farmland.CROPS[c][1] for c in codes],
            "oppervlakte_ha": np.round(shapely.area(parcels) / 1e4, 2),
        },
        [as_multipolygon(g) for g in parcels],
    )
    solar_ha = shapely.area(solar_geoms) / 1e4
    solar = _gdf(
        {
            "naam": [
                "Zonnepark De Kampen",
                "Zonnepark Haverweide",
                "Zonnepark Waardzicht",
                "Zonnepark Oude Akker",
            ][: len(chosen)],
            "oppervlakte_ha": np.round(solar_ha, 2),
            "capacity_mwp": np.round(solar_ha / 1.2, 2),
            "opgeleverd": rng.integers(2017, 2024, len(chosen)),
            "function": "solar_field",
        },
        [as_multipolygon(g) for g in solar_geoms],
    )

    say("energy infrastructure")
    wt_rows, wt_geoms = [], []
    park_names = ["Windpark Kampsveld", "Windpark Waardlanden", "Windpark Hoge Dijk"]
    for k, pts in enumerate(exist_lines):
        cap, rotor, hub, y0, y1 = energy.TURBINE_TYPES[k % 3]
        year = int(rng.integers(y0, y1 + 1))
        for j, pnt in enumerate(pts):
            wt_rows.append(
                {
                    "naam": f"{park_names[k]} WTG{j + 1}",
                    "windpark": park_names[k],
                    "capacity_mw": cap,
                    "rotor_m": rotor,
                    "hub_height_m": hub,
                    "tip_height_m": hub + rotor / 2,
                    "commissioned": year,
                    "function": "wind_turbine",
                }
            )
            wt_geoms.append(pnt)
    turbines = _gdf(wt_rows, wt_geoms)
    turbines["commissioned"] = turbines["commissioned"].astype("int64")

    blockers = shapely.STRtree(np.concatenate([all_b, shapely.get_parts(obstacles)]))
    hv1 = energy.free_spot((px0 + px1) / 2, py0 - 150, blockers, 40, rng)
    zan = PLACES[2]
    hv2 = energy.free_spot(zan.x + 1_350, zan.y + 500, blockers, 40, rng)
    mv_sites = [
        ("Lindeweer-West", lin, np.pi, hv1),
        ("Oosterbroek", oos, -2.3, hv1),
        ("Eikelhoven", PLACES[4], -0.8, hv1),
        ("Zandmeer-Noord", zan, 1.7, hv2),
        ("Haverlo", PLACES[3], 0.3, hv2),
        ("Veldrode", vel, -1.9, hv2),
        ("Aldwoude", PLACES[8], 2.6, hv2),
    ]
    sub_rows = [
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
    substations = _gdf(sub_rows, sub_geoms)
    hv_geoms = [
        energy.hv_line(hv1, hv2, rng),
        energy.hv_line(hv1, (179_900.0, 491_800.0), rng),
        energy.hv_line(hv2, (210_100.0, 478_500.0), rng),
    ]
    hv_lines = _gdf(
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
    mv_lines = _gdf(mv_rows, mv_geoms)

    say("roads, rail and water layers")
    road_rows = [{k: v for k, v in r.items() if k != "geometry"} for r in lay.roads]
    road_geoms = [r["geometry"] for r in lay.roads]
    road_rows += [{"naam": "", "wegtype": "local", "breedte_m": 8.0}] * town_streets.size
    road_geoms += list(town_streets)
    roads = _gdf(road_rows, road_geoms)
    roads["function"] = "road"
    railway = _gdf(
        [
            {
                "naam": "Spoorlijn Westwaard - Oostwaard",
                "sporen": 2,
                "geelektrificeerd": True,
                "station": "Lindeweer",
                "function": "railway",
            }
        ],
        [lay.railway],
    )
    rivers = _gdf(
        [{"naam": "De Waard", "type": "rivier", "breedte_m": 120.0, "function": "surface_water"}],
        [as_multipolygon(lay.river)],
    )
    waterways = _gdf(
        [
            {
                "naam": "Middenwaardkanaal",
                "type": "kanaal",
                "breedte_m": 40.0,
                "cemt_klasse": "Va",
                "function": "waterway",
            }
        ],
        [lay.canal_line],
    )
    lakes = _gdf(
        [{"naam": lk["naam"], "type": lk["type"], "function": "surface_water"} for lk in lay.lakes],
        [as_multipolygon(lk["geometry"]) for lk in lay.lakes],
    )
    nature = _gdf(
        [{k: v for k, v in n.items() if k != "geometry"} for n in lay.nature],
        [n["geometry"] for n in lay.nature],
    )

    say("claims")
    claims = planning.claims_frame(
        _claims(
            lay,
            housing_zone,
            housing_zone_amb,
            solar_housing,
            park_expansion,
            corridor,
            water_storage,
            solar_nature,
            farm,
            prop_lines,
            viol,
            viol_dist,
            hv1,
            hv2,
            rng,
        )
    )

    say("land-use raster")
    cls = {"265": 1, "266": 1, "259": 2, "2014": 2, "233": 2, "256": 2, "9901": 8}
    fgeo = farm.geometry.to_numpy()
    farm_cls = np.array([cls[c] for c in farm["gewascode"]])
    main_lines = [r["geometry"] for r in lay.roads if r["wegtype"] != "local"] + [lay.railway]
    layers = [
        (fgeo[farm_cls == 1], 1),
        (fgeo[farm_cls == 2], 2),
        (fgeo[farm_cls == 8], 8),
        (solar.geometry, 28),
        (nature.geometry[nature["function"] == "forest"], 11),
        (nature.geometry[nature["function"] == "nature_reserve"], 20),
        (list(lay.outlines.values()) + list(lay.business_parks.values()), 18),
        (farms["yards"], 18),
        (main_lines, 25),
        (
            [lay.river, landscape.canal_polygon(lay.canal_line)]
            + [lk["geometry"] for lk in lay.lakes],
            16,
        ),
    ]
    grid = raster.landuse_grid(layers)
    landuse = RasterSpec(
        grid,
        raster.landuse_transform(),
        CRS,
        0,
        {k: v[1] for k, v in raster.LANDUSE_CLASSES.items()},
        "25 m LGN-like land-use classes rasterised from the demo vector layers "
        "(water burnt last, then roads under it); 0 = nodata. Classes: "
        + ", ".join(f"{k} {v[0]}" for k, v in raster.LANDUSE_CLASSES.items()),
    )

    datasets = {
        "buildings": buildings,
        "roads": roads,
        "railway": railway,
        "rivers": rivers,
        "waterways": waterways,
        "lakes": lakes,
        "nature": nature,
        "farmland": farm,
        "wind_turbines": turbines,
        "solar_parks": solar,
        "substations": substations,
        "hv_lines": hv_lines,
        "mv_lines": mv_lines,
    }
    info = _dataset_info(seed)
    return DemoRegion(
        regions=_regions(munis),
        datasets=datasets,
        dataset_info=info,
        rasters={"landuse": landuse},
        claims=claims,
        plans=planning.plans(),
        targets=planning.targets(),
        scenarios=planning.scenarios(),
        stakeholders=planning.stakeholders(),
    )


def _dataset_info(seed: int) -> dict[str, dict]:
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


def _claim(
    cid: str,
    function: str,
    transition: str,
    quantity: float,
    unit: str,
    region: str,
    owner: str,
    level: str,
    plan: str,
    status: str,
    year: int,
    scenario: str,
    desc: str,
    geom: object,
) -> dict:
    return {
        "claim_id": cid,
        "function": function,
        "transition": transition,
        "quantity": float(quantity),
        "unit": unit,
        "region_code": region,
        "owner": owner,
        "governance_level": level,
        "plan_id": plan,
        "status": status,
        "horizon_year": year,
        "scenario": scenario,
        "description": desc,
        "geometry": geom,
    }


def _claims(
    lay: landscape.Layout,
    housing_zone,
    housing_zone_amb,
    solar_housing,
    park_expansion,
    corridor,
    water_storage,
    solar_nature,
    farm: gpd.GeoDataFrame,
    prop_lines: list[np.ndarray],
    viol: Point,
    viol_dist: float,
    hv1: Point,
    hv2: Point,
    rng: np.random.Generator,
) -> list[dict]:
    """The claim records of both scenarios (see the module docstring of the brief)."""
    gl, prov, res, ws = (
        "Gemeente Lindeweer",
        "Provincie Middenwaard",
        "RES Middenwaard",
        "Waterschap Middenwaard",
    )
    net = "Netbeheer Middenwaard"

    def ha(g) -> float:
        return round(g.area / 1e4, 1)

    # mobility hub at the station, energy hub next to it, both along the railway
    (x0, y0), (x1, y1) = STATION_XY, (179_900.0, 487_000.0)
    ang = float(np.arctan2(y0 - y1, x0 - x1))
    nx, ny = np.sin(ang), -np.cos(ang)  # south side of the railway
    cx, cy = x0 + nx * 90, y0 + ny * 90
    mob = rotated_boxes([cx], [cy], [130.0], [115.0], ang)[0]
    ex, ey = cx + np.cos(ang) * 110, cy + np.sin(ang) * 110
    ehub = rotated_boxes([ex], [ey], [80.0], [70.0], ang)[0]
    # solar field on grassland that could be shared with sheep grazing
    grass = farm[
        (farm["gewascode"] == "265")
        & farm.geometry.area.between(15e4, 35e4)
        & ~farm.geometry.intersects(shapely.buffer(housing_zone_amb, 3_000))
    ]
    sheep = grass.geometry.iloc[int(rng.integers(0, len(grass)))]
    battery = box(hv1.x + 45, hv1.y - 30, hv1.x + 125, hv1.y + 30)
    electrolyser = box(hv2.x - 130, hv2.y - 40, hv2.x - 45, hv2.y + 40)
    lake = lay.lakes[0]["geometry"]
    lb = lake.bounds
    floating = shapely.intersection(lake, box(lb[0], lb[1], (lb[0] + lb[2]) / 2, lb[3]))
    turb = prop_lines[0]
    amb_turb = prop_lines[1]
    mw = energy.PROPOSED_TYPE[0]
    rec = [
        _claim(
            "C001",
            "housing",
            "housing",
            1_800,
            "homes",
            "GM9901",
            gl,
            "municipality",
            "P05",
            "proposed",
            2030,
            "basis",
            f"Woonwijk Lindeweer-Noord: 1,800 homes on {ha(housing_zone):g} ha (≈30 homes/ha)",
            housing_zone,
        ),
        _claim(
            "C002",
            "nature_reserve",
            "nature",
            ha(corridor),
            "ha",
            "ES99",
            prov,
            "province",
            "P07",
            "proposed",
            2030,
            "basis",
            "Natuurverbinding Waardse Uiterwaarden - Kampse Heide: nature restoration "
            "connecting two nature areas",
            corridor,
        ),
        _claim(
            "C003",
            "water_storage",
            "climate_adaptation",
            ha(water_storage),
            "ha",
            "ES99",
            ws,
            "res_region",
            "P08",
            "adopted",
            2030,
            "basis",
            "Waterberging De Waard: retention area along the river",
            water_storage,
        ),
        _claim(
            "C004",
            "mobility_hub",
            "mobility",
            ha(mob),
            "ha",
            "GM9901",
            gl,
            "municipality",
            "P05",
            "proposed",
            2028,
            "basis",
            "Mobiliteitshub Station Lindeweer: P+R, bike parking, shared cars",
            mob,
        ),
        _claim(
            "C005",
            "energy_hub",
            "energy",
            12,
            "MW",
            "GM9901",
            net,
            "province",
            "P06",
            "idea",
            2028,
            "basis",
            "Energiehub Station Lindeweer: solar carports, battery and "
            "charging plaza next to the mobility hub",
            ehub,
        ),
    ]
    for i, p in enumerate(turb):
        rec.append(
            _claim(
                f"C{6 + i:03d}",
                "wind_turbine",
                "energy",
                mw,
                "MW",
                "ES99",
                res,
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
    n = 6 + len(turb)
    rec += [
        _claim(
            f"C{n:03d}",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            res,
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            f"RES turbine near Veldrode: deliberately {viol_dist:.0f} m from the nearest "
            "dwelling, inside the 400 m rule of thumb (setback violation)",
            viol,
        ),
        _claim(
            f"C{n + 1:03d}",
            "solar_field",
            "energy",
            round(ha(solar_nature) / 1.2, 1),
            "MWp",
            "ES99",
            res,
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            "Zonneveld Waardse Kampen: overlaps the nature restoration and water storage",
            solar_nature,
        ),
        _claim(
            f"C{n + 2:03d}",
            "solar_field",
            "energy",
            round(ha(sheep) / 1.2, 1),
            "MWp",
            "ES99",
            "Energiecoöperatie Waardkracht",
            "res_region",
            "P01",
            "proposed",
            2030,
            "basis",
            "Zonneweide on permanent grassland, can be shared with sheep grazing",
            sheep,
        ),
        _claim(
            f"C{n + 3:03d}",
            "solar_field",
            "energy",
            round(ha(solar_housing) / 1.2, 1),
            "MWp",
            "GM9901",
            "Zonnepark Ontwikkeling Middenwaard B.V.",
            "res_region",
            "P01",
            "idea",
            2030,
            "basis",
            "Zonnepark Lindeweer-Noord: partly overlaps the housing expansion",
            solar_housing,
        ),
        _claim(
            f"C{n + 4:03d}",
            "business_park",
            "economy",
            ha(park_expansion),
            "ha",
            "GM9901",
            gl,
            "municipality",
            "P05",
            "proposed",
            2032,
            "basis",
            "Uitbreiding bedrijventerrein Lindeweer-Oost",
            park_expansion,
        ),
        _claim(
            f"C{n + 5:03d}",
            "battery",
            "energy",
            20,
            "MW",
            "GM9901",
            net,
            "province",
            "P06",
            "proposed",
            2027,
            "basis",
            "Batterij 20 MW / 40 MWh next to substation Lindeweer-Oost",
            battery,
        ),
        _claim(
            f"C{n + 6:03d}",
            "solar_field",
            "energy",
            80,
            "ha",
            "GM9903",
            res,
            "res_region",
            "P01",
            "idea",
            2030,
            "basis",
            "80 ha solar in Zandmeer, location not yet chosen",
            None,
        ),
        _claim(
            f"C{n + 7:03d}",
            "housing",
            "housing",
            1_500,
            "homes",
            "GM9902",
            "Gemeente Oosterbroek",
            "municipality",
            "P04",
            "adopted",
            2030,
            "basis",
            "1,500 homes in Oosterbroek (woondeal), location not yet chosen",
            None,
        ),
        _claim(
            f"C{n + 8:03d}",
            "heat_network",
            "energy",
            3_000,
            "homes",
            "GM9902",
            "Gemeente Oosterbroek",
            "municipality",
            "P09",
            "idea",
            2035,
            "basis",
            "Warmtenet Oosterbroek for 3,000 homes, route not yet chosen",
            None,
        ),
    ]
    # ambitie: extra and replacing claims
    rec += [
        _claim(
            "C101",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            res,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: extra turbine 1",
            amb_turb[0],
        ),
        _claim(
            "C102",
            "wind_turbine",
            "energy",
            mw,
            "MW",
            "ES99",
            res,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: extra turbine 2",
            amb_turb[1],
        ),
        _claim(
            "C103",
            "floating_solar",
            "energy",
            round(ha(floating) / 1.2, 1),
            "MWp",
            "ES99",
            res,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            f"Ambitie: floating solar on half of {lay.lakes[0]['naam']}",
            floating,
        ),
        _claim(
            "C104",
            "housing",
            "housing",
            2_400,
            "homes",
            "GM9901",
            gl,
            "municipality",
            "P05",
            "idea",
            2035,
            "ambitie",
            f"Ambitie: Lindeweer-Noord enlarged to 2,400 homes on {ha(housing_zone_amb):g} ha "
            "(replaces C001)",
            housing_zone_amb,
        ),
        _claim(
            "C105",
            "electrolyser",
            "energy",
            20,
            "MW",
            "GM9903",
            net,
            "province",
            "P06",
            "idea",
            2032,
            "ambitie",
            "Ambitie: 20 MW electrolyser next to substation Zandmeer",
            electrolyser,
        ),
        _claim(
            "C106",
            "solar_field",
            "energy",
            120,
            "ha",
            "GM9904",
            res,
            "res_region",
            "P01",
            "idea",
            2030,
            "ambitie",
            "Ambitie: 120 ha solar in Haverlo, not yet located",
            None,
        ),
    ]
    return rec


__all__ = ["DemoRegion", "RasterSpec", "generate_demo_region"]
