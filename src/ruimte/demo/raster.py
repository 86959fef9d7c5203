# SPDX-License-Identifier: Apache-2.0
"""The 25 m LGN-like land-use grid, rasterised from the vector layers."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from affine import Affine
from rasterio.features import rasterize

from ruimte.demo.landscape import XMAX, XMIN, YMAX, YMIN, Layout, canal_polygon

CELL = 25.0
#: LGN-like classes (28 "solar park" is a ruimte extension; LGN has none).
LANDUSE_CLASSES: dict[int, tuple[str, str]] = {
    1: ("grasland", "dairy_farming"),
    2: ("akkerbouw", "arable_farming"),
    8: ("glastuinbouw", "greenhouse_horticulture"),
    11: ("bos", "forest"),
    16: ("zoet water", "surface_water"),
    18: ("bebouwd gebied", "housing"),
    20: ("natuur / heide", "nature_reserve"),
    25: ("hoofdwegen en spoorwegen", "road"),
    28: ("zonnepark (ruimte-uitbreiding)", "solar_field"),
}
#: Land-use class of each farmland crop code.
CROP_CLASSES: dict[str, int] = {
    "265": 1,
    "266": 1,
    "259": 2,
    "2014": 2,
    "233": 2,
    "256": 2,
    "9901": 8,
}
LANDUSE_DESCRIPTION = (
    "25 m LGN-like land-use classes rasterised from the demo vector layers "
    "(water burnt last, then roads under it); 0 = nodata. Classes: "
    + ", ".join(f"{k} {v[0]}" for k, v in LANDUSE_CLASSES.items())
)


def landuse_transform() -> Affine:
    """Affine transform of the 25 m grid (north-up, origin at the north-west corner)."""
    return Affine(CELL, 0.0, XMIN, 0.0, -CELL, YMAX)


def landuse_grid(layers: Iterable[tuple[Iterable, int]]) -> np.ndarray:
    """Burn ``(geometries, class)`` layers in order; later layers overwrite earlier ones."""
    shape = (int((YMAX - YMIN) / CELL), int((XMAX - XMIN) / CELL))
    shapes = [(g, cls) for geoms, cls in layers for g in geoms if g is not None and not g.is_empty]
    return rasterize(shapes, out_shape=shape, transform=landuse_transform(), fill=0, dtype="uint8")


def landuse_layers(
    lay: Layout,
    farm: gpd.GeoDataFrame,
    solar: gpd.GeoDataFrame,
    nature: gpd.GeoDataFrame,
    yards: np.ndarray,
) -> list[tuple[Iterable, int]]:
    """Return the ``(geometries, class)`` layers for :func:`landuse_grid`, in burn order.

    Farmland first, then solar parks, forest, nature, built-up area and farmyards,
    main roads and railway, and water last.

    Parameters
    ----------
    lay : Layout
        A complete layout (outlines, business parks, roads, railway, river, canal, lakes).
    farm, solar, nature : GeoDataFrame
        The ``farmland``, ``solar_parks`` and ``nature`` datasets.
    yards : numpy.ndarray
        Farmyard polygons (burnt as built-up area).

    Returns
    -------
    list of (iterable of geometry, int)
    """
    fgeo = farm.geometry.to_numpy()
    farm_cls = np.array([CROP_CLASSES[c] for c in farm["gewascode"]])
    main_lines = [r["geometry"] for r in lay.roads if r["wegtype"] != "local"] + [lay.railway]
    return [
        (fgeo[farm_cls == 1], 1),
        (fgeo[farm_cls == 2], 2),
        (fgeo[farm_cls == 8], 8),
        (solar.geometry, 28),
        (nature.geometry[nature["function"] == "forest"], 11),
        (nature.geometry[nature["function"] == "nature_reserve"], 20),
        (list(lay.outlines.values()) + list(lay.business_parks.values()), 18),
        (yards, 18),
        (main_lines, 25),
        (
            [lay.river, canal_polygon(lay.canal_line)] + [lk["geometry"] for lk in lay.lakes],
            16,
        ),
    ]
