# SPDX-License-Identifier: Apache-2.0
"""Load driver: concurrent readers against a live studio (uvicorn) on the demo workspace.

Builds the demo in a temporary folder, serves it with :class:`ServerThread`,
and lets ``--readers`` threads fetch ``/api/layers``, a scenario's claims and
vector tiles for ``--seconds``; prints p50 / p95 per endpoint in ms.
``--etag`` makes readers send ``If-None-Match`` (as browsers do).
``--postgis URL`` copies the demo into that PostgreSQL database (a new
schema ``load_<random>``) and serves it from there. ``--writers N`` adds N
planners (logged in as ``lindeweer``) who edit that municipality's claims
meanwhile, each from the version it last read: a 409 (stale) is expected and
counted, any other failure is an error.

    PYTHONPATH=src python benchmarks/bench_studio_load.py --readers 50 --seconds 20
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from ruimte.demo.build import build_demo
from ruimte.web.server import ServerThread
from ruimte.web.settings import Settings

ENDPOINTS = {
    "layers": "/api/layers",
    "claims": "/api/scenarios/basis/claims",
    "tile": "/api/tiles/{layer}/12/{x}/{y}.pbf",
}


def run(
    readers: int, seconds: float, etag: bool, postgis: str | None = None, writers: int = 0
) -> dict[str, list[float]]:
    """Serve the demo (from PostGIS when ``postgis`` is a server URL); return latencies (s)."""
    folder = Path(tempfile.mkdtemp()) / "demo-workspace"
    ws = build_demo(folder)
    location: Path | str = ws.path
    if postgis:
        import uuid

        from ruimte.workspace.transfer import copy_workspace

        sep = "&" if "?" in postgis else "?"
        location = f"{postgis}{sep}schema=load_{uuid.uuid4().hex[:8]}"
        copy_workspace(ws.path, location, folder=folder.parent / "pg-files")
    if writers:
        from ruimte.web.accounts import add_demo_accounts
        from ruimte.workspace import Workspace

        add_demo_accounts(Workspace.open(location))
    settings = Settings(workspace=location, overlay_refresh=False)
    times: dict[str, list[float]] = {k: [] for k in ENDPOINTS}
    times.update({"edit": [], "stale (409)": [], "errors": []})
    lock = threading.Lock()
    with ServerThread(settings) as server:
        with httpx.Client(base_url=server.url) as c:
            layer = next(
                e["id"] for e in c.get("/api/layers").json()["layers"] if e["style"] != "raster"
            )
        stop = time.monotonic() + seconds

        def reader(i: int) -> None:
            tags: dict[str, str] = {}
            with httpx.Client(base_url=server.url, timeout=60) as c:
                n = 0
                while time.monotonic() < stop:
                    for name, url in ENDPOINTS.items():
                        url = url.format(layer=layer, x=2106 + (i + n) % 8, y=1348 + n % 8)
                        headers = {"If-None-Match": tags[url]} if etag and url in tags else {}
                        t0 = time.perf_counter()
                        r = c.get(url, headers=headers)
                        dt = time.perf_counter() - t0
                        if "etag" in r.headers:
                            tags[url] = r.headers["etag"]
                        with lock:
                            times[name].append(dt)
                    n += 1

        def writer(i: int) -> None:
            from ruimte.web.accounts import DEMO_PASSWORD

            with httpx.Client(base_url=server.url, timeout=60) as c:
                token = c.get("/api/session").json()["csrf_token"]
                r = c.post(
                    "/api/login",
                    json={"username": "lindeweer", "password": DEMO_PASSWORD},
                    headers={"X-CSRF-Token": token},
                )
                c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
                n = 0
                while time.monotonic() < stop:
                    features = c.get(ENDPOINTS["claims"]).json()["features"]
                    mine = [
                        f["properties"]
                        for f in features
                        if f["properties"].get("owner") == "Gemeente Lindeweer"
                        and f["properties"].get("scenario") == "basis"
                    ]
                    claim = mine[(i + n) % len(mine)]
                    t0 = time.perf_counter()
                    r = c.patch(
                        f"/api/claims/{claim['claim_id']}",
                        json={"version": claim["version"], "description": f"w{i} {n}"},
                    )
                    dt = time.perf_counter() - t0
                    kind = {200: "edit", 409: "stale (409)"}.get(r.status_code, "errors")
                    with lock:
                        times[kind].append(dt)
                    n += 1

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
        threads += [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return times


def main() -> None:
    """Parse the options, run the load, print p50 / p95 per endpoint."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--etag", action="store_true")
    parser.add_argument("--postgis", help="serve from this PostgreSQL server (postgresql://...)")
    parser.add_argument("--writers", type=int, default=0, help="planners editing meanwhile")
    args = parser.parse_args()
    times = run(args.readers, args.seconds, args.etag, args.postgis, args.writers)
    store = "PostGIS" if args.postgis else "GeoPackage"
    print(
        f"{args.readers} readers, {args.writers} writers, {args.seconds:g} s, "
        f"etag={args.etag}, {store}"
    )
    for name, values in times.items():
        if len(values) < 2:
            print(f"{name:12s} n={len(values):6d}")
            continue
        q = statistics.quantiles(values, n=100)
        print(
            f"{name:12s} n={len(values):6d} p50={q[49] * 1000:8.1f} ms p95={q[94] * 1000:8.1f} ms"
        )


if __name__ == "__main__":
    main()
