# SPDX-License-Identifier: Apache-2.0
"""Comments: check their text and group them into threads (a comment and its answers).

Comment text is plain text. It is stored exactly as written (after trimming)
and must be shown as text, never interpreted as HTML; that is the viewer's
job (the studio sets ``textContent``). Here we only refuse what is not text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd

from ruimte.errors import RuimteError

#: longest comment accepted, in characters
MAX_COMMENT_CHARS = 4000


class CommentError(RuimteError, ValueError):
    """A comment cannot be stored: says which rule it breaks."""


def clean_comment_text(text: Any) -> str:
    """Return the comment text trimmed, or raise if it is empty, too long or not text.

    Raises
    ------
    CommentError
        If ``text`` is not a string, is empty, is longer than
        :data:`MAX_COMMENT_CHARS` or holds control characters other than
        line breaks and tabs.

    Examples
    --------
    >>> clean_comment_text("  <b>not bold</b>  ")
    '<b>not bold</b>'
    >>> clean_comment_text("")
    Traceback (most recent call last):
    ruimte.participation.comments.CommentError: comment text is empty; write what you want to say.
    """
    if not isinstance(text, str):
        raise CommentError(f"comment text must be text, not {type(text).__name__}.")
    text = text.strip()
    if not text:
        raise CommentError("comment text is empty; write what you want to say.")
    if len(text) > MAX_COMMENT_CHARS:
        raise CommentError(
            f"comment text has {len(text):,} characters; the limit is {MAX_COMMENT_CHARS:,}. "
            "Shorten it or split it into several comments."
        )
    bad = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t\r"]
    if bad:
        raise CommentError(
            f"comment text holds a control character ({ord(bad[0]):#04x}); remove it."
        )
    return text


def comment_threads(comments: pd.DataFrame) -> list[dict[str, Any]]:
    """Group comments into threads: each top-level comment with its answers, oldest first.

    Parameters
    ----------
    comments : DataFrame
        Rows with ``comment_id``, ``reply_to``, ``created_at`` and any other columns.

    Returns
    -------
    list of dict
        One dict per top-level comment, its columns plus ``replies`` (a list of
        dicts). A reply to an unknown comment becomes a thread of its own.

    Examples
    --------
    >>> frame = pd.DataFrame({"comment_id": ["a", "b"], "reply_to": [None, "a"],
    ...                       "created_at": ["2026-01-01", "2026-01-02"], "text": ["q", "answer"]})
    >>> [(t["comment_id"], [r["text"] for r in t["replies"]]) for t in comment_threads(frame)]
    [('a', ['answer'])]
    """
    if comments.empty:
        return []
    rows = comments.sort_values("created_at", kind="stable").to_dict("records")
    ids = {r["comment_id"] for r in rows}
    threads: dict[str, dict[str, Any]] = {}
    replies: list[dict[str, Any]] = []
    for row in rows:
        parent = row.get("reply_to")
        if isinstance(parent, str) and parent in ids:
            replies.append(row)
        else:
            threads[row["comment_id"]] = {**row, "replies": []}
    for reply in replies:
        root = reply["reply_to"]
        while root not in threads:  # an answer to an answer joins the top-level thread
            root = next(r["reply_to"] for r in replies if r["comment_id"] == root)
        threads[root]["replies"].append(reply)
    return list(threads.values())
