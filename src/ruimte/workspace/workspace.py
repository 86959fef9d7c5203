# SPDX-License-Identifier: Apache-2.0
"""The workspace: one planning area's information base.

A :class:`Workspace` holds regions, datasets with provenance, claims, plans,
targets, scenarios, stakeholders and comments, all in one CRS, checked
against the vocabulary. It talks to storage only through the
:class:`~ruimte.workspace.store.WorkspaceStore` interface; the embedded
default is :class:`~ruimte.workspace.gpkg_store.GpkgStore`.

Every write runs in a transaction: it lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from ruimte import __version__
from ruimte.errors import (
    SchemaVersionError,
    UnknownLayerError,
    WorkspaceError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
    did_you_mean,
)
from ruimte.vocab import Vocabulary, load_vocabulary
from ruimte.workspace import schema
from ruimte.workspace.gpkg_store import GPKG_NAME, GpkgStore
from ruimte.workspace.records import RecordError, check_unique, conform
from ruimte.workspace.store import WorkspaceStore

logger = logging.getLogger(__name__)

DEFAULT_CRS = "EPSG:28992"
VOCABULARY_OVERRIDE = "vocabulary.yaml"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class DatasetRecord:
    """Provenance of one dataset in the workspace."""

    name: str
    kind: str
    layer: str
    source: str
    sha256: str | None
    licence: str
    imported_at: str
    original_crs: str | None
    feature_count: int
    function_mapping: dict[str, Any]
    repaired_count: int = 0
    dropped_count: int = 0


def parse_crs(value: str | CRS, *, what: str = "--crs") -> CRS:
    """Parse a CRS and require a projected one in metres.

    Parameters
    ----------
    value : str or pyproj.CRS
        E.g. ``"EPSG:28992"``.
    what : str
        How to name the value in an error.

    Returns
    -------
    pyproj.CRS

    Raises
    ------
    WorkspaceError
        If the CRS is unknown or not projected in metres.
    """
    try:
        crs = CRS.from_user_input(value)
    except CRSError as exc:
        raise WorkspaceError(
            f"{what}: {value!r} is not a coordinate reference system ({exc}). "
            f"Use an EPSG code such as EPSG:28992 (RD New)."
        ) from None
    units = {a.unit_name for a in crs.axis_info}
    if not crs.is_projected or not units <= {"metre", "meter"}:
        raise WorkspaceError(
            f"{what}: {value!r} is not a projected CRS in metres; areas and distances need one. "
            f"Use EPSG:28992 (RD New) or another projected CRS."
        )
    return crs


def slugify(text: str) -> str:
    """Turn a file or layer name into a valid dataset name (``a-z0-9_``)."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "ds_" + slug
    return slug[:63]


class Workspace:
    """One planning area's information base.

    Open with :meth:`open` or create with :meth:`init`; do not call the
    constructor directly.

    Examples
    --------
    >>> ws = Workspace.init(tmp / "polder")            # doctest: +SKIP
    >>> ws.import_file("parcels.gpkg", function="arable_farming")  # doctest: +SKIP
    >>> ws.summary()["datasets"]                        # doctest: +SKIP
    """

    def __init__(self, path: Path, store: WorkspaceStore) -> None:
        self.path = Path(path)
        self.store = store
        self._vocabulary: Vocabulary | None = None

    # -- lifecycle ----------------------------------------------------------
    @classmethod
    def init(cls, path: str | Path, crs: str | CRS = DEFAULT_CRS) -> Workspace:
        """Create a new, empty workspace folder.

        Parameters
        ----------
        path : str or Path
            Folder to create (it may exist if it holds no workspace yet).
        crs : str or pyproj.CRS
            The workspace CRS, projected in metres; default RD New.

        Returns
        -------
        Workspace

        Raises
        ------
        WorkspaceExistsError
            If the folder holds a workspace already.
        WorkspaceError
            If the CRS is not a projected CRS in metres.
        """
        path = Path(path)
        if (path / GPKG_NAME).exists():
            raise WorkspaceExistsError(
                f"{path}: a workspace exists here already. Open it, or choose another folder."
            )
        parsed = parse_crs(crs)
        store = GpkgStore.create(path, parsed)
        ws = cls(path, store)
        with store.transaction():
            store.set_meta("crs", parsed.to_string())
            store.set_meta("crs_wkt", parsed.to_wkt())
            store.set_meta("created_at", _now())
            store.set_meta("created_by", f"ruimte {__version__}")
            store.set_meta("schema_version", "0")
            ws._migrate()
        logger.info("created workspace %s (%s)", path, parsed.to_string())
        return ws

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace folder, migrating an older schema.

        Raises
        ------
        WorkspaceNotFoundError
            If there is no workspace at ``path``.
        SchemaVersionError
            If the workspace was written by a newer ruimte.
        """
        path = Path(path)
        if not (path / GPKG_NAME).is_file():
            raise WorkspaceNotFoundError(
                f"{path}: no workspace here (no {GPKG_NAME}). "
                f"Create one with `ruimte init {path}` or `ruimte demo {path}`."
            )
        probe = GpkgStore(path, CRS.from_epsg(28992))
        try:
            wkt = probe.get_meta("crs_wkt")
        except Exception as exc:
            raise WorkspaceError(
                f"{path / GPKG_NAME}: not a ruimte workspace or damaged ({exc})."
            ) from None
        if wkt is None:
            raise WorkspaceError(f"{path / GPKG_NAME}: the workspace has no CRS recorded.")
        store = GpkgStore(path, CRS.from_wkt(wkt))
        ws = cls(path, store)
        version = ws.schema_version
        if version > schema.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{path}: schema version {version} is newer than this ruimte understands "
                f"({schema.SCHEMA_VERSION}). Upgrade ruimte."
            )
        if version < schema.SCHEMA_VERSION:
            with store.transaction():
                ws._migrate()
        return ws

    @property
    def schema_version(self) -> int:
        """The schema version stored in the workspace."""
        return int(self.store.get_meta("schema_version") or 0)

    def _migrate(self) -> None:
        existing = set(self.store.layer_names())
        for version in sorted(schema.MIGRATIONS):
            if version <= self.schema_version:
                continue
            for name in schema.MIGRATIONS[version]:
                if name not in existing:
                    self.store.create_table(schema.TABLES[name])
            self.store.set_meta("schema_version", str(version))
            logger.info("workspace %s migrated to schema %d", self.path, version)

    @property
    def crs(self) -> CRS:
        """The workspace CRS."""
        return self.store.crs

    @property
    def vocabulary(self) -> Vocabulary:
        """The vocabulary: package defaults plus ``vocabulary.yaml`` when present."""
        if self._vocabulary is None:
            override = self.path / VOCABULARY_OVERRIDE
            self._vocabulary = load_vocabulary(override if override.is_file() else None)
        return self._vocabulary

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """Group several writes into one all-or-nothing transaction.

        Examples
        --------
        >>> with ws.transaction():                 # doctest: +SKIP
        ...     ws.add_scenarios(scenarios)
        ...     ws.add_claims(claims)
        """
        with self.store.transaction():
            yield self

    # -- reading ------------------------------------------------------------
    def layer_names(self) -> list[str]:
        """Return all layers in the store (system tables and datasets)."""
        return self.store.layer_names()

    def read(self, name: str, *, where: str | None = None) -> pd.DataFrame:
        """Read any table or dataset layer by name."""
        return self.store.read(name, where=where)

    def _read_typed(self, table: schema.Table, where: str | None = None) -> pd.DataFrame:
        frame = self.store.read(table.name, where=where)
        for col, kind in table.columns:
            if kind == "int" and col in frame:
                frame[col] = frame[col].astype("Int64")
            elif kind == "json" and col in frame:
                frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
        return frame

    def regions(self, level: str | None = None) -> gpd.GeoDataFrame:
        """Return the regions, optionally of one governance level."""
        where = None if level is None else f"level = '{self.vocabulary.check_level(level)}'"
        return self._read_typed(schema.REGIONS, where)  # type: ignore[return-value]

    def region_parents(self) -> pd.DataFrame:
        """Return every (region, parent) link, primary and extra parents alike."""
        regions = self.store.read(schema.REGIONS.name, columns=["code", "parent_code"])
        primary = pd.DataFrame(regions[["code", "parent_code"]]).dropna()
        extra = self.store.read(schema.REGION_PARENTS.name)[["code", "parent_code"]]
        links = pd.concat([primary, extra], ignore_index=True)
        return links.drop_duplicates().reset_index(drop=True)

    def claims(self, scenario: str | None = None) -> gpd.GeoDataFrame:
        """Return the claims, optionally of one scenario."""
        where = None if scenario is None else f"scenario = '{_quote(scenario)}'"
        return self._read_typed(schema.CLAIMS, where)  # type: ignore[return-value]

    def plans(self) -> pd.DataFrame:
        """Return the plans."""
        return self._read_typed(schema.PLANS)

    def targets(self) -> pd.DataFrame:
        """Return the targets."""
        return self._read_typed(schema.TARGETS)

    def scenarios(self) -> pd.DataFrame:
        """Return the scenarios, with assumptions as dicts."""
        return self._read_typed(schema.SCENARIOS)

    def stakeholders(self) -> pd.DataFrame:
        """Return the stakeholders."""
        return self._read_typed(schema.STAKEHOLDERS)

    def comments(self) -> gpd.GeoDataFrame:
        """Return the comments (located where a geometry is set)."""
        return self._read_typed(schema.COMMENTS)  # type: ignore[return-value]

    def datasets(self) -> pd.DataFrame:
        """Return the provenance records of all datasets."""
        return self._read_typed(schema.DATASETS)

    def dataset(self, name: str) -> DatasetRecord:
        """Return one dataset's provenance record.

        Raises
        ------
        UnknownLayerError
            If no dataset has that name.
        """
        table = self.datasets()
        row = table[table["name"] == name]
        if row.empty:
            raise UnknownLayerError(
                f"{self.path}: no dataset named {name!r}. {did_you_mean(name, table['name'])}"
            )
        r = row.iloc[0]
        return DatasetRecord(
            name=r["name"],
            kind=r["kind"],
            layer=r["layer"],
            source=r["source"],
            sha256=r["sha256"],
            licence=r["licence"] or "",
            imported_at=r["imported_at"],
            original_crs=r["original_crs"],
            feature_count=int(r["feature_count"]),
            function_mapping=r["function_mapping"] or {},
            repaired_count=int(r["repaired_count"] or 0),
            dropped_count=int(r["dropped_count"] or 0),
        )

    def read_dataset(self, name: str) -> gpd.GeoDataFrame:
        """Read a vector dataset's features."""
        record = self.dataset(name)
        if record.kind != "vector":
            raise WorkspaceError(
                f"{self.path}: dataset {name!r} is a raster; open {record.layer} with rasterio."
            )
        return self.store.read(record.layer)  # type: ignore[return-value]

    def raster_path(self, name: str) -> Path:
        """Return the path of a raster dataset's Cloud-Optimised GeoTIFF."""
        record = self.dataset(name)
        if record.kind != "raster":
            raise WorkspaceError(f"{self.path}: dataset {name!r} is a vector layer, not a raster.")
        return self.store.raster_path(record.layer)

    # -- writing: validation helpers -----------------------------------------
    def _existing(self, table: schema.Table) -> list[Any]:
        if table.key is None:
            return []
        return self.store.read(table.name, columns=[table.key])[table.key].tolist()

    def _check_values(self, table: str, frame: pd.DataFrame, column: str, check: Any) -> None:
        for row, value in enumerate(frame[column].tolist()):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            try:
                check(value)
            except Exception as exc:
                raise RecordError(
                    f"table {table!r}, row {row}{_row_key(frame, row)}, column {column!r}: {exc}"
                ) from None

    def _check_refs(
        self,
        table: str,
        frame: pd.DataFrame,
        column: str,
        target: schema.Table,
        extra: Iterable[Any] = (),
    ) -> None:
        known = set(self._existing(target)) | set(extra)
        for row, value in enumerate(frame[column].tolist()):
            if value is not None and value not in known:
                raise RecordError(
                    f"table {table!r}, row {row}: {column} {value!r} does not exist in "
                    f"{target.name!r}. {did_you_mean(str(value), map(str, known))} "
                    f"Add it first."
                )

    # -- writing: records ------------------------------------------------------
    def add_regions(self, regions: gpd.GeoDataFrame, *, dataset: str | None = None) -> int:
        """Add regions (code, name, level, parent_code, geometry).

        Parameters
        ----------
        regions : GeoDataFrame
            One row per region. ``parent_code`` may name a region added later
            (so a hierarchy can be imported level by level). A column
            ``extra_parents`` (list of codes) records further parents.
        dataset : str, optional
            The dataset the boundaries came from.

        Returns
        -------
        int
            Number of regions added.
        """
        regions = regions.copy()
        extra = regions.pop("extra_parents") if "extra_parents" in regions else None
        if dataset is not None:
            regions["dataset"] = dataset
        frame = conform(schema.REGIONS, regions, crs=self.crs, required=("code", "name", "level"))
        self._check_values("regions", frame, "level", self.vocabulary.check_level)
        frame["geometry"] = frame.geometry.make_valid()
        with self.store.transaction():
            check_unique(schema.REGIONS, frame, self._existing(schema.REGIONS))
            self.store.append(schema.REGIONS.name, frame)
            if extra is not None:
                links = [
                    {"code": code, "parent_code": str(p), "parent_level": None}
                    for code, parents in zip(frame["code"], extra, strict=True)
                    for p in (parents or [])
                ]
                if links:
                    self.store.append(
                        schema.REGION_PARENTS.name,
                        conform(schema.REGION_PARENTS, pd.DataFrame(links)),
                    )
        return len(frame)

    def add_claims(self, claims: gpd.GeoDataFrame | pd.DataFrame) -> int:
        """Add claims (ruimteclaims), located or not yet located.

        Each claim needs a ``function`` from the vocabulary and either a
        geometry or a ``region_code``. ``transition`` and ``layer`` default to
        the function's; ``status`` defaults to ``idea``; ``scenario`` to
        ``basis``; a missing ``claim_id`` is generated.

        Returns
        -------
        int
            Number of claims added.

        Raises
        ------
        RecordError
            Naming the row and column of the first invalid value.
        """
        vocab = self.vocabulary
        frame = conform(schema.CLAIMS, claims, crs=self.crs, required=("function",))
        self._check_values("claims", frame, "function", vocab.check_function)
        functions = frame["function"].map(vocab.function)
        frame["transition"] = frame["transition"].where(
            frame["transition"].notna(), functions.map(lambda f: f.transition)
        )
        frame["layer"] = functions.map(lambda f: f.layer)
        frame["status"] = frame["status"].fillna("idea")
        frame["scenario"] = frame["scenario"].fillna("basis")
        missing_id = frame["claim_id"].isna()
        frame.loc[missing_id, "claim_id"] = [
            "claim-" + uuid.uuid4().hex[:10] for _ in range(int(missing_id.sum()))
        ]
        self._check_values("claims", frame, "transition", vocab.check_transition)
        self._check_values("claims", frame, "status", vocab.check_status)
        self._check_values("claims", frame, "governance_level", vocab.check_level)
        self._check_values("claims", frame, "unit", vocab.check_unit)
        unlocated = frame.geometry.isna() | frame.geometry.is_empty
        no_region = frame["region_code"].isna()
        bad = np.flatnonzero((unlocated & no_region).to_numpy())
        if len(bad):
            raise RecordError(
                f"table 'claims', row {int(bad[0])} (claim {frame['claim_id'].iloc[bad[0]]!r}): "
                f"a claim needs a geometry or a region_code (for a not-yet-located quantity)."
            )
        invalid = ~unlocated & ~frame.geometry.is_valid
        if invalid.any():
            logger.warning("repairing %d invalid claim geometries", int(invalid.sum()))
            frame.loc[invalid, "geometry"] = frame.geometry[invalid].make_valid()
        with self.store.transaction():
            check_unique(schema.CLAIMS, frame, self._existing(schema.CLAIMS))
            self._check_refs("claims", frame, "scenario", schema.SCENARIOS)
            self._check_refs("claims", frame, "plan_id", schema.PLANS)
            self._check_refs("claims", frame, "region_code", schema.REGIONS)
            self.store.append(schema.CLAIMS.name, frame)
        return len(frame)

    def add_plans(self, plans: pd.DataFrame) -> int:
        """Add plans (plan_id, name, plan_type, governance_level, owner, ...)."""
        vocab = self.vocabulary
        frame = conform(schema.PLANS, plans, required=("plan_id", "name", "plan_type"))
        self._check_values("plans", frame, "plan_type", vocab.check_plan_type)
        self._check_values("plans", frame, "governance_level", vocab.check_level)
        self._check_values("plans", frame, "phase", vocab.check_phase)
        for col in ("start_date", "adoption_date"):
            self._check_values("plans", frame, col, _check_date)
        with self.store.transaction():
            check_unique(schema.PLANS, frame, self._existing(schema.PLANS))
            self._check_refs("plans", frame, "region_code", schema.REGIONS)
            self.store.append(schema.PLANS.name, frame)
        return len(frame)

    def add_targets(self, targets: pd.DataFrame) -> int:
        """Add targets (region_code, transition or function, quantity, unit, horizon_year)."""
        vocab = self.vocabulary
        frame = conform(
            schema.TARGETS,
            targets,
            required=("region_code", "quantity", "unit", "horizon_year"),
        )
        missing_id = frame["target_id"].isna()
        frame.loc[missing_id, "target_id"] = [
            "target-" + uuid.uuid4().hex[:10] for _ in range(int(missing_id.sum()))
        ]
        self._check_values("targets", frame, "transition", vocab.check_transition)
        self._check_values("targets", frame, "function", vocab.check_function)
        self._check_values("targets", frame, "unit", vocab.check_unit)
        with self.store.transaction():
            check_unique(schema.TARGETS, frame, self._existing(schema.TARGETS))
            self._check_refs("targets", frame, "region_code", schema.REGIONS)
            self._check_refs("targets", frame, "scenario", schema.SCENARIOS)
            self.store.append(schema.TARGETS.name, frame)
        return len(frame)

    def add_scenarios(self, scenarios: pd.DataFrame) -> int:
        """Add scenarios (name, parent, description, assumptions)."""
        frame = conform(schema.SCENARIOS, scenarios, required=("name",))
        with self.store.transaction():
            check_unique(schema.SCENARIOS, frame, self._existing(schema.SCENARIOS))
            self._check_refs("scenarios", frame, "parent", schema.SCENARIOS, frame["name"])
            self.store.append(schema.SCENARIOS.name, frame)
        return len(frame)

    def add_stakeholders(self, stakeholders: pd.DataFrame) -> int:
        """Add stakeholders (stakeholder_id, name, group, organisation)."""
        frame = conform(schema.STAKEHOLDERS, stakeholders, required=("stakeholder_id", "name"))
        with self.store.transaction():
            check_unique(schema.STAKEHOLDERS, frame, self._existing(schema.STAKEHOLDERS))
            self.store.append(schema.STAKEHOLDERS.name, frame)
        return len(frame)

    def add_comments(self, comments: gpd.GeoDataFrame | pd.DataFrame) -> int:
        """Add comments; text is stored as plain text, a geometry locates it."""
        frame = conform(schema.COMMENTS, comments, crs=self.crs, required=("text",))
        missing_id = frame["comment_id"].isna()
        frame.loc[missing_id, "comment_id"] = [
            "comment-" + uuid.uuid4().hex[:10] for _ in range(int(missing_id.sum()))
        ]
        frame["created_at"] = frame["created_at"].fillna(_now())
        with self.store.transaction():
            check_unique(schema.COMMENTS, frame, self._existing(schema.COMMENTS))
            self._check_refs("comments", frame, "scenario", schema.SCENARIOS)
            self._check_refs("comments", frame, "claim_id", schema.CLAIMS)
            self._check_refs("comments", frame, "stakeholder_id", schema.STAKEHOLDERS)
            self.store.append(schema.COMMENTS.name, frame)
        return len(frame)

    # -- writing: datasets -----------------------------------------------------
    def _check_dataset_name(self, name: str) -> None:
        if not _NAME_RE.match(name):
            raise WorkspaceError(
                f"dataset name {name!r}: use lower-case letters, digits and '_', "
                f"starting with a letter (e.g. {slugify(name)!r})."
            )
        if name in schema.SYSTEM_TABLES:
            raise WorkspaceError(
                f"dataset name {name!r} is reserved for the workspace's own table. "
                f"Choose another name (--as)."
            )
        if name in set(self._existing(schema.DATASETS)) or name in self.store.layer_names():
            raise WorkspaceError(
                f"{self.path}: a dataset named {name!r} exists already. "
                f"Choose another name with --as."
            )

    def add_dataset(
        self,
        name: str,
        features: gpd.GeoDataFrame,
        *,
        source: str,
        licence: str = "",
        function_mapping: Mapping[str, Any] | None = None,
        sha256: str | None = None,
        source_layer: str | None = None,
        original_crs: str | None = None,
        repaired_count: int = 0,
        dropped_count: int = 0,
        description: str = "",
    ) -> DatasetRecord:
        """Store a vector dataset as a layer, with its provenance.

        Parameters
        ----------
        name : str
            Dataset and layer name (``a-z0-9_``).
        features : GeoDataFrame
            The features; a ``function`` column holds vocabulary function ids
            (nulls allowed). Reprojected to the workspace CRS.
        source : str
            Where the data came from (file name, URL, generator).
        licence : str
            The data licence.
        function_mapping : mapping, optional
            How source attributes were mapped to functions.
        sha256 : str, optional
            Checksum of the source file(s).
        source_layer, original_crs : str, optional
            Layer read and CRS of the source.
        repaired_count, dropped_count : int
            Geometries repaired and dropped on import.
        description : str
            A line for people.

        Returns
        -------
        DatasetRecord
        """
        self._check_dataset_name(name)
        if features.crs is None:
            raise WorkspaceError(f"dataset {name!r}: the features have no CRS.")
        if len(features) == 0:
            raise WorkspaceError(f"dataset {name!r}: no features to store.")
        if "function" in features:
            self._check_values(name, features, "function", self.vocabulary.check_function)
        original = original_crs or features.crs.to_string()
        frame = features.to_crs(self.crs) if not features.crs.equals(self.crs) else features
        geom_types = sorted(set(frame.geometry.geom_type.dropna()))
        record = DatasetRecord(
            name=name,
            kind="vector",
            layer=name,
            source=source,
            sha256=sha256,
            licence=licence,
            imported_at=_now(),
            original_crs=original,
            feature_count=len(frame),
            function_mapping=dict(function_mapping or {}),
            repaired_count=repaired_count,
            dropped_count=dropped_count,
        )
        with self.store.transaction():
            self.store.write_layer(name, frame)
            self.record_provenance(record, "/".join(geom_types), source_layer, description)
        return record

    def add_raster(
        self,
        name: str,
        array: np.ndarray,
        transform: Any,
        *,
        crs: str | CRS | None = None,
        nodata: float | None = None,
        source: str,
        licence: str = "",
        class_functions: Mapping[int, str] | None = None,
        sha256: str | None = None,
        original_crs: str | None = None,
        description: str = "",
    ) -> DatasetRecord:
        """Store a single-band raster as a Cloud-Optimised GeoTIFF in ``rasters/``.

        Parameters
        ----------
        name : str
            Dataset name; the file is ``rasters/<name>.tif``.
        array : numpy.ndarray
            2-D values.
        transform : affine.Affine
            Pixel to CRS transform.
        crs : str or pyproj.CRS, optional
            The array's CRS (default: the workspace CRS); reprojected when it differs.
        nodata : float, optional
            No-data value.
        source, licence, sha256, original_crs, description : str
            Provenance.
        class_functions : mapping of int to str, optional
            Vocabulary function for each class value (land-use rasters).

        Returns
        -------
        DatasetRecord
        """
        from ruimte.workspace.readers import RasterData, reproject_raster, write_cog

        self._check_dataset_name(name)
        if array.ndim != 2:
            raise WorkspaceError(f"raster {name!r}: expected a 2-D array, got {array.ndim}-D.")
        vocab = self.vocabulary
        mapping = {str(int(k)): vocab.check_function(v) for k, v in (class_functions or {}).items()}
        src_crs = CRS.from_user_input(crs) if crs is not None else self.crs
        raster = RasterData(
            array=array,
            transform=transform,
            crs=src_crs,
            nodata=nodata,
            dtype=str(array.dtype),
            band_count=1,
        )
        if not src_crs.equals(self.crs):
            raster = reproject_raster(raster, self.crs)
        record = DatasetRecord(
            name=name,
            kind="raster",
            layer="",
            source=source,
            sha256=sha256,
            licence=licence,
            imported_at=_now(),
            original_crs=original_crs or src_crs.to_string(),
            feature_count=int(raster.array.size),
            function_mapping={"classes": mapping} if mapping else {},
        )
        with self.store.transaction():
            location = self.store.add_raster(f"{name}.tif", lambda p: write_cog(raster, p))
            record = DatasetRecord(**{**record.__dict__, "layer": location})
            self.record_provenance(record, "raster", None, description)
        return record

    def record_provenance(
        self, record: DatasetRecord, geometry_type: str, source_layer: str | None, description: str
    ) -> None:
        """Append a dataset's provenance row (call inside a transaction)."""
        row = {**record.__dict__, "geometry_type": geometry_type, "source_layer": source_layer}
        row["description"] = description
        self.store.append(schema.DATASETS.name, conform(schema.DATASETS, pd.DataFrame([row])))

    def find_duplicate(self, sha256: str, source_layer: str | None) -> str | None:
        """Return the dataset already imported from the same file and layer, if any."""
        table = self.datasets()
        same = table[(table["sha256"] == sha256)]
        if source_layer is not None:
            same = same[same["source_layer"].fillna("") == source_layer]
        return None if same.empty else str(same["name"].iloc[0])

    def remove_dataset(self, name: str) -> None:
        """Remove a dataset and its provenance (a raster file stays until re-imported)."""
        record = self.dataset(name)
        with self.store.transaction():
            if record.kind == "vector":
                self.store.drop_layer(record.layer)
            self.store.delete(schema.DATASETS.name, "name", [name])

    # -- import, export, summary (delegated) --------------------------------------
    def import_file(self, file: str | Path, **options: Any) -> Any:
        """Import a file as a dataset; see :func:`ruimte.workspace.importer.import_file`."""
        from ruimte.workspace.importer import import_file

        return import_file(self, Path(file), **options)

    def import_regions(self, file: str | Path, **options: Any) -> Any:
        """Import region boundaries; see :func:`ruimte.workspace.importer.import_regions`."""
        from ruimte.workspace.importer import import_regions

        return import_regions(self, Path(file), **options)

    def export(self, name: str, out: str | Path, **options: Any) -> Path:
        """Export a layer; see :func:`ruimte.workspace.exporters.export_layer`."""
        from ruimte.workspace.exporters import export_layer

        return export_layer(self, name, Path(out), **options)

    def summary(self) -> dict[str, Any]:
        """Summarise the workspace; see :func:`ruimte.workspace.summary.summarise`."""
        from ruimte.workspace.summary import summarise

        return summarise(self)

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, crs={self.crs.to_string()!r})"


_KEYS = ("claim_id", "plan_id", "target_id", "comment_id", "stakeholder_id", "code", "name")


def _row_key(frame: pd.DataFrame, row: int) -> str:
    """Return " (claim_id 'x')" for a row that has an identifier, else ""."""
    for key in _KEYS:
        if key in frame.columns:
            value = frame[key].iloc[row]
            if value is not None and not (isinstance(value, float) and np.isnan(value)):
                return f" ({key} {value!r})"
    return ""


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _quote(value: str) -> str:
    return value.replace("'", "''")


def _check_date(value: str) -> str:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    return value
