# SPDX-License-Identifier: Apache-2.0
"""The overlay kernel: claims and existing land use in, four kinds of findings out.

Pure: frames in, frames out. :func:`ruimte.analysis.overlay.run.run_overlay`
reads the workspace and stores the result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.analysis.overlay import dissolve, findings, inputs, pieces
from ruimte.analysis.overlay.distances import distance_violations
from ruimte.analysis.overlay.memory import release_freed_memory
from ruimte.analysis.overlay.relations import RelationTable
from ruimte.analysis.overlay.settings import OverlaySettings, load_settings
from ruimte.analysis.overlay.synergies import SUGGESTION_AT, suggestion_text, synergies
from ruimte.analysis.overlay.turbine_noise import TurbineNoise
from ruimte.vocab import Vocabulary

#: ``progress(stage, done, total)``: the stage's name and how far it got
StageProgress = Callable[[str, int, int], None]

#: a column made when its layer is first read: its name, its position and what makes it
Deferred = tuple[str, int, Callable[[gpd.GeoDataFrame], np.ndarray]]

#: Finding types, in report order.
FINDING_TYPES: tuple[str, ...] = ("conflicts", "shared_use", "distance_violations", "synergies")


@dataclass
class OverlayResult:
    """The findings of one overlay run.

    Attributes
    ----------
    conflicts, shared_use : GeoDataFrame
        One row per distinct piece of land (hectares add up).
    distance_violations, synergies : GeoDataFrame
        One row per pair (claim-existing pairs: the nearest per dataset and function).
    pairs : DataFrame
        Every overlapping pair, with its relation and overlap in hectares.
    features : GeoDataFrame
        The features analysed (claims and existing land use near them), with footprints.
    notes : list of str
        Skipped, repaired or reprojected input.
    deferred : dict
        Per layer (``conflicts``, ``shared_use``, ``synergies``), a text column not
        made yet: ``(column, position, make)``. Reading the layer makes it (once), so
        every reader sees the full layer; the kernel leaves its ``detail`` and
        ``suggestion`` texts to then (120 MiB and 0.4 s at 200k claims).
    """

    conflicts: gpd.GeoDataFrame
    shared_use: gpd.GeoDataFrame
    distance_violations: gpd.GeoDataFrame
    synergies: gpd.GeoDataFrame
    pairs: pd.DataFrame
    features: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)
    deferred: dict[str, Deferred] = field(default_factory=dict, repr=False, compare=False)

    def summary(self) -> dict[str, Any]:
        """Per finding type: count and hectares (JSON-able); makes no deferred text."""
        conflicts, shared, syn = (
            self.__dict__[f"_{name}"] for name in ("conflicts", "shared_use", "synergies")
        )
        kind = syn["kind"]
        return {
            "claims": int(self.features["is_claim"].sum()),
            "conflicts": {
                "count": len(conflicts),
                "ha": round(float(conflicts["area_ha"].sum()), 4),
            },
            "shared_use": {
                "count": len(shared),
                "ha": round(float(shared["area_ha"].sum()), 4),
                "saved_ha": round(float(shared["saved_ha"].sum()), 4),
            },
            "distance_violations": {
                "count": len(self.distance_violations),
                "pairs": int(self.distance_violations["n_within"].sum()),
            },
            "synergies": {
                "count": int((kind == "adjacent").sum()),
                "suggestions": int((kind == "suggestion").sum()),
            },
            "notes": len(self.notes),
        }


#: within a stage, freed memory is returned to the system at most this often (seconds)
_TRIM_EVERY_S = 1.0

#: one layer's deferred column is made once, whichever thread reads it first
_MAKING = threading.Lock()


def _layer(name: str) -> property:
    """Return a layer of :class:`OverlayResult` whose deferred text column is made on reading.

    The texts (a piece's pairs or conditions, a synergy's suggestion: 120 MiB at
    200k claims) are not held while the overlay runs; every reader of the layer
    (CLI, JSON, studio, reports, stored results) sees the same columns as if they were.
    """

    def get(self: OverlayResult) -> gpd.GeoDataFrame:
        frame = self.__dict__[f"_{name}"]
        if name in self.__dict__.get("deferred", {}):
            with _MAKING:  # pending until made: another reader waits here meanwhile
                pending = self.deferred.get(name)
                if pending is not None:
                    column, at, make = pending
                    frame.insert(at, column, make(frame))
                    del self.deferred[name]
        return frame

    def put(self: OverlayResult, frame: gpd.GeoDataFrame) -> None:
        self.__dict__[f"_{name}"] = frame
        self.__dict__.get("deferred", {}).pop(name, None)  # a new frame: nothing pending

    return property(get, put, doc=f"The {name} layer (see :class:`OverlayResult`).")


for _name in ("conflicts", "shared_use", "synergies"):
    setattr(OverlayResult, _name, _layer(_name))


def prepare_features(
    claims: gpd.GeoDataFrame,
    landuse: Mapping[str, gpd.GeoDataFrame],
    vocab: Vocabulary,
    crs: Any,
    settings: OverlaySettings | None = None,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Put located claims and existing land use on one table with footprints.

    Returns
    -------
    features : GeoDataFrame
        See :mod:`ruimte.analysis.overlay.inputs`.
    notes : list of str
        Skipped, repaired and reprojected input.
    """
    settings = settings or load_settings()
    claim_part, claim_notes = prepare_claims(claims, vocab, crs, settings)
    landuse_part, landuse_notes = prepare_landuse(landuse, vocab, crs, settings)
    return join_features(claim_part, landuse_part), list(dict.fromkeys(claim_notes + landuse_notes))


def prepare_claims(
    claims: gpd.GeoDataFrame, vocab: Vocabulary, crs: Any, settings: OverlaySettings
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the claims' part of :func:`prepare_features` (with footprints) and its notes."""
    notes: list[str] = []
    part = inputs.claim_features(claims, vocab, crs, notes)
    return inputs.add_footprints(part, settings, notes), notes


def prepare_landuse(
    landuse: Mapping[str, gpd.GeoDataFrame], vocab: Vocabulary, crs: Any, settings: OverlaySettings
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the existing land use's part of :func:`prepare_features` and its notes."""
    notes: list[str] = []
    part = inputs.landuse_features(landuse, vocab, crs, notes)
    return inputs.add_footprints(part, settings, notes), notes


def join_features(claims: gpd.GeoDataFrame, landuse: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put the prepared claims and land use on one table: claims first."""
    frame = pd.concat([claims, landuse], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry=claims.geometry.name, crs=claims.crs)


def overlay_features(
    features: gpd.GeoDataFrame,
    vocab: Vocabulary,
    settings: OverlaySettings | None = None,
    *,
    tile_m: float | None = None,
    progress: StageProgress | None = None,
    noise: TurbineNoise | None = None,
) -> OverlayResult:
    """Find conflicts, shared use, distance violations and synergies among ``features``.

    Parameters
    ----------
    features : GeoDataFrame
        From :func:`prepare_features`: ``is_claim``, ``function``, ``footprint``, ...
        Pairs of two existing features are never findings.
    vocab : Vocabulary
        Its compatibility matrix decides each pair.
    settings : OverlaySettings, optional
        Default: the packaged ``overlay.yaml``.
    tile_m : float, optional
        Tile side for the pieces of land (see :func:`~ruimte.analysis.overlay.pieces.partition`).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` as the run goes on (per tile for the pieces).
    noise : TurbineNoise, optional
        Computed turbine noise: it decides turbine-dwelling distance violations
        (see :mod:`~ruimte.analysis.overlay.turbine_noise`).

    Returns
    -------
    OverlayResult
    """
    settings = settings or load_settings()
    told = progress or (lambda _stage, _done, _total: None)

    last = {"stage": "", "at": 0.0}

    def tell(stage: str, done: int, total: int) -> None:
        # between stages, and within one (tiles) at most every _TRIM_EVERY_S: the peak RSS,
        # not only the live memory (a trim walks the whole heap: 10-80 ms at 200k claims)
        now = time.perf_counter()
        if stage != last["stage"] or now - last["at"] >= _TRIM_EVERY_S:
            release_freed_memory()
            last.update(stage=stage, at=time.perf_counter())
        told(stage, done, total)

    table = RelationTable.from_vocabulary(vocab, features["function"])
    footprints = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    # distances and synergies need no overlaps: they run beside the area overlay, so one's
    # single-threaded bookkeeping overlaps the other's GEOS work
    pool = ThreadPoolExecutor(1)
    try:
        near = pool.submit(distance_violations, features, table, noise)
        tell("overlapping pairs", 0, 1)
        overlaps = pieces.overlapping_pairs(footprints, claim, settings.min_overlap_m2)
        parts, land_use = _pieces_of_land_uses(features, overlaps, settings, tile_m, tell)
        # the overlaps' shapes are cut into pieces now; the rest needs only their pairs and
        # areas (at 200k claims this frees about 400 MB before the findings are built)
        overlaps = replace(overlaps, geometry=np.empty(len(overlaps), dtype=object))
        beside = pool.submit(synergies, features, table, settings, suggestions=False)
        tell("classifying pieces", 0, 1)
        conflicts, shared_use, conflict_detail, shared_detail = findings.classified_pieces(
            features, overlaps, parts, table, land_use
        )
        del parts
        tell("distances and synergies", 0, 1)
        violations, synergy = near.result(), beside.result()
        release_freed_memory()
    finally:  # on Ctrl+C, do not wait for the distances beside
        pool.shutdown(wait=False, cancel_futures=True)
    return OverlayResult(
        conflicts=conflicts,
        shared_use=shared_use,
        distance_violations=violations,
        synergies=synergy,
        pairs=findings.pair_table(features, overlaps, table),
        features=features,
        deferred={
            "conflicts": ("detail", findings.DETAIL_AT, conflict_detail),
            "shared_use": ("detail", findings.DETAIL_AT, shared_detail),
            "synergies": ("suggestion", SUGGESTION_AT, suggestion_text),
        },
    )


def _pieces_of_land_uses(
    features: gpd.GeoDataFrame,
    overlaps: pieces.Overlaps,
    settings: OverlaySettings,
    tile_m: float | None,
    tell: StageProgress,
) -> tuple[pieces.Pieces, Any]:
    """Cut the overlaps into pieces, overlapping features of one dataset and function dissolved.

    Returns the pieces (their pairs index ``overlaps``) and each feature's land use.
    """
    footprints = features["footprint"].to_numpy()
    claim = features["is_claim"].to_numpy(dtype=bool)
    tell("one land use per dataset", 0, 1)
    units = dissolve.land_use_units(features)

    def tiles(done: int, total: int) -> None:
        tell("pieces of land (tiles)", done, total)

    def shallow(done: int, total: int) -> None:
        tell("pieces of land (shallow stacks)", done, total)

    if not units.dissolved:
        parts = pieces.partition(
            footprints,
            overlaps,
            claim,
            settings.min_overlap_m2,
            tile_m=tile_m,
            progress=tiles,
            max_others=settings.enumerate_max_others,
            mean_sets=settings.enumerate_mean_sets,
            enumerating=shallow,
        )
        return parts, units.unit
    unit_overlaps = pieces.overlapping_pairs(
        units.footprints, units.relevant, settings.min_overlap_m2
    )
    parts = pieces.partition(
        units.footprints,
        unit_overlaps,
        units.relevant,
        settings.min_overlap_m2,
        tile_m=tile_m,
        progress=tiles,
        max_others=settings.enumerate_max_others,
        mean_sets=settings.enumerate_mean_sets,
        enumerating=shallow,
    )
    expanded = dissolve.expand_pieces(parts, unit_overlaps, units, footprints, overlaps, claim)
    return expanded, units.unit


def overlay_claims(
    claims: gpd.GeoDataFrame,
    vocab: Vocabulary,
    landuse: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    crs: Any = None,
    settings: OverlaySettings | None = None,
    tile_m: float | None = None,
    progress: StageProgress | None = None,
    noise: TurbineNoise | None = None,
) -> OverlayResult:
    """Run the whole overlay on claims (and existing land use) given as frames.

    Parameters
    ----------
    claims : GeoDataFrame
        ``claim_id``, ``function`` (optional ``owner``, ``governance_level``)
        and a geometry; rows without geometry are skipped with a note.
    vocab : Vocabulary
        The vocabulary with the compatibility matrix.
    landuse : mapping of str to GeoDataFrame, optional
        Existing land use by dataset name, each with a ``function`` column.
    crs : CRS-like, optional
        The CRS to work in (projected, metres); default the claims' CRS.
    settings : OverlaySettings, optional
        Default: the packaged ``overlay.yaml``.
    tile_m, progress, noise : optional
        As for :func:`overlay_features`.

    Returns
    -------
    OverlayResult

    Raises
    ------
    UnknownFunctionError
        If a claim's function is not in the vocabulary (the message names the claim).
    OverlayError
        If a frame has no CRS.
    """
    settings = settings or load_settings()
    features, notes = prepare_features(claims, landuse or {}, vocab, crs or claims.crs, settings)
    result = overlay_features(
        features, vocab, settings, tile_m=tile_m, progress=progress, noise=noise
    )
    result.notes = notes
    return result
