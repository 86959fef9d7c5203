# SPDX-License-Identifier: Apache-2.0
"""Login and password-change throttling: growing delay, lock-out, audit lines (fake clock)."""

from __future__ import annotations

import logging

import pytest

from ruimte.web.accounts import DEMO_PASSWORD
from ruimte.web.throttle import ThrottlePolicy

POLICY = ThrottlePolicy.load()


class Clock:
    """A clock the test moves by hand: no real sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(client):
    c = client()
    fake = Clock()
    studio = c.app.state.studio
    studio.login_throttle.clock = fake
    studio.password_throttle.clock = fake
    return fake


def _login(c, username, password="wrong-password"):
    r = c.post("/api/login", json={"username": username, "password": password})
    if r.status_code == 200:  # a new session: a new CSRF token
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return r


def _fail_until_locked(c, clock, username):
    """Fail logins, waiting out each Retry-After, until the account is locked; return codes."""
    codes = []
    for _ in range(200):
        r = _login(c, username)
        codes.append(r.status_code)
        if r.status_code == 429:
            if "locked" in r.json()["detail"]:
                return codes
            clock.now += int(r.headers["Retry-After"])
    raise AssertionError(f"never locked: {codes}")


def test_sixty_wrong_passwords_are_slowed_down_then_locked_out(client, clock, caplog):
    c = client()
    caplog.set_level(logging.INFO, logger="ruimte.audit")
    codes = [_login(c, "admin").status_code for _ in range(60)]
    free = POLICY.account_free_failures
    assert codes == [401] * free + [429] * (60 - free)
    r = _login(c, "admin")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == POLICY.account_base_delay_s
    assert "try again in" in r.json()["detail"]
    codes = _fail_until_locked(c, clock, "admin")
    assert codes.count(401) == POLICY.account_lockout_failures - free
    # the delay grew: 2, 4, 8, ... s between the free failures and the lock-out
    right = _login(c, "admin", DEMO_PASSWORD)
    assert right.status_code == 429 and "locked for" in right.json()["detail"]
    assert int(right.headers["Retry-After"]) == POLICY.account_lockout_s
    events = [e["event"] for e in c.app.state.studio.audit.read()]
    assert events.count("login_failed") == POLICY.account_lockout_failures
    assert events.count("login_lockout") == 1 and "login_refused" in events
    assert any("login_lockout" in m for m in caplog.messages)


def test_the_delay_grows_with_every_failure(client, clock):
    c = client()
    waits = []
    for _ in range(POLICY.account_lockout_failures - 1):
        r = _login(c, "res")
        if r.status_code == 429:
            waits.append(int(r.headers["Retry-After"]))
            clock.now += waits[-1]
            assert _login(c, "res").status_code == 401
    assert waits == sorted(waits) and waits[-1] > waits[0]


def test_the_lock_out_expires_and_other_accounts_are_unaffected(client, clock):
    c = client()
    _fail_until_locked(c, clock, "admin")
    assert _login(c, "lindeweer", DEMO_PASSWORD).status_code == 200
    clock.now += POLICY.account_lockout_s - 1
    assert _login(c, "admin", DEMO_PASSWORD).status_code == 429
    clock.now += 1
    assert _login(c, "admin", DEMO_PASSWORD).status_code == 200


def test_success_resets_the_accounts_count(client, clock):
    c = client()
    for _ in range(2):
        for _ in range(POLICY.account_free_failures - 1):
            assert _login(c, "kijker").status_code == 401
        assert _login(c, "kijker", DEMO_PASSWORD).status_code == 200


def test_one_client_is_locked_out_after_failures_on_many_accounts(client, clock):
    c = client()
    for i in range(POLICY.client_lockout_failures):
        r = _login(c, f"guess{i}")
        if r.status_code == 429:
            clock.now += int(r.headers["Retry-After"])
            r = _login(c, f"guess{i}")
        assert r.status_code == 401, (i, r.text)
    r = _login(c, "lindeweer", DEMO_PASSWORD)
    assert r.status_code == 429 and "from this address" in r.json()["detail"]
    assert int(r.headers["Retry-After"]) == POLICY.client_lockout_s


def test_password_changes_are_throttled_too(client, clock):
    c = client("lindeweer")
    body = {"current_password": "not-it", "new_password": "a-new-password"}
    codes = [c.post("/api/password", json=body).status_code for _ in range(5)]
    free = POLICY.account_free_failures
    assert codes == [401] * free + [429] * (5 - free)
    clock.now += POLICY.account_max_delay_s
    body["current_password"] = DEMO_PASSWORD
    r = c.post("/api/password", json=body)
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    assert _login(client(), "lindeweer", "a-new-password").status_code == 200
    assert _login(client(), "lindeweer", DEMO_PASSWORD).status_code == 401
    events = [e["event"] for e in c.app.state.studio.audit.read()]
    assert events.count("password_change_failed") == free and "password_changed" in events


def test_anonymous_visitors_cannot_change_a_password(client):
    r = client().post("/api/password", json={"current_password": "x", "new_password": "y" * 9})
    assert r.status_code == 401
