# SPDX-License-Identifier: Apache-2.0
"""Reads cached per workspace version, with ETags and 304 Not Modified.

A copy-on-write commit replaces ``workspace.gpkg`` by an atomic rename (a new
inode), an in-place claim edit bumps SQLite's change counter in the file's
header, a write by QGIS changes its mtime: the store's ``version_token``
(inode, mtime, size, change counter) changes with every committed write, also
one made by the CLI; a PostGIS workspace counts its commits in a sequence.
:class:`ReadCache` keeps built answers until that token changes;
:func:`etag_response` answers ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from ruimte.workspace.gpkg_gate import gate
from ruimte.workspace.gpkg_inplace import change_counter


def workspace_version(gpkg: Path) -> str:
    """Return a token that changes with every committed write of ``gpkg``.

    The same token as ``GpkgStore.version_token`` (an in-place edit may keep
    the size and fall within one tick of the mtime: the change counter shows it).
    """
    st = os.stat(gpkg)
    with gate(gpkg).reading():
        counter = change_counter(gpkg)
    return f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}-{counter:x}"


class ReadCache:
    """Answers built once per workspace version (all dropped when the version changes)."""

    def __init__(self, gpkg: Path | Callable[[], str]) -> None:
        self.gpkg = gpkg
        self._lock = threading.Lock()
        self._version = ""
        self._items: dict[Any, Any] = {}

    def version(self) -> str:
        """Return the workspace's current version token."""
        if callable(self.gpkg):
            return self.gpkg()
        return workspace_version(self.gpkg)

    def get(self, key: Any, build: Callable[[], Any]) -> tuple[str, Any]:
        """Return (version, value), building the value when this version has none."""
        version = self.version()
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
            if key in self._items:
                return version, self._items[key]
        value = build()
        with self._lock:
            if self._version == version:
                self._items[key] = value
        return version, value


def etag_response(request: Request, tag: str, body: Callable[[], Any]) -> Response:
    """Answer 304 when ``If-None-Match`` holds ``tag``, else ``body()`` as JSON with the ETag."""
    etag = '"' + hashlib.sha256(tag.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    sent = request.headers.get("if-none-match", "")
    if etag in [t.strip().removeprefix("W/") for t in sent.split(",")]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(body(), headers=headers)
