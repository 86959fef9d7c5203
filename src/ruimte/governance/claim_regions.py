# SPDX-License-Identifier: Apache-2.0
"""Which regions a claim counts for: one rule for the gap report, the dashboard and reports.

- A **located** claim counts for the leaf regions (municipalities) its
  geometry lies in, by share: a polygon by area, a line by length, a point
  wholly for the region that contains it. A polygon across a border is split;
  the part outside every region counts nowhere. Its ``region_code``, where
  the file gave one, is only checked: a code that is not the region (or an
  ancestor of a region) the geometry lies in is reported as a mismatch.
- A claim **not yet located** counts wholly for its ``region_code`` (any
  level); roll-ups take it further up (:mod:`~ruimte.governance.rollup`).
- A claim with neither counts nowhere and is reported as unassigned.

Cost: one STRtree query of the claims against the leaf regions and one
intersection per (claim, region) pair that touch: O(n log m + pairs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ruimte.governance.hierarchy import Hierarchy

__all__ = ["ClaimRegions", "claim_regions"]


@dataclass
class ClaimRegions:
    """Each claim's share per region.

    Attributes
    ----------
    shares : pandas.DataFrame
        Columns ``claim`` (position in the claims frame), ``region_code`` and
        ``share`` (0-1]; located claims name leaf regions, others their own code.
    mismatches : list of dict
        Located claims whose ``region_code`` disagrees with their geometry:
        ``claim_id``, ``region_code`` (as given) and ``regions`` (by geometry).
    unassigned : list of str
        Claim ids with neither a geometry in a region nor a region code.
    """

    shares: pd.DataFrame
    mismatches: list[dict[str, object]] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)

    def weights(self, code: str, hierarchy: Hierarchy, n_claims: int) -> np.ndarray:
        """Return each claim's weight in region ``code`` (the sum of its shares there)."""
        inside = set(hierarchy.descendants(code)) | {code}
        rows = self.shares[self.shares["region_code"].isin(inside)]
        out = np.zeros(n_claims)
        np.add.at(out, rows["claim"].to_numpy(int), rows["share"].to_numpy(float))
        return out


def _leaf_regions(regions: gpd.GeoDataFrame, hierarchy: Hierarchy) -> gpd.GeoDataFrame:
    leaves = {code for code in hierarchy.level if hierarchy.leaves(code) == {code}}
    out = regions[regions["code"].isin(leaves)]
    return out[out.geometry.notna() & ~out.geometry.is_empty]


def _measure(geoms: np.ndarray) -> np.ndarray:
    """Area for polygons, length for lines, 1 for points (what a share is taken of)."""
    dims = shapely.get_dimensions(geoms)
    return np.where(dims == 2, shapely.area(geoms), np.where(dims == 1, shapely.length(geoms), 1.0))


def claim_regions(
    claims: gpd.GeoDataFrame | pd.DataFrame, regions: gpd.GeoDataFrame, hierarchy: Hierarchy
) -> ClaimRegions:
    """Return the share of each claim that counts for each region (see the module docstring).

    Parameters
    ----------
    claims : GeoDataFrame or DataFrame
        With ``claim_id`` and ``region_code``; a geometry column where claims are located.
    regions : GeoDataFrame
        The workspace's regions (``code`` and geometry).
    hierarchy : Hierarchy
        The region hierarchy (which regions are leaves, who is whose ancestor).

    Returns
    -------
    ClaimRegions

    Examples
    --------
    >>> from shapely.geometry import box, Point
    >>> regions = gpd.GeoDataFrame({"code": ["a", "b"], "level": ["municipality"] * 2},
    ...                            geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)])
    >>> h = Hierarchy(regions[["code", "level"]], pd.DataFrame(columns=["code", "parent_code"]))
    >>> claims = gpd.GeoDataFrame({"claim_id": ["C1", "C2"], "region_code": [None, None]},
    ...                           geometry=[box(5, 0, 15, 10), Point(12, 5)])
    >>> claim_regions(claims, regions, h).shares.to_dict("records")
    [{'claim': 0, 'region_code': 'a', 'share': 0.5}, {'claim': 0, 'region_code': 'b', 'share': 0.5}, {'claim': 1, 'region_code': 'b', 'share': 1.0}]
    """
    n = len(claims)
    codes = (
        claims["region_code"].astype(object).where(claims["region_code"].notna(), None).to_numpy()
        if "region_code" in claims
        else np.full(n, None, dtype=object)
    )
    ids = claims["claim_id"].astype(str).to_numpy() if "claim_id" in claims else np.arange(n)
    geoms = (
        np.asarray(claims.geometry.values, dtype=object)
        if isinstance(claims, gpd.GeoDataFrame)
        else np.full(n, None, dtype=object)
    )
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    leaves = _leaf_regions(regions, hierarchy)
    leaf_geoms = np.asarray(leaves.geometry.values, dtype=object)
    leaf_codes = leaves["code"].astype(str).to_numpy()

    parts: list[pd.DataFrame] = []
    where = np.flatnonzero(located)
    if len(where) and len(leaf_geoms):
        tree = shapely.STRtree(leaf_geoms)
        claim_pos, leaf_pos = tree.query(geoms[where], predicate="intersects")
        claim_idx = where[claim_pos]
        pieces = shapely.intersection(geoms[claim_idx], leaf_geoms[leaf_pos])
        whole = _measure(geoms[claim_idx])
        dims = shapely.get_dimensions(geoms[claim_idx])
        part = np.where(dims == 0, 1.0, _measure(pieces))
        share = np.divide(part, whole, out=np.zeros(len(part)), where=whole > 0)
        frame = pd.DataFrame(
            {"claim": claim_idx, "region_code": leaf_codes[leaf_pos], "share": share}
        )
        frame = frame[frame["share"] > 0]
        # a point on a border counts once: for the first region that holds it
        points = dims[frame.index.to_numpy()] == 0 if len(frame) else np.zeros(0, bool)
        frame = pd.concat(
            [frame[~points], frame[points].drop_duplicates("claim")], ignore_index=True
        )
        parts.append(frame)
    unlocated = np.flatnonzero(~located & pd.notna(codes))
    if len(unlocated):
        parts.append(
            pd.DataFrame(
                {"claim": unlocated, "region_code": codes[unlocated].astype(str), "share": 1.0}
            )
        )
    shares = (
        pd.concat(parts, ignore_index=True).sort_values(["claim", "region_code"], kind="stable")
        if parts
        else pd.DataFrame({"claim": [], "region_code": [], "share": []})
    ).reset_index(drop=True)
    shares["claim"] = shares["claim"].astype(int)

    counted = set(shares["claim"])
    unassigned = [str(ids[i]) for i in range(n) if i not in counted]
    mismatches = []
    given = np.flatnonzero(located & pd.notna(codes))
    by_claim = shares.groupby("claim")["region_code"].agg(list).to_dict()
    for i in given:
        found = by_claim.get(i, [])
        code = str(codes[i])
        if code not in hierarchy.level:
            mismatches.append({"claim_id": str(ids[i]), "region_code": code, "regions": found})
            continue
        if found and not set(found) & set(hierarchy.leaves(code)):
            mismatches.append({"claim_id": str(ids[i]), "region_code": code, "regions": found})
    return ClaimRegions(shares=shares, mismatches=mismatches, unassigned=unassigned)
