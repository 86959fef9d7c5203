# SPDX-License-Identifier: Apache-2.0
"""Per-hectare costs of putting each function on each land unit, and where it may go.

Every criterion is a cost per hectare in [0, 1] (``data/criteria.csv``); the
numbers that shape them (nuisance reach, which farmland may give way, grid
role) are in ``data/function_params.csv``. Availability follows the
vocabulary's compatibility matrix: a new function may go on a unit when the
existing use shares land with it (the land counts once) or may be converted
(farmland), and not within the minimum distance the matrix sets to an
existing use (e.g. wind turbines 400 m from housing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ruimte.analysis.allocation.candidates import Candidates
from ruimte.vocab import Vocabulary

#: cost per ha of sharing land with farming (wind on arable land), against 1 for conversion
SHARED_FARMLAND_LOSS = 0.25
#: distance (m) at which the grid-distance part of grid_reinforcement reaches 1
GRID_REACH_M = 10_000.0
#: distance (m) at which new nature counts as unconnected
NATURE_REACH_M = 2_000.0
NATURE_FUNCTIONS = ("nature_reserve", "forest")


@lru_cache(maxsize=4)
def _csv(name: str) -> pd.DataFrame:
    path = resources.files("ruimte.analysis.allocation").joinpath("data", name)
    with path.open(encoding="utf-8") as f:
        return pd.read_csv(f)


def criteria_table() -> pd.DataFrame:
    """Return ``data/criteria.csv``: the criteria an allocation weighs."""
    return _csv("criteria.csv")


def function_params() -> pd.DataFrame:
    """Return ``data/function_params.csv`` indexed by function."""
    return _csv("function_params.csv").set_index("function")


def _param(fn: str, column: str, default: float | str) -> float | str:
    table = function_params()
    if fn in table.index and pd.notna(table.at[fn, column]):
        return table.at[fn, column]  # type: ignore[no-any-return]
    return default


def distance_functions(functions: Sequence[str], vocab: Vocabulary) -> set[str]:
    """Return the existing uses whose distance the criteria and availability need."""
    needed = {"housing", *NATURE_FUNCTIONS}
    for fn in functions:
        for other in vocab.functions:
            if vocab.relation(fn, other).relation == "distance":
                needed.add(other)
    return needed


def availability(
    candidates: Candidates,
    functions: Sequence[str],
    vocab: Vocabulary,
    distances: Mapping[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(available, converts)``, both bool ``(n_units, n_functions)``.

    ``converts`` marks units where the new function replaces the existing use.
    """
    params = function_params()
    convertible = {f for f in params.index if bool(params.at[f, "convertible"])}
    existing = candidates.unit_existing
    kinds = sorted(set(existing))
    n, m = len(existing), len(functions)
    available = np.zeros((n, m), dtype=bool)
    converts = np.zeros((n, m), dtype=bool)
    for j, fn in enumerate(functions):
        for g in kinds:
            on = existing == g
            relation = vocab.relation(fn, g).relation
            if relation == "shared":
                available[on, j] = True
            elif g in convertible:
                available[on, j] = converts[on, j] = True
        # minimum distances to existing uses, from the compatibility matrix
        for g, dist in distances.items():
            if g not in vocab.functions:
                continue
            rel = vocab.relation(fn, g)
            if rel.relation == "distance" and rel.min_distance_m:
                too_close = dist[candidates.unit_cell] < rel.min_distance_m
                available[too_close, j] = False
    return available, converts


def criteria_values(
    candidates: Candidates,
    functions: Sequence[str],
    vocab: Vocabulary,
    distances: Mapping[str, np.ndarray],
    converts: np.ndarray,
    *,
    substations: pd.DataFrame | None = None,
    eligible_share: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Return criterion -> cost per ha ``(n_units, n_functions)`` in [0, 1].

    Parameters
    ----------
    candidates : Candidates
    functions : sequence of str
    vocab : Vocabulary
    distances : mapping of str to numpy.ndarray
        Existing function -> distance (m) from each coarse cell to it.
    converts : numpy.ndarray
        From :func:`availability`.
    substations : DataFrame, optional
        ``x``, ``y``, ``capacity_mva``, ``peak_feedin_mw``, ``peak_load_mw``.
    eligible_share : mapping of str to numpy.ndarray, optional
        Function -> eligible share (0-1) of each coarse cell, from stored
        eligibility results; replaces the vocabulary fallback for suitability.
    """
    n, m = len(candidates.unit_existing), len(functions)
    cell = candidates.unit_cell
    farmland = np.isin(candidates.unit_existing, ["arable_farming", "dairy_farming", "peat_meadow"])
    out = {name: np.zeros((n, m)) for name in criteria_table()["criterion"]}
    housing = distances.get("housing", np.full(candidates.n_cells, np.inf))[cell]
    nature = np.minimum.reduce(
        [distances.get(f, np.full(candidates.n_cells, np.inf))[cell] for f in NATURE_FUNCTIONS]
    )
    grid = _grid_terms(candidates, substations)
    for j, fn in enumerate(functions):
        if eligible_share and fn in eligible_share:
            out["suitability"][:, j] = 1.0 - np.clip(eligible_share[fn][cell], 0.0, 1.0)
        else:
            out["suitability"][:, j] = converts[:, j].astype(float)
        out["farmland_loss"][:, j] = np.where(
            converts[:, j] & farmland, 1.0, np.where(farmland, SHARED_FARMLAND_LOSS, 0.0)
        )
        reach = float(_param(fn, "nuisance_reach_m", 0.0))
        if reach > 0:
            out["dwelling_nuisance"][:, j] = np.clip(1.0 - housing / reach, 0.0, 1.0)
        if fn in NATURE_FUNCTIONS:
            out["landscape_nature"][:, j] = np.clip(nature / NATURE_REACH_M, 0.0, 1.0)
        else:
            reach = float(_param(fn, "landscape_reach_m", 0.0))
            if reach > 0:
                out["landscape_nature"][:, j] = np.clip(1.0 - nature / reach, 0.0, 1.0)
        role = str(_param(fn, "grid_role", "none"))
        if role in grid:
            out["grid_reinforcement"][:, j] = grid[role][cell]
    return out


def _grid_terms(candidates: Candidates, substations: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """Return role -> per-cell grid cost: half distance, half used capacity of nearest station.

    Roles are ``generation`` (feed-in) and ``demand`` (load).
    """
    if substations is None or substations.empty:
        return {}
    sx, sy = substations["x"].to_numpy(float), substations["y"].to_numpy(float)
    d = np.hypot(candidates.cell_x[:, None] - sx[None, :], candidates.cell_y[:, None] - sy[None, :])
    nearest = d.argmin(axis=1)
    dist_term = np.clip(d[np.arange(len(nearest)), nearest] / GRID_REACH_M, 0.0, 1.0)
    cap = substations["capacity_mva"].to_numpy(float)
    out = {}
    for role, column in (("generation", "peak_feedin_mw"), ("demand", "peak_load_mw")):
        used = np.clip(substations[column].to_numpy(float) / np.maximum(cap, 1e-9), 0.0, 1.0)
        out[role] = 0.5 * dist_term + 0.5 * used[nearest]
    return out
