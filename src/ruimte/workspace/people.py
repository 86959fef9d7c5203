# SPDX-License-Identifier: Apache-2.0
"""Accounts, ratings and criterion weights: the participation records.

Passwords are never stored: ``users.password_hash`` must be an argon2 hash
(made by the web studio's auth module). Ratings score an option (a claim or
a scenario) from 1 to 5. Weight sets give each stakeholder group's weight per
allocation criterion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ruimte.workspace import schema
from ruimte.workspace.records import RecordError, check_unique, conform, now_iso

if TYPE_CHECKING:
    from ruimte.workspace.store import WorkspaceStore

#: roles of the web studio, from most to least rights
ROLES = ("admin", "planner", "stakeholder", "viewer")


class PeopleWriter:
    """The participation half of :class:`~ruimte.workspace.Workspace`."""

    if TYPE_CHECKING:  # provided by Workspace / RecordWriter
        store: WorkspaceStore

        def _existing(self, table: schema.Table) -> list[Any]: ...

        def _check_values(self, *args: Any) -> None: ...

        def _check_refs(self, *args: Any, **kwargs: Any) -> None: ...

        def _read_typed(self, table: schema.Table, where: str | None = None) -> pd.DataFrame: ...

        @property
        def vocabulary(self) -> Any: ...  # noqa: D102

    def add_users(self, users: pd.DataFrame) -> int:
        """Add studio accounts (username, password_hash, role, organisation, ...).

        Raises
        ------
        RecordError
            On an unknown role, a password that is not an argon2 hash, a
            duplicate username or an unknown stakeholder.
        """
        frame = conform(schema.USERS, users, required=("username", "password_hash", "role"))
        self._check_values("users", frame, "role", _check_role)
        self._check_values("users", frame, "password_hash", _check_hash)
        self._check_values("users", frame, "governance_level", self.vocabulary.check_level)
        frame["created_at"] = frame["created_at"].fillna(now_iso())
        with self.store.transaction():
            check_unique(schema.USERS, frame, self._existing(schema.USERS))
            self._check_refs("users", frame, "stakeholder_id", schema.STAKEHOLDERS)
            self.store.append(schema.USERS.name, frame)
        return len(frame)

    def users(self) -> pd.DataFrame:
        """Return the accounts (with their password hashes: keep them server-side)."""
        return self._read_typed(schema.USERS)

    def remove_user(self, username: str) -> int:
        """Delete an account; return how many rows went (0 or 1)."""
        with self.store.transaction():
            return self.store.delete(schema.USERS.name, "username", [username])

    def add_ratings(self, ratings: pd.DataFrame) -> int:
        """Add ratings (scenario, option, stakeholder_id, score 1-5, comment_id)."""
        from ruimte.workspace.record_writer import _fill_ids

        frame = conform(
            schema.RATINGS, ratings, required=("scenario", "option", "stakeholder_id", "score")
        )
        self._check_values("ratings", frame, "score", _check_score)
        _fill_ids(frame, "rating_id", "rating")
        frame["created_at"] = frame["created_at"].fillna(now_iso())
        with self.store.transaction():
            check_unique(schema.RATINGS, frame, self._existing(schema.RATINGS))
            self._check_refs("ratings", frame, "scenario", schema.SCENARIOS)
            self._check_refs("ratings", frame, "stakeholder_id", schema.STAKEHOLDERS)
            self._check_refs("ratings", frame, "comment_id", schema.COMMENTS)
            self.store.append(schema.RATINGS.name, frame)
        return len(frame)

    def ratings(self) -> pd.DataFrame:
        """Return the ratings."""
        return self._read_typed(schema.RATINGS)

    def add_weights(self, weights: pd.DataFrame) -> int:
        """Add criterion weights (weight_set, group, criterion, weight >= 0)."""
        frame = conform(
            schema.WEIGHTS, weights, required=("weight_set", "group", "criterion", "weight")
        )
        self._check_values("weights", frame, "weight", _check_weight)
        with self.store.transaction():
            self.store.append(schema.WEIGHTS.name, frame)
        return len(frame)

    def weights(self) -> pd.DataFrame:
        """Return the criterion weights of every weight set."""
        return self._read_typed(schema.WEIGHTS)


def _check_role(value: str) -> str:
    if value not in ROLES:
        raise ValueError(f"unknown role {value!r}; use one of {', '.join(ROLES)}")
    return value


def _check_hash(value: str) -> str:
    if not str(value).startswith("$argon2"):
        raise ValueError("not an argon2 hash; never store a plain password (hash it first)")
    return value


def _check_score(value: int) -> int:
    if not 1 <= int(value) <= 5:
        raise ValueError(f"score {value} is outside 1-5")
    return value


def _check_weight(value: float) -> float:
    if float(value) < 0:
        raise ValueError(f"weight {value} is negative; weights are 0 or more")
    return value


__all__ = ["ROLES", "PeopleWriter", "RecordError"]
