# SPDX-License-Identifier: Apache-2.0
"""Where a workspace lives: a folder (GeoPackage) or a ``postgresql://`` URL (PostGIS).

Every command and the studio take a workspace location through
:func:`workspace_location`, so a URL stays a URL (a :class:`~pathlib.Path`
would fold its ``//``).

Examples
--------
>>> workspace_location("postgresql://me@db/plans?schema=fv")
'postgresql://me@db/plans?schema=fv'
>>> workspace_location("demo-workspace")
PosixPath('demo-workspace')
"""

from __future__ import annotations

from pathlib import Path

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(value: object) -> bool:
    """Tell whether a workspace location is a PostgreSQL URL (not a folder)."""
    return isinstance(value, str) and value.lower().startswith(URL_SCHEMES)


def workspace_location(value: object) -> Path | str:
    """Return a PostgreSQL URL as it is, anything else as a folder path."""
    text = str(value)
    return text if is_postgres_url(text) else Path(text)
