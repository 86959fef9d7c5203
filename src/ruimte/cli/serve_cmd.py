# SPDX-License-Identifier: Apache-2.0
"""``ruimte serve``: the web studio; ``ruimte user``: its accounts."""

from __future__ import annotations

from pathlib import Path

import click

from ruimte.cli.output import echo_json, echo_table
from ruimte.cli.params import WORKSPACE

workspace_arg = click.argument("workspace", type=WORKSPACE, metavar="WORKSPACE")


@click.command("serve")
@workspace_arg
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--basemap",
    help="Base map: 'pdok' for the PDOK BRT-Achtergrondkaart, or an XYZ tile URL. "
    "Default: a plain background, fully offline.",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    envvar="RUIMTE_BEHIND_PROXY",
    help="A reverse proxy in front terminates TLS: believe its X-Forwarded-Proto and "
    "X-Forwarded-For headers (docs/deploy.md).",
)
@click.option("--ssl-certfile", type=click.Path(dir_okay=False, exists=True), help="Serve HTTPS.")
@click.option("--ssl-keyfile", type=click.Path(dir_okay=False, exists=True), help="Its key.")
def serve_cmd(
    workspace: Path,
    host: str,
    port: int,
    basemap: str | None,
    behind_proxy: bool,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
) -> None:
    """Serve the web studio for WORKSPACE: map, claims, scenarios, dashboard, participation.

    On an address other than loopback the session cookie is marked Secure
    (sent over HTTPS only); serve it with --ssl-certfile or behind a TLS proxy.
    """
    import uvicorn

    from ruimte.web.accounts import workspace_secret
    from ruimte.web.app import create_app
    from ruimte.web.proxy import is_loopback
    from ruimte.web.settings import Settings
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)  # a clear error before anything starts
    settings = Settings.from_env(
        workspace=workspace,
        basemap_url=basemap,
        secret_key=_env_secret() or workspace_secret(ws.folder),
        behind_proxy=behind_proxy or None,
        https_only=True if (ssl_certfile or not is_loopback(host)) else None,
    )
    app = create_app(settings)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    users = ws.users()
    click.secho(f"ruimte studio for {ws.path}", bold=True)
    click.echo(f"  open http://{shown}:{port}/ in a browser (Ctrl+C stops the studio)")
    if users.empty:
        click.echo(
            f"  no accounts yet: visitors can look; add one with "
            f"`ruimte user add {workspace} NAME --role planner --organisation ORG --level LEVEL`"
        )
    else:
        click.echo(f"  accounts: {', '.join(users['username'])} (log in at the top right)")
    tls = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile} if ssl_certfile else {}
    if not is_loopback(host) and not tls and not settings.behind_proxy:
        click.secho(
            f"warning: serving on {host} without TLS. Passwords and session cookies would "
            "cross the network in the clear, so the session cookie is marked Secure and "
            "browsers will not log in over plain http. Put a TLS reverse proxy in front "
            "(--behind-proxy, see docs/deploy.md) or pass --ssl-certfile and --ssl-keyfile.",
            err=True,
            fg="yellow",
        )
    uvicorn.run(app, host=host, port=port, log_level="warning", **tls)


def _env_secret() -> str | None:
    import os

    return os.environ.get("RUIMTE_SECRET_KEY") or None


@click.group("user")
def user_group() -> None:
    """Manage the web studio's accounts in a workspace."""


@user_group.command("add")
@workspace_arg
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["admin", "planner", "stakeholder", "viewer"]),
    required=True,
    help="What the account may do.",
)
@click.option("--organisation", help="A planner's organisation (claims.owner it may edit).")
@click.option("--level", "governance_level", help="A planner's governance level.")
@click.option("--stakeholder", "stakeholder_id", help="A stakeholder account's stakeholder_id.")
@click.password_option(
    "--password", envvar="RUIMTE_PASSWORD", help="Asked for when not given (or RUIMTE_PASSWORD)."
)
def user_add(
    workspace: Path,
    username: str,
    role: str,
    organisation: str | None,
    governance_level: str | None,
    stakeholder_id: str | None,
    password: str,
) -> None:
    """Add an account USERNAME to WORKSPACE (the password is stored as an argon2 hash)."""
    from ruimte.web.accounts import add_account
    from ruimte.workspace import Workspace

    ws = Workspace.open(workspace)
    add_account(
        ws,
        username,
        password,
        role,
        organisation=organisation,
        governance_level=governance_level,
        stakeholder_id=stakeholder_id,
    )
    click.echo(f"Added {role} {username!r} to {ws.path}.")


@user_group.command("list")
@workspace_arg
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def user_list(workspace: Path, as_json: bool) -> None:
    """List the accounts of WORKSPACE (never their password hashes)."""
    from ruimte.workspace import Workspace

    users = Workspace.open(workspace).users().drop(columns=["password_hash"])
    users = users.astype(object).where(users.notna(), None)
    if as_json:
        echo_json(users.to_dict("records"))
        return
    columns = ["username", "role", "organisation", "governance_level", "stakeholder_id"]
    echo_table(columns, users[columns].values.tolist(), title=f"Accounts ({len(users)})")


@user_group.command("remove")
@workspace_arg
@click.argument("username")
def user_remove(workspace: Path, username: str) -> None:
    """Remove the account USERNAME from WORKSPACE."""
    from ruimte.errors import RuimteError
    from ruimte.workspace import Workspace

    if Workspace.open(workspace).remove_user(username) == 0:
        raise RuimteError(f"{workspace}: no account {username!r}; `ruimte user list` shows them.")
    click.echo(f"Removed {username!r}.")
