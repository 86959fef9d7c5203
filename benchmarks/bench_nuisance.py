# SPDX-License-Identifier: Apache-2.0
"""Nuisance benchmarks: noise and shadow flicker for 100 turbines and 200k dwellings.

Generated input: 100 turbines of the default type (rotor 123 m, hub 125.5 m,
LwA 106 dB(A)) on a 10 x 10 grid with 3 km spacing, and 200,000 dwellings
uniformly random over the 33 x 33 km square around them. Cases:

1. noise at every dwelling (ISO 9613-2, energy sum over all 100 turbines);
2. noise contours at the four noise norms (10 m raster, polygonised);
3. astronomical worst-case shadow flicker at every dwelling (pvlib, 10-minute
   steps over a year, dwellings within 12 rotor diameters);
4. viewshed to the blade tip on a synthetic DEM (rolling hills of +-85 m, 10 m cells over
   the square plus 10 km, written as a GeoTIFF; averaged to the 25 m working cell);
5. the peer: plain geopandas, dwellings within the single-turbine 47 dB Lden
   radius (``buffer`` + ``sjoin``), which ignores that levels add up.

Each case runs in a fresh process so that peak RSS (VmHWM) is its own.

    python benchmarks/bench_nuisance.py [--dwellings 200000] [--turbines 100]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

from peak_rss import PEAK  # noqa: E402  (benchmarks/ is on sys.path)

SETUP = (
    PEAK
    + """
import sys, time, math
from pathlib import Path
import numpy as np
n_dw, n_t = int(sys.argv[1]), int(sys.argv[2])
side = int(math.ceil(math.sqrt(n_t)))
g = np.arange(side) * 3000.0 + 200_000.0
tx, ty = [a.ravel()[:n_t] for a in np.meshgrid(g, g + 250_000.0)]
rng = np.random.default_rng(19)
lo_x, hi_x = tx.min() - 1500, tx.max() + 1500
lo_y, hi_y = ty.min() - 1500, ty.max() + 1500
rx, ry = rng.uniform(lo_x, hi_x, n_dw), rng.uniform(lo_y, hi_y, n_dw)
lwa, hub, rotor = np.full(n_t, 106.0), np.full(n_t, 125.5), np.full(n_t, 123.0)
from ruimte.analysis.nuisance.settings import load_method, load_norms
noise_m, flick_m = load_method()
"""
)

CASES = {
    "noise at dwellings": SETUP
    + """
from ruimte.analysis.nuisance.noise import leq_db
t = time.perf_counter()
lden = leq_db(tx, ty, lwa, hub, rx, ry, noise_m) + noise_m.lden_offset_db
sec = time.perf_counter() - t
print(sec, peak_mib(), f"{int((lden > 47).sum())} dwellings over 47 dB Lden")
""",
    "noise contours (4 norms, 10 m)": SETUP
    + """
from ruimte.analysis.nuisance.noise import noise_contours
off = noise_m.lden_offset_db
th = {"lden47": (47, off), "lnight41": (41, 0.0), "lden45": (45, off), "lnight39": (39, 0.0)}
t = time.perf_counter()
c = noise_contours(tx, ty, lwa, hub, th, noise_m)
sec = time.perf_counter() - t
print(sec, peak_mib(), f"47 dB Lden contour {c['area_ha'].iloc[0]:.0f} ha")
""",
    "shadow flicker at dwellings": SETUP
    + """
from ruimte.analysis.nuisance.flicker import shadow_flicker, sun_path
t = time.perf_counter()
sun = sun_path(52.5, 5.5, flick_m)
out = shadow_flicker(tx, ty, hub, rotor, rx, ry, sun, flick_m)
sec = time.perf_counter() - t
pairs = int(out["flicker_turbines"].sum())
print(sec, peak_mib(), f"{pairs} dwelling-turbine pairs x {sun.vectors.shape[0]} steps; "
      f"{int((out['flicker_days_over_20min'] > 17).sum())} dwellings over 17 days > 20 min")
""",
    "viewshed on a DEM (10 km reach, 25 m cell)": SETUP
    + """
import tempfile, geopandas as gpd, pandas as pd, rasterio, shapely
from rasterio.transform import from_origin
from ruimte.analysis.nuisance.settings import load_bands
from ruimte.analysis.nuisance.viewshed import load_viewshed_method, viewshed
cell, pad = 10.0, 11_000.0
x0, y1 = tx.min() - pad, ty.max() + pad
w, h = int((tx.max() - tx.min() + 2 * pad) / cell), int((ty.max() - ty.min() + 2 * pad) / cell)
yy, xx = np.ogrid[0:h, 0:w]
yy, xx = (yy * cell).astype("float32"), (xx * cell).astype("float32")
z = 60 * np.sin(xx / 1700) * np.cos(yy / 2300) + 25 * np.sin(xx / 430 + yy / 610)
dem = Path(tempfile.mkdtemp()) / "dem.tif"
with rasterio.open(dem, "w", driver="GTiff", height=h, width=w, count=1, dtype="float32",
                   crs="EPSG:28992", transform=from_origin(x0, y1, cell, cell), tiled=True) as d:
    d.write(z, 1)
del z, xx, yy
turb = gpd.GeoDataFrame({"hub_height_m": hub, "rotor_m": rotor}, geometry=shapely.points(tx, ty),
                        crs="EPSG:28992")
t = time.perf_counter()
view, _ = viewshed(dem, "synthetic", turb, load_bands(), load_viewshed_method())
bands = view.band_of(rx, ry, load_bands())
sec = time.perf_counter() - t
hidden, nv = int((view.band_index == -1).sum()), int((bands == "not visible").sum())
print(sec, peak_mib(), f"{view.band_index.size} cells, {hidden} not visible; "
      f"{nv} of {len(rx)} dwellings see no tip")
""",
    "peer: geopandas buffer + sjoin (47 dB radius, no summation)": SETUP
    + """
import geopandas as gpd, shapely
from ruimte.analysis.nuisance.noise import contour_radius_m
t = time.perf_counter()
r = contour_radius_m(106.0, 125.5, 47.0, noise_m, offset_db=noise_m.lden_offset_db)
discs = gpd.GeoDataFrame(geometry=shapely.buffer(shapely.points(tx, ty), r), crs="EPSG:28992")
pts = gpd.GeoDataFrame(geometry=shapely.points(rx, ry), crs="EPSG:28992")
hits = gpd.sjoin(pts, discs, predicate="within")
sec = time.perf_counter() - t
print(sec, peak_mib(), f"{hits.index.nunique()} dwellings within {r:.0f} m")
""",
}


def main() -> None:
    """Run every case once in a fresh process and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dwellings", type=int, default=200_000)
    parser.add_argument("--turbines", type=int, default=100)
    args = parser.parse_args()
    print(f"{args.turbines} turbines, {args.dwellings:,} dwellings\n")
    print("| case | seconds | peak RSS MiB | result |\n| --- | --- | --- | --- |")
    for name, code in CASES.items():
        out = subprocess.run(
            [sys.executable, "-c", code, str(args.dwellings), str(args.turbines)],
            capture_output=True, text=True, check=False, cwd=HERE,
        )  # fmt: skip
        if out.returncode != 0:
            print(f"| {name} | failed | | {out.stderr.strip().splitlines()[-1]} |")
            continue
        sec, mib, note = out.stdout.strip().split(" ", 2)
        print(f"| {name} | {float(sec):.2f} | {float(mib):.0f} | {note} |")


if __name__ == "__main__":
    main()
