# SPDX-License-Identifier: Apache-2.0
"""Run the studio in a background thread on a free port (for tests, scripts and notebooks)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from ruimte.web.app import create_app
from ruimte.web.settings import Settings


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """The studio served by uvicorn in a daemon thread; use as a context manager.

    ``with ServerThread(settings) as server:`` serves at ``server.url`` until the
    block ends (the end-to-end tests and ``scripts/screenshot.py`` use it).
    """

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, host=host, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        """The studio's address, ending in a slash."""
        return f"http://{self.host}:{self.port}/"

    def start(self, timeout_s: float = 20.0) -> ServerThread:
        """Start serving and wait until the server accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the studio did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Ask the server to finish and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
