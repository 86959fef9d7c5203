# SPDX-License-Identifier: Apache-2.0
"""Login throttling per account and per client address: growing delay, then a lock-out.

The policy (free failures, delays, lock-out thresholds and durations) is
data: ``data/login_throttle.csv``, with its source for each value (the OWASP
Authentication Cheat Sheet, NIST SP 800-63B). Nothing sleeps: while a key's
"not before" time has not come, attempts are refused at once (HTTP 429 with
``Retry-After``) without checking the password, so a throttled attacker
learns nothing and the server's threads stay free.

A success resets the account's count, not the client's: one valid account
must not let an address wipe its record of failures on other accounts.
Counts live in memory, per studio process.

Examples
--------
>>> clock = [0.0]
>>> t = Throttle(ThrottlePolicy.load(), clock=lambda: clock[0])
>>> for _ in range(3):
...     _ = t.failure("admin", "10.0.0.1")
>>> t.check("admin", "10.0.0.1")
Traceback (most recent call last):
...
ruimte.web.throttle.ThrottledError: too many failed attempts for this account; try again in 2 s.
>>> clock[0] += 2
>>> t.check("admin", "10.0.0.1")
"""

from __future__ import annotations

import csv
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from importlib import resources

from ruimte.errors import RuimteError

POLICY_FILE = "login_throttle.csv"


class ThrottledError(RuimteError):
    """Too many failed attempts: refused until ``retry_after_s`` has passed (HTTP 429)."""

    def __init__(self, message: str, retry_after_s: int, locked: bool = False) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.locked = locked


@dataclass(frozen=True)
class ThrottlePolicy:
    """Free failures, growing delay and lock-out, per account and per client address."""

    account_free_failures: int = 3
    account_base_delay_s: float = 2
    account_max_delay_s: float = 60
    account_lockout_failures: int = 10
    account_lockout_s: float = 900
    client_free_failures: int = 20
    client_base_delay_s: float = 1
    client_max_delay_s: float = 30
    client_lockout_failures: int = 50
    client_lockout_s: float = 900
    forget_after_s: float = 3600

    @classmethod
    def load(cls) -> ThrottlePolicy:
        """Read the policy from ``ruimte/web/data/login_throttle.csv``."""
        text = (resources.files("ruimte.web") / "data" / POLICY_FILE).read_text("utf-8")
        values = {row["setting"]: row["value"] for row in csv.DictReader(text.splitlines())}
        kinds = {f.name: f.type for f in fields(cls)}
        unknown = set(values) - set(kinds)
        if unknown:
            raise RuimteError(f"{POLICY_FILE}: unknown settings {sorted(unknown)}.")
        return cls(**{k: (int(v) if kinds[k] == "int" else float(v)) for k, v in values.items()})


@dataclass
class _State:
    failures: int = 0
    last_failure: float = 0.0
    not_before: float = 0.0
    locked: bool = False


class Throttle:
    """Counts failed attempts per key and says when the next attempt may come.

    Parameters
    ----------
    policy : ThrottlePolicy
        The numbers (see ``data/login_throttle.csv``).
    clock : callable
        Returns the time in seconds (monotonic); tests pass a fake one.
    """

    def __init__(self, policy: ThrottlePolicy, clock: Callable[[], float] = time.monotonic):
        self.policy = policy
        self.clock = clock
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def _get(self, key: str, now: float) -> _State:
        state = self._states.get(key)
        if state is None or (
            now - state.last_failure > self.policy.forget_after_s and now >= state.not_before
        ):
            state = self._states[key] = _State()
        return state

    def check(self, account: str, client: str) -> None:
        """Refuse an attempt that comes before the account's or the client's next allowed time.

        Raises
        ------
        ThrottledError
            With the seconds to wait; ``locked`` when the key is locked out.
        """
        now = self.clock()
        with self._lock:
            for key, what in ((f"client:{client}", "from this address"),
                              (f"account:{account}", "for this account")):
                state = self._get(key, now)
                if now < state.not_before:
                    wait = max(1, math.ceil(state.not_before - now))
                    kind = "locked for" if state.locked else "try again in"
                    raise ThrottledError(
                        f"too many failed attempts {what}; {kind} {wait} s.",
                        retry_after_s=wait,
                        locked=state.locked,
                    )

    def failure(self, account: str, client: str) -> list[str]:
        """Count a failed attempt; return the keys that this failure locked out."""
        now = self.clock()
        p = self.policy
        locked = []
        with self._lock:
            for key, free, base, cap, lock_at, lock_s in (
                (f"account:{account}", p.account_free_failures, p.account_base_delay_s,
                 p.account_max_delay_s, p.account_lockout_failures, p.account_lockout_s),
                (f"client:{client}", p.client_free_failures, p.client_base_delay_s,
                 p.client_max_delay_s, p.client_lockout_failures, p.client_lockout_s),
            ):
                state = self._get(key, now)
                if state.locked and now >= state.not_before:
                    state.failures, state.locked = 0, False  # a lock-out served starts afresh
                state.failures += 1
                state.last_failure = now
                if state.failures >= lock_at:
                    state.not_before, state.locked = now + lock_s, True
                    locked.append(key)
                elif state.failures >= free:
                    delay = min(cap, base * 2 ** (state.failures - free))
                    state.not_before = now + delay
        return locked

    def success(self, account: str) -> None:
        """Forget the account's failures (the client's count stays)."""
        with self._lock:
            self._states.pop(f"account:{account}", None)
