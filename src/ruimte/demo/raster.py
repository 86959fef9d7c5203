# SPDX-License-Identifier: Apache-2.0
"""The 25 m LGN-like land-use grid, rasterised from the vector layers."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from affine import Affine
from rasterio.features import rasterize

from ruimte.demo.landscape import XMAX, XMIN, YMAX, YMIN

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


def landuse_transform() -> Affine:
    """Affine transform of the 25 m grid (north-up, origin at the north-west corner)."""
    return Affine(CELL, 0.0, XMIN, 0.0, -CELL, YMAX)


def landuse_grid(layers: Iterable[tuple[Iterable, int]]) -> np.ndarray:
    """Burn ``(geometries, class)`` layers in order; later layers overwrite earlier ones."""
    shape = (int((YMAX - YMIN) / CELL), int((XMAX - XMIN) / CELL))
    shapes = [(g, cls) for geoms, cls in layers for g in geoms if g is not None and not g.is_empty]
    return rasterize(shapes, out_shape=shape, transform=landuse_transform(), fill=0, dtype="uint8")
