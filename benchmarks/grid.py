# SPDX-License-Identifier: Apache-2.0
"""Grid benchmarks: assigning claims to substations, and the hub dispatch LP.

1. Assignment on the real OSM/SciGRID grid (341 substations, 1,163 lines,
   ../shared/data/grid): ruimte's network distance (line graph + Dijkstra)
   and its service areas (Voronoi) against plain geopandas ``sjoin_nearest``
   (straight-line nearest substation), for 1,000 and 20,000 random claims
   in the Netherlands.
2. The battery dispatch LP (HiGHS) over 8,760 hours.

Each case runs in a fresh process so that peak RSS (VmHWM) is its own.

    python benchmarks/grid.py [--repeat 3]

Writes the figures to benchmarks/grid.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRID = HERE.parents[1] / "shared" / "data" / "grid" / "osm_scigrid_nl_2017.gpkg"

from peak_rss import PEAK  # noqa: E402  (benchmarks/ is on sys.path)

SETUP = (
    PEAK
    + """
import sys, time
import numpy as np, geopandas as gpd, shapely
n = int(sys.argv[2])
rng = np.random.default_rng(1)
pts = shapely.points(rng.uniform(20_000, 270_000, n), rng.uniform(310_000, 610_000, n))
claims = gpd.GeoDataFrame({"claim_id": [f"C{i}" for i in range(n)]}, geometry=pts, crs="EPSG:28992")
"""
)

CASES = {
    "ruimte network distance": SETUP
    + """
from ruimte.analysis.grid.network_import import read_grid_file
from ruimte.analysis.grid.assignment import assign_claims
t = time.perf_counter()
model = read_grid_file(sys.argv[1])
out = assign_claims(claims, model, max_distance_km=1e9, max_connection_kv=500).claims
print(time.perf_counter() - t, peak_mib(), out["substation_id"].notna().sum())
""",
    "ruimte service areas": SETUP
    + """
from ruimte.analysis.grid.network_import import read_grid_file
from ruimte.analysis.grid.network import GridModel
from ruimte.analysis.grid.assignment import assign_claims
t = time.perf_counter()
model = read_grid_file(sys.argv[1])
model = GridModel(model.substations, model.lines.iloc[:0])
out = assign_claims(claims, model, max_distance_km=1e9).claims
print(time.perf_counter() - t, peak_mib(), out["substation_id"].notna().sum())
""",
    "geopandas sjoin_nearest": SETUP
    + """
t = time.perf_counter()
subs = gpd.read_file(sys.argv[1], layer="heuristic_nodes")
subs = subs[subs["typ"] == "substation"].to_crs("EPSG:28992")
out = gpd.sjoin_nearest(claims, subs[["v_id", "geometry"]], distance_col="d")
print(time.perf_counter() - t, peak_mib(), out["v_id"].notna().sum())
""",
}

DISPATCH = (
    PEAK
    + """
import time
from ruimte.analysis.grid.profiles import load_profiles
from ruimte.analysis.grid.dispatch import min_peak_dispatch
p = load_profiles()
net = 6 * 500 * p["ev_charging"].to_numpy() - 6 * p["solar_pv"].to_numpy()
t = time.perf_counter()
d = min_peak_dispatch(net, 6.0, 12.0, round_trip_efficiency=0.9)
print(time.perf_counter() - t, peak_mib(), d.peak_mw)
"""
)


def _run(code: str, *args: str) -> tuple[float, float, str]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[-3]), float(out[-2]), out[-1]


def main() -> None:
    """Run the cases and write benchmarks/grid.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [
        "# Grid benchmarks",
        "",
        "Machine: 2 shared cores. Median wall time of "
        f"{args.repeat} runs (fresh process each), peak RSS (VmHWM) of the last.",
        "",
        "## Assigning claims to substations (OSM/SciGRID grid: 341 substations, 1,163 lines)",
        "",
        "| claims | method | seconds | ratio to sjoin_nearest | peak RSS MiB | assigned |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n in (1_000, 20_000):
        times = {}
        for name, code in CASES.items():
            runs = [_run(code, str(GRID), str(n)) for _ in range(args.repeat)]
            times[name] = (statistics.median(r[0] for r in runs), runs[-1][1], runs[-1][2])
        base = times["geopandas sjoin_nearest"][0]
        for name, (sec, rss, assigned) in times.items():
            lines.append(
                f"| {n:,} | {name} | {sec:.2f} | {sec / base:.2f} | {rss:.0f} | {assigned} |"
            )
    runs = [_run(DISPATCH) for _ in range(args.repeat)]
    lines += [
        "",
        "## Battery dispatch LP (HiGHS simplex), 8,760 hours, 26,281 columns",
        "",
        "| seconds | peak RSS MiB | peak MW |",
        "| --- | --- | --- |",
        f"| {statistics.median(r[0] for r in runs):.2f} | {runs[-1][1]:.0f} | "
        f"{float(runs[-1][2]):.3f} |",
    ]
    lines += [
        "",
        "Notes: ruimte's times include reading both layers (nodes and lines) and building the",
        "line graph or the Voronoi cells; sjoin_nearest reads only the nodes and measures the",
        "straight-line distance, which ignores the network. Wall times on a machine shared with",
        "other jobs vary by up to 2x between runs.",
    ]
    text = "\n".join(lines) + "\n"
    (HERE / "grid.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
