# SPDX-License-Identifier: Apache-2.0
"""The overlay's workspace edge: read claims and land use, run the kernel, store the findings.

The result ``conflicts_<scenario>`` (``conflicts_<scenario>_<region>`` for one
region) holds one GeoPackage layer per finding type (``conflicts``,
``shared_use``, ``distance_violations``, ``synergies``) and the tables
``pairs``, ``indicators`` and ``notes``, with the inputs and vocabulary
version that produced them. Everything is written in one transaction: a
failed run changes nothing stored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ruimte.analysis.overlay.incremental import changed_claims, update_overlay
from ruimte.analysis.overlay.indicators import level_indicators, region_indicators
from ruimte.analysis.overlay.kernel import (
    FINDING_TYPES,
    OverlayResult,
    StageProgress,
    join_features,
    overlay_features,
    prepare_claims,
    prepare_landuse,
)
from ruimte.analysis.overlay.settings import OverlayError, OverlaySettings, load_settings
from ruimte.analysis.overlay.turbine_noise import turbine_noise
from ruimte.errors import did_you_mean
from ruimte.names import key_part

if TYPE_CHECKING:  # pragma: no cover
    from ruimte.workspace import Workspace

logger = logging.getLogger(__name__)

Say = Callable[[str], None]


@dataclass
class OverlayRun:
    """One stored overlay run.

    Attributes
    ----------
    key : str
        The result key in the workspace (``None`` when not saved).
    scenario : str
        The scenario analysed.
    region : str or None
        The region it was limited to.
    result : OverlayResult
        The findings.
    indicators : DataFrame
        Per region and governance level (see :mod:`ruimte.analysis.overlay.indicators`).
    seconds : float
        Run time.
    inputs_key : tuple
        The land-use datasets (name, sha256, import time), vocabulary version and
        settings it was computed from: a later run may update it only when they are equal.
    landuse_notes, landuse_names : list of str
        The notes on the land use and its datasets (kept for updates, which do not read
        it again).
    changed : int or None
        For an update (:func:`run_overlay` with ``previous``): how many claims changed;
        None for a full run.
    """

    key: str | None
    scenario: str
    region: str | None
    result: OverlayResult
    indicators: pd.DataFrame
    seconds: float
    inputs_key: tuple[Any, ...] = ()
    landuse_notes: list[str] = field(default_factory=list)
    changed: int | None = None
    landuse_names: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Per finding type counts and hectares, plus the scenario and region."""
        return {"scenario": self.scenario, "region": self.region, **self.result.summary()}


def landuse_datasets(ws: Workspace) -> dict[str, gpd.GeoDataFrame]:
    """Read every vector dataset whose provenance maps it onto vocabulary functions."""
    table = ws.datasets()
    out: dict[str, gpd.GeoDataFrame] = {}
    for _, row in table[table["kind"] == "vector"].iterrows():
        if not row["function_mapping"]:
            continue
        frame = ws.read_dataset(row["name"], columns=["function"])  # all the overlay uses
        if "function" in frame:
            out[row["name"]] = frame
    return out


def check_scenario(ws: Workspace, scenario: str) -> str:
    """Return ``scenario`` if the workspace defines it; raise OverlayError otherwise."""
    names = list(ws.scenarios()["name"])
    if scenario not in names:
        raise OverlayError(
            f"{ws.path}: no scenario named {scenario!r}. {did_you_mean(scenario, names)}"
        )
    return scenario


def run_overlay(
    ws: Workspace,
    scenario: str,
    *,
    region: str | None = None,
    settings: OverlaySettings | None = None,
    save: bool = True,
    say: Say | None = None,
    progress: StageProgress | None = None,
    tile_m: float | None = None,
    previous: OverlayRun | None = None,
) -> OverlayRun:
    """Run the overlay for one scenario and store its findings.

    Parameters
    ----------
    ws : Workspace
        The workspace; read for claims, land-use datasets and regions.
    scenario : str
        The scenario whose (effective) claims to analyse.
    region : str, optional
        Limit to claims that intersect this region; indicators for it and its sub-regions.
    settings : OverlaySettings, optional
        Default: the packaged ``overlay.yaml``.
    save : bool
        Store the result (``conflicts_<scenario>[_<region>]``); default True.
    say : callable, optional
        Receives one line per step (progress).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` within the overlay (per tile).
        An exception from it (Ctrl+C included) stops the run; nothing is stored.
    tile_m : float, optional
        Tile side in metres for the pieces of land; default about 20,000 vertices per tile.
    previous : OverlayRun, optional
        An earlier run of the same scenario and region in this process (the studio keeps
        its last one). When its land use, vocabulary and settings are still the ones in
        the workspace, only the findings near the claims that changed since are
        recomputed (:mod:`~ruimte.analysis.overlay.incremental`), with the same findings
        as a full run; otherwise the run is a full one.

    Returns
    -------
    OverlayRun

    Raises
    ------
    OverlayError
        If the scenario or region does not exist, or the tile size is not positive.
    OverlayMemoryError
        If the run would need more memory than is available (said before it starts).
    UnknownFunctionError
        If a claim names a function the vocabulary does not define.
    """
    say = say or (lambda _msg: None)
    if tile_m is not None and not tile_m > 0:
        raise OverlayError(f"tile size {tile_m} m: give a positive size in metres (e.g. 2000).")
    start = time.perf_counter()
    settings = settings or load_settings()
    check_scenario(ws, scenario)
    regions = ws.regions()
    claims = ws.claims(scenario)
    scope = regions
    if region is not None:
        scope = _region_scope(ws, regions, region)
        claims = _claims_in(claims, scope.geometry.iloc[0], set(scope["code"]))
    say(f"read {len(claims)} claims of scenario {scenario}")
    noise = turbine_noise(ws, scenario, settings.turbine_noise_norm)
    if noise is not None:
        say(f"turbine distances to dwellings by computed noise ({noise.result}, {noise.norm})")
    inputs_key = _inputs_key(ws, settings, region, tile_m, noise)
    claim_part, claim_notes = prepare_claims(claims, ws.vocabulary, ws.crs, settings)
    changed: int | None = None
    if previous is not None and previous.inputs_key == inputs_key:
        landuse_names = previous.landuse_names
        landuse_part = _landuse_part(previous.result.features)
        landuse_notes = previous.landuse_notes
        features = join_features(claim_part, landuse_part)
        ids = changed_claims(previous.result.features, features)
        changed = len(ids)
        say(f"{changed} claims changed since the last run: findings near them recomputed")
        result = update_overlay(
            previous.result, features, ws.vocabulary, settings, changed=ids, noise=noise
        )
    else:
        landuse = landuse_datasets(ws)
        landuse_names = list(landuse)
        say(f"read land use: {', '.join(landuse) or 'none'}")
        landuse_part, landuse_notes = prepare_landuse(landuse, ws.vocabulary, ws.crs, settings)
        features = join_features(claim_part, landuse_part)
        result = overlay_features(
            features, ws.vocabulary, settings, tile_m=tile_m, progress=progress, noise=noise
        )
    if noise is not None:
        claim_notes.append(
            f"turbine claims at dwellings: too close when {noise.norm} is exceeded by the "
            f"computed noise of result {noise.result}, not by the matrix's distance"
        )
    rasters = ws.datasets().query("kind == 'raster'")["name"]
    result.notes = list(dict.fromkeys(claim_notes + landuse_notes)) + [
        f"dataset {name}: a raster; the overlay reads vector datasets" for name in rasters
    ]
    say("overlay done; computing indicators")
    parts = [region_indicators(result, scope), level_indicators(result)]
    # an empty part (no claim of a governance level) would only change the dtypes
    indicators = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    indicators.insert(0, "scenario", scenario)
    seconds = time.perf_counter() - start
    key = None
    if save:
        key = f"conflicts_{key_part(scenario)}" + (f"_{key_part(region.lower())}" if region else "")
        ws.save_result(
            key,
            "overlay",
            layers={name: getattr(result, name) for name in FINDING_TYPES},
            tables={
                "pairs": result.pairs,
                "indicators": indicators,
                "notes": pd.DataFrame({"note": pd.Series(result.notes, dtype=object)}),
            },
            scenario=scenario,
            inputs=(
                f"claims:{scenario}",
                *((f"result:{noise.result}",) if noise is not None else ()),
                *(f"dataset:{n}" for n in landuse_names),
                "regions",
                "vocabulary",
            ),
            parameters={"scenario": scenario, "region": region, **settings.as_dict()},
            summary=result.summary(),
            seconds=seconds,
        )
        say(f"stored result {key}")
    return OverlayRun(
        key,
        scenario,
        region,
        result,
        indicators,
        seconds,
        inputs_key,
        landuse_notes,
        changed,
        landuse_names,
    )


def _inputs_key(
    ws: Workspace,
    settings: OverlaySettings,
    region: str | None,
    tile_m: float | None,
    noise: Any = None,
) -> tuple[Any, ...]:
    """Return what besides the claims decides a run: land use, vocabulary, settings, scope."""
    table = ws.datasets()
    used = table[(table["kind"] == "vector") & table["function_mapping"].astype(bool)]
    datasets = tuple(
        (str(r["name"]), str(r["sha256"]), str(r["imported_at"])) for _, r in used.iterrows()
    )
    options = tuple(sorted((k, repr(v)) for k, v in settings.as_dict().items()))
    computed = None
    if noise is not None:  # the nuisance result the distances used
        computed = (noise.result, ws.input_fingerprint(f"result:{noise.result}"))
    return (datasets, ws.vocabulary.version, options, region, tile_m, computed)


def _landuse_part(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the existing land use of a run's features (its claims left out)."""
    part = features[~features["is_claim"].to_numpy(dtype=bool)]
    return part.reset_index(drop=True)  # type: ignore[return-value]


def _region_scope(ws: Workspace, regions: gpd.GeoDataFrame, code: str) -> gpd.GeoDataFrame:
    """Return the region ``code`` and every region below it."""
    if code not in set(regions["code"]):
        raise OverlayError(
            f"{ws.path}: no region with code {code!r}. {did_you_mean(code, regions['code'])}"
        )
    links = ws.region_parents()
    wanted, frontier = {code}, {code}
    while frontier:
        frontier = set(links.loc[links["parent_code"].isin(frontier), "code"]) - wanted
        wanted |= frontier
    scope = regions[regions["code"].isin(wanted)]
    first = scope["code"] == code
    return pd.concat([scope[first], scope[~first]])  # type: ignore[return-value]


def _claims_in(claims: gpd.GeoDataFrame, area: Any, codes: set[str]) -> gpd.GeoDataFrame:
    """Keep located claims that intersect ``area`` and non-located ones of these regions."""
    located = claims.geometry.notna()
    inside = located & claims.geometry.intersects(area)
    return claims[inside | (~located & claims["region_code"].isin(codes))]


def rerun(ws: Workspace, record: Any) -> OverlayRun:
    """Re-run a stored overlay for its scenario and region (for ``ruimte update``)."""
    params = dict(record.parameters or {})
    return run_overlay(ws, params.get("scenario") or record.scenario, region=params.get("region"))
