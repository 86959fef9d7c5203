# SPDX-License-Identifier: Apache-2.0
"""Land eligibility: ruimte against atlite (vector and raster-circular) and the exact reference.

Generates a case with a fixed seed in RD New (towns of clustered building
points, roads, nature and water polygons, HV lines), writes it to a
GeoPackage, then runs each method in its own subprocess and reads its wall
time and peak RSS (VmHWM):

* ``ruimte``            the chunked exact kernel (local threads)
* ``atlite-vector``     ExclusionContainer.add_geometry(buffer=...) + shape_availability
* ``atlite-circular``   features rasterised at the same resolution, then
                        add_raster(buffer=..., buffer_geometry="circular")
* ``reference``         shapely: buffer (512-gon circles), union, difference, tile by tile

Rules: buildings 400 m, roads 100 m, HV lines 150 m, nature and water as they are.

Run::

    .venv/bin/python benchmarks/eligibility.py --size-km 50 --resolution 25
    .venv/bin/python benchmarks/eligibility.py --size-km 100 --resolution 10 --only ruimte

and it prints a Markdown table (append it to benchmarks/eligibility.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from peak_rss import PEAK  # benchmarks/ is on sys.path when a script runs

X0, Y0 = 100_000.0, 400_000.0
CRS = "EPSG:28992"
RULES = {"buildings": 400.0, "roads": 100.0, "hv_lines": 150.0, "nature": 0.0, "water": 0.0}

LOAD = """
import json, sys, time
import geopandas as gpd, numpy as np, shapely
case, res = sys.argv[1], float(sys.argv[2])
RULES = json.loads(sys.argv[3])
reset_peak()
frames = {name: gpd.read_file(case, layer=name) for name in RULES}
area = gpd.read_file(case, layer="area").geometry.iloc[0]
"""
# every method imports its library first; the clock starts at START (after imports and loading)
START = "t0 = time.perf_counter()\n"

METHODS = {
    "ruimte": """
from ruimte.analysis.eligibility import EligibilityProblem, FeatureLayer, Grid, compute_eligibility
from ruimte.analysis.eligibility import eligible_area_m2
START
layers = tuple(FeatureLayer(np.asarray(frames[n].geometry.values, dtype=object), b)
               for n, b in RULES.items())
problem = EligibilityProblem(Grid.covering(area.bounds, res), np.array([area]), layers)
codes, cover = compute_eligibility(problem, chunk=CHUNK, cover=True)
eligible_m2 = eligible_area_m2(cover, problem.grid)
""",
    "atlite-vector": """
import atlite
from atlite.gis import ExclusionContainer, shape_availability
START
ex = ExclusionContainer(crs=28992, res=res)
for n, b in RULES.items():
    ex.add_geometry(frames[n], buffer=b)
mask, transform = shape_availability(gpd.GeoSeries([area], crs=28992), ex)
eligible_m2 = float(mask.sum()) * res * res
""",
    "atlite-circular": """
import os, tempfile
import rasterio
from rasterio.features import rasterize
from atlite.gis import ExclusionContainer, padded_transform_and_shape, shape_availability
START
geom = gpd.GeoSeries([area], crs=28992)
transform, shape = padded_transform_and_shape(geom.total_bounds, res=res)
ex = ExclusionContainer(crs=28992, res=res)
tmp = tempfile.mkdtemp()
for n, b in RULES.items():
    if b == 0:
        ex.add_geometry(frames[n])
        continue
    burnt = rasterize(((g, 1) for g in frames[n].geometry.values), out_shape=shape,
                      transform=transform, fill=0, dtype="uint8")
    path = os.path.join(tmp, n + ".tif")
    with rasterio.open(path, "w", driver="GTiff", width=shape[1], height=shape[0], count=1,
                       dtype="uint8", crs="EPSG:28992", transform=transform, nodata=255) as dst:
        dst.write(burnt, 1)
    del burnt
    ex.add_raster(path, codes=[1], buffer=b, buffer_geometry="circular")
mask, transform = shape_availability(geom, ex)
eligible_m2 = float(mask.sum()) * res * res
""",
    "reference": """
START
tile = 10000.0
xmin, ymin, xmax, ymax = area.bounds
trees = {n: shapely.STRtree(frames[n].geometry.values) for n in RULES}
eligible_m2 = 0.0
for x in np.arange(xmin, xmax, tile):
    for y in np.arange(ymin, ymax, tile):
        box = shapely.box(x, y, x + tile, y + tile).intersection(area)
        if box.is_empty:
            continue
        parts = []
        for n, b in RULES.items():
            geoms = frames[n].geometry.values[trees[n].query(box.buffer(b + 1))]
            if len(geoms) == 0:
                continue
            if b > 0:
                # 256-gon circles: each arc of the union boundary lies at most
                # b (1 - cos(pi/256)) = 3 cm (b = 400 m) inside the true circle
                parts.append(shapely.union_all(shapely.buffer(geoms, b, quad_segs=64)))
            else:
                parts.append(shapely.union_all(geoms))
        blocked = shapely.union_all(parts) if parts else shapely.Polygon()
        eligible_m2 += shapely.difference(box, blocked).area
""",
}

REPORT = """
seconds = time.perf_counter() - t0
print(json.dumps({"eligible_km2": eligible_m2 / 1e6, "seconds": seconds, "peak_mib": peak_mib()}))
"""


def generate_case(size_km: float, seed: int = 42) -> dict[str, gpd.GeoDataFrame]:
    """Generate the benchmark case: densities per 2,500 km² as the issue asks."""
    rng = np.random.default_rng(seed)
    size = size_km * 1000.0
    scale = (size_km / 50.0) ** 2
    n_towns, n_buildings = int(60 * scale), int(200_000 * scale)
    towns = rng.uniform(0.05 * size, 0.95 * size, (n_towns, 2))
    town_size = rng.lognormal(6.3, 0.6, n_towns)  # spread σ in metres (~550 m median)
    weights = town_size**2 / (town_size**2).sum()
    n_farms = int(1500 * scale)
    which = rng.choice(n_towns, n_buildings - n_farms, p=weights)
    pts = towns[which] + rng.normal(0, 1, (which.size, 2)) * town_size[which, None]
    farms = rng.uniform(0, size, (n_farms, 2))
    pts = np.vstack([pts, farms]).clip(0, size)
    buildings = shapely.points(pts + (X0, Y0))
    n_roads = int(5200 * scale)
    starts = np.where(
        rng.random((n_roads, 1)) < 0.6,
        towns[rng.integers(0, n_towns, n_roads)] + rng.normal(0, 800, (n_roads, 2)),
        rng.uniform(0, size, (n_roads, 2)),
    )
    steps = rng.normal(0, 700, (n_roads, 3, 2)).cumsum(axis=1)
    road_xy = np.concatenate([starts[:, None, :], starts[:, None, :] + steps], axis=1)
    roads = shapely.linestrings(road_xy.clip(0, size) + (X0, Y0))

    def blobs(n: int, rmin: float, rmax: float) -> np.ndarray:
        centres = rng.uniform(0, size, (n, 2))
        clouds = centres[:, None, :] + rng.normal(0, 1, (n, 12, 2)) * rng.uniform(
            rmin, rmax, (n, 1, 1)
        )
        hulls = shapely.convex_hull(shapely.multipoints(clouds + (X0, Y0)))
        return shapely.buffer(hulls, rng.uniform(20, 120, n), quad_segs=4)

    nature = blobs(int(320 * scale), 150, 900)
    lakes = blobs(int(100 * scale), 80, 500)
    rivers = shapely.buffer(
        shapely.linestrings(rng.uniform(0, size, (int(4 * max(1, scale**0.5)), 6, 2)) + (X0, Y0)),
        40,
    )
    water = np.concatenate([lakes, rivers])
    hv_xy = np.stack(
        [
            np.column_stack([np.zeros(8), rng.uniform(0, size, 8)]),
            np.column_stack([np.full(8, size), rng.uniform(0, size, 8)]),
        ],
        axis=1,
    )
    hv_lines = shapely.linestrings(hv_xy + (X0, Y0))
    area = shapely.box(X0, Y0, X0 + size, Y0 + size)
    frame = lambda g: gpd.GeoDataFrame(geometry=np.asarray(g), crs=CRS)  # noqa: E731
    return {
        "buildings": frame(buildings),
        "roads": frame(roads),
        "nature": frame(nature),
        "water": frame(water),
        "hv_lines": frame(hv_lines),
        "area": frame([area]),
    }


def run_method(method: str, case: Path, resolution: float, chunk: int = 1024) -> dict:
    """Run one method in a fresh interpreter; return its figures (or its error)."""
    body = textwrap.dedent(METHODS[method]).replace("START\n", START)
    code = PEAK + LOAD + f"CHUNK = {chunk}\n" + body + REPORT
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, str(case), str(resolution), json.dumps(RULES)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"method": method, "error": proc.stderr.strip().splitlines()[-1:]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["method"] = method
    out["process_seconds"] = time.perf_counter() - start
    return out


def main() -> None:
    """Generate (or reuse) the case, run the methods, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-km", type=float, default=50.0)
    parser.add_argument("--resolution", type=float, default=25.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", nargs="*", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ruimte-bench-eligibility"))
    parser.add_argument("--reference-km2", type=float, help="Reuse a reference area (km²).")
    parser.add_argument("--chunk", type=int, default=1024, help="ruimte chunk edge in cells.")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    case = args.workdir / f"case_{args.size_km:g}km_seed{args.seed}.gpkg"
    if not case.exists():
        for name, frame in generate_case(args.size_km, args.seed).items():
            frame.to_file(case, layer=name, driver="GPKG")
    counts = {n: len(gpd.read_file(case, layer=n)) for n in RULES}
    print(f"case {case.name}: {counts}; resolution {args.resolution:g} m", file=sys.stderr)
    results = []
    for method in args.only:
        print(f"running {method} ...", file=sys.stderr)
        results.append(run_method(method, case, args.resolution, args.chunk))
        print(json.dumps(results[-1]), file=sys.stderr)
    ref = next(
        (r["eligible_km2"] for r in results if r["method"] == "reference" and "eligible_km2" in r),
        args.reference_km2,
    )
    base = next((r for r in results if r["method"] == "ruimte" and "seconds" in r), None)
    print(
        "\n| method | eligible km² | error vs exact | seconds | ruimte faster by | peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            print(f"| {r['method']} | failed: {r['error']} | | | | |")
            continue
        err = f"{(r['eligible_km2'] - ref) / ref * 100:+.4f} %" if ref else "n/a"
        ratio = f"{r['seconds'] / base['seconds']:.1f}×" if base else "n/a"
        print(
            f"| {r['method']} | {r['eligible_km2']:.3f} | {err} | {r['seconds']:.1f} | "
            f"{ratio} | {r['peak_mib']:.0f} |"
        )
    print(
        json.dumps(
            {"case": case.name, "counts": counts, "resolution": args.resolution, "results": results}
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
