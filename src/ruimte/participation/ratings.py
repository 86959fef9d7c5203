# SPDX-License-Identifier: Apache-2.0
"""Ratings of options (claims or scenarios) by stakeholders, and their summary."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ruimte.errors import RuimteError

MIN_SCORE, MAX_SCORE = 1, 5


class RatingError(RuimteError, ValueError):
    """A rating cannot be stored: names the value and the allowed range."""


def check_score(score: Any) -> int:
    """Return ``score`` as an int if it is a whole number from 1 to 5.

    Raises
    ------
    RatingError
        Otherwise.

    Examples
    --------
    >>> check_score(4)
    4
    >>> check_score(7)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ruimte.participation.ratings.RatingError: score 7 is outside 1-5; rate from 1 ...
    """
    if isinstance(score, bool) or not isinstance(score, int | float) or score != int(score):
        raise RatingError(f"score {score!r} is not a whole number; rate from 1 to 5.")
    if not MIN_SCORE <= int(score) <= MAX_SCORE:
        raise RatingError(f"score {score} is outside 1-5; rate from 1 (against) to 5 (for).")
    return int(score)


def latest_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    """Keep each stakeholder's latest rating per (scenario, option): re-rating replaces."""
    if ratings.empty:
        return ratings
    ordered = ratings.sort_values("created_at", kind="stable")
    return ordered.drop_duplicates(["scenario", "option", "stakeholder_id"], keep="last")


def rating_summary(ratings: pd.DataFrame, comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summarise ratings per option: count, mean, score histogram and comment count.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``scenario``, ``option``, ``stakeholder_id``, ``score``, ``created_at``.
    comments : DataFrame, optional
        Columns ``scenario`` and ``claim_id``; counted per option where
        ``claim_id`` equals the option.

    Returns
    -------
    DataFrame
        One row per (scenario, option): ``ratings``, ``mean_score``,
        ``score_1`` .. ``score_5`` and ``comments``; each stakeholder's latest
        rating counts once.

    Examples
    --------
    >>> frame = pd.DataFrame({"scenario": ["b"] * 3, "option": ["C1"] * 3,
    ...     "stakeholder_id": ["S1", "S1", "S2"], "score": [1, 4, 5],
    ...     "created_at": ["1", "2", "3"]})
    >>> rating_summary(frame)[["option", "ratings", "mean_score"]].to_dict("records")
    [{'option': 'C1', 'ratings': 2, 'mean_score': 4.5}]
    """
    columns = ["scenario", "option", "ratings", "mean_score"]
    columns += [f"score_{s}" for s in range(MIN_SCORE, MAX_SCORE + 1)] + ["comments"]
    latest = latest_ratings(ratings)
    if latest.empty:
        out = pd.DataFrame(columns=columns)
    else:
        scores = latest.assign(score=latest["score"].astype(int))
        grouped = scores.groupby(["scenario", "option"])["score"]
        out = grouped.agg(ratings="count", mean_score="mean").reset_index()
        counts = pd.crosstab([scores["scenario"], scores["option"]], scores["score"])
        counts = counts.reindex(columns=range(MIN_SCORE, MAX_SCORE + 1), fill_value=0)
        counts.columns = [f"score_{s}" for s in counts.columns]
        out = out.merge(counts.reset_index(), on=["scenario", "option"])
        out["mean_score"] = out["mean_score"].round(2)
    n_comments: dict[tuple[str, str], int] = {}
    if comments is not None and not comments.empty:
        located = comments.dropna(subset=["claim_id"])
        n_comments = located.groupby(["scenario", "claim_id"]).size().to_dict()
    out["comments"] = [
        int(n_comments.get((s, o), 0)) for s, o in zip(out["scenario"], out["option"], strict=True)
    ]
    return out[columns].reset_index(drop=True)
