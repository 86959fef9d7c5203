# SPDX-License-Identifier: Apache-2.0
"""The map's table of contents: every dataset and stored result as a map layer.

Datasets are grouped by the layer approach (ondergrond / netwerken /
occupatie) through the vocabulary layer of the functions their features
carry; stored analysis results form a group of their own, per kind. The
front end only knows the URLs listed here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from ruimte.web.heights import height_attributes
from ruimte.workspace import Workspace

#: feature counts from which a layer is shown only when zoomed in (count -> minzoom)
MINZOOM_STEPS = ((20_000, 12), (5_000, 10))
#: most attributes a tile carries per feature (the rest stays in the workspace)
MAX_PROPERTIES = 10
_POINT, _LINE = ("Point", "MultiPoint"), ("LineString", "MultiLineString")


def style_kind(geometry_type: str | None) -> str:
    """Return the MapLibre layer type drawing a geometry type: circle, line or fill."""
    if geometry_type in _POINT:
        return "circle"
    if geometry_type in _LINE:
        return "line"
    return "fill"


def minzoom_for(count: int) -> int:
    """Return the lowest zoom at which a layer of ``count`` features is drawn.

    Examples
    --------
    >>> minzoom_for(36_595), minzoom_for(12_955), minzoom_for(13)
    (12, 10, 0)
    """
    for threshold, zoom in MINZOOM_STEPS:
        if count >= threshold:
            return zoom
    return 0


def tile_properties(frame: pd.DataFrame) -> list[str]:
    """Return the attribute columns carried in tiles: ``function`` first, then scalars.

    A building height attribute (``view3d.yaml``) comes right after
    ``function``, so the 3D view finds it however many columns there are.
    """
    columns = (
        [c for c in frame.columns if c != frame.geometry.name]
        if hasattr(frame, "geometry")
        else list(frame.columns)
    )
    scalar = [c for c in columns if frame[c].dtype.kind in "biufOUS" and c != "function"]
    heights = [c for c in height_attributes() if c in scalar]
    scalar = heights + [c for c in scalar if c not in heights]
    return (["function"] if "function" in columns else []) + scalar[: MAX_PROPERTIES - 1]


def _group_of(functions: Counter[str], ws: Workspace, fallback: str = "occupatie") -> str:
    vocab = ws.vocabulary
    for function, _ in functions.most_common():
        if function in vocab.functions:
            return vocab.functions[function].layer
    return fallback


def build_catalog(ws: Workspace) -> list[dict[str, Any]]:
    """List every dataset and stored result of ``ws`` as a map layer.

    Returns
    -------
    list of dict
        Per layer: ``id`` (the tile source name), ``source`` (dataset or
        result), ``title``, ``group`` (a vocabulary layer id, or ``results``),
        ``style`` (fill, line, circle or raster), ``functions`` (counts per
        function), ``count``, ``minzoom``, ``url`` and, for results, ``result``
        (key, kind, scenario, summary).
    """
    entries: list[dict[str, Any]] = []
    for _, d in ws.datasets().iterrows():
        mapping = d["function_mapping"] or {}
        if d["kind"] == "raster":
            classes = (mapping.get("classes") or {}) if isinstance(mapping, dict) else {}
            functions = Counter({f: 1 for f in classes.values()})
            entries.append(
                {
                    "id": d["name"],
                    "source": "dataset",
                    "title": d["name"],
                    "group": _group_of(functions, ws, "ondergrond"),
                    "style": "raster",
                    "functions": dict(functions),
                    "count": int(d["feature_count"] or 0),
                    "minzoom": 0,
                    "url": f"/api/rasters/{d['name']}.png",
                    "bounds_url": f"/api/rasters/{d['name']}.json",
                }
            )
            continue
        try:
            values = ws.store.read(d["layer"], columns=["function"])["function"]
            functions = Counter(values.dropna().astype(str))
        except Exception:  # a layer without a function column
            functions = Counter()
        if not functions and isinstance(mapping, dict) and mapping.get("function"):
            functions = Counter({mapping["function"]: int(d["feature_count"] or 0)})
        entries.append(
            {
                "id": d["name"],
                "source": "dataset",
                "title": d["name"],
                "group": _group_of(functions, ws),
                "style": style_kind(d["geometry_type"]),
                "functions": dict(functions.most_common()),
                "count": int(d["feature_count"] or 0),
                "minzoom": minzoom_for(int(d["feature_count"] or 0)),
                "url": f"/api/tiles/{d['name']}/{{z}}/{{x}}/{{y}}.pbf",
            }
        )
    entries.extend(result_entries(ws))
    return entries


def result_entries(ws: Workspace) -> list[dict[str, Any]]:
    """List the layers and rasters of every stored result, whatever its kind."""
    entries: list[dict[str, Any]] = []
    results = ws.results()
    for _, r in results.iterrows():
        scenario = r["scenario"] if isinstance(r["scenario"], str) else None
        info = {
            "key": r["key"],
            "kind": r["kind"],
            "scenario": scenario,
            "summary": r["summary"],
            "created_at": r["created_at"],
        }
        version = str(r["created_at"]).replace(":", "").replace("+", "")
        for suffix, layer in (r["layers"] or {}).items():
            frame = ws.store.read(layer)
            geom_types = frame.geometry.geom_type.dropna().unique() if len(frame) else []
            functions = (
                Counter(frame["function"].dropna().astype(str))
                if "function" in frame
                else Counter()
            )
            entries.append(
                {
                    "id": layer,
                    "source": "result",
                    "title": f"{r['key']} · {suffix}",
                    "group": "results",
                    "style": style_kind(geom_types[0] if len(geom_types) else None),
                    "functions": dict(functions.most_common()),
                    "count": len(frame),
                    "minzoom": minzoom_for(len(frame)),
                    "url": f"/api/tiles/{layer}/{{z}}/{{x}}/{{y}}.pbf?v={version}",
                    "result": {**info, "suffix": suffix},
                }
            )
        for suffix in r["rasters"] or {}:
            entries.append(
                {
                    "id": f"{r['key']}_{suffix}",
                    "source": "result",
                    "title": f"{r['key']} · {suffix}",
                    "group": "results",
                    "style": "raster",
                    "functions": {},
                    "count": 0,
                    "minzoom": 0,
                    "url": f"/api/results/{r['key']}/rasters/{suffix}.png?v={version}",
                    "bounds_url": f"/api/results/{r['key']}/rasters/{suffix}.json",
                    "result": {**info, "suffix": suffix},
                }
            )
    return entries
