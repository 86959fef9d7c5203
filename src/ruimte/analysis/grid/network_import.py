# SPDX-License-Identifier: Apache-2.0
"""Build a :class:`GridModel` from workspace datasets, GeoPackage/GeoJSON files or OSM layers.

Column names differ per source; this module maps them onto the model's
columns: ``naam``/``name``; ``voltage_kv``/``voltage`` (``"150/20"``,
``"150000;150000"``); ``capacity_mva``; ``peak_load_mw``, ``peak_feedin_mw``;
``length_m``/``length_km``; OSM ``cables`` (three per circuit).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from ruimte.analysis.grid.network import (
    GridModel,
    GridModelError,
    make_lines,
    make_substations,
    parse_voltages_kv,
)
from ruimte.errors import did_you_mean

SUBSTATION_FUNCTIONS = ("substation",)
LINE_FUNCTIONS = ("hv_line", "mv_line")


def _first(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series | None:
    for name in names:
        if name in frame.columns:
            return frame[name]
    return None


#: OSM / SciGRID node types that are substations (``sub_station`` is a tagging variant)
SUBSTATION_NODE_TYPES = ("substation", "sub_station")


def _count_text(counts: pd.Series) -> str:
    return ", ".join(f"{n} {value}" for value, n in counts.items())


def _located(frame: gpd.GeoDataFrame, what: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Drop rows without geometry, noting how many."""
    empty = frame.geometry.isna() | frame.geometry.is_empty
    if empty.any():
        notes.append(f"{int(empty.sum())} of {len(frame)} {what} have no geometry: left out.")
    return frame[~empty]


def normalise_substations(
    frame: gpd.GeoDataFrame, notes: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Map a source's substation columns onto the model's columns.

    Parameters
    ----------
    frame : GeoDataFrame
        Points (polygons are reduced to a representative point).
    notes : list of str, optional
        Receives a sentence for every kind of row left out (node types that
        are not substations, rows without geometry), with counts.

    Returns
    -------
    GeoDataFrame
    """
    notes = [] if notes is None else notes
    if "typ" in frame.columns:  # OSM / SciGRID nodes: keep the substations
        typ = frame["typ"].astype(str).str.strip().str.lower()
        keep = typ.isin(SUBSTATION_NODE_TYPES)
        if (~keep).any():
            notes.append(
                f"{int(keep.sum())} of {len(frame)} grid nodes are substations (typ "
                f"{' or '.join(SUBSTATION_NODE_TYPES)}); left out: "
                f"{_count_text(frame.loc[~keep, 'typ'].fillna('no typ').value_counts())}."
            )
        frame = frame[keep]
    frame = _located(frame, "substations", notes)
    out = gpd.GeoDataFrame(geometry=frame.geometry.representative_point(), crs=frame.crs)
    ids = _first(frame, ("substation_id", "v_id", "id", "fid"))
    if ids is not None:
        out["substation_id"] = _text_ids(ids)
    names = _first(frame, ("name", "naam"))
    if names is not None:
        out["name"] = names.to_numpy()
        if ids is not None:
            out["name"] = out["name"].fillna(out["substation_id"])
    volts = _first(frame, ("voltage_kv", "voltage"))
    levels = [parse_voltages_kv(v) for v in (volts if volts is not None else [None] * len(frame))]
    out["voltage_hv_kv"] = [lv[0] if lv else np.nan for lv in levels]
    out["voltage_lv_kv"] = [lv[-1] if len(lv) > 1 else np.nan for lv in levels]
    for col in ("capacity_mva", "peak_load_mw", "peak_feedin_mw"):
        if col in frame.columns:
            out[col] = frame[col].to_numpy()
    return make_substations(out)


def normalise_lines(frame: gpd.GeoDataFrame, notes: list[str] | None = None) -> gpd.GeoDataFrame:
    """Map a source's line columns onto the model's columns.

    Parameters
    ----------
    frame : GeoDataFrame
        Line strings (multi-lines are split into their parts).
    notes : list of str, optional
        Receives a sentence for every kind of row left out (no geometry, not
        a line), with counts.

    Returns
    -------
    GeoDataFrame
    """
    notes = [] if notes is None else notes
    frame = _located(frame, "lines", notes)
    frame = frame.explode(index_parts=False).reset_index(drop=True)
    is_line = frame.geom_type.isin(("LineString", "LinearRing"))
    if (~is_line).any():
        notes.append(
            f"{int((~is_line).sum())} line features are not lines "
            f"({_count_text(frame.geom_type[~is_line].value_counts())}): left out."
        )
        frame = frame[is_line].reset_index(drop=True)
    out = gpd.GeoDataFrame(geometry=frame.geometry, crs=frame.crs)
    ids = _first(frame, ("line_id", "l_id", "id"))
    if ids is not None:
        out["line_id"] = _text_ids(ids)
        if out["line_id"].duplicated().any():
            out["line_id"] = [f"{v}_{i}" for i, v in enumerate(out["line_id"])]
    names = _first(frame, ("name", "naam"))
    if names is not None:
        out["name"] = names.to_numpy()
        out["name"] = out["name"].fillna(out.get("line_id", pd.Series(index=out.index)))
    volts = _first(frame, ("voltage_kv", "voltage"))
    if volts is not None:
        out["voltage_kv"] = [(parse_voltages_kv(v) or [np.nan])[0] for v in volts]
    if "capacity_mva" in frame:
        out["capacity_mva"] = frame["capacity_mva"].to_numpy()
    if "circuits" in frame:
        out["circuits"] = frame["circuits"].to_numpy()
    elif "cables" in frame:  # OSM: three conductors per AC circuit
        cables = pd.to_numeric(frame["cables"], errors="coerce")
        out["circuits"] = np.maximum(np.floor(cables / 3.0), 1.0).to_numpy()
    if "length_km" in frame:
        out["length_km"] = frame["length_km"].to_numpy()
    elif "length_m" in frame:
        out["length_km"] = pd.to_numeric(frame["length_m"], errors="coerce").to_numpy() / 1000.0
    return make_lines(out)


def _text_ids(ids: pd.Series) -> np.ndarray:
    """Return identifiers as text, keeping missing ones missing (not the text "nan")."""
    return np.array([None if pd.isna(v) else str(v) for v in ids], dtype=object)


def model_from_frames(
    substations: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame | None = None,
    *,
    crs: Any = "EPSG:28992",
) -> GridModel:
    """Build a grid model from two frames in any CRS, reprojected to ``crs``.

    Parameters
    ----------
    substations : GeoDataFrame
    lines : GeoDataFrame, optional
    crs : CRS-like
        Target CRS (projected, metres).

    Returns
    -------
    GridModel
    """
    notes: list[str] = []
    subs = normalise_substations(substations.to_crs(crs), notes)
    if lines is None or lines.empty:
        line_frame = make_lines(gpd.GeoDataFrame(geometry=[], crs=crs))
    else:
        line_frame = normalise_lines(lines.to_crs(crs), notes)
    return GridModel(subs, line_frame, tuple(notes))


def grid_datasets(ws: Any, datasets: Sequence[str] | None = None) -> list[str]:
    """Return the vector datasets mapped to a grid function (substation, hv or mv line).

    Parameters
    ----------
    ws : Workspace
    datasets : sequence of str, optional
        Restrict to these names (each must exist).

    Returns
    -------
    list of str

    Raises
    ------
    GridModelError
        If a named dataset does not exist.
    """
    table = ws.datasets()
    names = table.loc[table["kind"] == "vector", "name"].astype(str).tolist()
    for name in datasets or ():
        if name not in names:
            raise GridModelError(
                f"{ws.path}: no vector dataset {name!r}. {did_you_mean(name, names)}"
            )
    mappings = dict(
        zip(table["name"].astype(str), table["function_mapping"].astype(str), strict=True)
    )
    grid = (*SUBSTATION_FUNCTIONS, *LINE_FUNCTIONS)
    return [n for n in (datasets or names) if any(f in mappings[n] for f in grid)]


def model_from_workspace(ws: Any, datasets: Sequence[str] | None = None) -> GridModel:
    """Build the grid model from a workspace's datasets (substations, hv and mv lines).

    Every vector dataset whose ``function`` column holds ``substation`` rows
    contributes substations; ``hv_line`` and ``mv_line`` rows contribute lines.

    Parameters
    ----------
    ws : Workspace
    datasets : sequence of str, optional
        Only these datasets (default: every dataset mapped to a grid function).

    Returns
    -------
    GridModel

    Raises
    ------
    GridModelError
        If the workspace has no substations.
    """
    subs, lines = [], []
    for name in grid_datasets(ws, datasets):
        frame = ws.read_dataset(name)
        if "function" not in frame:
            continue
        subs.append(frame[frame["function"].isin(SUBSTATION_FUNCTIONS)])
        lines.append(frame[frame["function"].isin(LINE_FUNCTIONS)])
    # all-empty columns are dropped before concatenating (they come back as NaN where needed)
    subs = [_without_empty_columns(s) for s in subs if not s.empty]
    if not subs:
        raise GridModelError(
            f"{ws.path}: no dataset holds substations (function 'substation'). Import one, e.g. "
            "`ruimte import WORKSPACE substations.gpkg --function substation`."
        )
    sub_frame = gpd.GeoDataFrame(pd.concat(subs, ignore_index=True), crs=ws.crs)
    line_list = [_without_empty_columns(x) for x in lines if not x.empty]
    line_frame = (
        gpd.GeoDataFrame(pd.concat(line_list, ignore_index=True), crs=ws.crs) if line_list else None
    )
    return model_from_frames(sub_frame, line_frame, crs=ws.crs)


def _without_empty_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop the attribute columns that are empty throughout (the geometry stays)."""
    keep = frame.notna().any().to_numpy() | (frame.columns == frame.geometry.name)
    return frame.loc[:, keep]


def layers_by_role(path: str | Path, names: Sequence[str]) -> tuple[str | None, str | None]:
    """Tell which of the named layers holds substations and which lines, by geometry type.

    Points and polygons are substations; line strings are lines.

    Parameters
    ----------
    path : path
        A multi-layer file (GeoPackage, ...).
    names : sequence of str
        One or two layer names.

    Returns
    -------
    (str or None, str or None)
        The substations layer and the lines layer.

    Raises
    ------
    GridModelError
        If a layer does not exist, has another geometry type, or two layers
        have the same role.
    """
    path = Path(path)
    layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    roles: dict[str, str] = {}
    for name in names:
        if name not in layers:
            raise GridModelError(f"{path}: no layer {name!r}. {did_you_mean(name, layers)}")
        kind = str(pyogrio.read_info(path, layer=name)["geometry_type"] or "None")
        role = (
            "lines" if "Line" in kind
            else "substations" if ("Point" in kind or "Polygon" in kind)
            else None
        )  # fmt: skip
        if role is None:
            raise GridModelError(
                f"{path}: layer {name!r} has geometry type {kind}; --layer takes a layer of "
                "points or polygons (substations) and one of lines."
            )
        if role in roles:
            raise GridModelError(
                f"{path}: layers {roles[role]!r} and {name!r} both hold {role}; name one of each "
                "with --layer."
            )
        roles[role] = name
    return roles.get("substations"), roles.get("lines")


def read_grid_file(
    path: str | Path,
    *,
    substations_layer: str | None = None,
    lines_layer: str | None = None,
    crs: Any = "EPSG:28992",
) -> GridModel:
    """Read a grid model from a GeoPackage (two layers) or GeoJSON files.

    Layers are found by name when not given: the substations layer contains
    ``node`` or ``substation`` (``heuristic_nodes`` before ``highvoltage_nodes``
    in the SciGRID layout), the lines layer ``line``. OSM node layers keep only
    rows with ``typ == 'substation'``.

    Parameters
    ----------
    path : path
        The file.
    substations_layer, lines_layer : str, optional
        Layer names.
    crs : CRS-like
        Target CRS.

    Returns
    -------
    GridModel

    Raises
    ------
    GridModelError
        If the file or a layer is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise GridModelError(f"{path}: no such file.")
    layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    subs_name = substations_layer or _pick(layers, ("heuristic_nodes", "substation", "node"))
    lines_name = lines_layer or _pick(layers, ("heuristic_lines", "line"))
    for name, what in ((subs_name, "substations"), (lines_name, "lines")):
        if name is not None and name not in layers:
            raise GridModelError(
                f"{path}: no layer {name!r} for {what}. {did_you_mean(name, layers)}"
            )
    if subs_name is None:
        raise GridModelError(f"{path}: no substations layer among {layers}; name it with a layer.")
    subs = gpd.read_file(path, layer=subs_name)
    lines = gpd.read_file(path, layer=lines_name) if lines_name else None
    return model_from_frames(subs, lines, crs=crs)


def _pick(layers: list[str], patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        for layer in layers:
            if pattern in layer.lower():
                return layer
    return None
