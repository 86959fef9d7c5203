# SPDX-License-Identifier: Apache-2.0
"""``ruimte user`` and ``ruimte serve``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ruimte.cli.main import main
from ruimte.web.auth import verify_password


def test_user_add_stores_an_argon2_hash_and_list_never_shows_it(studio_ws):
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "user",
            "add",
            str(studio_ws.path),
            "netbeheer",
            "--role",
            "planner",
            "--organisation",
            "Netbeheer Middenwaard",
            "--level",
            "province",
        ],
        env={"RUIMTE_PASSWORD": "stroom-op-net"},
    )
    assert result.exit_code == 0, result.output
    row = studio_ws.users().set_index("username").loc["netbeheer"]
    assert row["password_hash"].startswith("$argon2id$")
    assert verify_password(row["password_hash"], "stroom-op-net")
    listed = runner.invoke(main, ["user", "list", str(studio_ws.path), "--json"])
    users = {u["username"]: u for u in json.loads(listed.output)}
    assert users["netbeheer"]["organisation"] == "Netbeheer Middenwaard"
    assert "stroom-op-net" not in listed.output and "argon2" not in listed.output


def test_user_add_refuses_short_passwords_and_planners_without_organisation(studio_ws):
    runner = CliRunner()
    args = ["user", "add", str(studio_ws.path), "x", "--role", "viewer"]
    short = runner.invoke(main, args, env={"RUIMTE_PASSWORD": "kort"})
    assert short.exit_code == 2 and "at least 8" in short.output
    planner = ["user", "add", str(studio_ws.path), "p", "--role", "planner"]
    result = runner.invoke(main, planner, env={"RUIMTE_PASSWORD": "long-enough"})
    assert result.exit_code == 2 and "organisation and a governance level" in result.output
    assert runner.invoke(main, ["user", "remove", str(studio_ws.path), "ghost"]).exit_code == 2


def test_serve_prints_the_address_and_runs_the_app(studio_ws, monkeypatch):
    seen = {}

    def fake_run(app, host, port, log_level, **tls):  # uvicorn.run would block
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("RUIMTE_SECRET_KEY", raising=False)
    result = CliRunner().invoke(main, ["serve", str(studio_ws.path), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "open http://localhost:8123/ in a browser" in result.output
    assert "admin, lindeweer, res, anke, kijker" in result.output
    assert seen["port"] == 8123 and seen["app"].title == "ruimte studio"
    secret = studio_ws.path / ".studio-secret"
    assert secret.stat().st_mode & 0o077 == 0  # readable by the owner only
    missing = CliRunner().invoke(main, ["serve", str(studio_ws.path / "nope")])
    assert missing.exit_code == 2 and "no workspace here" in missing.output
