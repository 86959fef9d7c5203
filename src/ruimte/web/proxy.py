# SPDX-License-Identifier: Apache-2.0
"""Secure cookies over HTTPS, including HTTPS that a reverse proxy terminates.

Starlette's session middleware marks its cookie ``Secure`` only when
configured to (``https_only``), for every request alike. Behind a reverse proxy
the studio itself speaks plain HTTP; :class:`SecureCookies` then believes the
proxy's ``X-Forwarded-Proto: https`` (only when ``behind_proxy`` is set, since
any client could send the header) and marks every ``Set-Cookie`` ``Secure``
and the request's scheme ``https`` (so links the studio makes start with it).

Examples
--------
>>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
(True, True, True)
>>> is_loopback("0.0.0.0"), is_loopback("192.168.1.20"), is_loopback("studio.example.nl")
(False, False, False)
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def is_loopback(host: str) -> bool:
    """Return whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def forwarded_https(scope: Scope) -> bool:
    """Return whether the request's ``X-Forwarded-Proto`` (first entry) says ``https``."""
    for name, value in scope.get("headers") or []:
        if name == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


def add_secure(header: bytes) -> bytes:
    """Return a ``Set-Cookie`` value with the ``Secure`` attribute.

    Examples
    --------
    >>> add_secure(b"s=1; path=/; httponly")
    b's=1; path=/; httponly; secure'
    >>> add_secure(b"s=1; Secure")
    b's=1; Secure'
    """
    attributes = [a.strip().lower() for a in header.split(b";")[1:]]
    return header if b"secure" in attributes else header + b"; secure"


class SecureCookies:
    """ASGI middleware: behind a trusted proxy that says HTTPS, cookies are ``Secure``."""

    def __init__(self, app: ASGIApp, behind_proxy: bool) -> None:
        self.app = app
        self.behind_proxy = behind_proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, marking cookies Secure when the proxy says HTTPS."""
        if scope["type"] != "http" or not (self.behind_proxy and forwarded_https(scope)):
            await self.app(scope, receive, send)
            return
        scope["scheme"] = "https"

        async def secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (k, add_secure(v) if k.lower() == b"set-cookie" else v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, secure)
