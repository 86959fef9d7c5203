# SPDX-License-Identifier: Apache-2.0
"""Participation: located comments, ratings of options and stakeholder links.

Pure logic on frames and strings; the web studio and the CLI store the
records through the workspace (``add_comments``, ``add_ratings``).
"""

from __future__ import annotations

from ruimte.participation.comments import CommentError, clean_comment_text, comment_threads
from ruimte.participation.links import LinkError, make_link_token, read_link_token
from ruimte.participation.ratings import RatingError, check_score, rating_summary

__all__ = [
    "CommentError",
    "LinkError",
    "RatingError",
    "check_score",
    "clean_comment_text",
    "comment_threads",
    "make_link_token",
    "rating_summary",
    "read_link_token",
]
