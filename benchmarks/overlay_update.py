# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the overlay after one claim edit, updated near the claim vs a full run.

For each case the full kernel runs once (the studio's last run), one claim is
moved by 60 m, and then both the update
(:func:`ruimte.analysis.overlay.incremental.update_overlay`) and a full run on
the edited claims are timed, in the same process, three times each (median).
Both must give the same summary (counts and hectares); the script stops if not.

Cases: the generated region of ``overlay.py`` with N claims (10 plan layers of
12-gons; 20k and 200k are city- and province-sized plans), and the Drenthe
real-data case of ``tests/overlay/test_drenthe.py`` (OSM high-voltage lines,
Natura 2000, RIVM turbines, solar parks, 60 search areas of 1-5 km) when
``../shared/data`` is there. Kernel times only (the studio adds reading the
claims and storing the result: see ``overlay_update.md``). Writes
``benchmarks/overlay_update.md``.

    .venv/bin/python benchmarks/overlay_update.py --sizes 20000 200000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
from overlay import _machine, generate  # benchmarks/ is on sys.path when a script runs
from peak_rss import peak_mib

ROOT = Path(__file__).resolve().parents[1]


def _drenthe() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]] | None:
    shared = ROOT.parent / "shared" / "data"
    if not (shared / "region_drenthe" / "drenthe_testregion.gpkg").is_file():
        return None
    sys.path.insert(0, str(ROOT / "tests" / "overlay"))
    from test_drenthe import drenthe  # the real-data case of the tests

    return drenthe(shared)


def _time(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def run_case(name: str, claims: gpd.GeoDataFrame, landuse: dict[str, gpd.GeoDataFrame]) -> dict:
    """Time a full run and an update after moving one claim; check they agree."""
    from ruimte.analysis.overlay.incremental import update_overlay
    from ruimte.analysis.overlay.kernel import overlay_features, prepare_features
    from ruimte.analysis.overlay.settings import load_settings
    from ruimte.vocab import load_vocabulary

    vocab, settings = load_vocabulary(), load_settings()
    before = prepare_features(claims, landuse, vocab, claims.crs, settings)[0]
    previous = overlay_features(before, vocab, settings)
    edited = claims.copy()
    k = len(edited) // 2
    edited.loc[edited.index[k], "geometry"] = shapely_translate(edited.geometry.iloc[k])
    after = prepare_features(edited, landuse, vocab, claims.crs, settings)[0]
    full_s, full = _time(lambda: overlay_features(after, vocab, settings))
    update_s, updated = _time(lambda: update_overlay(previous, after, vocab, settings))
    if updated.summary() != full.summary():
        raise SystemExit(f"{name}: the update differs from a full run")
    summary = full.summary()
    return {
        "case": name,
        "features": len(after),
        "conflicts": summary["conflicts"]["count"],
        "full_s": full_s,
        "update_s": update_s,
        "ratio": full_s / update_s,
        "peak_mib": peak_mib(),
    }


def shapely_translate(geom: Any) -> Any:
    """Move a geometry 60 m east and 40 m north."""
    from shapely import affinity

    return affinity.translate(geom, 60.0, 40.0)


def main() -> None:
    """Run the cases and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20_000, 200_000])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_suffix(".md"))
    args = parser.parse_args()
    rows = []
    real = _drenthe()
    if real is not None:
        rows.append(run_case("Drenthe: 60 search areas on real land use", *real))
        print(rows[-1], file=sys.stderr)
    for n in args.sizes:
        rows.append(run_case(f"generated, {n:,} claims", generate(n), {}))
        print(rows[-1], file=sys.stderr)
    lines = [
        "# Overlay after one edit: update near the claim vs full run",
        "",
        f"`benchmarks/overlay_update.py`, {_machine()}. Kernel times, median of 3;",
        "both give the same summary (checked). Peak RSS of the whole process.",
        "",
        "| case | features | conflicts | full run | update | ratio | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['features']:,} | {r['conflicts']:,} | {r['full_s']:.2f} s "
            f"| {r['update_s']:.3f} s | {r['ratio']:.0f}x | {r['peak_mib']:,.0f} MiB |"
        )
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
