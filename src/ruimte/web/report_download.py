# SPDX-License-Identifier: Apache-2.0
"""The report of the current scenario and region, as a download (PDF or HTML)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ruimte.web.auth import PermissionDeniedError
from ruimte.web.deps import StudioDep, UserDep

router = APIRouter(prefix="/api", tags=["report"])
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@router.get("/report", response_class=Response)
def report(
    studio: StudioDep,
    user: UserDep,
    scenario: Annotated[str, Query(max_length=100)],
    region: Annotated[str | None, Query(max_length=50)] = None,
    lang: Literal["nl", "en"] = "nl",
    format: Literal["pdf", "html"] = "pdf",  # noqa: A002 - the query parameter's name
) -> Response:
    """Return the report of ``scenario`` for ``region`` as ``ruimte report`` writes it.

    Any logged-in user may download it (a stakeholder link only for its own
    scenario); it reads the workspace and stores nothing.
    """
    from ruimte.reports.content import gather_report
    from ruimte.reports.render import pdf_bytes, render_html

    if user.is_anonymous:
        raise PermissionDeniedError("log in to download a report; visitors can read the map.")
    if user.scenario is not None and scenario != user.scenario:
        raise PermissionDeniedError(
            f"your stakeholder link is for scenario {user.scenario!r}, not {scenario!r}."
        )
    ws = studio.ws
    content = gather_report(ws, scenario, region=region)
    html = render_html(content, lang, ws.vocabulary)
    body = html.encode("utf-8") if format == "html" else pdf_bytes(html)
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", f"ruimte-{scenario}-{content.region['code']}")
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )
