# SPDX-License-Identifier: Apache-2.0
"""A nuisance result as JSON, one dwelling's values, and two scenarios side by side.

``ruimte nuisance --json``, the REST API (``GET /api/scenarios/{s}/nuisance``)
and the compare view build their answers here, so they agree number for number.
Unknown counts (no dwellings dataset) stay None, never 0.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ruimte.analysis.nuisance.assess import NuisanceResult

__all__ = ["records", "nuisance_payload", "dwelling_values", "compare_payload"]

#: per-dwelling columns shown on click (when the result has them)
DWELLING_FIELDS = (
    "dataset", "feature", "dwellings", "lden_db", "lnight_db", "flicker_hours",
    "flicker_hours_worst", "flicker_max_minutes_day", "flicker_days_over_20min",
    "nearest_turbine_m", "band", "region_code",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and the -inf dB of "no turbine": no value, not zero
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Return a frame's rows (without geometry) as JSON-ready dicts; NaN becomes None.

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1, None]}))
    [{'a': 1.0}, {'a': None}]
    """
    if frame is None or len(frame.columns) == 0:
        return []
    table = frame.drop(columns="geometry", errors="ignore")
    rows = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def nuisance_payload(result: NuisanceResult, key: str | None, norms: pd.DataFrame) -> dict:
    """Return the JSON of a nuisance result (what ``ruimte nuisance --json`` prints).

    Parameters
    ----------
    result : NuisanceResult
    key : str or None
        The stored result's key; None when not stored.
    norms : DataFrame
        From :func:`~.settings.load_norms`.

    Returns
    -------
    dict
        ``scenario``, ``result``, ``summary``, ``warnings``, ``norms``,
        ``per_claim``, ``per_region``, ``bands``, ``turbines``.
    """
    return {
        "scenario": result.summary["scenario"],
        "result": key,
        "summary": _plain(result.summary),
        "warnings": list(result.warnings),
        "norms": records(norms),
        "per_claim": records(result.per_claim),
        "per_region": records(result.per_region),
        "bands": records(result.bands),
        "turbines": records(result.turbines),
    }


def dwelling_values(result: NuisanceResult, x: float, y: float, *, within_m: float) -> dict | None:
    """Return the values at the dwelling nearest to ``(x, y)`` (workspace CRS), or None.

    Parameters
    ----------
    result : NuisanceResult
    x, y : float
        A point in the result's CRS (where the user clicked).
    within_m : float
        Only a dwelling at most this far from the point counts.

    Returns
    -------
    dict or None
        :data:`DWELLING_FIELDS` plus ``distance_m`` (from the point); None when
        no dwelling is that near or the workspace has no dwellings.
    """
    dw = result.dwellings
    if dw is None or not len(dw):
        return None
    d = np.hypot(dw.geometry.x.to_numpy() - x, dw.geometry.y.to_numpy() - y)
    k = int(np.argmin(d))
    if d[k] > within_m:
        return None
    row = dw.iloc[k]
    out = {f: _plain(row[f]) for f in DWELLING_FIELDS if f in dw}
    out["distance_m"] = round(float(d[k]), 1)
    return out


def compare_payload(a: NuisanceResult, b: NuisanceResult, norms: pd.DataFrame) -> dict:
    """Return the dwellings over each norm in scenario A and B, and B - A.

    A difference is None when either count is unknown (no dwellings dataset).

    Returns
    -------
    dict
        ``a``, ``b`` (scenario names), ``rows`` (one per norm: ``norm``,
        ``label``, ``status``, ``indicator``, ``a``, ``b``, ``difference``),
        ``turbines`` and ``dwellings`` per side, and ``bands``
        (dwellings per visibility band, A and B).
    """
    rows = []
    for norm in norms.itertuples():
        va, vb = a.summary["over"].get(norm.id), b.summary["over"].get(norm.id)
        rows.append({
            "norm": norm.id, "label": norm.label, "status": norm.status,
            "indicator": norm.indicator, "a": va, "b": vb,
            "difference": None if va is None or vb is None else vb - va,
        })  # fmt: skip
    bands = []
    for band in a.summary["band_dwellings"]:
        va, vb = a.summary["band_dwellings"][band], b.summary["band_dwellings"].get(band)
        bands.append({"band": band, "a": va, "b": vb,
                      "difference": None if va is None or vb is None else vb - va})  # fmt: skip
    return _plain({
        "a": a.summary["scenario"], "b": b.summary["scenario"], "rows": rows, "bands": bands,
        "turbines": {"a": a.summary["turbines"], "b": b.summary["turbines"]},
        "dwellings": {"a": a.summary["dwellings"], "b": b.summary["dwellings"]},
    })  # fmt: skip
