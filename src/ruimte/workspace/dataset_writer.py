# SPDX-License-Identifier: Apache-2.0
"""Storing datasets (vector layers and Cloud-Optimised GeoTIFFs) with their provenance."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from ruimte.errors import WorkspaceError
from ruimte.workspace import schema
from ruimte.workspace.record_writer import RecordWriter
from ruimte.workspace.records import conform, now_iso

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


def slugify(text: str) -> str:
    """Turn a file or layer name into a valid dataset name (``a-z0-9_``)."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "ds_" + slug
    return slug[:63]


class DatasetWriter(RecordWriter):
    """The dataset-storing half of :class:`~ruimte.workspace.Workspace`."""

    if TYPE_CHECKING:  # provided by Workspace

        def datasets(self) -> pd.DataFrame: ...  # noqa: D102

        def dataset(self, name: str) -> DatasetRecord: ...  # noqa: D102

    def _check_dataset_name(
        self, name: str, sha256: str | None = None, source_layer: str | None = None
    ) -> None:
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
        if name in self._dataset_names() or name in self.store.layer_names():
            # The same file stored meanwhile by another writer is a duplicate, not a clash.
            self.refuse_duplicate(sha256, source_layer)
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
        self._check_dataset_name(name, sha256, source_layer)
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
            imported_at=now_iso(),
            original_crs=original,
            feature_count=len(frame),
            function_mapping=dict(function_mapping or {}),
            repaired_count=repaired_count,
            dropped_count=dropped_count,
        )
        with self.store.transaction():
            self.refuse_duplicate(sha256, source_layer)
            self._check_dataset_name(
                name, sha256, source_layer
            )  # again: another writer may have taken it
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
            imported_at=now_iso(),
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
        """Append a dataset's provenance row (call inside a transaction).

        Raises
        ------
        DuplicateImportError
            If the same file and layer were recorded already (by another
            writer that got the lock first); the transaction stores nothing.
        """
        self.refuse_duplicate(record.sha256, source_layer)
        row = {**record.__dict__, "geometry_type": geometry_type, "source_layer": source_layer}
        row["description"] = description
        row["vocabulary_version"] = self.vocabulary.version
        # set by ruimte.workspace.reimport.run_import for the import under way
        row["import_options"] = getattr(self, "_import_options", None) or {}
        self.store.append(schema.DATASETS.name, conform(schema.DATASETS, pd.DataFrame([row])))

    def refuse_duplicate(self, sha256: str | None, source_layer: str | None) -> None:
        """Raise :class:`DuplicateImportError` if this file and layer are stored already.

        Inside a transaction this reads the staging copy taken under the
        writer lock, so of two identical imports racing, the second sees the first.
        """
        if not sha256:
            return
        existing = self.find_duplicate(sha256, source_layer)
        if existing is not None:
            from ruimte.errors import DuplicateImportError

            raise DuplicateImportError(
                f"this file (sha256 {sha256[:12]}...) was imported already as {existing!r}.",
                existing,
            )

    def _dataset_names(self) -> set[str]:
        return {str(name) for (name,) in self.store.column_values(schema.DATASETS.name, ["name"])}

    def find_duplicate(self, sha256: str, source_layer: str | None) -> str | None:
        """Return the dataset already imported from the same file and layer, if any.

        Reads three columns of the ``datasets`` table (one row per dataset), not
        the whole table: this runs up to four times in every import.
        """
        rows = self.store.column_values(schema.DATASETS.name, ["name", "sha256", "source_layer"])
        for name, digest, layer in rows:
            if digest == sha256 and (source_layer is None or (layer or "") == source_layer):
                return str(name)
        return None

    def remove_dataset(self, name: str, *, force: bool = False) -> int:
        """Remove a dataset: its layer, raster file, regions, claims or targets, and provenance.

        Claims and targets of an import are those whose id is ``<name>:<n>``
        (the ids an import gives rows without one of their own).

        Parameters
        ----------
        name : str
            The dataset (as listed by ``ruimte info``).
        force : bool
            Also remove imported claims that were edited since the import.

        Returns
        -------
        int
            The number of features, regions, claims or targets removed.

        Raises
        ------
        UnknownLayerError
            If no dataset has that name.
        WorkspaceError
            For imported claims edited since the import (without ``force``).
        """
        record = self.dataset(name)
        removed = int(record.feature_count or 0)
        with self.store.transaction():
            if record.kind == "vector":
                self.store.drop_layer(record.layer)
            elif record.kind == "raster":
                self.store.remove_raster(record.layer)
            elif record.kind == "regions":
                regions = self.store.read(schema.REGIONS.name, columns=["code", "dataset"])
                codes = regions[regions["dataset"] == name]["code"].tolist()
                self.store.delete(schema.REGION_PARENTS.name, "code", codes)
                self.store.delete(schema.REGIONS.name, "dataset", [name])
                removed = len(codes)
            elif record.kind in ("claims", "targets"):
                removed = self._remove_imported_rows(name, record.kind, force)
            self.store.delete(schema.DATASETS.name, "name", [name])
        return removed

    def _remove_imported_rows(self, name: str, kind: str, force: bool) -> int:
        """Remove the claims or targets of one import (inside a transaction)."""
        table, key = (
            (schema.CLAIMS, "claim_id") if kind == "claims" else (schema.TARGETS, "target_id")
        )
        columns = [key, "version"] if kind == "claims" else [key]
        rows = self.store.read(table.name, columns=columns)
        mine = rows[rows[key].astype(str).str.startswith(f"{name}:")]
        if kind == "claims":
            edited = mine[pd.to_numeric(mine["version"], errors="coerce").fillna(1) > 1]
            if len(edited) and not force:
                raise WorkspaceError(
                    f"{len(edited)} of the {len(mine)} claims of {name!r} were edited since the "
                    f"import (e.g. {edited[key].iloc[0]!r}); give --force to remove them too."
                )
            self.remove_claims(mine[key].tolist())  # type: ignore[attr-defined]
        else:
            self.store.delete(table.name, key, mine[key].tolist())
        return len(mine)
