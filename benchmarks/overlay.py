# SPDX-License-Identifier: Apache-2.0
"""Benchmark: the claims overlay against a plain geopandas approach, side by side.

A generated region holds N claim polygons from 10 plan layers (one function
each; within a layer polygons do not overlap, across layers they do, often
three or more at once). Both sides get the same polygons and the same
compatibility matrix and must find the same hectares:

- **ruimte**: :func:`ruimte.analysis.overlay.kernel.overlay_claims` (STRtree,
  vectorised shapely 2, planar partition, distance violations, synergies).
- **geopandas**: ``geopandas.overlay(a, b, how="intersection")`` for each pair
  of layers, the relation of each pair from the vocabulary, ``union_all`` of
  the conflicting and of the shared overlaps for the distinct hectares, and
  ``geopandas.sjoin_nearest`` for each pair of layers with a minimum distance.

Each side runs in its own subprocess (peak RSS from /proc VmHWM, reset at
start). Compared figures: pairwise conflict and shared-use hectares, distinct
conflict and shared-use hectares, and the features that violate a minimum
distance with their nearest distance. Writes ``benchmarks/overlay.md`` (or
``--out``): only the generated parts, between their marker comments
(:data:`MARKERS`), are replaced; the hand-written notes around them are kept.

    .venv/bin/python benchmarks/overlay.py --sizes 20000 200000 --stacked 40 80

``--stacked K ...`` adds the stacked case of ``tests/overlay/stacked_case.py``:
K straight corridors through one point, 3,000 parcels and 12 overlapping search
areas, the corridors once as K datasets (each stacked on the others) and once
as one dataset (dissolved: one land use); ruimte only (time and peak RSS).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from peak_rss import peak_mib, reset_peak  # benchmarks/ is on sys.path when a script runs

#: the 10 plan layers: one function each
LAYERS = (
    "housing",
    "business_park",
    "solar_field",
    "nature_reserve",
    "dairy_farming",
    "arable_farming",
    "water_storage",
    "recreation",
    "forest",
    "biogas_plant",
)
CELL_M = 200.0  # grid cell per polygon within a layer
VERTICES = 12


def generate(n: int, seed: int = 2026) -> gpd.GeoDataFrame:
    """Return ``n`` claim polygons from 10 layers on a square region (RD New).

    Each layer places its polygons in the cells of its own shifted grid, so a
    layer never overlaps itself; irregular 12-gons of radius 0.1-0.3 cells.
    """
    rng = np.random.default_rng(seed)
    per_layer = np.full(len(LAYERS), n // len(LAYERS))
    per_layer[: n % len(LAYERS)] += 1
    side = int(np.ceil(np.sqrt(per_layer.max())))
    frames = []
    for layer, count in zip(LAYERS, per_layer, strict=True):
        cells = np.arange(count)
        offset = rng.uniform(0, CELL_M, 2)
        cx = 150_000 + (cells % side + 0.5) * CELL_M + offset[0]
        cy = 400_000 + (cells // side + 0.5) * CELL_M + offset[1]
        cx += rng.uniform(-0.15, 0.15, count) * CELL_M
        cy += rng.uniform(-0.15, 0.15, count) * CELL_M
        radius = rng.uniform(0.1, 0.3, count)[:, None] * CELL_M
        radius = radius * rng.uniform(0.75, 1.0, (count, VERTICES))
        angle = rng.uniform(0, 2 * np.pi, count)[:, None] + np.linspace(
            0, 2 * np.pi, VERTICES, endpoint=False
        )
        xy = np.stack(
            [cx[:, None] + radius * np.cos(angle), cy[:, None] + radius * np.sin(angle)], -1
        )
        ring = np.concatenate([xy, xy[:, :1]], axis=1)
        frames.append(
            gpd.GeoDataFrame(
                {"claim_id": [f"{layer}:{i}" for i in cells], "function": layer},
                geometry=shapely.polygons(ring),
                crs="EPSG:28992",
            )
        )
    return gpd.GeoDataFrame(gpd.pd.concat(frames, ignore_index=True), crs="EPSG:28992")


def _classes(vocab: Any) -> dict[str, str]:
    return {
        "exclusive": "conflict",
        "distance": "conflict",
        "shared": "shared",
        "synergy": "shared",
    }


def run_ruimte(claims: gpd.GeoDataFrame) -> dict[str, Any]:
    """Run the ruimte kernel; return the figures to compare."""
    from ruimte.analysis.overlay.kernel import overlay_claims
    from ruimte.analysis.overlay.relations import RelationTable
    from ruimte.analysis.overlay.settings import load_settings
    from ruimte.analysis.overlay.synergies import synergies
    from ruimte.vocab import load_vocabulary

    vocab = load_vocabulary()
    t, cpu = time.perf_counter(), time.process_time()
    res = overlay_claims(claims, vocab)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    # the text columns (a piece's pairs or conditions, a synergy's suggestion) are made when
    # a layer is first read: time that apart (every reader pays it once: CLI, store, studio)
    t_text = time.perf_counter()
    texts = sum(len(layer) for layer in (res.conflicts, res.shared_use, res.synergies))
    text_s = time.perf_counter() - t_text
    cls = res.pairs["relation"].map(_classes(vocab))
    viol = res.distance_violations
    # the violating feature of the first layer of each distance pair, with its nearest distance
    nearest = _nearest_from_pairs(viol)
    out = {
        "seconds": seconds,
        "cpu_s": cpu,
        "pairwise_conflict_ha": float(res.pairs.loc[cls == "conflict", "overlap_ha"].sum()),
        "pairwise_shared_ha": float(res.pairs.loc[cls == "shared", "overlap_ha"].sum()),
        "distinct_conflict_ha": float(res.conflicts["area_ha"].sum()),
        "distinct_shared_ha": float(res.shared_use["area_ha"].sum()),
        "violating_features": len(nearest),
        "nearest_sum_m": float(sum(nearest.values())),
        "pieces": len(res.conflicts) + len(res.shared_use),
        "overlapping_pairs": len(res.pairs),
        "synergies": len(res.synergies),
        "text_s": text_s,
        "text_rows": texts,
    }
    # synergies are beyond the geopandas baseline: time them again on their own, after the
    # kernel's figures are read and its findings freed (the peak RSS is the kernel's, not
    # the kernel's findings plus this extra timing run)
    features = res.features
    del res, cls, viol
    table = RelationTable.from_vocabulary(vocab, features["function"])
    t_syn = time.process_time()
    synergies(features, table, load_settings(), suggestions=False)  # as the kernel runs it
    out["cpu_without_synergies_s"] = cpu - (time.process_time() - t_syn)
    return out


def _nearest_from_pairs(viol: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for a, b, fa, fb, d in zip(
        viol["feature_a"],
        viol["feature_b"],
        viol["function_a"],
        viol["function_b"],
        viol["distance_m"],
        strict=True,
    ):
        left = a if fa <= fb else b  # the alphabetically first function's feature
        out[left] = min(d, out.get(left, np.inf))
    return out


def run_geopandas(claims: gpd.GeoDataFrame) -> dict[str, Any]:
    """Run the plain geopandas approach; return the same figures."""
    from ruimte.vocab import load_vocabulary

    vocab = load_vocabulary()
    t, cpu = time.perf_counter(), time.process_time()
    layers = {f: claims[claims["function"] == f] for f in LAYERS}
    pair_ha = {"conflict": 0.0, "shared": 0.0}
    parts: dict[str, list[Any]] = {"conflict": [], "shared": []}
    nearest: dict[str, float] = {}
    names = sorted(LAYERS)
    for x, fa in enumerate(names):
        for fb in names[x + 1 :]:
            rel = vocab.relation(fa, fb)
            cls = _classes(vocab).get(rel.relation)
            if cls is not None:
                over = gpd.overlay(layers[fa], layers[fb], how="intersection", keep_geom_type=True)
                area = over.geometry.area
                keep = area >= 0.01
                pair_ha[cls] += float(area[keep].sum()) / 1e4
                parts[cls].append(over.geometry[keep].to_numpy())
            if rel.relation == "distance":
                near = gpd.sjoin_nearest(
                    layers[fa], layers[fb], max_distance=rel.min_distance_m, distance_col="d"
                )
                near = near[near["d"] < rel.min_distance_m]
                for cid, d in zip(near["claim_id_left"], near["d"], strict=True):
                    nearest[cid] = min(d, nearest.get(cid, np.inf))
    conflict = shapely.union_all(np.concatenate(parts["conflict"]))
    shared = shapely.difference(shapely.union_all(np.concatenate(parts["shared"])), conflict)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "pairwise_conflict_ha": pair_ha["conflict"],
        "pairwise_shared_ha": pair_ha["shared"],
        "distinct_conflict_ha": conflict.area / 1e4,
        "distinct_shared_ha": shared.area / 1e4,
        "violating_features": len(nearest),
        "nearest_sum_m": float(sum(nearest.values())),
    }


def run_stacked(k: int, one_dataset: bool) -> dict[str, Any]:
    """Run the kernel on the stacked case; return time and findings."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "overlay"))
    from stacked_case import corridors, stacked_case

    from ruimte.analysis.overlay.kernel import overlay_claims
    from ruimte.vocab import load_vocabulary

    claims, landuse = stacked_case(k, n_parcels=3_000)
    if one_dataset:
        landuse = {name: f for name, f in landuse.items() if not name.startswith("line")}
        landuse["grid"] = gpd.GeoDataFrame(
            {"function": ["hv_line"] * k}, geometry=corridors(k), crs=claims.crs
        )
    vocab = load_vocabulary()
    t = time.perf_counter()
    res = overlay_claims(claims, vocab, landuse)
    s = res.summary()
    return {
        "seconds": time.perf_counter() - t,
        "pieces": s["conflicts"]["count"] + s["shared_use"]["count"],
        "conflict_ha": s["conflicts"]["ha"],
    }


def worker(side: str, n: int) -> None:
    """Generate the data, run one side, print its figures and peak RSS as JSON."""
    reset_peak()
    if side.startswith("stacked"):
        out = run_stacked(n, one_dataset=side == "stacked-one")
    else:
        claims = generate(n)
        out = run_ruimte(claims) if side == "ruimte" else run_geopandas(claims)
    out["peak_mib"] = peak_mib()
    print(json.dumps(out))


def _spawn(side: str, n: int, timeout: float) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", side, "--sizes", str(n)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


COMPARED = (
    "pairwise_conflict_ha",
    "pairwise_shared_ha",
    "distinct_conflict_ha",
    "distinct_shared_ha",
    "nearest_sum_m",
)


def main() -> None:
    """Run both sides for each size and write ``benchmarks/overlay.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--stacked", type=int, nargs="*", default=[])
    parser.add_argument("--worker", choices=["ruimte", "geopandas", "stacked", "stacked-one"])
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_suffix(".md"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.sizes[0])
        return
    rows = []
    for n in args.sizes:
        r = _spawn("ruimte", n, args.timeout)
        g = _spawn("geopandas", n, args.timeout)
        worst = max(abs(r[k] - g[k]) / max(abs(g[k]), 1e-12) for k in COMPARED)
        same = r["violating_features"] == g["violating_features"]
        rows.append((n, r, g, worst, same))
        print(
            f"{n:>8,} claims: ruimte {r['seconds']:.2f} s, geopandas {g['seconds']:.2f} s "
            f"(wall {g['seconds'] / r['seconds']:.1f}x, cpu {g['cpu_s'] / r['cpu_s']:.1f}x), "
            f"peak {r['peak_mib']:.0f} vs "
            f"{g['peak_mib']:.0f} MiB, max rel. diff {worst:.1e}, same violators {same}; "
            f"texts made on first read in {r['text_s']:.2f} s",
            flush=True,
        )
    stacked = []
    for k in args.stacked:
        for side in ("stacked", "stacked-one"):
            r = _spawn(side, k, args.timeout)
            stacked.append((k, side, r))
            print(
                f"stacked k={k} ({'one dataset' if side == 'stacked-one' else f'{k} datasets'}): "
                f"{r['seconds']:.2f} s, peak {r['peak_mib']:.0f} MiB, {r['pieces']:,} pieces",
                flush=True,
            )
    write_report(args.out, {"table": _report(rows), "stacked": _stacked_report(stacked)})


#: the generated parts of the report: each stands between ``<!-- NAME -->`` and ``<!-- /NAME -->``
MARKERS = ("table", "stacked")


def write_report(path: Path, parts: dict[str, str]) -> None:
    r"""Write the generated ``parts`` into ``path``, keeping everything outside their markers.

    A part that is empty (no ``--stacked`` run) leaves its old text as it is; a part
    the file has no markers for yet is added at the end.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "report.md"
    >>> write_report(path, {"table": "| 1 |\n", "stacked": ""})
    >>> _ = path.write_text(path.read_text() + "notes by hand\n")
    >>> write_report(path, {"table": "| 2 |\n", "stacked": ""})
    >>> print(path.read_text(), end="")
    <!-- table -->
    | 2 |
    <!-- /table -->
    notes by hand
    """
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for name in MARKERS:
        body = parts.get(name, "")
        if not body:
            continue
        begin, end = f"<!-- {name} -->\n", f"<!-- /{name} -->\n"
        block = begin + body.rstrip("\n") + "\n" + end
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            text = head + block + rest.split(end, 1)[1]
        else:
            text += block
    path.write_text(text, encoding="utf-8")


def _report(rows: list[Any]) -> str:
    lines = [
        "# Overlay benchmark: ruimte against plain geopandas",
        "",
        "The table is written by `benchmarks/overlay.py`; notes below it by hand.",
        "Claim polygons from 10 plan layers on a generated region (irregular 12-gons on",
        "shifted 200 m grids; a layer never overlaps itself, layers overlap each other,",
        "often three or more at once).",
        "Each side runs in its own subprocess; peak RSS is VmHWM (includes generating the",
        "polygons). ruimte's time covers the whole kernel (pieces, conflicts, shared use,",
        "distance violations, synergies); geopandas' covers `overlay` per pair of layers,",
        "`union_all` for distinct hectares and `sjoin_nearest` per distance pair.",
        f"Machine: {_machine()}.",
        "",
        "| claims | ruimte wall s | geopandas wall s | wall ratio | ruimte CPU s "
        "| geopandas CPU s | CPU ratio | CPU ratio, same scope | ruimte peak MiB "
        "| geopandas peak MiB | overlapping pairs | pieces | distinct conflict ha "
        "| max rel. diff | same violators |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | :---: |",
    ]
    for n, r, g, worst, same in rows:
        ratio = g["seconds"] / r["seconds"]
        cpu = g["cpu_s"] / r["cpu_s"]
        scope = g["cpu_s"] / r["cpu_without_synergies_s"]
        lines.append(
            f"| {n:,} | {r['seconds']:.2f} | {g['seconds']:.2f} | **{ratio:.2f}×** "
            f"| {r['cpu_s']:.2f} | {g['cpu_s']:.2f} | {cpu:.2f}× | {scope:.2f}× "
            f"| {r['peak_mib']:.0f} | {g['peak_mib']:.0f} | {r['overlapping_pairs']:,} "
            f"| {r['pieces']:,} | {r['distinct_conflict_ha']:,.2f} | {worst:.1e} "
            f"| {'yes' if same else 'NO'} |"
        )
    lines += [
        "",
        "Compared figures (relative difference, worst of): pairwise conflict and shared-use",
        "hectares, distinct conflict and shared-use hectares (pieces against `union_all`),",
        "and the sum of nearest distances of the features that violate a minimum distance.",
        "ruimte's time is the kernel's; the text columns of its findings (pairs or conditions",
        "per piece, suggestions) are made when a layer is first read, after the kernel (in",
        "the peak RSS, not in the time): "
        + ", ".join(f"{r['text_s']:.2f} s at {n:,} claims" for n, r, *_ in rows)
        + ".",
        "",
        "",
    ]
    return "\n".join(lines)


def _stacked_report(rows: list[Any]) -> str:
    if not rows:
        return ""
    lines = [
        "## Stacked footprints",
        "",
        "k straight 50 m corridors through one point, 3,000 parcels, 12 overlapping search",
        "areas over the centre (`tests/overlay/stacked_case.py`); ruimte only. As k datasets",
        "the corridors stack (2^k sets of footprints at the centre, about k^2 pieces); as one",
        "dataset they are one land use (dissolved before the overlay).",
        "",
        "| k | corridors as | wall s | peak MiB | pieces | conflict ha |",
        "| ---: | :--- | ---: | ---: | ---: | ---: |",
    ]
    for k, side, r in rows:
        what = "one dataset" if side == "stacked-one" else f"{k} datasets"
        lines.append(
            f"| {k} | {what} | {r['seconds']:.2f} | {r['peak_mib']:.0f} | {r['pieces']:,} "
            f"| {r['conflict_ha']:,.2f} |"
        )
    return "\n".join(lines + [""])


def _machine() -> str:
    import os
    import platform

    return (
        f"{os.cpu_count()} cores (shared with other jobs), Python {platform.python_version()}, "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"geopandas {gpd.__version__}"
    )


if __name__ == "__main__":
    main()
