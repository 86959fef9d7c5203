# SPDX-License-Identifier: Apache-2.0
"""One claim edit per store: GeoPackage (copy-on-write) against PostGIS (row locks), by size.

For each store and each size N (default 10^3 and 10^5 claims), a fresh
workspace gets N located claims (10 x 10 m squares) in one ``add_claims``,
then ``update_claim`` changes the quantity of a random claim ``--repeat``
times (each edit from the version it read; three edits before them are not
counted). Reported: the median and the range of one edit in milliseconds, the
time of the bulk insert, and the GeoPackage's size.

PostGIS: ``--url postgresql://...`` names a server to use (a schema
``bench_<random>`` is made and dropped); without it a throw-away cluster is
started as in the tests (``/usr/lib/postgresql/15/bin``, as user ``nobody``
when run as root, on a unix socket in a temporary folder, ``fsync`` on).

    python benchmarks/store.py [--sizes 1000 100000] [--repeat 15] [--out benchmarks/store.md]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.workspace import Workspace

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a PostgreSQL cluster with PostGIS on a unix socket; yield its URL."""
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="ruimte-bench-pg-"))
    root.chmod(0o777)
    data = root / "data"

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, cwd=root)

    run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "ruimte", "-E", "UTF8")
    run(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        f"-k {root} -c listen_addresses=''",
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://ruimte@/postgres?host={root}"
    finally:
        subprocess.run(
            [*as_user, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            cwd=root,
        )
        shutil.rmtree(root, ignore_errors=True)


def claims(n: int, seed: int = 2026) -> gpd.GeoDataFrame:
    """N 10 x 10 m solar-field claims on a grid in RD New."""
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0, y0 = 150_000 + 20.0 * (i % side), 450_000 + 20.0 * (i // side)
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {
            "claim_id": [f"c{k:07d}" for k in i],
            "function": "solar_field",
            "quantity": rng.uniform(0.1, 5.0, n).round(3),
            "unit": "MWp",
            "scenario": "basis",
        },
        geometry=shapely.box(x0, y0, x0 + 10, y0 + 10),
        crs="EPSG:28992",
    )


#: edits before the timed ones, not counted (the first builds the claim_id index, the
#: first few load lazily imported code and warm the caches)
WARM_UP = 3


def measure(location: str | Path, n: int, repeat: int, folder: Path) -> dict[str, float]:
    """Fill a new workspace with N claims and time ``repeat`` edits."""
    kwargs = {"folder": folder} if isinstance(location, str) else {}
    ws = Workspace.init(location, **kwargs)
    ws.add_scenarios(pd.DataFrame({"name": ["basis"]}))
    t0 = time.perf_counter()
    ws.add_claims(claims(n))
    insert_s = time.perf_counter() - t0
    rng = np.random.default_rng(n)
    times = []
    versions: dict[str, int] = {}
    for k in range(WARM_UP + repeat):
        claim_id = f"c{int(rng.integers(n)):07d}"
        version = versions.get(claim_id, 1)
        t0 = time.perf_counter()
        ws.update_claim(claim_id, {"quantity": float(rng.uniform(1, 9))}, expected_version=version)
        if k >= WARM_UP:
            times.append((time.perf_counter() - t0) * 1000)
        versions[claim_id] = version + 1
    out = {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "insert_s": insert_s,
    }
    if not isinstance(location, str):
        out["gpkg_mb"] = (Path(location) / "workspace.gpkg").stat().st_size / 1e6
    return out


def main() -> None:
    """Measure both stores at each size; print the table, write it as Markdown with ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--url", help="a PostgreSQL server to use (default: a throw-away one)")
    parser.add_argument("--out", type=Path, help="write the table as Markdown here")
    args = parser.parse_args()
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        contextlib.nullcontext(args.url) if args.url else throwaway_cluster() as server,
    ):
        sep = "&" if "?" in server else "?"
        for n in args.sizes:
            gpkg = measure(Path(tmp) / f"gpkg-{n}", n, args.repeat, Path(tmp))
            url = f"{server}{sep}schema=bench_{uuid.uuid4().hex[:8]}"
            pg = measure(url, n, args.repeat, Path(tmp) / f"pg-{n}")
            for store, r in (("GeoPackage", gpkg), ("PostGIS", pg)):
                rows.append((store, n, r))
                print(
                    f"{store:10s} {n:>8,d} claims: edit median {r['median_ms']:8.1f} ms "
                    f"(range {r['min_ms']:.1f}-{r['max_ms']:.1f}), insert {r['insert_s']:.1f} s"
                )
    if args.out:
        lines = [
            "| store | claims | one edit, median (ms) | range (ms) | bulk insert (s) | file (MB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for store, n, r in rows:
            size = f"{r['gpkg_mb']:.1f}" if "gpkg_mb" in r else "–"
            lines.append(
                f"| {store} | {n:,} | {r['median_ms']:.1f} | {r['min_ms']:.1f}–{r['max_ms']:.1f} "
                f"| {r['insert_s']:.1f} | {size} |"
            )
        header = (
            f"<!-- benchmarks/store.py --repeat {args.repeat}, {time.strftime('%Y-%m-%d')}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()} -->"
        )
        args.out.write_text(header + "\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
