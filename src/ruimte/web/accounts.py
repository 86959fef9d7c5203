# SPDX-License-Identifier: Apache-2.0
"""Make studio accounts in a workspace, and the documented accounts of the demo region."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

import pandas as pd

from ruimte.web.auth import new_account
from ruimte.workspace import Workspace

#: the password of every demo account; the demo region is fictional and served on localhost
DEMO_PASSWORD = "middenwaard"
#: (username, role, organisation, governance level, stakeholder id) of the demo accounts
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("admin", "admin", None, None, None),
    ("lindeweer", "planner", "Gemeente Lindeweer", "municipality", None),
    ("res", "planner", "RES Middenwaard", "res_region", None),
    ("anke", "stakeholder", None, None, "S01"),
    ("kijker", "viewer", None, None, None),
)
SECRET_FILE = ".studio-secret"


def add_account(ws: Workspace, username: str, password: str, role: str, **fields: Any) -> None:
    """Check and hash an account and store it in the workspace's ``users`` table."""
    ws.add_users(pd.DataFrame([new_account(username, password, role, **fields)]))


def add_demo_accounts(ws: Workspace) -> list[str]:
    """Add the demo accounts (password :data:`DEMO_PASSWORD`); return their user names."""
    rows = [
        new_account(
            name,
            DEMO_PASSWORD,
            role,
            organisation=organisation,
            governance_level=level,
            stakeholder_id=stakeholder,
        )
        for name, role, organisation, level, stakeholder in DEMO_ACCOUNTS
    ]
    ws.add_users(pd.DataFrame(rows))
    return [r["username"] for r in rows]


def workspace_secret(path: Path) -> str:
    """Return the workspace's studio secret, making it (readable by the owner only) once.

    Sessions and stakeholder links stay valid across restarts of ``ruimte serve``.
    """
    file = Path(path) / SECRET_FILE
    if file.is_file():
        return file.read_text().strip()
    secret = secrets.token_urlsafe(32)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
