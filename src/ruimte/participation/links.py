# SPDX-License-Identifier: Apache-2.0
"""Stakeholder links: a signed token that opens one scenario for one stakeholder.

A planner hands a stakeholder a link ``/s/<token>``; whoever opens it sees
the scenario read-only and may comment and rate as that stakeholder, without
an account. The token is signed with the studio's secret (itsdangerous), so
it cannot be forged or altered, and it expires.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ruimte.errors import RuimteError

SALT = "ruimte-stakeholder-link"
#: default lifetime of a link: 60 days
MAX_AGE_S = 60 * 24 * 3600


class LinkError(RuimteError, ValueError):
    """A stakeholder link is invalid or expired."""


@dataclass(frozen=True)
class StakeholderLink:
    """What a link grants: one stakeholder, one scenario."""

    stakeholder_id: str
    scenario: str


def make_link_token(secret: str, stakeholder_id: str, scenario: str) -> str:
    """Return a signed, URL-safe token for ``stakeholder_id`` to take part in ``scenario``.

    Examples
    --------
    >>> token = make_link_token("s3cret", "S01", "basis")
    >>> read_link_token("s3cret", token)
    StakeholderLink(stakeholder_id='S01', scenario='basis')
    >>> read_link_token("other", token)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ruimte.participation.links.LinkError: this stakeholder link is not valid (altered ...
    """
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    return serializer.dumps({"s": stakeholder_id, "sc": scenario})


def read_link_token(secret: str, token: str, *, max_age_s: int = MAX_AGE_S) -> StakeholderLink:
    """Check a link token and return what it grants.

    Raises
    ------
    LinkError
        If the token was altered, made with another secret, or has expired.
    """
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        data = serializer.loads(token, max_age=max_age_s)
    except SignatureExpired:
        raise LinkError(
            "this stakeholder link has expired; ask the planner for a new one."
        ) from None
    except BadSignature:
        raise LinkError(
            "this stakeholder link is not valid (altered or made for another studio); "
            "ask the planner for a new one."
        ) from None
    return StakeholderLink(stakeholder_id=str(data["s"]), scenario=str(data["sc"]))
