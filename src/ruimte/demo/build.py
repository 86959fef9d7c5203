# SPDX-License-Identifier: Apache-2.0
"""Build the demo region into a fresh workspace (I/O edge of the generator)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd

from ruimte.errors import WorkspaceExistsError
from ruimte.workspace import Workspace
from ruimte.workspace.gpkg_store import GPKG_NAME

logger = logging.getLogger(__name__)

DEMO_MARKER = "demo_seed"


def _is_demo_workspace(path: Path) -> bool:
    if not (path / GPKG_NAME).is_file():
        return False
    try:
        return Workspace.open(path).store.get_meta(DEMO_MARKER) is not None
    except Exception:  # a damaged folder is not ours to delete
        return False


def build_demo(
    path: str | Path,
    *,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> Workspace:
    """Generate the demo region and store it in a new workspace at ``path``.

    An earlier demo workspace at ``path`` is replaced; any other workspace
    or non-empty folder is left alone and refused.

    Parameters
    ----------
    path : str or Path
        Folder for the workspace.
    seed : int
        Random seed; the same seed gives the same region.
    progress : callable, optional
        Called with a short message per step.

    Returns
    -------
    Workspace

    Raises
    ------
    WorkspaceExistsError
        If ``path`` holds something other than an earlier demo workspace.
    """
    from ruimte.demo.generate import generate_demo_region

    say = progress or (lambda message: None)
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        if not _is_demo_workspace(path):
            raise WorkspaceExistsError(
                f"{path}: the folder is not empty and holds no earlier demo workspace. "
                f"Choose another folder for the demo."
            )
        say(f"replacing the earlier demo workspace in {path}")
        shutil.rmtree(path)
    region = generate_demo_region(seed, progress=say)
    staging = path.with_name(path.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    ws = Workspace.init(staging, crs=region.crs)
    with ws.transaction():
        say(f"store {len(region.regions)} regions")
        ws.add_regions(region.regions)
        for name, features in region.datasets.items():
            info = region.dataset_info.get(name, {})
            say(f"store dataset {name} ({len(features):,} features)")
            ws.add_dataset(
                name,
                features,
                source=info.get("source", f"ruimte demo generator, seed {seed}"),
                licence=info.get("licence", "CC0-1.0, fictional data"),
                function_mapping=info.get("mapping", {}),
                description=info.get("description", ""),
            )
        for name, spec in region.rasters.items():
            say(f"store raster {name} ({spec.array.shape[1]}×{spec.array.shape[0]} cells)")
            ws.add_raster(
                name,
                spec.array,
                spec.transform,
                crs=spec.crs,
                nodata=spec.nodata,
                class_functions=spec.class_functions,
                source=f"ruimte demo generator, seed {seed}",
                licence="CC0-1.0, fictional data",
                description=spec.description,
            )
        say("store scenarios, plans, stakeholders, claims and targets")
        ws.add_scenarios(region.scenarios)
        ws.add_plans(region.plans)
        ws.add_stakeholders(region.stakeholders)
        ws.add_claims(region.claims)
        ws.add_targets(region.targets)
        ws.add_weights(_demo_weights())
        ws.store.set_meta(DEMO_MARKER, str(seed))
    staging.rename(path)
    logger.info("demo workspace built in %s", path)
    return Workspace.open(path)


def default_demo_path() -> Path:
    """Return the folder the demo uses when none is given: ``./demo-workspace``."""
    return Path.cwd() / "demo-workspace"


__all__ = ["DEMO_MARKER", "build_demo", "default_demo_path"]


def _demo_weights() -> pd.DataFrame:
    """Return the five stakeholder groups' criterion weights shipped with allocation."""
    source = resources.files("ruimte.analysis.allocation").joinpath("data", "weights.csv")
    with source.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#")
