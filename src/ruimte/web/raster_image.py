# SPDX-License-Identifier: Apache-2.0
"""Render a single-band raster as a PNG overlay in Web Mercator for the map (pure + rasterio).

Class rasters (a value per land-use function) are coloured with the
vocabulary's colours; other rasters (e.g. eligibility as 0/1 or a fraction)
in one colour with the value as opacity. The image is warped to EPSG:3857 so
MapLibre can place it by its four corners.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
from pyproj import Transformer
from rasterio.enums import Resampling
from rasterio.io import MemoryFile

#: longest side of a rendered overlay, in pixels
MAX_SIDE = 1600


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """Return the RGB of ``#rrggbb``.

    Examples
    --------
    >>> hex_rgb("#1a9850")
    (26, 152, 80)
    """
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def colourise(
    values: np.ndarray,
    valid: np.ndarray,
    *,
    class_colours: Mapping[int, str] | None = None,
    colour: str = "#2b8cbe",
) -> np.ndarray:
    """Return an RGBA array (4, rows, cols) for ``values``; invalid pixels are transparent.

    With ``class_colours`` each listed value gets its colour (others stay
    transparent); otherwise values above 0 get ``colour`` with opacity scaled
    to the largest value.
    """
    rgba = np.zeros((4, *values.shape), dtype=np.uint8)
    if class_colours:
        for value, hex_colour in class_colours.items():
            hit = valid & (values == value)
            for band, channel in enumerate(hex_rgb(hex_colour)):
                rgba[band][hit] = channel
            rgba[3][hit] = 170
        return rgba
    top = float(np.nanmax(np.where(valid, values, 0))) if valid.any() else 0.0
    positive = valid & (values > 0)
    for band, channel in enumerate(hex_rgb(colour)):
        rgba[band][positive] = channel
    if top > 0:
        rgba[3][positive] = (60 + 140 * np.clip(values[positive] / top, 0, 1)).astype(np.uint8)
    return rgba


def render_png(
    path: Path, *, class_colours: Mapping[int, str] | None = None, colour: str = "#2b8cbe"
) -> tuple[bytes, list[list[float]]]:
    """Warp a GeoTIFF to Web Mercator and render it; return the PNG and its corner coordinates.

    Returns
    -------
    bytes, list
        The PNG, and its corners as ``[[lon, lat], ...]`` (top-left, top-right,
        bottom-right, bottom-left), as a MapLibre image source wants them.
    """
    with rasterio.open(path) as src:
        transform, width, height = rasterio.warp.calculate_default_transform(
            src.crs, "EPSG:3857", src.width, src.height, *src.bounds
        )
        scale = max(width, height) / MAX_SIDE
        if scale > 1:
            width, height = int(width / scale), int(height / scale)
            transform = transform @ transform.scale(scale, scale)
        nodata = src.nodata if src.nodata is not None else 0
        values = np.full((height, width), nodata, dtype=src.dtypes[0])
        rasterio.warp.reproject(
            rasterio.band(src, 1),
            values,
            dst_transform=transform,
            dst_crs="EPSG:3857",
            dst_nodata=nodata,
            resampling=Resampling.nearest if class_colours else Resampling.average,
        )
    valid = values != nodata
    rgba = colourise(values, valid, class_colours=class_colours, colour=colour)
    with MemoryFile() as memfile, warnings.catch_warnings():
        # a PNG carries no georeferencing: the corners below place it
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        with memfile.open(driver="PNG", width=width, height=height, count=4, dtype="uint8") as dst:
            dst.write(rgba)
        png = memfile.read()
    left, top = transform @ (0, 0)
    right, bottom = transform @ (width, height)
    to_wgs = Transformer.from_crs(3857, 4326, always_xy=True)
    corners = [
        to_wgs.transform(x, y)
        for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))
    ]
    return png, [[round(x, 7), round(y, 7)] for x, y in corners]


def class_colours_for(mapping: Any, colours: Mapping[str, str]) -> dict[int, str]:
    """Return value -> colour from a raster dataset's ``{"classes": {value: function}}`` mapping."""
    classes = (mapping or {}).get("classes", {}) if isinstance(mapping, dict) else {}
    return {int(v): colours[f] for v, f in classes.items() if f in colours}
