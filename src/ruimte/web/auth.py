# SPDX-License-Identifier: Apache-2.0
"""Accounts, passwords and what each role may do.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106). Roles:

- ``admin`` may do everything, including managing accounts;
- ``planner`` belongs to an organisation and a governance level; may add
  claims for that organisation and edit or remove only claims whose ``owner``
  is that organisation; may branch scenarios, make stakeholder links and
  answer comments;
- ``stakeholder`` may comment and rate (as its ``stakeholder_id``);
- ``viewer`` may look.

The rules are plain functions of a :class:`User`, so the API and tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ruimte.errors import RuimteError
from ruimte.workspace.people import ROLES

_HASHER = PasswordHasher()
MIN_PASSWORD_CHARS = 8


class AuthError(RuimteError):
    """Not logged in, or wrong credentials (HTTP 401)."""


class PermissionDeniedError(RuimteError, PermissionError):
    """The user's role or organisation does not allow this (HTTP 403)."""


class AccountError(RuimteError, ValueError):
    """An account cannot be made as asked: names the field and the fix."""


@dataclass(frozen=True)
class User:
    """Who is making a request.

    Attributes
    ----------
    username : str
        Account name; ``"link:<stakeholder_id>"`` for a stakeholder link, ``""`` anonymous.
    role : str
        One of ``admin``, ``planner``, ``stakeholder``, ``viewer``.
    organisation, governance_level, stakeholder_id : str or None
        The planner's organisation and level; the stakeholder the user speaks for.
    scenario : str or None
        A stakeholder link's scenario: the only one it may comment on.
    """

    username: str
    role: str
    organisation: str | None = None
    governance_level: str | None = None
    stakeholder_id: str | None = None
    scenario: str | None = None

    @property
    def is_anonymous(self) -> bool:
        """True for a visitor who has not logged in."""
        return self.username == ""

    def public(self) -> dict[str, Any]:
        """Return what the front end may know about the user."""
        return {
            "username": self.username,
            "role": self.role,
            "organisation": self.organisation,
            "governance_level": self.governance_level,
            "stakeholder_id": self.stakeholder_id,
            "scenario": self.scenario,
            "can_edit": self.role in ("admin", "planner"),
            "can_comment": self.role in ("admin", "planner", "stakeholder"),
        }


ANONYMOUS = User(username="", role="viewer")


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password``.

    Raises
    ------
    AccountError
        If the password is shorter than 8 characters.
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_CHARS}."
        )
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash`` (False on any malformed hash)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def user_from_row(row: pd.Series | dict[str, Any]) -> User:
    """Build a :class:`User` from a row of the workspace's ``users`` table."""

    def text(key: str) -> str | None:
        value = row.get(key)
        return value if isinstance(value, str) and value else None

    return User(
        username=str(row["username"]),
        role=str(row["role"]),
        organisation=text("organisation"),
        governance_level=text("governance_level"),
        stakeholder_id=text("stakeholder_id"),
    )


def new_account(
    username: str,
    password: str,
    role: str,
    *,
    organisation: str | None = None,
    governance_level: str | None = None,
    stakeholder_id: str | None = None,
) -> dict[str, Any]:
    """Check an account's fields and return the ``users`` row (password hashed).

    Raises
    ------
    AccountError
        On an unknown role, a planner without organisation or level, a
        stakeholder without ``stakeholder_id``, a bad user name or a short password.
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}.")
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError(
            f"user name {username!r}: use letters, digits, '.', '-' or '_' (no spaces)."
        )
    if role == "planner" and not (organisation and governance_level):
        raise AccountError(
            "a planner needs an organisation and a governance level "
            "(--organisation 'Gemeente Lindeweer' --level municipality)."
        )
    if role == "stakeholder" and not stakeholder_id:
        raise AccountError("a stakeholder account needs --stakeholder <stakeholder_id>.")
    return {
        "username": username,
        "password_hash": hash_password(password),
        "role": role,
        "organisation": organisation,
        "governance_level": governance_level,
        "stakeholder_id": stakeholder_id,
    }


# -- rights -------------------------------------------------------------------------------


def require_editor(user: User) -> None:
    """Raise unless the user may edit claims and scenarios (admin or planner)."""
    if user.role not in ("admin", "planner"):
        who = "visitors who are not logged in" if user.is_anonymous else f"a {user.role}"
        raise PermissionDeniedError(
            f"{who} cannot change claims or scenarios; log in as a planner of the owning "
            "organisation. Stakeholders can comment and rate."
        )


def require_claim_owner(user: User, owner: Any) -> None:
    """Raise unless the user may edit a claim owned by ``owner``.

    Raises
    ------
    PermissionDeniedError
        For non-editors, and for planners of another organisation.
    """
    require_editor(user)
    if user.role == "planner" and owner != user.organisation:
        raise PermissionDeniedError(
            f"this claim belongs to {owner or 'no organisation'!s}; as a planner of "
            f"{user.organisation} you can edit only that organisation's claims. "
            "Comment on it instead, or ask its owner."
        )


def require_participant(user: User, scenario: str | None = None) -> None:
    """Raise unless the user may comment and rate (in ``scenario``, for a link)."""
    if user.role not in ("admin", "planner", "stakeholder"):
        raise PermissionDeniedError(
            "log in (or open your stakeholder link) to comment and rate; viewers can only look."
        )
    if user.scenario is not None and scenario is not None and scenario != user.scenario:
        raise PermissionDeniedError(
            f"your stakeholder link is for scenario {user.scenario!r}, not {scenario!r}."
        )


def require_admin(user: User, what: str = "manage accounts") -> None:
    """Raise unless the user is an admin (``what`` names the refused action)."""
    if user.role != "admin":
        raise PermissionDeniedError(f"only an admin can {what}.")
