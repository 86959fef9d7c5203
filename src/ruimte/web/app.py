# SPDX-License-Identifier: Apache-2.0
"""The web studio's FastAPI application, made by :func:`create_app`.

Examples
--------
>>> from ruimte.web.settings import Settings
>>> app = create_app(Settings(workspace=Path("demo-workspace")), open_workspace=False)
>>> app.title
'ruimte studio'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ruimte import __version__
from ruimte.web import (
    claims,
    dashboard,
    layers,
    nuisance,
    participation,
    report_download,
    scenarios,
    session,
    view3d,
)
from ruimte.web.audit import AuditWrites
from ruimte.web.deps import check_csrf
from ruimte.web.errors import add_exception_handlers
from ruimte.web.limits import BodySizeLimit
from ruimte.web.proxy import SecureCookies
from ruimte.web.settings import Settings
from ruimte.web.state import Studio
from ruimte.web.validation import check_finite_body

STATIC = Path(str(resources.files("ruimte.web") / "static"))
VENDOR_MISSING = """<!doctype html><meta charset="utf-8"><title>ruimte studio</title>
<h1>ruimte studio: MapLibre GL JS is missing</h1>
<p>The studio's map library is copied into the package when ruimte is installed
(<code>pip install -e .</code> runs <code>npm ci</code> in <code>web/</code>).
Install npm and run the install again.</p>"""


def create_app(settings: Settings, *, open_workspace: bool = True) -> FastAPI:
    """Build the studio for one workspace.

    Parameters
    ----------
    settings : Settings
        What to serve and how (see :class:`~ruimte.web.settings.Settings`).
    open_workspace : bool
        Open the workspace now (default). False builds the app without it,
        e.g. to write the OpenAPI description.

    Returns
    -------
    FastAPI
        The app: JSON and GeoJSON under ``/api`` (OpenAPI at ``/openapi.json``),
        the map at ``/``.
    """
    app = FastAPI(
        title="ruimte studio",
        version=__version__,
        description="Claims, scenarios, indicators and participation on one map.",
        dependencies=[Depends(check_csrf), Depends(check_finite_body)],
    )
    if open_workspace:
        app.state.studio = Studio(settings)
    add_exception_handlers(app)
    routers = (session, layers, claims, scenarios, dashboard, nuisance, view3d, participation)
    for module in (*routers, report_download):
        app.include_router(module.router)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="ruimte_session",
        max_age=settings.session_max_age_s,
        same_site="strict",
        https_only=settings.https_only,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if open_workspace:
        app.add_middleware(
            AuditWrites, log=app.state.studio.audit, behind_proxy=settings.behind_proxy
        )
    app.add_middleware(SecureCookies, behind_proxy=settings.behind_proxy)
    headers = security_headers(settings.basemap_url)

    @app.get("/", include_in_schema=False, response_model=None)
    def index() -> FileResponse | HTMLResponse:
        if not (STATIC / "vendor" / "maplibre-gl.js").is_file():
            return HTMLResponse(VENDOR_MISSING, status_code=500)
        return FileResponse(STATIC / "index.html", headers=headers)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def security_headers(basemap_url: str | None) -> dict[str, str]:
    """Return the page's headers: scripts only from the studio, tiles from it or the base map.

    Examples
    --------
    >>> csp = security_headers("https://tiles.example.org/{z}/{x}/{y}.png")["Content-Security-Policy"]
    >>> "connect-src 'self' https://tiles.example.org;" in csp
    True
    """
    origin = ""
    if basemap_url:
        parts = urlsplit(basemap_url)
        origin = f" {parts.scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; img-src 'self' data: blob:{origin}; "
            f"connect-src 'self'{origin}; worker-src 'self' blob:; child-src blob:; "
            "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
