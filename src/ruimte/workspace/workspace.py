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
import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
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
from ruimte.workspace.claim_edits import ClaimEditor
from ruimte.workspace.dataset_writer import DatasetRecord, DatasetWriter, slugify
from ruimte.workspace.gpkg_store import GPKG_NAME, GpkgStore
from ruimte.workspace.people import PeopleWriter
from ruimte.workspace.pg_store import (
    PgStore,
    default_folder,
    is_postgres_url,
    open_pg_store,
    safe_url,
)
from ruimte.workspace.records import now_iso, typed
from ruimte.workspace.results import ResultStore
from ruimte.workspace.store import WorkspaceStore

logger = logging.getLogger(__name__)

DEFAULT_CRS = "EPSG:28992"
VOCABULARY_OVERRIDE = "vocabulary.yaml"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


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


class Workspace(DatasetWriter, ResultStore, ClaimEditor, PeopleWriter):
    """One planning area's information base.

    Open with :meth:`open` or create with :meth:`init`; do not call the
    constructor directly.

    Examples
    --------
    >>> import tempfile
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> ws = Workspace.init(Path(tempfile.mkdtemp()) / "polder")
    >>> parcels = gpd.GeoDataFrame(
    ...     {"function": ["arable_farming"]}, geometry=[box(0, 0, 200, 50)], crs="EPSG:28992"
    ... )
    >>> ws.add_dataset("percelen", parcels, source="example").feature_count
    1
    >>> [(d["name"], d["features"]) for d in ws.summary()["datasets"]]
    [('percelen', 1)]
    """

    def __init__(self, path: Path | str, store: WorkspaceStore) -> None:
        #: the folder, or the PostgreSQL URL (without its password) of a shared workspace
        self.path: Path | str = path if is_postgres_url(path) else Path(path)
        self.store = store
        self._vocabulary: Vocabulary | None = None
        #: options of the import under way, recorded with its provenance
        self._import_options: dict[str, Any] | None = None

    # -- lifecycle ----------------------------------------------------------
    @classmethod
    def init(
        cls, path: str | Path, crs: str | CRS = DEFAULT_CRS, *, folder: str | Path | None = None
    ) -> Workspace:
        """Create a new, empty workspace folder, or a workspace in a PostGIS schema.

        Parameters
        ----------
        path : str or Path
            Folder to create (it may exist if it holds no workspace yet), or
            ``postgresql://USER@HOST/DB[?schema=NAME]`` for a shared workspace
            in PostgreSQL/PostGIS (see :mod:`ruimte.workspace.pg_store`).
        crs : str or pyproj.CRS
            The workspace CRS, projected in metres; default RD New.
        folder : str or Path, optional
            With a PostgreSQL URL: the workspace's file folder (rasters,
            ``vocabulary.yaml``); default ``ruimte-<db>-<schema>`` in the
            current folder. Recorded in the workspace settings.

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
        parsed = parse_crs(crs)
        if is_postgres_url(path):
            store: WorkspaceStore = PgStore.create(
                str(path), parsed, default_folder(str(path), folder)
            )
            path = safe_url(str(path))
        else:
            path = Path(path)
            if (path / GPKG_NAME).exists():
                raise WorkspaceExistsError(
                    f"{path}: a workspace exists here already. Open it, or choose another folder."
                )
            store = GpkgStore.create(path, parsed)
        ws = cls(path, store)
        with store.transaction():
            if isinstance(store, PgStore):
                store.set_meta("folder", str(store.folder))
            store.set_meta("crs", parsed.to_string())
            store.set_meta("crs_wkt", parsed.to_wkt())
            store.set_meta("created_at", now_iso())
            store.set_meta("created_by", f"ruimte {__version__}")
            store.set_meta("schema_version", "0")
            ws._migrate()
        logger.info("created workspace %s (%s)", path, parsed.to_string())
        return ws

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace folder or PostgreSQL URL, migrating an older schema.

        Raises
        ------
        WorkspaceNotFoundError
            If there is no workspace at ``path``.
        SchemaVersionError
            If the workspace was written by a newer ruimte.
        """
        if is_postgres_url(path):
            return cls._opened(safe_url(str(path)), open_pg_store(str(path)))
        path = Path(path)
        if not (path / GPKG_NAME).is_file():
            raise WorkspaceNotFoundError(
                f"{path}: no workspace here (no {GPKG_NAME}). "
                f"Create one with `ruimte init {path}` or `ruimte demo {path}`."
            )
        probe = GpkgStore(path, CRS.from_epsg(28992))
        probe.recover()  # a write a killed process left: finish or undo it first
        try:
            wkt = probe.get_meta("crs_wkt")
        except Exception as exc:
            raise WorkspaceError(
                f"{path / GPKG_NAME}: not a ruimte workspace or damaged ({exc})."
            ) from None
        if wkt is None:
            raise WorkspaceError(f"{path / GPKG_NAME}: the workspace has no CRS recorded.")
        return cls._opened(path, GpkgStore(path, CRS.from_wkt(wkt)))

    @classmethod
    def _opened(cls, path: Path | str, store: WorkspaceStore) -> Workspace:
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
            for name, columns in schema.COLUMN_MIGRATIONS.get(version, {}).items():
                if name in existing:
                    self.store.add_columns(name, columns)
            self.store.set_meta("schema_version", str(version))
            logger.info("workspace %s migrated to schema %d", self.path, version)

    @property
    def folder(self) -> Path:
        """The workspace's file folder: rasters, ``vocabulary.yaml``, the studio's audit log."""
        return Path(getattr(self.store, "folder", self.path))

    @property
    def crs(self) -> CRS:
        """The workspace CRS."""
        return self.store.crs

    @property
    def vocabulary(self) -> Vocabulary:
        """The vocabulary: package defaults plus ``vocabulary.yaml`` when present."""
        if self._vocabulary is None:
            override = self.folder / VOCABULARY_OVERRIDE
            self._vocabulary = load_vocabulary(override if override.is_file() else None)
        return self._vocabulary

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """Group several writes into one all-or-nothing transaction.

        Examples
        --------
        >>> import tempfile
        >>> ws = Workspace.init(Path(tempfile.mkdtemp()) / "w")
        >>> with ws.transaction():
        ...     _ = ws.add_scenarios(pd.DataFrame({"name": ["basis", "ambitie"]}))
        ...     _ = ws.add_targets(pd.DataFrame([{"region_code": None, "quantity": 1.2}]))
        ...     # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ruimte.workspace.records.RecordError: table 'targets', row 0: 'region_code' is empty; ...
        >>> ws.scenarios().empty  # the failed transaction stored neither
        True
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
        return typed(table, self.store.read(table.name, where=where))

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

    def claims(self, scenario: str | None = None, *, inherit: bool = True) -> gpd.GeoDataFrame:
        """Return the claims: all of them, or those of one scenario.

        Parameters
        ----------
        scenario : str, optional
            A scenario name; all stored rows when omitted.
        inherit : bool
            With a scenario: its effective claims, inherited from its
            ancestors with overrides and withdrawals applied (default); when
            false, only the rows stored in that scenario itself.
        """
        if scenario is not None and inherit:
            return self.effective_claims(scenario)
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

    def read_dataset(
        self,
        name: str,
        *,
        columns: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> gpd.GeoDataFrame:
        """Read a vector dataset's features.

        Parameters
        ----------
        name : str
            The dataset.
        columns : sequence of str, optional
            Attribute columns a step needs (all when omitted); the geometry is
            always read. Names the dataset lacks are ignored.
        bbox : tuple of float, optional
            ``(minx, miny, maxx, maxy)`` in the workspace CRS: only features
            whose bounding box intersects it.

        Raises
        ------
        UnknownLayerError
            If no dataset has that name.
        WorkspaceError
            If the dataset is a raster.
        """
        record = self.dataset(name)
        if record.kind != "vector":
            raise WorkspaceError(
                f"{self.path}: dataset {name!r} is a raster; open {record.layer} with rasterio."
            )
        return self.store.read(record.layer, columns=columns, bbox=bbox)  # type: ignore[return-value]

    def raster_path(self, name: str) -> Path:
        """Return the path of a raster dataset's Cloud-Optimised GeoTIFF."""
        record = self.dataset(name)
        if record.kind != "raster":
            raise WorkspaceError(f"{self.path}: dataset {name!r} is a vector layer, not a raster.")
        return self.store.raster_path(record.layer)

    # -- writing: validation helpers -----------------------------------------

    # -- import, export, summary (delegated) --------------------------------------
    def import_file(
        self, file: str | Path, *, replace: bool = False, force: bool = False, **options: Any
    ) -> Any:
        """Import a file as a dataset; see :func:`ruimte.workspace.importer.import_file`."""
        from ruimte.workspace.importer import import_file
        from ruimte.workspace.reimport import run_import

        return run_import(
            self, import_file, "vector", Path(file), options, replace=replace, force=force
        )

    def import_regions(
        self, file: str | Path, *, replace: bool = False, force: bool = False, **options: Any
    ) -> Any:
        """Import region boundaries; see :func:`ruimte.workspace.regions_import.import_regions`."""
        from ruimte.workspace.regions_import import import_regions
        from ruimte.workspace.reimport import run_import

        return run_import(
            self, import_regions, "regions", Path(file), options, replace=replace, force=force
        )

    def import_claims(
        self, file: str | Path, *, replace: bool = False, force: bool = False, **options: Any
    ) -> Any:
        """Import claims from a file; see :func:`ruimte.workspace.claims_import.import_claims`."""
        from ruimte.workspace.claims_import import import_claims
        from ruimte.workspace.reimport import run_import

        return run_import(
            self, import_claims, "claims", Path(file), options, replace=replace, force=force
        )

    def import_targets(
        self, file: str | Path, *, replace: bool = False, force: bool = False, **options: Any
    ) -> Any:
        """Import targets from a CSV; see :func:`ruimte.workspace.targets_import.import_targets`."""
        from ruimte.workspace.reimport import run_import
        from ruimte.workspace.targets_import import import_targets

        return run_import(
            self, import_targets, "targets", Path(file), options, replace=replace, force=force
        )

    def _unless_duplicate(self, run: Any, file: Path, options: dict[str, Any]) -> Any:
        """Run an import; if another writer landed the same file first, report the duplicate."""
        from ruimte.errors import DuplicateImportError
        from ruimte.workspace.importer import open_source

        try:
            return run(self, file, **options)
        except DuplicateImportError as exc:
            logger.info("%s: %s", file, exc)
            _, report = open_source(self, file, options.get("layer"))
            if report is None:  # pragma: no cover - the provenance row is there
                raise
            return report

    def export(self, name: str, out: str | Path, **options: Any) -> Path:
        """Export a layer; see :func:`ruimte.workspace.exporters.export_layer`."""
        from ruimte.workspace.exporters import export_layer

        return export_layer(self, name, Path(out), **options)

    def check(self, *, strict: bool = False) -> list[Any]:
        """Check tables against each other; see :func:`ruimte.workspace.checks.check_workspace`."""
        from ruimte.workspace.checks import check_workspace

        return check_workspace(self, strict=strict)

    def summary(self) -> dict[str, Any]:
        """Summarise the workspace; see :func:`ruimte.workspace.summary.summarise`."""
        from ruimte.workspace.summary import summarise

        return summarise(self)

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, crs={self.crs.to_string()!r})"


def _quote(value: str) -> str:
    return value.replace("'", "''")


__all__ = ["DEFAULT_CRS", "DatasetRecord", "Workspace", "parse_crs", "slugify"]
