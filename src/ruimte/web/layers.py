# SPDX-License-Identifier: Apache-2.0
"""The vocabulary, the layer catalog, vector tiles and raster overlays."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ruimte.web.cache import etag_response
from ruimte.web.deps import StudioDep
from ruimte.web.errors import NotFoundError
from ruimte.web.geojson import feature_collection, jsonable
from ruimte.web.raster_image import class_colours_for, render_png
from ruimte.web.state import Studio

router = APIRouter(prefix="/api", tags=["layers"])
MVT = "application/vnd.mapbox-vector-tile"
#: colour of result rasters (eligibility and the like) when they carry no classes
RESULT_COLOUR = "#2b8cbe"


@router.get("/vocabulary")
def vocabulary(studio: StudioDep) -> dict[str, Any]:
    """Return the vocabulary terms the map needs: layers, transitions, functions, statuses."""
    vocab = studio.ws.vocabulary

    def terms(items: Any) -> list[dict[str, Any]]:
        return [{"id": t.id, "label_nl": t.label_nl, "label_en": t.label_en} for t in items]

    return {
        "version": vocab.version,
        "layers": terms(vocab.layers.values()),
        "transitions": terms(vocab.transitions.values()),
        "statuses": terms(vocab.statuses[s] for s in vocab.claim_statuses),
        "levels": terms(vocab.levels.values()),
        "units": list(vocab.units),
        "functions": [
            {
                "id": f.id,
                "label_nl": f.label_nl,
                "label_en": f.label_en,
                "layer": f.layer,
                "transition": f.transition,
                "colour": f.colour,
                "geometry": f.geometry,
                "space_use_unit": f.space_use_unit,
            }
            for f in vocab.functions.values()
        ],
    }


@router.get("/layers", response_model=None)
def layers(studio: StudioDep, request: Request) -> Response:
    """Return every map layer (datasets and stored results) with its group and tile URL.

    Cached per workspace version, with an ETag (``If-None-Match`` gets 304).
    """
    version, body = studio.reads.get("layers", lambda: _layers(studio))
    return etag_response(request, f"layers:{version}", lambda: body)


def _layers(studio: Studio) -> dict[str, Any]:
    ws = studio.ws
    return {
        "layers": studio.catalog(),
        "regions": [
            {"code": r["code"], "name": r["name"], "level": r["level"]}
            for _, r in ws.regions().iterrows()
        ],
        "plans": [
            {"plan_id": p["plan_id"], "name": p["name"], "owner": p["owner"]}
            for _, p in ws.plans().iterrows()
        ],
        "stakeholders": [
            {"stakeholder_id": s["stakeholder_id"], "name": s["name"], "group": s["group"]}
            for _, s in ws.stakeholders().iterrows()
        ],
        "bounds": _bounds(studio),
        "basemap_url": studio.settings.basemap_url,
    }


@router.get("/regions")
def regions(studio: StudioDep) -> dict[str, Any]:
    """Return the regions (code, name, governance level) as GeoJSON in WGS84."""
    frame = studio.ws.regions()[["code", "name", "level", "parent_code", "geometry"]]
    return feature_collection(frame)


def _bounds(studio: Studio) -> list[float]:
    regions = studio.ws.regions().to_crs(4326)
    b = regions.total_bounds
    return [round(float(v), 6) for v in b]


@router.get("/tiles/{layer_id}/{z}/{x}/{y}.pbf")
def tile(layer_id: str, z: int, x: int, y: int, studio: StudioDep) -> Response:
    """Return one Mapbox Vector Tile of a layer (empty, 204, where the layer has nothing)."""
    data = studio.tile(layer_id, z, x, y)
    if not data:
        return Response(status_code=204)
    return Response(data, media_type=MVT, headers={"Cache-Control": "max-age=300"})


def _raster(studio: Studio, key: str) -> tuple[bytes, list[list[float]]]:
    cache = studio.raster_cache
    if key not in cache:
        ws = studio.ws
        if key.startswith("result:"):
            _, result, suffix = key.split(":", 2)
            path = ws.result_raster_path(result, suffix)
            cache[key] = render_png(path, colour=RESULT_COLOUR)
        else:
            record = ws.dataset(key)
            colours = {f.id: f.colour for f in ws.vocabulary.functions.values()}
            classes = class_colours_for(record.function_mapping, colours)
            cache[key] = render_png(ws.raster_path(key), class_colours=classes)
    return cache[key]


@router.get("/rasters/{name}.png")
def raster_png(name: str, studio: StudioDep) -> Response:
    """Return a raster dataset as a PNG in Web Mercator, coloured by the vocabulary."""
    studio.entry(name)
    return Response(_raster(studio, name)[0], media_type="image/png")


@router.get("/rasters/{name}.json")
def raster_corners(name: str, studio: StudioDep) -> dict[str, Any]:
    """Return the corner coordinates of :func:`raster_png`'s image."""
    studio.entry(name)
    return {"coordinates": _raster(studio, name)[1]}


@router.get("/results/{key}/rasters/{suffix}.png")
def result_png(key: str, suffix: str, studio: StudioDep) -> Response:
    """Return a stored result's raster as a PNG in Web Mercator."""
    return Response(_raster(studio, f"result:{key}:{suffix}")[0], media_type="image/png")


@router.get("/results/{key}/rasters/{suffix}.json")
def result_corners(key: str, suffix: str, studio: StudioDep) -> dict[str, Any]:
    """Return the corner coordinates of a result raster's image."""
    return {"coordinates": _raster(studio, f"result:{key}:{suffix}")[1]}


@router.get("/results")
def results(studio: StudioDep) -> list[dict[str, Any]]:
    """Return the stored analysis results, with what they are stale against."""
    stale = studio.ws.stale_results()
    rows = studio.ws.results()
    return [
        {
            "key": r["key"],
            "kind": r["kind"],
            "scenario": jsonable(r["scenario"]),
            "summary": jsonable(r["summary"]),
            "created_at": r["created_at"],
            "stale": stale.get(r["key"], []),
        }
        for _, r in rows.iterrows()
    ]


__all__ = ["NotFoundError", "router"]
