# SPDX-License-Identifier: Apache-2.0
"""Stored analysis results: layers, rasters and tables with what produced them.

Every kernel stores its output through :meth:`ResultStore.save_result`: one
atomic transaction that replaces an earlier result of the same key, and a row
in the ``results`` table naming the kind, the scenario, the parameters, the
vocabulary version and a fingerprint of every input. When an input changes
(a dataset re-imported, a claim edited, a target added), the fingerprint no
longer matches and :meth:`ResultStore.stale_results` names the result.

Inputs are named as strings:

``dataset:NAME``   a workspace dataset (its checksum and import time)
``claims:SCENARIO`` the effective claims of a scenario (inheritance applied)
``claims``         every claim of every scenario
``scenario:NAME``  a scenario's lineage: names, parents and assumptions
``result:KEY``     another stored result (its inputs, parameters, figures, time)
``file:PATH``      a file outside the workspace, e.g. a rule file (its checksum)
``vocabulary``     the vocabulary version
``regions``, ``targets``, ``plans``, ``scenarios``, ``stakeholders``,
``weights``, ``comments``, ``ratings``   a whole workspace table
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ruimte.errors import ResultNotFoundError, WorkspaceError, did_you_mean
from ruimte.workspace import schema
from ruimte.workspace.rasters import RasterData, write_cog
from ruimte.workspace.records import conform, now_iso

if TYPE_CHECKING:
    from pyproj import CRS

    from ruimte.vocab import Vocabulary
    from ruimte.workspace.store import WorkspaceStore

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

#: whole tables that can be named as an input
_TABLE_INPUTS = (
    "regions",
    "targets",
    "plans",
    "scenarios",
    "stakeholders",
    "weights",
    "comments",
    "ratings",
)

RasterLike = RasterData | Callable[[Path], None]


@dataclass(frozen=True)
class ResultRecord:
    """One stored result: where its outputs are and what produced them."""

    key: str
    kind: str
    scenario: str | None
    layers: dict[str, str]
    rasters: dict[str, str]
    tables: dict[str, str]
    inputs: dict[str, str]
    parameters: dict[str, Any]
    summary: dict[str, Any]
    vocabulary_version: str
    created_at: str
    seconds: float


def to_jsonable(value: Any) -> Any:
    """Return ``value`` with NumPy scalars and arrays turned into plain Python.

    Examples
    --------
    >>> to_jsonable({"a": np.float64(1.5), "b": [np.int64(2)], "c": (1, 2)})
    {'a': 1.5, 'b': [2], 'c': [1, 2]}
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """Return a short content hash of a (Geo)DataFrame, independent of row order."""
    if frame.empty:
        return _digest(b"empty", ",".join(map(str, frame.columns)).encode())
    plain = pd.DataFrame(frame.drop(columns=["geometry"], errors="ignore")).astype(str)
    if isinstance(frame, gpd.GeoDataFrame):
        plain["__wkb"] = frame.geometry.to_wkb(hex=True).astype(str)
    rows = pd.util.hash_pandas_object(plain, index=False).to_numpy()
    return _digest(np.sort(rows).tobytes(), ",".join(map(str, plain.columns)).encode())


class ResultStore:
    """The results half of :class:`~ruimte.workspace.Workspace`."""

    if TYPE_CHECKING:  # provided by Workspace
        store: WorkspaceStore
        path: Path

        @property
        def crs(self) -> CRS: ...  # noqa: D102

        @property
        def vocabulary(self) -> Vocabulary: ...  # noqa: D102

        def claims(self, scenario: str | None = None) -> gpd.GeoDataFrame: ...  # noqa: D102

        def datasets(self) -> pd.DataFrame: ...  # noqa: D102

        def scenario_lineage(self, scenario: str) -> list[str]: ...  # noqa: D102

    # -- fingerprints ---------------------------------------------------------
    def input_fingerprint(self, name: str) -> str:
        """Return the current fingerprint of an input named as in the module doc.

        Raises
        ------
        WorkspaceError
            If the name is not a known kind of input.
        """
        kind, _, arg = name.partition(":")
        if kind == "dataset":
            table = self.datasets()
            row = table[table["name"] == arg]
            if row.empty:
                return "missing"
            return _digest(f"{row['sha256'].iloc[0]}|{row['imported_at'].iloc[0]}".encode())
        if kind == "claims":
            return frame_fingerprint(self.claims(arg or None))
        if kind == "scenario":
            table = self.store.read(schema.SCENARIOS.name)
            lineage = self.scenario_lineage(arg)
            return frame_fingerprint(table[table["name"].isin(lineage)])
        if kind == "result":
            rows = self.store.read(schema.RESULTS.name, where=f"key = '{_quote(arg)}'")
            if rows.empty:
                return "missing"
            r = rows.iloc[0]
            what = (r["created_at"], r["inputs"], r["parameters"], r["summary"])
            return _digest("|".join(map(str, what)).encode())
        if kind == "file":
            file = Path(arg)
            return _digest(file.read_bytes()) if file.is_file() else "missing"
        if kind == "vocabulary":
            return self.vocabulary.version
        if kind in _TABLE_INPUTS and not arg:
            return frame_fingerprint(self.store.read(kind))
        known = [
            "dataset:NAME",
            "claims:SCENARIO",
            "scenario:NAME",
            "result:KEY",
            "file:PATH",
            "vocabulary",
        ]
        raise WorkspaceError(
            f"unknown result input {name!r}. Name inputs as one of: "
            f"{', '.join(known + list(_TABLE_INPUTS))}."
        )

    # -- writing --------------------------------------------------------------
    def save_result(
        self,
        key: str,
        kind: str,
        *,
        layers: Mapping[str, gpd.GeoDataFrame] | None = None,
        rasters: Mapping[str, RasterLike] | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
        scenario: str | None = None,
        inputs: Sequence[str] = (),
        parameters: Mapping[str, Any] | None = None,
        summary: Mapping[str, Any] | None = None,
        seconds: float = 0.0,
    ) -> ResultRecord:
        """Store a result atomically, replacing an earlier result with the same key.

        Parameters
        ----------
        key : str
            Lower-case identifier, e.g. ``"eligibility_wind"``; layers are
            stored as ``f"{key}_{suffix}"``.
        kind : str
            The kernel that produced it (``eligibility``, ``overlay``, ...).
        layers, tables : mapping of str to (Geo)DataFrame, optional
            Vector layers and attribute tables, by suffix.
        rasters : mapping of str to RasterData or callable, optional
            Rasters by suffix; a callable receives a path and writes a GeoTIFF
            there (for rasters written chunk by chunk).
        scenario : str, optional
            The scenario it describes.
        inputs : sequence of str
            What it depends on (see the module docstring), fingerprinted now.
        parameters, summary : mapping, optional
            JSON-able: what is needed to re-run it, and its headline figures.
        seconds : float
            Run time of the analysis.

        Returns
        -------
        ResultRecord

        Raises
        ------
        WorkspaceError
            On a malformed key or suffix, an output name that clashes with a
            dataset or table, or parameters that are not JSON-able. Nothing
            is written then, and an earlier result of this key stays.
        """
        layers, rasters, tables = dict(layers or {}), dict(rasters or {}), dict(tables or {})
        if not _KEY_RE.match(key):
            raise WorkspaceError(
                f"result key {key!r}: use lower-case letters, digits and '_' (max 63), "
                "starting with a letter."
            )
        names = {s: f"{key}_{s}" for s in [*layers, *tables]}
        for suffix, name in names.items():
            if not _KEY_RE.match(name):
                raise WorkspaceError(
                    f"result {key!r}: output suffix {suffix!r} is not a valid name."
                )
        params, headline = to_jsonable(dict(parameters or {})), to_jsonable(dict(summary or {}))
        try:
            json.dumps([params, headline])
        except (TypeError, ValueError) as exc:
            raise WorkspaceError(
                f"result {key!r}: parameters/summary must be JSON-able ({exc})."
            ) from None
        fingerprints = {name: self.input_fingerprint(name) for name in inputs}
        with self.store.transaction():
            previous = self._result_row(key)
            self._check_free(key, names.values(), previous)
            if previous is not None:
                self._drop_outputs(previous)
            for suffix, frame in layers.items():
                self._write_frame(names[suffix], _to_crs(frame, self.crs))
            for suffix, frame in tables.items():
                self._write_frame(names[suffix], pd.DataFrame(frame))
            raster_locations = {
                suffix: self.store.add_raster(f"{key}_{suffix}.tif", _raster_writer(raster))
                for suffix, raster in rasters.items()
            }
            record = ResultRecord(
                key=key,
                kind=kind,
                scenario=scenario,
                layers={s: names[s] for s in layers},
                rasters=raster_locations,
                tables={s: names[s] for s in tables},
                inputs=fingerprints,
                parameters=params,
                summary=headline,
                vocabulary_version=self.vocabulary.version,
                created_at=now_iso(),
                seconds=float(seconds),
            )
            row = pd.DataFrame([record.__dict__])
            self.store.append(schema.RESULTS.name, conform(schema.RESULTS, row))
        return record

    def remove_result(self, key: str) -> None:
        """Delete a stored result and its layers, tables and rasters."""
        with self.store.transaction():
            previous = self._result_row(key)
            if previous is None:
                raise self._not_found(key)
            self._drop_outputs(previous)

    def _write_frame(self, name: str, frame: pd.DataFrame) -> None:
        if isinstance(frame, gpd.GeoDataFrame) and frame.empty:
            frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=self.crs))
        self.store.write_layer(name, frame)

    def _check_free(self, key: str, names: Any, previous: ResultRecord | None) -> None:
        taken = set(self.store.layer_names())
        if previous is not None:
            taken -= {*previous.layers.values(), *previous.tables.values()}
        for name in names:
            if name in taken:
                raise WorkspaceError(
                    f"result {key!r}: a layer named {name!r} exists already (a dataset or "
                    "another result). Choose another key."
                )

    def _drop_outputs(self, record: ResultRecord) -> None:
        present = set(self.store.layer_names())
        for name in [*record.layers.values(), *record.tables.values()]:
            if name in present:
                self.store.drop_layer(name)
        for location in record.rasters.values():
            self.store.remove_raster(location)
        self.store.delete(schema.RESULTS.name, "key", [record.key])

    # -- reading --------------------------------------------------------------
    def results(self) -> pd.DataFrame:
        """Return one row per stored result (JSON columns as dicts)."""
        frame = self.store.read(schema.RESULTS.name)
        for col, kind in schema.RESULTS.columns:
            if kind == "json":
                frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else {})
        return frame

    def _result_row(self, key: str) -> ResultRecord | None:
        rows = self.results()
        rows = rows[rows["key"] == key]
        if rows.empty:
            return None
        r = rows.iloc[0]
        return ResultRecord(
            key=r["key"],
            kind=r["kind"],
            scenario=r["scenario"] if isinstance(r["scenario"], str) else None,
            layers=r["layers"],
            rasters=r["rasters"],
            tables=r["tables"],
            inputs=r["inputs"],
            parameters=r["parameters"],
            summary=r["summary"],
            vocabulary_version=r["vocabulary_version"],
            created_at=r["created_at"],
            seconds=float(r["seconds"] or 0.0),
        )

    def _not_found(self, key: str) -> ResultNotFoundError:
        keys = self.store.read(schema.RESULTS.name, columns=["key"])["key"].tolist()
        hint = did_you_mean(key, keys) or (
            f"Stored results: {', '.join(keys)}." if keys else "No results are stored yet."
        )
        return ResultNotFoundError(f"{self.path}: no result {key!r}. {hint}")

    def result(self, key: str) -> ResultRecord:
        """Return a stored result's record.

        Raises
        ------
        ResultNotFoundError
            If no result has that key.
        """
        record = self._result_row(key)
        if record is None:
            raise self._not_found(key)
        return record

    def read_result(self, key: str, suffix: str) -> pd.DataFrame:
        """Read one layer or table of a stored result."""
        record = self.result(key)
        outputs = {**record.layers, **record.tables}
        if suffix not in outputs:
            raise ResultNotFoundError(
                f"result {key!r} has no layer or table {suffix!r}. "
                f"{did_you_mean(suffix, outputs) or 'It has: ' + ', '.join(outputs)}"
            )
        return self.store.read(outputs[suffix])

    def result_raster_path(self, key: str, suffix: str) -> Path:
        """Return the path of one raster of a stored result."""
        record = self.result(key)
        if suffix not in record.rasters:
            raise ResultNotFoundError(
                f"result {key!r} has no raster {suffix!r}. "
                f"It has: {', '.join(record.rasters) or 'none'}."
            )
        return self.store.raster_path(record.rasters[suffix])

    def stale_results(self) -> dict[str, list[str]]:
        """Return each stored result whose inputs changed, with the changed inputs."""
        stale: dict[str, list[str]] = {}
        cache: dict[str, str] = {}
        for _, row in self.results().iterrows():
            changed = []
            for name, fingerprint in row["inputs"].items():
                if name not in cache:
                    try:
                        cache[name] = self.input_fingerprint(name)
                    except (WorkspaceError, OSError):
                        cache[name] = "missing"
                if cache[name] != fingerprint:
                    changed.append(name)
            if changed:
                stale[row["key"]] = changed
        return stale


def _to_crs(frame: gpd.GeoDataFrame, crs: CRS) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise WorkspaceError("a result layer must be a GeoDataFrame; pass plain tables as tables=")
    if frame.crs is None:
        return frame.set_crs(crs)
    return frame if frame.crs.equals(crs) else frame.to_crs(crs)


def _raster_writer(raster: RasterLike) -> Callable[[Path], None]:
    if isinstance(raster, RasterData):
        return lambda path: write_cog(raster, path)
    return raster


def _quote(value: str) -> str:
    return value.replace("'", "''")
