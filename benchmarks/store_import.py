# SPDX-License-Identifier: Apache-2.0
"""Importing a million points into each store: GeoPackage against PostGIS.

A GeoPackage of N points (RD New, a ``function`` column and an integer id)
is written once; then, for each store, a fresh workspace imports it with
``Workspace.import_file`` (the same path as ``ruimte import``: sniff, SHA-256,
repair, mapping, provenance, one store transaction), timed in this process
with the peak RSS of the process reported after each store. PostGIS runs on a
throw-away cluster as in ``store.py`` (or ``--url``).

    python benchmarks/store_import.py [--points 1000000] [--out benchmarks/store_import.md]
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import tempfile
import time
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from peak_rss import peak_mib, reset_peak  # benchmarks/ is on sys.path when a script runs
from store import throwaway_cluster

from ruimte.workspace import Workspace


def points_file(path: Path, n: int, seed: int = 2026) -> Path:
    """Write N points on a 60 x 60 km square to a GeoPackage."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 60_000, (n, 2)) + (150_000, 420_000)
    frame = gpd.GeoDataFrame(
        {"object_id": np.arange(n), "function": "wind_turbine"},
        geometry=shapely.points(xy),
        crs="EPSG:28992",
    )
    frame.to_file(path, layer="points", driver="GPKG", engine="pyogrio")
    return path


def time_import(location: str | Path, source: Path, folder: Path) -> dict[str, float]:
    """Import the points into a fresh workspace at ``location``; return seconds and peak."""
    kwargs = {"folder": folder} if isinstance(location, str) else {}
    ws = Workspace.init(location, **kwargs)
    reset_peak()
    t0 = time.perf_counter()
    ws.import_file(source, function="wind_turbine", name="points")
    seconds = time.perf_counter() - t0
    count = len(ws.read_dataset("points", columns=["function"]))
    return {"seconds": seconds, "peak_mib": peak_mib(), "rows": count}


def main() -> None:
    """Write the points, import them into each store, print (and write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--url", help="a PostgreSQL server (default: a throw-away cluster)")
    parser.add_argument("--out", type=Path, help="write the table as Markdown here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ruimte-bench-import-") as tmp:
        source = points_file(Path(tmp) / "points.gpkg", args.points)
        size_mb = source.stat().st_size / 1e6
        rows.append(("GeoPackage", time_import(Path(tmp) / "ws", source, Path(tmp))))
        cluster = contextlib.nullcontext(args.url) if args.url else throwaway_cluster()
        with cluster as url:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            location = f"{url}{'&' if '?' in url else '?'}schema={schema}"
            rows.append(("PostGIS", time_import(location, source, Path(tmp) / "pg")))
    lines = [
        f"# Import of {args.points:,} points per store",
        "",
        f"`benchmarks/store_import.py`, {platform.python_version()}, source file "
        f"{size_mb:.0f} MB; `Workspace.import_file` (as `ruimte import`), one run each.",
        "",
        "| store | seconds | rows stored | peak RSS MiB |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {name} | {r['seconds']:.1f} | {r['rows']:,} | {r['peak_mib']:,.0f} |"
        for name, r in rows
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
