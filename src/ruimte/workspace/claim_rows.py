# SPDX-License-Identifier: Apache-2.0
"""Rows of a claims file made into claims: kept attributes, combined rows, derived quantities.

Pure functions on frames (the import in :mod:`ruimte.workspace.claims_import`
does the I/O). Cost: linear in the rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.vocab import Vocabulary

#: the source row a claim came from (several claims for a combined row), until ids are known
ROW = "_source_row"


def _plain(value: Any) -> Any:
    """Return a JSON-able Python value; NaN and NaT become None."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, pd.Timestamp | np.datetime64):
        return None if pd.isna(value) else str(pd.Timestamp(value).isoformat())
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, int | str | bool):
        return value
    return None if pd.isna(value) else str(value)


def source_attributes(features: pd.DataFrame, skip: Iterable[str]) -> pd.Series:
    """Return per row the attributes not in ``skip`` (nor the geometry) as a JSON object.

    Examples
    --------
    >>> frame = pd.DataFrame({"naam": ["Veld A"], "mw": [float("nan")], "function": ["x"]})
    >>> source_attributes(frame, ["function"]).tolist()
    ['{"naam": "Veld A", "mw": null}']
    """
    skipped = set(skip)
    if isinstance(features, gpd.GeoDataFrame):
        skipped.add(features.geometry.name)
    columns = [c for c in features.columns if c not in skipped and not str(c).startswith("_")]
    if not columns:
        return pd.Series([None] * len(features), index=features.index, dtype=object)
    records = features[columns].to_dict(orient="records")
    texts = [
        json.dumps({str(k): _plain(v) for k, v in r.items()}, ensure_ascii=False) for r in records
    ]
    return pd.Series(texts, index=features.index, dtype=object)


def split_combined(claims: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Make one claim per function of a row whose ``function`` is a tuple (same footprint).

    Such claims get the source row in :data:`ROW` so that :func:`link_combined`
    can name each one's partners once ids are known. A quantity from the file
    is not split between the functions of a combined row (which part is
    which is unknown): it is set to None.

    Returns
    -------
    GeoDataFrame, int
        The claims, and how many combined rows lost their file quantity.
    """
    claims = claims.copy()
    claims[ROW] = np.arange(len(claims))
    many = claims["function"].map(lambda f: isinstance(f, tuple))
    dropped = 0
    if many.any():
        if "quantity" in claims:
            dropped = int((many & claims["quantity"].notna()).sum())
            claims.loc[many, "quantity"] = np.nan
            if "quantity_basis" in claims:
                claims.loc[many, "quantity_basis"] = None
        claims = claims.explode("function", ignore_index=True)
    return gpd.GeoDataFrame(claims, geometry=claims.geometry.name, crs=claims.crs), dropped


def link_combined(claims: pd.DataFrame) -> pd.Series:
    """Return per claim the ids of the other claims from its source row ("a;b"), else None."""
    groups = claims.groupby(ROW)["claim_id"].agg(list)
    partners = claims[ROW].map(groups)
    return pd.Series(
        [
            ";".join(str(i) for i in ids if i != own) if len(ids) > 1 else None
            for own, ids in zip(claims["claim_id"], partners, strict=True)
        ],
        index=claims.index,
        dtype=object,
    )


def derived_quantity(area_m2: float, value: float | None, unit: str | None) -> tuple[Any, Any]:
    """Return (quantity, unit) from a footprint's area and a function's space use.

    ``ha/MW`` gives MW = ha / value, ``m2/kWp`` kWp = m² / value, ``homes/ha``
    homes = ha x value, ``ha/ha`` the hectares themselves; a space use per
    length (``ha/km``) or none gives (None, None).

    Examples
    --------
    >>> derived_quantity(19_000.0, 9.5, "ha/MW")
    (0.2, 'MW')
    >>> derived_quantity(20_000.0, 30.0, "homes/ha")
    (60.0, 'homes')
    >>> derived_quantity(1_000.0, 1.0, "ha/km")
    (None, None)
    """
    if not value or not unit or "/" not in unit or not area_m2 > 0:
        return None, None
    top, bottom = unit.split("/", 1)
    ha = area_m2 / 10_000.0
    if top == "ha" and bottom == "ha":
        return round(ha, 6), "ha"
    if top == "ha" and bottom != "km":
        return round(ha / value, 6), bottom
    if top == "m2":
        return round(area_m2 / value, 6), bottom
    if bottom == "ha":
        return round(ha * value, 6), top
    return None, None


def derive_quantities(claims: gpd.GeoDataFrame, vocab: Vocabulary) -> tuple[gpd.GeoDataFrame, int]:
    """Fill a missing quantity of a polygon claim from its area and its function's space use.

    Derived quantities are marked ``quantity_basis = "derived"``; a claim that
    already has a quantity, or no area, keeps what it has.

    Returns
    -------
    GeoDataFrame, int
        The claims, and how many quantities were derived.
    """
    claims = claims.copy()
    if "quantity" not in claims:
        claims["quantity"] = np.nan
    if "unit" not in claims:
        claims["unit"] = None
    if "quantity_basis" not in claims:
        claims["quantity_basis"] = None
    area = claims.geometry.area.fillna(0.0).to_numpy()
    n = 0
    for i, (function, quantity) in enumerate(
        zip(claims["function"], claims["quantity"], strict=True)
    ):
        if pd.notna(quantity) or function not in vocab.functions:
            continue
        f = vocab.functions[function]
        value, unit = derived_quantity(float(area[i]), f.space_use_value, f.space_use_unit)
        if value is not None:
            claims.iat[i, claims.columns.get_loc("quantity")] = value
            claims.iat[i, claims.columns.get_loc("unit")] = unit
            claims.iat[i, claims.columns.get_loc("quantity_basis")] = "derived"
            n += 1
    return claims, n
