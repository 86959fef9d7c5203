# SPDX-License-Identifier: Apache-2.0
"""Parse, check and reproject a layer's geometries batch by batch while GDAL reads on.

On pyogrio's Arrow path GDAL hands over the features in batches and reads
the next batch without holding the GIL. :class:`GeometryPrep` takes each
batch's WKB as it arrives and, in a worker thread of its own, parses it
(:func:`shapely.from_wkb`), tests validity (:func:`shapely.is_valid`) and
reprojects it to the workspace CRS exactly as :meth:`geopandas.GeoSeries.to_crs`
does (geopandas' own transform and cached transformer). So by the time the
last batch is read, most of that work is done: on two cores the import of
the demo buildings waits some 100 ms less. The CPU time is the same as doing
it afterwards; cost grows with the number of vertices.

The results are only a head start: the importer uses them when the layer
read is the one prepared (same length, same CRS after the reader's checks),
reprojecting again only the geometries the repair changed, and otherwise
computes them as before (see :func:`ruimte.workspace.importer.import_file`).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from ruimte.workspace.repair import RepairReport, repair_geometries

logger = logging.getLogger(__name__)

__all__ = ["GeometryPrep"]


class GeometryPrep:
    """Geometries of a layer read in batches: parsed, validity-tested, reprojected.

    Parameters
    ----------
    target_crs : pyproj.CRS
        The CRS to reproject to (the workspace CRS).

    Examples
    --------
    >>> import pyarrow as pa
    >>> prep = GeometryPrep(CRS.from_epsg(28992))
    >>> prep.start("EPSG:4326")
    >>> prep.add(pa.array([shapely.Point(5.0, 52.0).wkb, None]))
    >>> [g.geom_type if g is not None else None for g in prep.geometries()]
    ['Point', None]
    >>> prep.valid.tolist(), [round(c) for c in prep.projected[0].coords[0]]
    ([True, False], [128410, 445807])
    >>> prep.close()
    """

    def __init__(self, target_crs: CRS) -> None:
        self.target_crs = target_crs
        #: the CRS the batches were declared in (None: not declared, nothing reprojected)
        self.source_crs: CRS | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: list[Future[tuple[np.ndarray, np.ndarray, np.ndarray | None]]] = []
        self._done: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None
        self._reproject = False

    def start(self, crs: Any) -> None:
        """Begin a layer whose batches are in ``crs`` (as GDAL declares it; None if none)."""
        self.close()
        self._jobs, self._done = [], None
        self.source_crs = CRS.from_user_input(crs) if crs is not None else None
        self._reproject = self.source_crs is not None and not self.source_crs.equals(
            self.target_crs
        )
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ruimte-geoms")

    def add(self, wkb: Any) -> None:
        """Queue one batch's geometry column (Arrow binary array of WKB, nulls allowed)."""
        if self._pool is None:
            raise RuntimeError("GeometryPrep.add before start")  # pragma: no cover
        self._jobs.append(self._pool.submit(self._prepare, wkb))

    def _prepare(self, wkb: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        geoms = shapely.from_wkb(np.asarray(wkb.to_numpy(zero_copy_only=False), dtype=object))
        valid = shapely.is_valid(geoms)
        # exactly GeoSeries.to_crs: geopandas' transform with its cached transformer
        projected = self._to_target(geoms) if self._reproject else None
        return geoms, valid, projected

    def _results(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        if self._done is None:
            parts = [job.result() for job in self._jobs]
            geoms = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, dtype=object)
            valid = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, dtype=bool)
            projected = np.concatenate([p[2] for p in parts]) if parts and self._reproject else None
            self._done = (geoms, valid, projected)
        return self._done

    def geometries(self) -> np.ndarray:
        """Wait for the queued batches and return all their geometries, in order."""
        return self._results()[0]

    @property
    def valid(self) -> np.ndarray:
        """:func:`shapely.is_valid` of every geometry (False for a missing one)."""
        return self._results()[1]

    @property
    def projected(self) -> np.ndarray | None:
        """The geometries in ``target_crs``, or None when the source CRS is it or unknown."""
        return self._results()[2]

    def projected_after_repair(
        self, repaired: np.ndarray, dropped_rows: list[int]
    ) -> np.ndarray | None:
        """Return the reprojected geometries of the layer as the repair left it.

        Parameters
        ----------
        repaired : numpy.ndarray
            The geometries after :func:`~ruimte.workspace.repair.repair_geometries`
            (in the source CRS), without the dropped rows.
        dropped_rows : list of int
            Positions of the rows the repair dropped.

        Returns
        -------
        numpy.ndarray or None
            The prepared reprojections of the valid geometries, and the
            repaired ones (only those invalid as read) reprojected now; None
            when nothing was reprojected or the rows do not line up.
        """
        projected = self.projected
        if projected is None:
            return None
        keep = np.ones(len(projected), dtype=bool)
        keep[np.asarray(dropped_rows, dtype=np.intp)] = False
        out = projected[keep]
        if len(out) != len(repaired):
            return None
        redo = ~self.valid[keep]  # the repair changed these (and only these)
        if redo.any():
            # in the worker: a pyproj transformer is made anew (~30 ms) in each thread
            pool = self._pool
            again = pool.submit(self._to_target, repaired[redo]) if pool is not None else None
            out[redo] = again.result() if again is not None else self._to_target(repaired[redo])
        return out

    def _to_target(self, geoms: np.ndarray) -> np.ndarray:
        from geopandas.array import GeometryArray

        return np.asarray(
            GeometryArray(geoms, crs=self.source_crs).to_crs(self.target_crs), dtype=object
        )

    def matches(self, n_rows: int, crs: Any) -> bool:
        """Tell whether the results belong to a layer of ``n_rows`` features read in ``crs``.

        False before the batches were all handed over, after a failure, or when
        the reader relabelled the CRS (``--source-crs``).
        """
        if self._done is None and (self._pool is None or not self._jobs):
            return False
        try:
            geoms = self.geometries()
        except Exception as exc:  # the importer then does the work itself
            logger.debug("geometry preparation failed (%s)", exc)
            return False
        if len(geoms) != n_rows or crs is None or self.source_crs is None:
            return False
        return bool(CRS.from_user_input(crs).equals(self.source_crs))

    def repair(self, features: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, RepairReport]:
        """:func:`~ruimte.workspace.repair.repair_geometries` with the prepared work, then close.

        Returns the repaired features, in ``target_crs`` when the prepared
        reprojection could be used (else as read), and the repair report. The
        prepared batches are handed over: :meth:`matches` is False afterwards
        and the source-CRS geometries are not kept alive (through the write).
        """
        try:
            prepared = self.matches(len(features), features.crs)
            features, report = repair_geometries(features, valid=self.valid if prepared else None)
            projected = None
            if prepared and len(features):
                geoms = np.asarray(features.geometry.array, dtype=object)
                projected = self.projected_after_repair(geoms, report.dropped_rows)
                del geoms
        finally:
            self.reset()
        if projected is not None:  # as to_crs makes it
            features = features.copy()
            features[features.geometry.name] = gpd.GeoSeries(
                projected, index=features.index, crs=self.target_crs
            )
        return features, report

    def reset(self) -> None:
        """Forget every batch (the layer was read again another way): :meth:`matches` is False."""
        self.close()
        self._jobs, self._done, self.source_crs = [], None, None

    def close(self) -> None:
        """Stop the worker; queued batches not yet started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
