# SPDX-License-Identifier: Apache-2.0
"""Whole-process wind eligibility: ruimte against atlite's vector mode, as a user waits for it.

For each case size (20, 30 and 50 km squares of ``eligibility.py``'s generated
region: clustered buildings, roads, HV lines, nature, water; the rules
buildings 400 m, roads 100 m, HV lines 150 m, nature and water as they are)
two scripts are timed from process start to exit with ``farm-bench`` (paired
runs, A B A B ..., median of the ratios; peak RSS by the operating system):

* **A, ruimte**: a script that imports ``ruimte.analysis.eligibility``,
  reads the layers' geometries with ``read_gpkg_geometries`` (sqlite3 and
  shapely: no GDAL, pandas or geopandas, which ``import pyogrio`` would
  load) and computes the eligible cells.
* **B, atlite**: the same reads with geopandas, ``ExclusionContainer.add_geometry``
  per layer with its buffer and ``shape_availability`` (atlite's vector mode).

Both print the eligible km², which must agree within 0.05 % (checked here
against each other; ``eligibility.md`` has them against the exact shapely
reference). The kernel-only figures are in ``eligibility.md``. Writes
``benchmarks/eligibility_process.md``.

    .venv/bin/python benchmarks/eligibility_process.py --sizes 20 30 50 --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from eligibility import RULES, generate_case  # benchmarks/ is on sys.path when a script runs

READ = """
import json, sys
case, res = sys.argv[1], float(sys.argv[2])
RULES = json.loads(sys.argv[3])
"""

RUIMTE = READ + """
import numpy as np
from ruimte.analysis.eligibility import EligibilityProblem, FeatureLayer, Grid, compute_eligibility
from ruimte.analysis.eligibility import eligible_area_m2, read_gpkg_geometries

area = read_gpkg_geometries(case, "area").geometries[0]
layers = tuple(FeatureLayer(read_gpkg_geometries(case, n).geometries, b) for n, b in RULES.items())
problem = EligibilityProblem(Grid.covering(area.bounds, res), np.array([area]), layers)
codes, cover = compute_eligibility(problem, cover=True)
print(json.dumps({"eligible_km2": eligible_area_m2(cover, problem.grid) / 1e6}))
"""

ATLITE = READ + """
import geopandas as gpd
from atlite.gis import ExclusionContainer, shape_availability

frames = {n: gpd.read_file(case, layer=n) for n in RULES}
area = gpd.read_file(case, layer="area").geometry
ex = ExclusionContainer(crs=28992, res=res)
for n, b in RULES.items():
    ex.add_geometry(frames[n], buffer=b)
mask, _ = shape_availability(area, ex)
print(json.dumps({"eligible_km2": float(mask.sum()) * res * res / 1e6}))
"""


def _case(workdir: Path, size_km: float) -> Path:
    case = workdir / f"case_{size_km:g}km_seed42.gpkg"
    if not case.exists():
        for name, frame in generate_case(size_km, 42).items():
            frame.to_file(case, layer=name, driver="GPKG")
    return case


def _once(script: Path, case: Path, res: float) -> float:
    out = subprocess.run(
        [sys.executable, str(script), str(case), str(res), json.dumps(RULES)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(json.loads(out.stdout.strip().splitlines()[-1])["eligible_km2"])


def main() -> None:
    """Time both sides per case size and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[20.0, 30.0, 50.0])
    parser.add_argument("--resolution", type=float, default=25.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ruimte-bench-eligibility"))
    parser.add_argument("--out", type=Path, default=Path(__file__).with_suffix(".md"))
    args = parser.parse_args()
    if shutil.which("farm-bench") is None:
        raise SystemExit("farm-bench is not on PATH: it times the whole processes")
    args.workdir.mkdir(parents=True, exist_ok=True)
    ruimte, atlite = args.workdir / "whole_ruimte.py", args.workdir / "whole_atlite.py"
    ruimte.write_text(RUIMTE)
    atlite.write_text(ATLITE)
    sections = []
    for size in args.sizes:
        case = _case(args.workdir, size)
        km2 = (_once(ruimte, case, args.resolution), _once(atlite, case, args.resolution))
        diff = (km2[0] - km2[1]) / km2[1] * 100
        rules = json.dumps(RULES)
        command = [
            "farm-bench", "-n", str(args.runs), "--warmup", "1", "--timeout", "1800",
            "--vs", f"{sys.executable} {atlite} {case} {args.resolution:g} '{rules}'",
            "--", sys.executable, str(ruimte), str(case), f"{args.resolution:g}", rules,
        ]  # fmt: skip
        report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        print(report, file=sys.stderr)
        sections.append(
            f"## {size:g} × {size:g} km at {args.resolution:g} m\n\n"
            f"Eligible: ruimte {km2[0]:.3f} km², atlite {km2[1]:.3f} km² ({diff:+.4f} %).\n"
            f"A = ruimte, B = atlite vector mode; A/B < 1 means ruimte is faster.\n\n"
            f"```\n{report.strip()}\n```\n"
        )
    text = (
        "# Whole-process eligibility: ruimte vs atlite\n\n"
        "Written by `benchmarks/eligibility_process.py` (process start to exit, imports and "
        "reads included, `farm-bench` paired runs; quote the medians).\n\n" + "\n".join(sections)
    )
    args.out.write_text(text + _hand_written(args.out))
    print(text)


#: the notes below this line in the report are written by hand and kept on every run
MARKER = "<!-- written by hand below: kept when the script rewrites the figures above -->"


def _hand_written(out: Path) -> str:
    """The hand-written part of an existing report (from ``MARKER`` on), or just the marker."""
    old = out.read_text(encoding="utf-8") if out.is_file() else ""
    return "\n" + (old[old.index(MARKER) :] if MARKER in old else MARKER + "\n")


if __name__ == "__main__":
    main()
