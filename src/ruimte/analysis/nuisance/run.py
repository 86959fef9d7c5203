# SPDX-License-Identifier: Apache-2.0
"""Run the nuisance analysis of a scenario on a workspace and store the result."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ruimte.analysis.grid.run import resolve_scenario
from ruimte.analysis.nuisance.assess import NuisanceResult, assess
from ruimte.analysis.nuisance.inputs import (
    DWELLING_FUNCTION,
    TURBINE_FUNCTION,
    datasets_of,
    scenario_turbines,
    workspace_dwellings,
)
from ruimte.analysis.nuisance.settings import load_bands, load_method, load_norms
from ruimte.names import key_part

__all__ = ["result_key", "run_nuisance", "read_sunshine", "rerun"]

logger = logging.getLogger(__name__)


def result_key(scenario: str | None) -> str:
    """Return the result key of a nuisance run.

    Examples
    --------
    >>> result_key("ambitie")
    'nuisance_ambitie'
    """
    return "nuisance" if scenario is None else f"nuisance_{key_part(scenario)}"


#: climate tables shipped with ruimte, by name (``--sunshine knmi-de-bilt``)
SUNSHINE_TABLES = {"knmi-de-bilt": "sunshine_knmi_de_bilt.csv"}


def read_sunshine(path: Path | str) -> npt.NDArray[Any]:
    """Read a climate table ``month,sunshine_fraction`` (12 rows) for realistic flicker.

    Parameters
    ----------
    path : Path or str
        A CSV file, or the name of a shipped table (:data:`SUNSHINE_TABLES`).

    Raises
    ------
    NuisanceDataError
        Naming the file and column when it has not 12 months with fractions in [0, 1].

    Examples
    --------
    >>> read_sunshine("knmi-de-bilt").round(2).tolist()[:3]
    [0.22, 0.29, 0.35]
    """
    from ruimte.analysis.nuisance.settings import NuisanceDataError, data_file

    if str(path) in SUNSHINE_TABLES:
        path = data_file(SUNSHINE_TABLES[str(path)])
    path = Path(path)
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise NuisanceDataError(
            f"{path}: cannot read the climate table ({exc}); give a CSV file with columns "
            f"month and sunshine_fraction, or one of: {', '.join(SUNSHINE_TABLES)}."
        ) from None
    for col in ("month", "sunshine_fraction"):
        if col not in table:
            raise NuisanceDataError(
                f"{path}: column {col!r} missing (has {', '.join(map(str, table.columns))}); "
                "a climate table needs columns month (1-12) and sunshine_fraction (0-1)."
            )
    month = pd.to_numeric(table["month"], errors="coerce")
    frac = pd.to_numeric(table["sunshine_fraction"], errors="coerce")
    if sorted(month.dropna().astype(int).tolist()) != list(range(1, 13)) or len(table) != 12:
        raise NuisanceDataError(f"{path}: column 'month' must hold each month 1-12 once.")
    if frac.isna().any() or not frac.between(0, 1).all():
        bad = table.loc[frac.isna() | ~frac.between(0, 1), "month"].tolist()
        raise NuisanceDataError(
            f"{path}: column 'sunshine_fraction' must be a number between 0 and 1 (months {bad})."
        )
    return frac.to_numpy(dtype=float)[np.argsort(month.to_numpy())]


def _viewshed(ws: Any, dem: str, turbines: Any, bands: pd.DataFrame) -> tuple[Any, list[str]]:
    """Return the turbines' viewshed on the workspace raster ``dem`` and its warnings."""
    from ruimte.analysis.nuisance.settings import NuisanceDataError
    from ruimte.analysis.nuisance.viewshed import load_viewshed_method, viewshed

    record = ws.dataset(dem)  # unknown name: an error with a suggestion
    if record.kind != "raster":
        raise NuisanceDataError(
            f"dem {dem!r} is a vector dataset; give a raster (import a DEM GeoTIFF such as AHN)."
        )
    return viewshed(ws.raster_path(dem), dem, turbines, bands, load_viewshed_method())


def run_nuisance(
    ws: Any,
    scenario: str | None = None,
    *,
    save: bool = True,
    sunshine_fraction: npt.ArrayLike | None = None,
    progress: Callable[[int], None] | None = None,
    dem: str | None = None,
) -> tuple[NuisanceResult, str | None]:
    """Assess noise, shadow flicker and visibility of a scenario's turbines.

    Parameters
    ----------
    ws : Workspace
    scenario : str, optional
        Default: the first scenario without a parent.
    save : bool
        Store the result (key :func:`result_key`, kind ``"nuisance"``) with layers
        ``dwellings``, ``turbines``, ``contours``, ``bands`` and tables
        ``per_claim``, ``per_region``.
    sunshine_fraction : array of 12, optional
        Monthly sunshine fractions (:func:`read_sunshine`): realistic flicker hours.
    progress : callable, optional
        Called with numbers of dwellings done (flicker chunks).
    dem : str, optional
        A raster dataset of terrain heights (m): visibility becomes a viewshed
        (:mod:`~.viewshed`); without it, distance bands only.

    Returns
    -------
    (NuisanceResult, str or None)
        The result and its key (None when not saved).

    Raises
    ------
    ScenarioNotFoundError
        If ``scenario`` is not a scenario of the workspace.
    """
    started = time.perf_counter()
    scenario = resolve_scenario(ws, scenario)
    noise_method, flicker_method = load_method()
    norms, bands = load_norms(), load_bands()
    turbines, warnings = scenario_turbines(ws, scenario)
    dwellings = workspace_dwellings(ws)
    regions = ws.regions()  # every level: counts per municipality, RES region, province
    view = None
    if dem is not None and len(turbines):
        view, view_warnings = _viewshed(ws, dem, turbines, bands)
        warnings = [*warnings, *view_warnings]
    result = assess(turbines, dwellings, regions, norms, bands, noise_method, flicker_method,
                    sunshine_fraction=sunshine_fraction, progress=progress, view=view)  # fmt: skip
    result.warnings[:0] = warnings
    if int((turbines["assumed"] != "").sum()):
        result.warnings.append(
            f"{int((turbines['assumed'] != '').sum())} turbine(s) use values of the default "
            "turbine type (column 'assumed' names them); set turbine_type, rotor_m, "
            "hub_height_m or lwa_dba on the claim or dataset to replace them."
        )
    for message in result.warnings:
        logger.info(message)
    result.summary["scenario"] = scenario
    if not save:
        return result, None
    key = result_key(scenario)
    layers = {"turbines": result.turbines, "contours": result.contours, "bands": result.bands}
    if result.dwellings is not None:
        # silence (no turbine at all) is -inf dB in the kernel; stored as null
        layers["dwellings"] = result.dwellings.replace([np.inf, -np.inf], np.nan)
    tables = {k: v for k, v in (("per_claim", result.per_claim),
                                ("per_region", result.per_region)) if len(v.columns)}  # fmt: skip
    inputs = [f"dataset:{n}" for n in (*datasets_of(ws, TURBINE_FUNCTION),
                                       *datasets_of(ws, DWELLING_FUNCTION))]  # fmt: skip
    ws.save_result(
        key,
        "nuisance",
        layers=layers,
        tables=tables,
        scenario=scenario,
        inputs=(
            *inputs,
            *([f"dataset:{dem}"] if dem else []),
            f"claims:{scenario}" if scenario else "claims",
            "regions",
            "vocabulary",
        ),  # fmt: skip
        parameters={
            "scenario": scenario,
            "data": "ruimte/analysis/nuisance/data",
            "dem": dem,
            "sunshine_fraction": (
                None
                if sunshine_fraction is None
                else [float(v) for v in np.asarray(sunshine_fraction, dtype=float)]
            ),
        },  # fmt: skip
        summary={**result.summary, "warnings": result.warnings},
        seconds=time.perf_counter() - started,
    )
    return result, key


def rerun(ws: Any, record: Any) -> tuple[NuisanceResult, str | None]:
    """Recompute a stored nuisance result with its stored parameters (``ruimte update``).

    Parameters
    ----------
    ws : Workspace
    record : ResultRecord
        The stale result.

    Returns
    -------
    (NuisanceResult, str or None)
    """
    params = dict(record.parameters or {})
    return run_nuisance(
        ws,
        params.get("scenario") or record.scenario,
        sunshine_fraction=params.get("sunshine_fraction"),
        dem=params.get("dem"),
    )
