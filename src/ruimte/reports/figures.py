# SPDX-License-Identifier: Apache-2.0
"""Maps and charts of a report, drawn with matplotlib from the workspace's own data.

Each function returns a PNG as a ``data:`` URI, so the HTML needs no other
file and no network. Maps carry a legend, a scale bar and a north arrow; no
background tiles are fetched. matplotlib is imported here only, when a
report is made.

Cost: each map draws the features once (linear in the features shown).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

WIDTH_IN = 6.7  # the text width of an A4 page with 2 cm margins
CONFLICT = "#d62728"
SHARED = "#2ca02c"
DPI = 150


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "font.family": "DejaVu Sans", "axes.titlesize": 9})
    return plt


def to_data_uri(fig: Any) -> str:
    """Return the figure as a PNG ``data:`` URI and close it."""
    plt = _plt()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def nice_length(span_m: float) -> float:
    """Return a round length (1, 2 or 5 x 10^k m) near a fifth of ``span_m``.

    Examples
    --------
    >>> nice_length(30_000), nice_length(7_000), nice_length(1_000)
    (5000.0, 1000.0, 200.0)
    """
    target = max(span_m / 5.0, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def _decorate_map(ax: Any, bounds: Sequence[float]) -> None:
    """Set the extent; add a scale bar (lower left) and a north arrow (upper right)."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    minx, miny, maxx, maxy = bounds
    pad = 0.03 * max(maxx - minx, maxy - miny, 1.0)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    length = nice_length(maxx - minx)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.add_artist(
        AnchoredSizeBar(
            ax.transData,
            length,
            label,
            "lower left",
            pad=0.4,
            frameon=True,
            size_vertical=(maxy - miny) * 0.006,
            borderpad=0.6,
        )
    )
    ax.annotate(
        "N",
        xy=(0.96, 0.97),
        xytext=(0.96, 0.87),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 2.5, "headwidth": 8, "headlength": 7},
    )


def _boundaries(ax: Any, regions: gpd.GeoDataFrame, label: bool = True) -> None:
    regions.boundary.plot(ax=ax, color="#555555", linewidth=0.6, zorder=1)
    if label:
        for _, row in regions.iterrows():
            point = row.geometry.representative_point()
            ax.annotate(
                str(row["name"]),
                (point.x, point.y),
                ha="center",
                fontsize=6,
                color="#444444",
                zorder=6,
            )


def _plot_features(ax: Any, frame: gpd.GeoDataFrame, colour: str, **kwargs: Any) -> None:
    """Plot polygons filled, lines as lines, points as markers, all in ``colour``."""
    kinds = frame.geometry.geom_type.fillna("")
    polys = frame[kinds.str.contains("Polygon")]
    lines = frame[kinds.str.contains("LineString")]
    points = frame[kinds.str.contains("Point")]
    if len(polys):
        polys.plot(
            ax=ax,
            color=colour,
            alpha=kwargs.get("alpha", 0.6),
            edgecolor="#333333",
            linewidth=0.3,
            zorder=kwargs.get("zorder", 2),
        )
    if len(lines):
        lines.plot(ax=ax, color=colour, linewidth=1.4, zorder=kwargs.get("zorder", 2) + 1)
    if len(points):
        points.plot(
            ax=ax,
            color=colour,
            markersize=14,
            edgecolor="white",
            linewidth=0.4,
            zorder=kwargs.get("zorder", 2) + 2,
        )


def layer_map(
    claims: gpd.GeoDataFrame,
    conflicts: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    bounds: Sequence[float],
    *,
    colours: Mapping[str, str],
    names: Mapping[str, str],
    title: str,
    conflict_label: str,
    empty_label: str,
) -> str:
    """Map the claims of one layer, coloured by function, with their conflicts hatched red."""
    from matplotlib.patches import Patch

    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, WIDTH_IN * 0.72))
    _boundaries(ax, regions)
    handles = []
    located = claims[claims.geometry.notna() & ~claims.geometry.is_empty]
    for function, group in located.groupby("function"):
        colour = colours.get(str(function), "#888888")
        _plot_features(ax, group, colour)
        handles.append(
            Patch(
                facecolor=colour, edgecolor="#333333", label=names.get(str(function), str(function))
            )
        )
    if len(conflicts):
        conflicts.plot(
            ax=ax, facecolor="none", edgecolor=CONFLICT, hatch="////", linewidth=0.6, zorder=5
        )
        handles.append(
            Patch(facecolor="none", edgecolor=CONFLICT, hatch="////", label=conflict_label)
        )
    if not handles:
        ax.text(0.5, 0.5, empty_label, transform=ax.transAxes, ha="center", color="#666666")
    else:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title)
    _decorate_map(ax, bounds)
    return to_data_uri(fig)


def areas_map(
    panels: Sequence[tuple[str, gpd.GeoDataFrame | None, str]],
    regions: gpd.GeoDataFrame,
    bounds: Sequence[float],
    *,
    missing_label: str,
) -> str:
    """Map areas side by side (e.g. eligible land for wind and for solar), one panel each."""
    plt = _plt()
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH_IN, WIDTH_IN * 0.5))
    for ax, (title, frame, colour) in zip(
        list(axes) if len(panels) > 1 else [axes], panels, strict=True
    ):
        _boundaries(ax, regions, label=False)
        if frame is None:
            ax.text(
                0.5,
                0.5,
                missing_label,
                transform=ax.transAxes,
                ha="center",
                color="#666666",
                wrap=True,
            )
        elif len(frame):
            frame.plot(ax=ax, color=colour, linewidth=0, zorder=2)
        ax.set_title(title)
        _decorate_map(ax, bounds)
    fig.tight_layout()
    return to_data_uri(fig)


def points_map(
    points: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    bounds: Sequence[float],
    *,
    colour_column: str,
    colours: Mapping[str, str],
    legend: Mapping[str, str],
    label_column: str,
    title: str,
) -> str:
    """Map points (substations) coloured by a class column, each labelled."""
    from matplotlib.lines import Line2D

    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, WIDTH_IN * 0.62))
    _boundaries(ax, regions, label=False)
    for value, group in points.groupby(points[colour_column].fillna("unknown").astype(str)):
        group.plot(
            ax=ax,
            color=colours.get(value, "#999999"),
            markersize=45,
            edgecolor="#222222",
            linewidth=0.5,
            zorder=3,
        )
    for _, row in points.iterrows():
        ax.annotate(
            str(row[label_column]),
            (row.geometry.x, row.geometry.y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=6,
            zorder=4,
        )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=colours[k],
            markeredgecolor="#222222",
            label=text,
        )
        for k, text in legend.items()
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title)
    _decorate_map(ax, bounds)
    return to_data_uri(fig)


def bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    unit: str,
    colours: Sequence[str] = ("#1f77b4", "#ff7f0e", "#7f7f7f"),
    reference: float | None = None,
    signed: bool = False,
) -> str:
    """Horizontal bars, one group per label and one bar per series; values written beside.

    ``reference`` draws a vertical line (e.g. 100 % of a target); ``signed``
    colours negative values red and positive green (headroom, deltas).
    """
    plt = _plt()
    n, k = len(labels), max(len(series), 1)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, max(1.6, 0.28 * n * k + 0.9)))
    height = 0.8 / k
    for i, (name, values) in enumerate(series.items()):
        ys = [j + (i - (k - 1) / 2) * height for j in range(n)]
        vals = [float("nan") if v is None else float(v) for v in values]
        if signed:
            colour: Any = [CONFLICT if v < 0 else SHARED for v in vals]
        else:
            colour = colours[i % len(colours)]
        ax.barh(
            ys,
            [0 if math.isnan(v) else v for v in vals],
            height=height * 0.92,
            color=colour,
            label=name if len(series) > 1 else None,
        )
        for y, v in zip(ys, vals, strict=True):
            text = "?" if math.isnan(v) else f"{v:,.4g}"
            ax.annotate(
                text,
                (0 if math.isnan(v) else v, y),
                xytext=(3 if v >= 0 else -3, 0),
                textcoords="offset points",
                va="center",
                ha="left" if math.isnan(v) or v >= 0 else "right",
                fontsize=6.5,
            )
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.axvline(0, color="#333333", linewidth=0.6)
    if reference is not None:
        ax.axvline(reference, color="#333333", linestyle="--", linewidth=0.8)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    return to_data_uri(fig)


def bounds_of(area: Any, frames: Sequence[pd.DataFrame]) -> tuple[float, float, float, float]:
    """Return the map extent: the region's bounds, else the union of the frames' bounds."""
    if area is not None and not area.is_empty:
        return tuple(area.bounds)  # type: ignore[return-value]
    boxes = [f.total_bounds for f in frames if len(f)]
    if not boxes:
        return (0.0, 0.0, 1.0, 1.0)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
