# SPDX-License-Identifier: Apache-2.0
"""Import speed: ``ruimte import`` against plain geopandas, whole processes side by side.

What ruimte adds on top of "read the file, write a GeoPackage layer": format
sniffing, SHA-256 provenance, geometry repair, function mapping, reprojection
and a copy-on-write transaction. This measures what that costs, as a user
sees it: each run is a fresh process, timed from its start to its exit
(interpreter start-up and imports included).

* ruimte: ``ruimte import WORKSPACE FILE --function housing`` (the CLI's own
  entry point) into a fresh copy of an empty workspace made by ``ruimte init``
  beforehand (the copy is not timed);
* geopandas: ``python -c`` running ``gpd.read_file`` -> ``to_crs("EPSG:28992")``
  -> ``to_file(..., driver="GPKG")`` with the pyogrio engine, as most scripts
  write it (no Arrow).

Input: the demo region's buildings (36,595 polygons) and farmland (12,955
polygons), exported as GeoJSON in EPSG:4326.

    python benchmarks/import_speed.py [--repeat 5]

The two run in turn (ruimte, geopandas, ruimte, ...) and each ratio is taken
pair by pair, so a machine whose speed drifts during the run moves both sides
of a pair alike. Prints, per input, the median wall time, CPU time (user +
system, from ``wait4``) and peak RSS of each side, and the median ratios
ruimte / geopandas. Both sides cache byte code (see ``_run``). Peak RSS is
the process's high-water mark (VmHWM) from just after the interpreter starts
to its exit: ``ru_maxrss`` would carry this script's own peak into the child
across fork (see ``peak_rss.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peak_rss import PEAK  # noqa: E402  (benchmarks/ is on sys.path)

#: writes the peak RSS (MiB) into $BENCH_PEAK_FILE when the process exits
AT_EXIT = (
    PEAK
    + """
import atexit, os
atexit.register(lambda: open(os.environ["BENCH_PEAK_FILE"], "w").write(str(peak_mib())))
"""
)

RUIMTE = (
    AT_EXIT
    + """
import sys
from ruimte.cli.main import main
sys.argv = ["ruimte", "import", sys.argv[1], sys.argv[2], "--function", "housing"]
main()
"""
)

GEOPANDAS = (
    AT_EXIT
    + """
import sys
import geopandas as gpd
src, out = sys.argv[1], sys.argv[2] + ".gpkg"
frame = gpd.read_file(src, engine="pyogrio").to_crs("EPSG:28992")
frame["function"] = "housing"
frame.to_file(out, layer="data", driver="GPKG", engine="pyogrio")
"""
)


def _run(code: str, *args: str, peak_file: Path) -> tuple[float, float, float]:
    """Run ``code`` in a fresh interpreter; return (wall s, cpu s, peak MiB).

    Both sides run with byte-code caching on, in a cache of this run's own
    (``PYTHONPYCACHEPREFIX``), as an installed package runs: with
    ``PYTHONDONTWRITEBYTECODE`` set and ruimte used from its source tree,
    every run would compile ruimte's modules again (~80 ms) while the
    installed geopandas loads its cached byte code. The uncounted first pair
    fills the cache.
    """
    peak_file.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_PEAK_FILE": str(peak_file),
        "PYTHONPYCACHEPREFIX": str(peak_file.parent / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark process failed ({proc.returncode}):\n{errors}")
    return wall, usage.ru_utime + usage.ru_stime, float(peak_file.read_text())


def _median(values: list[float], digits: int = 2) -> float:
    return round(statistics.median(values), digits)


def compare(path: Path, template: Path, root: Path, repeat: int) -> dict[str, object]:
    """Time ``repeat`` pairs of ruimte and geopandas importing ``path``."""
    runs: dict[str, list[tuple[float, float, float]]] = {"ruimte": [], "geopandas": []}
    peak_file = root / "peak.txt"
    for i in range(repeat + 1):  # the first pair warms the caches and is not counted
        ws = root / f"ws-{path.stem}-{i}"
        shutil.copytree(template, ws)
        pair = {
            "ruimte": _run(RUIMTE, str(ws), str(path), peak_file=peak_file),
            "geopandas": _run(
                GEOPANDAS, str(path), str(root / f"gpd-{path.stem}-{i}"), peak_file=peak_file
            ),
        }
        shutil.rmtree(ws)
        if i:
            for label, figures in pair.items():
                runs[label].append(figures)
    r, g = runs["ruimte"], runs["geopandas"]
    return {
        "input": f"{path.stem} ({path.stat().st_size / 2**20:.0f} MiB GeoJSON)",
        "ruimte_wall_s": _median([x[0] for x in r]),
        "geopandas_wall_s": _median([x[0] for x in g]),
        "wall_ratio": _median([a[0] / b[0] for a, b in zip(r, g, strict=True)]),
        "ruimte_cpu_s": _median([x[1] for x in r]),
        "geopandas_cpu_s": _median([x[1] for x in g]),
        "cpu_ratio": _median([a[1] / b[1] for a, b in zip(r, g, strict=True)]),
        "ruimte_peak_rss_mib": round(max(x[2] for x in r)),
        "geopandas_peak_rss_mib": round(max(x[2] for x in g)),
        "peak_rss_ratio": _median([a[2] / b[2] for a, b in zip(r, g, strict=True)]),
        "runs": repeat,
    }


def main() -> None:
    """Build the inputs, time both approaches, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pairs of runs per input")
    args = parser.parse_args()
    from ruimte.demo.build import build_demo
    from ruimte.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        demo = build_demo(root / "demo")
        template = root / "empty-workspace"
        Workspace.init(template)
        rows = []
        for name in ("buildings", "farmland"):
            path = root / f"{name}.geojson"
            demo.export(name, path)
            rows.append(compare(path, template, root, args.repeat))
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
