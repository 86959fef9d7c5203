# SPDX-License-Identifier: Apache-2.0
"""Secure cookies (non-loopback, TLS proxy), the serve warning, and the audit log of writes."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from ruimte.cli.main import main
from ruimte.web.accounts import DEMO_PASSWORD
from ruimte.web.app import create_app


def _set_cookie(settings, headers=None, base_url="http://testserver"):
    c = TestClient(create_app(settings), base_url=base_url)
    r = c.get("/api/session", headers=headers or {})
    return r.headers["set-cookie"].lower()


def test_cookie_on_loopback_is_httponly_and_strict_but_not_secure(settings):
    cookie = _set_cookie(settings)
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie


def test_cookie_is_secure_when_https_only(settings):
    cookie = _set_cookie(dataclasses.replace(settings, https_only=True), base_url="https://x")
    assert "; secure" in cookie and "httponly" in cookie


@pytest.mark.parametrize(("behind_proxy", "proto", "secure"), [
    (True, "https", True), (True, "http", False), (False, "https", False),
])
def test_x_forwarded_proto_counts_only_behind_a_proxy(settings, behind_proxy, proto, secure):
    s = dataclasses.replace(settings, behind_proxy=behind_proxy)
    cookie = _set_cookie(s, headers={"X-Forwarded-Proto": proto})
    assert ("; secure" in cookie) is secure


def _serve(studio_ws, monkeypatch, *args):
    seen = {}

    def fake_run(app, host, port, log_level, **tls):
        seen.update(app=app, host=host)

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("RUIMTE_SECRET_KEY", raising=False)
    monkeypatch.delenv("RUIMTE_BEHIND_PROXY", raising=False)
    result = CliRunner().invoke(main, ["serve", str(studio_ws.path), *args])
    assert result.exit_code == 0, result.output
    return result, seen["app"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_on_a_public_address_warns_and_marks_cookies_secure(studio_ws, monkeypatch, host):
    result, app = _serve(studio_ws, monkeypatch, "--host", host)
    assert "warning: serving on" in result.stderr and "without TLS" in result.stderr
    cookie = TestClient(app, base_url="https://studio").get("/api/session").headers["set-cookie"]
    assert "secure" in cookie.lower()


def test_serve_on_loopback_or_behind_a_proxy_does_not_warn(studio_ws, monkeypatch):
    result, app = _serve(studio_ws, monkeypatch)
    assert "warning" not in result.stderr
    result, app = _serve(studio_ws, monkeypatch, "--host", "0.0.0.0", "--behind-proxy")
    assert "warning" not in result.stderr
    assert app.state.studio.settings.behind_proxy and app.state.studio.settings.https_only


def test_every_write_is_audited_and_only_admins_read_the_log(client, studio_ws):
    c = client("lindeweer")
    assert c.patch("/api/claims/C001", json={"version": 1, "status": "adopted"}).status_code == 200
    assert c.patch("/api/claims/C006", json={"version": 1, "status": "adopted"}).status_code == 403
    assert client("kijker").get("/api/audit").status_code == 403
    assert client().get("/api/audit").status_code == 403
    assert client("lindeweer").get("/api/audit").status_code == 403
    entries = client("admin").get("/api/audit").json()
    writes = [e for e in entries if e["event"] == "write" and e["method"] == "PATCH"]
    assert [(e["user"], e["role"], e["path"], e["status"]) for e in writes] == [
        ("lindeweer", "planner", "/api/claims/C001", 200),
        ("lindeweer", "planner", "/api/claims/C006", 403),
    ]
    assert writes[0]["endpoint"] == "/api/claims/{claim_id}" and writes[0]["at"].endswith("+00:00")
    logins = [e for e in entries if e["event"] == "write" and e["path"] == "/api/login"]
    assert {e["user"] for e in logins} >= {"lindeweer", "kijker", "admin"}
    # append-only JSON lines beside the GeoPackage, one entry per line
    lines = (studio_ws.path / "audit.jsonl").read_text().splitlines()
    assert all(json.loads(line)["at"] for line in lines) and len(lines) >= len(entries)


def test_a_torn_last_line_does_not_hide_the_log(client, studio_ws):
    c = client("admin")
    with open(studio_ws.path / "audit.jsonl", "a") as handle:
        handle.write('{"at": "2026-')  # a crash in the middle of a write
    entries = c.get("/api/audit").json()
    assert entries and all("event" in e for e in entries)
    r = c.post("/api/login", json={"username": "admin", "password": DEMO_PASSWORD})
    assert r.status_code == 200
    last = c.get("/api/audit?limit=1").json()
    assert last[0]["path"] == "/api/login" and last[0]["status"] == 200
