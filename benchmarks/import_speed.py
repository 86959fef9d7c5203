# SPDX-License-Identifier: Apache-2.0
"""Import speed: ``ruimte import`` against plain geopandas, side by side in one run.

What ruimte adds on top of "read the file, write a GeoPackage layer": format
sniffing, SHA-256 provenance, geometry repair, function mapping, reprojection
and a copy-on-write transaction. This measures what that costs.

Input: the demo region's buildings (36,595 polygons) and farmland (12,955
polygons), exported as GeoJSON in EPSG:4326. Each run is a fresh process so
that peak RSS is its own.

    python benchmarks/import_speed.py [--repeat 3]

Prints wall time (median), the peak RSS of each process and the ratio
ruimte / geopandas.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from peak_rss import PEAK  # noqa: E402  (benchmarks/ is on sys.path)

RUIMTE = (
    PEAK
    + """
import sys, time
from pathlib import Path
from ruimte.workspace import Workspace
src, ws_path = Path(sys.argv[1]), Path(sys.argv[2])
ws = Workspace.init(ws_path)
t = time.perf_counter()
ws.import_file(src, function="housing")
print(time.perf_counter() - t, peak_mib())
"""
)

GEOPANDAS = (
    PEAK
    + """
import sys, time
import geopandas as gpd
src, out = sys.argv[1], sys.argv[2] + ".gpkg"
t = time.perf_counter()
frame = gpd.read_file(src, engine="pyogrio").to_crs("EPSG:28992")
frame["function"] = "housing"
frame.to_file(out, layer="data", driver="GPKG", engine="pyogrio")
print(time.perf_counter() - t, peak_mib())
"""
)


def _run(code: str, *args: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])  # seconds, MiB


def main() -> None:
    """Build the inputs, time both approaches, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from ruimte.demo.build import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        demo = build_demo(root / "demo")
        inputs = {}
        for name in ("buildings", "farmland"):
            path = root / f"{name}.geojson"
            demo.export(name, path)
            inputs[name] = path
        rows = []
        for name, path in inputs.items():
            result = {}
            for label, code in (("ruimte", RUIMTE), ("geopandas", GEOPANDAS)):
                runs = [
                    _run(code, str(path), str(root / f"{label}-{name}-{i}"))
                    for i in range(args.repeat)
                ]
                result[label] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
            rows.append(
                {
                    "input": f"{name} ({path.stat().st_size / 2**20:.0f} MiB GeoJSON)",
                    "ruimte_s": round(result["ruimte"][0], 2),
                    "geopandas_s": round(result["geopandas"][0], 2),
                    "time_ratio": round(result["ruimte"][0] / result["geopandas"][0], 2),
                    "ruimte_peak_rss_mib": round(result["ruimte"][1]),
                    "geopandas_peak_rss_mib": round(result["geopandas"][1]),
                }
            )
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
