# SPDX-License-Identifier: Apache-2.0
"""Domain errors to HTTP status codes, in one place.

Routes and kernels raise :class:`~ruimte.errors.RuimteError` subclasses with
messages that name the input and the fix; the handlers here turn them into
``{"detail": message, "error": class name}`` with the right status.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ruimte.errors import (
    ResultNotFoundError,
    RuimteError,
    StaleWriteError,
    UnknownFunctionError,
    UnknownLayerError,
    UnknownScenarioError,
)
from ruimte.participation import CommentError, LinkError, RatingError
from ruimte.vocab import UnknownTermError
from ruimte.web.auth import AccountError, AuthError, PermissionDeniedError
from ruimte.web.mvt import TileRangeError
from ruimte.web.throttle import ThrottledError
from ruimte.workspace.gpkg_store import WorkspaceBusyError
from ruimte.workspace.records import RecordError


class NotFoundError(RuimteError, KeyError):
    """A record asked for by the URL does not exist (HTTP 404)."""


class CSRFError(RuimteError):
    """A write without the session's CSRF token (HTTP 403)."""


class RequestTooLargeError(RuimteError):
    """A request body above the configured limit (HTTP 413)."""


#: most specific first: the first matching class decides the status
STATUS_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (AuthError, 401),
    (PermissionDeniedError, 403),
    (CSRFError, 403),
    (LinkError, 403),
    (NotFoundError, 404),
    (UnknownLayerError, 404),
    (ResultNotFoundError, 404),
    (UnknownScenarioError, 404),
    (StaleWriteError, 409),
    (WorkspaceBusyError, 409),
    (RequestTooLargeError, 413),
    (ThrottledError, 429),
    (UnknownFunctionError, 422),
    (UnknownTermError, 422),
    (RecordError, 422),
    (CommentError, 422),
    (RatingError, 422),
    (AccountError, 422),
    (TileRangeError, 404),
    (RuimteError, 400),
)


def status_for(exc: BaseException) -> int:
    """Return the HTTP status for a domain error (400 for any other RuimteError)."""
    for kind, status in STATUS_CODES:
        if isinstance(exc, kind):
            return status
    return 500


def add_exception_handlers(app: FastAPI) -> None:
    """Register the handler that turns every :class:`RuimteError` into a JSON error."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        headers = {}
        if isinstance(exc, ThrottledError):
            headers["Retry-After"] = str(exc.retry_after_s)
        return JSONResponse(
            {"detail": str(exc), "error": type(exc).__name__},
            status_code=status_for(exc),
            headers=headers,
        )

    app.add_exception_handler(RuimteError, handle)
    app.add_exception_handler(TileRangeError, handle)
