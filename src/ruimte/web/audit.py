# SPDX-License-Identifier: Apache-2.0
"""The studio's audit log: every write, failed login and lock-out, who, when and the result.

Entries are JSON lines in ``audit.jsonl`` beside the workspace's GeoPackage.
Each entry is written with one ``write`` to a file opened for appending and
then ``fsync``-ed, so a crash loses at most the entry being written and never
garbles an earlier one. Every entry also goes to the ``ruimte.audit`` logger.
The log is append-only: the studio never rewrites or truncates it.

Examples
--------
>>> import tempfile
>>> log = AuditLog(Path(tempfile.mkdtemp()) / "audit.jsonl")
>>> log.write("login_failed", user="admin", client="127.0.0.1", status=401)["event"]
'login_failed'
>>> [e["user"] for e in log.read()]
['admin']
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("ruimte.audit")
AUDIT_FILE = "audit.jsonl"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: where routes leave the user who made a request, for the audit middleware
SCOPE_USER = "ruimte.user"


class AuditLog:
    """An append-only JSON-lines file of audit entries.

    Parameters
    ----------
    path : Path
        The file (made on the first entry).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append one entry (``at`` in UTC, ``event``, then ``fields``) and return it."""
        entry = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        entry.update(fields)
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode()
        with self._lock:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line  # end a line torn by a crash; keep this entry whole
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        logger.info("%s", json.dumps(entry, ensure_ascii=False, default=str))
        return entry

    def read(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Return the last ``limit`` entries, oldest first (a torn last line is skipped)."""
        if not self.path.is_file():
            return []
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            tail = deque(handle, maxlen=limit)
        out = []
        for line in tail:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out


def client_address(scope: Scope, behind_proxy: bool) -> str:
    """Return the client's address: the proxy's ``X-Forwarded-For`` entry when trusted.

    Only with ``behind_proxy`` is the header believed, and then its last entry
    (the one the proxy itself added): a client can write any earlier ones.

    Examples
    --------
    >>> forwarded = [(b"x-forwarded-for", b"1.1.1.1, 2.2.2.2")]
    >>> scope = {"client": ("10.0.0.2", 5000), "headers": forwarded}
    >>> client_address(scope, False), client_address(scope, True)
    ('10.0.0.2', '2.2.2.2')
    """
    if behind_proxy:
        for name, value in scope.get("headers") or []:
            if name == b"x-forwarded-for":
                return value.decode("latin-1").split(",")[-1].strip()
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class AuditWrites:
    """ASGI middleware: write an audit entry for every POST, PUT, PATCH and DELETE.

    The entry names the user and role (left in the scope by the user
    dependency), the endpoint and path, the client and the response status.
    """

    def __init__(self, app: ASGIApp, log: AuditLog, behind_proxy: bool = False) -> None:
        self.app = app
        self.log = log
        self.behind_proxy = behind_proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; after a write's response starts, log it."""
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        status = [500]

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            user = scope.get(SCOPE_USER) or {}
            route = scope.get("route")
            self.log.write(
                "write",
                user=user.get("username", ""),
                role=user.get("role", "viewer"),
                method=scope["method"],
                endpoint=getattr(route, "path", None),
                path=scope["path"],
                client=client_address(scope, self.behind_proxy),
                status=status[0],
            )
