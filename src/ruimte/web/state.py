# SPDX-License-Identifier: Apache-2.0
"""What the studio keeps between requests: the open workspace, its catalog and tile caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ruimte.web.audit import AUDIT_FILE, AuditLog
from ruimte.web.cache import ReadCache
from ruimte.web.catalog import build_catalog, tile_properties
from ruimte.web.errors import NotFoundError
from ruimte.web.mvt import TileSource
from ruimte.web.overlay_jobs import OverlayJobs
from ruimte.web.settings import Settings
from ruimte.web.throttle import Throttle, ThrottlePolicy
from ruimte.workspace import Workspace


class Studio:
    """The open workspace plus caches of the catalog, tile sources and encoded tiles.

    The catalog and tiles are cached per workspace state: :meth:`invalidate`
    drops them after a write that changes results (claims are served as
    GeoJSON and never cached).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        # open now, so that a missing or damaged workspace fails at start-up
        self.crs = self.ws.crs
        self.overlays = OverlayJobs(self)
        #: reads (layers, claims, users) kept until the workspace's next write
        self.reads = ReadCache(lambda: self.ws.store.version_token())
        self.audit = AuditLog(self.ws.folder / AUDIT_FILE)
        policy = ThrottlePolicy.load()
        #: failed logins, and failed password changes, per account and client address
        self.login_throttle = Throttle(policy)
        self.password_throttle = Throttle(policy)
        self._lock = threading.RLock()
        # one tile encodes at a time: encoding holds the GIL, and API calls must not starve
        self._render = threading.Semaphore(1)
        self._build = threading.Lock()
        self._catalog: list[dict[str, Any]] | None = None
        self._sources: dict[str, TileSource] = {}
        self._tiles: OrderedDict[tuple[str, int, int, int], bytes] = OrderedDict()
        #: rendered raster overlays: dataset name or "result:<key>:<suffix>" -> (png, corners)
        self.raster_cache: dict[str, tuple[bytes, list[list[float]]]] = {}

    @property
    def ws(self) -> Workspace:
        """Return this thread's handle on the workspace.

        Each thread opens its own :class:`Workspace`: a store keeps its open
        transaction on the instance, so threads must not share one. Writers in
        different threads still take turns through the workspace's file lock.
        """
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = self._local.ws = Workspace.open(self.settings.workspace)
        return ws

    def catalog(self) -> list[dict[str, Any]]:
        """Return the layer catalog (cached)."""
        with self._lock:
            if self._catalog is None:
                self._catalog = build_catalog(self.ws)
            return self._catalog

    def entry(self, layer_id: str) -> dict[str, Any]:
        """Return one catalog entry.

        Raises
        ------
        NotFoundError
            If the catalog has no such layer (system tables are never listed).
        """
        for entry in self.catalog():
            if entry["id"] == layer_id:
                return entry
        raise NotFoundError(f"no map layer {layer_id!r}; GET /api/layers lists them.")

    def tile_source(self, layer_id: str) -> TileSource:
        """Return the tile source of a vector layer in the catalog, building it once."""
        entry = self.entry(layer_id)
        if entry["style"] == "raster":
            raise NotFoundError(f"{layer_id!r} is a raster; fetch {entry['url']} instead.")
        with self._lock:
            source = self._sources.get(layer_id)
        if source is not None:
            return source
        with self._build:  # one build per layer, not one per waiting request
            with self._lock:
                source = self._sources.get(layer_id)
            if source is not None:
                return source
            if entry["source"] == "dataset":
                frame = self.ws.read_dataset(layer_id)
            else:
                frame = self.ws.store.read(layer_id)
            source = TileSource.from_frame(frame, layer_id, properties=tile_properties(frame))
            with self._lock:
                self._sources[layer_id] = source
        return source

    def tile(self, layer_id: str, z: int, x: int, y: int) -> bytes:
        """Return the encoded tile ``z/x/y`` of a layer, from the cache when there."""
        key = (layer_id, z, x, y)
        with self._lock:
            if key in self._tiles:
                self._tiles.move_to_end(key)
                return self._tiles[key]
        source = self.tile_source(layer_id)
        with self._render:
            with self._lock:
                if key in self._tiles:  # made by another request meanwhile
                    return self._tiles[key]
            data = source.tile(z, x, y)
        with self._lock:
            self._tiles[key] = data
            while len(self._tiles) > self.settings.tile_cache_size:
                self._tiles.popitem(last=False)
        return data

    def invalidate(self) -> None:
        """Forget the catalog and the tiles of results (after results changed)."""
        with self._lock:
            self._catalog = None
            results = [k for k in self._sources if k not in self._dataset_ids()]
            for name in results:
                del self._sources[name]
            for tile in [k for k in self._tiles if k[0] in results]:
                del self._tiles[tile]
            for name in [k for k in self.raster_cache if k.startswith("result:")]:
                del self.raster_cache[name]

    def _dataset_ids(self) -> set[str]:
        return set(self.ws.datasets()["name"])
