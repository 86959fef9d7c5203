# SPDX-License-Identifier: Apache-2.0
"""Allocation: the HiGHS LP against a greedy suitability ranking, side by side in one run.

A synthetic region of N one-hectare cells (default 10^6, a 1,000 x 1,000 grid
of 100 m cells, four regions) with six functions competing for land (solar
field, wind turbine, housing, nature reserve, water storage, business park;
land sharing as in the vocabulary's compatibility matrix). Costs per hectare
are smooth random fields (seeded); about 30 % of the cells are locked out per
function. Each function has a claim per region of 1-3 % of that region's land.

- ``lp``: ruimte's model (:func:`build_model`, vectorised numpy/scipy.sparse,
  passed to HiGHS as CSC arrays) solved to optimality with the dual simplex.
  Hectares are continuous, so the LP is the model itself, not a relaxation.
- ``greedy``: the land-use-scanner approach: functions in a fixed order, each
  claim takes its region's cheapest free cells until it is met; exclusive
  functions then lose that land.

Each runs in its own process so that its peak RSS (VmHWM) is its own.

    python benchmarks/allocation.py [--cells 1000000] [--out benchmarks/allocation.md]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from peak_rss import PEAK  # noqa: E402  (benchmarks/ is on sys.path)

SETUP = """
import json, sys, time
import numpy as np
import pandas as pd
from scipy import ndimage
from ruimte.vocab import load_vocabulary
from ruimte.analysis.allocation.problem import Problem

FUNCTIONS = ("business_park", "housing", "nature_reserve", "solar_field", "water_storage",
             "wind_turbine")
def make_problem(n_cells, demand=1.0, seed=2026):
    side = int(round(n_cells ** 0.5))
    n = side * side
    rng = np.random.default_rng(seed)
    m = len(FUNCTIONS)
    costs = np.empty((n, m))
    available = np.empty((n, m), dtype=bool)
    for j in range(m):
        field = ndimage.gaussian_filter(rng.random((side, side)), sigma=side / 50)
        field = (field - field.min()) / (field.max() - field.min())
        costs[:, j] = field.ravel()
        available[:, j] = rng.random(n) > 0.3
    rows, cols = np.divmod(np.arange(n), side)
    region = (rows >= side // 2) * 2 + (cols >= side // 2)
    items, masks = [], []
    for r in range(4):
        in_region = region == r
        for j, fn in enumerate(FUNCTIONS):
            need = float(in_region.sum()) * (0.01 + 0.004 * j) * demand
            items.append({"item_id": f"{fn}@{r}", "function": fn, "min_ha": need,
                          "max_ha": need, "kind": "claim", "ref": f"{fn}@{r}"})
            masks.append(in_region)
    vocab = load_vocabulary()
    shared = frozenset(frozenset({a, b}) for i, a in enumerate(FUNCTIONS)
                       for b in FUNCTIONS[i + 1:] if vocab.relation(a, b).relation == "shared")
    return Problem(area_ha=np.ones(n), functions=FUNCTIONS, available=available,
                   criteria={"cost": costs}, items=pd.DataFrame(items),
                   item_mask=np.array(masks), shared=shared)
"""

LP = (
    PEAK
    + SETUP
    + """
problem = make_problem(int(sys.argv[1]), float(sys.argv[2]))
from ruimte.analysis.allocation.model import build_model, solve
t0 = time.perf_counter()
model = build_model(problem)
t1 = time.perf_counter()
result = solve(model, {"cost": 1.0}, options={"solver": "simplex"})
t2 = time.perf_counter()
met = int((result.items["shortfall_ha"] <= 1e-6).sum())
print(json.dumps({"build_s": t1 - t0, "solve_s": t2 - t1, "cost": result.criteria["cost"],
                  "status": result.status, "met": met, "items": len(problem.items),
                  "columns": int(model.matrix.shape[1]), "rows": int(model.matrix.shape[0]),
                  "nonzeros": int(model.matrix.nnz), "peak_mib": peak_mib()}))
"""
)

GREEDY = (
    PEAK
    + SETUP
    + """
problem = make_problem(int(sys.argv[1]), float(sys.argv[2]))
t0 = time.perf_counter()
cliques = problem.cliques()
used = np.zeros((len(cliques), problem.n_units))
cost_total, met = 0.0, 0
costs = problem.criteria["cost"]
for k, item in enumerate(problem.items.itertuples(index=False)):
    j = problem.functions.index(item.function)
    mine = [q for q, c in enumerate(cliques) if j in c]
    free = problem.area_ha - used[mine].max(axis=0)
    ok = problem.item_mask[k] & problem.available[:, j] & (free > 1e-12)
    cand = np.flatnonzero(ok)
    order = cand[np.argsort(costs[cand, j], kind="stable")]
    take = np.minimum(free[order], np.maximum(item.min_ha - np.concatenate(
        [[0.0], np.cumsum(free[order])[:-1]]), 0.0))
    for q in mine:
        used[q, order] += take
    cost_total += float(costs[order, j] @ take)
    met += bool(take.sum() >= item.min_ha - 1e-6)
t1 = time.perf_counter()
print(json.dumps({"build_s": 0.0, "solve_s": t1 - t0, "cost": cost_total, "status": "greedy",
                  "met": met, "items": len(problem.items), "peak_mib": peak_mib()}))
"""
)


def _run(code: str, cells: int, demand: float) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(cells), str(demand)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    """Run both approaches and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--demand", type=float, default=1.0, help="Scale the claims (1: 12 %% of the land)."
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("allocation.md"))
    parser.add_argument("--append", action="store_true", help="Add rows to an existing --out.")
    args = parser.parse_args()
    header = [
        "# Allocation benchmark",
        "",
        "`python benchmarks/allocation.py` (synthetic region; see the script's docstring).",
        "Six functions, four regions, one claim per function and region; the LP is solved",
        "to optimality by HiGHS (dual simplex). Peak RSS per process (VmHWM).",
        "",
        "| cells | demand | method | build s | solve s | peak RSS MiB | cost | claims met "
        "| LP size |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines = [] if args.append else header
    for cells in args.cells:
        lp, greedy = _run(LP, cells, args.demand), _run(GREEDY, cells, args.demand)
        size = f"{lp['columns']:,} cols, {lp['rows']:,} rows, {lp['nonzeros']:,} nz"
        for name, r, extra in (("HiGHS LP", lp, size), ("greedy ranking", greedy, "")):
            lines.append(
                f"| {cells:,} | {args.demand:g} | {name} | {r['build_s']:.1f} "
                f"| {r['solve_s']:.1f} | "
                f"{r['peak_mib']:,.0f} | {r['cost']:,.1f} | {r['met']}/{r['items']} | {extra} |"
            )
        ratio = greedy["cost"] / lp["cost"] if lp["cost"] else float("nan")
        lines.append(
            f"| {cells:,} | {args.demand:g} | greedy / LP cost | | | | **{ratio:.3f}** | | |"
        )
        print("\n".join(lines[-3:]), flush=True)
    if args.append:
        with args.out.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    else:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
