# SPDX-License-Identifier: Apache-2.0
"""The physical layout of the fictional region Middenwaard.

Town sites, the river, the canal, roads, the railway, lakes, nature and the
administrative regions. Every function here is pure and deterministic for a
given :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box

from ruimte.demo._geom import as_multipolygon, blob, curved_line

XMIN, YMIN, XMAX, YMAX = 180_000.0, 470_000.0, 210_000.0, 500_000.0
BOUNDS: tuple[float, float, float, float] = (XMIN, YMIN, XMAX, YMAX)
SQUARE: Polygon = box(*BOUNDS)


@dataclass(frozen=True)
class Place:
    """A town or village site (all names fictional)."""

    name: str
    municipality: str
    x: float
    y: float
    radius: float
    kind: str  # "town" or "village"
    street_dx: float = 180.0
    street_dy: float = 64.0
    pitch: float = 10.0


MUNICIPALITIES: list[tuple[str, str]] = [
    ("GM9901", "Lindeweer"),
    ("GM9902", "Oosterbroek"),
    ("GM9903", "Zandmeer"),
    ("GM9904", "Haverlo"),
]

PLACES: list[Place] = [
    Place("Lindeweer", "GM9901", 190_000, 490_000, 1500, "town"),
    Place("Oosterbroek", "GM9902", 203_500, 492_500, 1000, "town"),
    Place("Zandmeer", "GM9903", 200_500, 475_000, 820, "town"),
    Place("Haverlo", "GM9904", 185_000, 476_000, 650, "town"),
    Place("Eikelhoven", "GM9901", 183_500, 494_800, 330, "village", 150, 70, 15),
    Place("Moerkamp", "GM9901", 194_600, 497_200, 300, "village", 150, 70, 15),
    Place("Veldrode", "GM9902", 206_300, 486_000, 340, "village", 150, 70, 15),
    Place("Ritsum", "GM9904", 182_600, 484_600, 300, "village", 150, 70, 15),
    Place("Aldwoude", "GM9903", 206_000, 472_600, 320, "village", 150, 70, 15),
]

#: Where the railway station of Lindeweer is (on the railway line).
STATION_XY: tuple[float, float] = (190_000.0, 490_000.0)


def river_y(x: np.ndarray | float) -> np.ndarray:
    """Centre line of the meandering river De Waard, as y for a given x (RD metres)."""
    t = np.asarray(x, dtype=float) - XMIN
    return (
        481_500 + 1_400 * np.sin(2 * np.pi * t / 11_000 + 0.6) + 450 * np.sin(2 * np.pi * t / 4_300)
    )


@dataclass
class Layout:
    """Everything that later steps need to know about the landscape."""

    outlines: dict[str, Polygon] = field(default_factory=dict)
    river_line: LineString | None = None
    river: Polygon | None = None
    canal_line: LineString | None = None
    roads: list[dict] = field(default_factory=list)
    railway: LineString | None = None
    lakes: list[dict] = field(default_factory=list)
    nature: list[dict] = field(default_factory=list)
    business_parks: dict[str, Polygon] = field(default_factory=dict)

    def built_up(self) -> shapely.Geometry:
        """Union of town and village outlines and business parks."""
        return shapely.union_all(list(self.outlines.values()) + list(self.business_parks.values()))

    def water(self) -> shapely.Geometry:
        """Union of the river, the canal (as a polygon) and the lakes."""
        geoms = [self.river, canal_polygon(self.canal_line)] + [lk["geometry"] for lk in self.lakes]
        return shapely.union_all(geoms)

    def corridors(self, extra: float = 0.0) -> shapely.Geometry:
        """Union of road and railway corridors (half width plus ``extra`` metres)."""
        geoms = [shapely.buffer(r["geometry"], r["breedte_m"] / 2 + extra) for r in self.roads]
        geoms.append(shapely.buffer(self.railway, 10 + extra))
        return shapely.union_all(geoms)


def canal_polygon(line: LineString) -> Polygon:
    """Return the canal as water polygon (40 m wide), clipped to the region."""
    return shapely.intersection(shapely.buffer(line, 20.0, cap_style="flat"), SQUARE)


def town_outline(p: Place, rng: np.random.Generator) -> Polygon:
    """Return an irregular town outline around a place."""
    return blob(p.x, p.y, p.radius, rng, n=96, roughness=0.07)


def make_river() -> tuple[LineString, Polygon]:
    """Return the meandering river as centre line and as a 120 m wide polygon."""
    x = np.arange(XMIN - 200, XMAX + 201, 40.0)
    line = LineString(np.column_stack([x, river_y(x)]))
    poly = shapely.intersection(shapely.buffer(line, 60.0), SQUARE)
    return line, poly


def make_roads(
    rng: np.random.Generator, outlines: dict[str, Polygon]
) -> tuple[list[dict], LineString]:
    """Motorway, regional roads, rural polder roads and the railway.

    Town street grids are added by :mod:`ruimte.demo.buildings`.
    """
    roads: list[dict] = []
    mw = LineString(
        [
            (181_500, 469_900),
            (187_000, 476_500),
            (194_000, 484_000),
            (196_500, 492_000),
            (198_000, 500_100),
        ]
    )
    mw = shapely.intersection(shapely.segmentize(mw, 200), SQUARE)
    roads.append({"naam": "A99", "wegtype": "motorway", "breedte_m": 30.0, "geometry": mw})
    pl = {p.name: (p.x, p.y) for p in PLACES}
    pairs = [
        ("N901", pl["Lindeweer"], pl["Oosterbroek"]),
        ("N902", pl["Lindeweer"], pl["Haverlo"]),
        ("N903", pl["Lindeweer"], pl["Zandmeer"]),
        ("N904", pl["Haverlo"], pl["Zandmeer"]),
        ("N905", pl["Oosterbroek"], pl["Zandmeer"]),
        ("N906", pl["Lindeweer"], (179_900, 492_600)),
        ("N907", pl["Oosterbroek"], (210_100, 490_200)),
        ("N908", pl["Zandmeer"], (202_200, 469_900)),
        ("N909", pl["Eikelhoven"], pl["Lindeweer"]),
        ("N910", pl["Moerkamp"], pl["Lindeweer"]),
        ("N911", pl["Veldrode"], pl["Oosterbroek"]),
        ("N912", pl["Ritsum"], pl["Haverlo"]),
        ("N913", pl["Aldwoude"], pl["Zandmeer"]),
    ]
    for name, a, b in pairs:
        line = shapely.intersection(curved_line(a, b, rng, bend=0.06), SQUARE)
        roads.append({"naam": name, "wegtype": "regional", "breedte_m": 10.0, "geometry": line})
    # Rural polder roads: a slightly rotated grid, outside the built-up area.
    built = shapely.buffer(shapely.union_all(list(outlines.values())), 30.0)
    ang = 0.08
    c, s = np.cos(ang), np.sin(ang)
    cx, cy = 195_000.0, 485_000.0
    lines = []
    for k in np.arange(-11, 12):
        off = k * 1_650.0 + rng.uniform(-200, 200)
        for horizontal in (True, False):
            u = np.array([-25_000.0, 25_000.0])
            v = np.array([off, off])
            if not horizontal:
                u, v = v, u
            lines.append(LineString(np.column_stack([cx + u * c - v * s, cy + u * s + v * c])))
    lines_arr = shapely.difference(shapely.intersection(np.array(lines), SQUARE), built)
    for part in shapely.get_parts(lines_arr):
        if part.length > 300:
            roads.append(
                {
                    "naam": "",
                    "wegtype": "local",
                    "breedte_m": 6.0,
                    "geometry": shapely.segmentize(part, 500),
                }
            )
    rail = LineString([(179_900, 487_000), STATION_XY, (203_500, 493_300), (210_100, 495_000)])
    rail = shapely.intersection(shapely.segmentize(rail, 200), SQUARE)
    return roads, rail


def make_canal() -> LineString:
    """Straight canal from the river northwards to the region edge."""
    x0 = 208_200.0
    return shapely.intersection(LineString([(x0, float(river_y(x0))), (208_800, 500_100)]), SQUARE)


def make_lakes(rng: np.random.Generator, avoid: shapely.Geometry, n: int = 4) -> list[dict]:
    """Place ``n`` lakes by rejection sampling outside ``avoid``."""
    names = ["Haverlose Plas", "Lindemeer", "Zwarte Kolk", "Veldmeer", "Oude Wiel", "Kraaienplas"]
    lakes: list[dict] = []
    placed = avoid
    for _ in range(400):
        if len(lakes) == n:
            break
        r = rng.uniform(380, 720)
        x = rng.uniform(XMIN + 1_200, XMAX - 1_200)
        y = rng.uniform(YMIN + 1_200, YMAX - 1_200)
        poly = blob(x, y, r, rng, n=64, roughness=0.12)
        if poly.intersects(placed):
            continue
        lakes.append({"naam": names[len(lakes)], "type": "plas", "geometry": poly})
        placed = shapely.union(placed, shapely.buffer(poly, 600))
    return lakes


def make_nature(
    rng: np.random.Generator,
    corridor_pair: list[tuple[float, float]],
    avoid: shapely.Geometry,
    remove: shapely.Geometry,
    target_m2: float = 105e6,
) -> list[dict]:
    """Nature reserves and forests, ≈12 % of the region.

    Parameters
    ----------
    corridor_pair : list of (x, y)
        Centres of the two nature areas that the restoration claim connects.
    avoid : shapely geometry
        Blobs (other than the corridor pair) may not intersect this.
    remove : shapely geometry
        Subtracted from every blob (towns, water).
    target_m2 : float
        Stop adding blobs once this total area is reached.
    """
    names = iter(
        [
            *[
                "Waardse Uiterwaarden",
                "Kampse Heide",
                "Lindeweerder Bos",
                "Haverlose Bossen",
                "Zandmeerse Duinen",
                "Broekveld",
                "Oosterbroekse Venen",
                "Het Hooge Veld",
                "Moerkampse Heide",
                "Elzenbroek",
                "Ritsumer Bos",
                "De Leemkuilen",
                "Aldwoudse Weide",
                "Vossenberg",
                "Reigersbroek",
                "Dorre Veld",
            ],
            *(f"Natuurgebied Middenwaard {i}" for i in range(1, 100)),
        ]
    )
    areas: list[dict] = []
    taken = shapely.Point(0, 0)
    total = 0.0

    def add(poly: Polygon, kind: str, n2k: bool) -> None:
        nonlocal taken, total
        geom = shapely.difference(shapely.difference(poly, remove), taken)
        mp = as_multipolygon(geom)
        areas.append(
            {
                "naam": next(names),
                "function": kind,
                "natura2000": n2k,
                "beheerder": "Stichting Middenwaards Landschap"
                if kind == "nature_reserve"
                else "Bosbedrijf Middenwaard",
                "geometry": mp,
            }
        )
        taken = shapely.union(taken, poly)
        total += mp.area

    for i, (x, y) in enumerate(corridor_pair):
        add(blob(x, y, 1_050, rng, roughness=0.06), "nature_reserve", i == 0)
    k = 0
    for _ in range(600):
        if total >= target_m2:
            break
        r = rng.uniform(900, 2_000)
        x = rng.uniform(XMIN + 500, XMAX - 500)
        y = rng.uniform(YMIN + 500, YMAX - 500)
        poly = shapely.intersection(blob(x, y, r, rng, roughness=0.12), SQUARE)
        if poly.intersects(avoid) or shapely.intersection(poly, taken).area > 0.1 * poly.area:
            continue
        kind = "forest" if k % 2 else "nature_reserve"
        add(poly, kind, k in (0, 3))
        k += 1
    return areas


def make_municipalities(rng: np.random.Generator) -> dict[str, shapely.MultiPolygon]:
    """Tile the region square into the four municipalities.

    Jittered Voronoi cells are assigned to the nearest (weighted) town; the last
    municipality is the square minus the others, so the tiling is exact.
    """
    g = np.arange(XMIN + 500, XMAX, 1_000.0)
    gx, gy = np.meshgrid(g, g + YMIN - XMIN)
    px = gx.ravel() + rng.uniform(-350, 350, gx.size)
    py = gy.ravel() + rng.uniform(-350, 350, gy.size)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(np.column_stack([px, py])), extend_to=SQUARE)
    )
    cells = shapely.intersection(cells, SQUARE)
    tree = shapely.STRtree(cells)
    pts = shapely.points(px, py)
    owner = tree.query(pts, predicate="within")  # (point idx, cell idx)
    cell_of_point = np.empty(len(pts), dtype=int)
    cell_of_point[owner[0]] = owner[1]
    centres = np.array([[p.x, p.y] for p in PLACES[:4]])
    weights = np.array([1.2, 1.0, 1.0, 0.9])
    d = np.hypot(px[:, None] - centres[None, :, 0], py[:, None] - centres[None, :, 1]) / weights
    which = d.argmin(axis=1)
    out: dict[str, shapely.MultiPolygon] = {}
    rest = SQUARE
    for i, (code, _name) in enumerate(MUNICIPALITIES[:-1]):
        geom = shapely.union_all(cells[cell_of_point[which == i]])
        geom = shapely.intersection(geom, rest)
        out[code] = as_multipolygon(geom)
        rest = shapely.difference(rest, out[code])
    out[MUNICIPALITIES[-1][0]] = as_multipolygon(rest)
    return out
