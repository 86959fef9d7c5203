# SPDX-License-Identifier: Apache-2.0
"""The WORKSPACE argument of every command: a folder, or a ``postgresql://`` URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ruimte.location import is_postgres_url


class WorkspaceParam(click.ParamType):
    """A workspace folder (GeoPackage) or ``postgresql://USER@HOST/DB[?schema=NAME]`` (PostGIS)."""

    name = "workspace"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return a URL as it is (a Path would fold its ``//``), anything else as a Path."""
        if isinstance(value, str) and is_postgres_url(value):
            return value
        path = Path(value)
        if path.exists() and not path.is_dir():
            self.fail(
                f"{path}: is a file; a workspace is a folder or a postgresql:// URL.", param, ctx
            )
        return path


#: the type of every WORKSPACE argument
WORKSPACE = WorkspaceParam()
