# SPDX-License-Identifier: Apache-2.0
"""Settings of the web studio, read from ``RUIMTE_*`` environment variables.

Examples
--------
>>> s = Settings.from_env({"RUIMTE_WORKSPACE": "demo-workspace", "RUIMTE_MAX_BODY_BYTES": "1000"})
>>> s.workspace.name, s.max_body_bytes, s.basemap_url is None
('demo-workspace', 1000, True)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from ruimte.errors import RuimteError
from ruimte.location import workspace_location

#: the PDOK BRT-Achtergrondkaart (grey) as XYZ raster tiles in Web Mercator
PDOK_BRT_GREY = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)


class SettingsError(RuimteError, ValueError):
    """An environment variable of the studio has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """What the studio serves and how.

    Attributes
    ----------
    workspace : Path or str
        The workspace folder, or a ``postgresql://`` URL (``RUIMTE_WORKSPACE``).
    secret_key : str
        Signs session cookies and stakeholder links (``RUIMTE_SECRET_KEY``). A
        random key is made when unset: sessions then end when the server stops.
    basemap_url : str or None
        XYZ tile URL of the base map (``RUIMTE_BASEMAP_URL``; ``pdok`` for the
        PDOK BRT-Achtergrondkaart). None (default): a plain background, and no
        request leaves the machine.
    public_read : bool
        Whether visitors who are not logged in may look (as viewers)
        (``RUIMTE_PUBLIC_READ``, default true).
    max_body_bytes : int
        Largest request body accepted (``RUIMTE_MAX_BODY_BYTES``, default 1 MB).
    session_max_age_s : int
        Lifetime of a session cookie (``RUIMTE_SESSION_MAX_AGE_S``, default 8 h).
    https_only : bool
        Send the session cookie over HTTPS only (``RUIMTE_HTTPS_ONLY``); ``ruimte
        serve`` turns it on when it listens on an address other than loopback.
    behind_proxy : bool
        A reverse proxy terminates TLS (``RUIMTE_BEHIND_PROXY``): believe its
        ``X-Forwarded-Proto`` (cookies Secure over HTTPS) and the last entry of
        its ``X-Forwarded-For`` (the client's address for login throttling).
        Leave off unless a proxy you control sets these headers.
    tile_cache_size : int
        Vector tiles kept in memory (``RUIMTE_TILE_CACHE_SIZE``).
    overlay_refresh : bool
        Re-run a scenario's overlay in the background after its claims change
        (``RUIMTE_OVERLAY_REFRESH``, default true; needs the overlay kernel).
    """

    workspace: Path | str
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    basemap_url: str | None = None
    public_read: bool = True
    max_body_bytes: int = 1_000_000
    session_max_age_s: int = 8 * 3600
    https_only: bool = False
    behind_proxy: bool = False
    tile_cache_size: int = 2048
    overlay_refresh: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read the settings from ``RUIMTE_<NAME>`` variables; ``overrides`` win.

        Raises
        ------
        SettingsError
            If no workspace is given or a value has the wrong type.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"RUIMTE_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "workspace" not in values:
            raise SettingsError(
                "No workspace to serve: set RUIMTE_WORKSPACE or pass the folder "
                "(`ruimte serve demo-workspace`)."
            )
        values["workspace"] = workspace_location(values["workspace"])
        if values.get("basemap_url") == "pdok":
            values["basemap_url"] = PDOK_BRT_GREY
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, kind: str, raw: str) -> object:
    variable = f"RUIMTE_{name.upper()}"
    if "bool" in kind:
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{variable}={raw!r}: write true or false.")
    if "int" in kind:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{variable}={raw!r}: write a whole number.") from None
    return raw
