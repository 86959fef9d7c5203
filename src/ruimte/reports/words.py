# SPDX-License-Identifier: Apache-2.0
"""The report's words in one language, numbers formatted for it, and its tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ruimte.reports.numbers import fixed, percent, quantity

MAX_ROWS = 25


class Words:
    """The report's words in one language, with number formatters bound to it."""

    def __init__(self, labels: dict[str, Any], lang: str, vocab: Any) -> None:
        self.labels, self.lang, self.vocab = labels, lang, vocab

    def __getitem__(self, key: str) -> Any:
        return self.labels[key]

    def q(self, value: Any) -> str:
        """Format a quantity (4 significant digits)."""
        return quantity(value, self.lang, self.labels["unknown"])

    def f(self, value: Any, decimals: int = 2) -> str:
        """Format a fixed-point number."""
        return fixed(value, decimals, self.lang, self.labels["unknown"])

    def p(self, value: Any) -> str:
        """Format a share as a percentage."""
        return percent(value, self.lang, self.labels["unknown"])

    def function(self, function_id: str) -> str:
        """Return the vocabulary's label of a function (the id when it is not in the vocabulary)."""
        f = self.vocab.functions.get(function_id)
        return f.label(self.lang) if f is not None else function_id

    def functions(self, joined: str) -> str:
        """Return the labels of ``a;b;c`` function ids, sorted, joined with ' + '."""
        return " + ".join(sorted(self.function(x) for x in str(joined).split(";") if x))

    def transition(self, transition_id: Any, function_id: Any = None) -> str:
        """Return the label of a transition, else of the function (what a target is for)."""
        term = self.vocab.transitions.get(transition_id) if transition_id else None
        if term is not None:
            return str(term.label(self.lang))
        return self.function(str(function_id)) if function_id else ""

    def indicator(self, key: str) -> str:
        """Return the label of a comparison indicator (``twh_planned``, ``ha energy``, ...)."""
        named = {
            "claims": self.labels["claims"],
            "twh_planned": self.labels["twh_planned"] + " (TWh/yr)",
            "twh_target": self.labels["target"] + " (TWh/yr)",
            "homes_planned": self.labels["homes_planned"],
            "homes_target": self.labels["target"] + ": " + self.labels["homes_planned"].lower(),
            "conflicts": self.labels["conflicts"],
        }
        if key in named:
            return str(named[key])
        if key.startswith("ha "):
            term_id = key[3:]
            term = self.vocab.transitions.get(term_id) or self.vocab.layers.get(term_id)
            return f"ha {term.label(self.lang) if term is not None else term_id}"
        return key

    def level(self, level_id: str) -> str:
        """Return the vocabulary's label of a governance level."""
        term = self.vocab.levels.get(level_id)
        return term.label(self.lang) if term is not None else str(level_id)

    def yes_no(self, value: Any) -> str:
        """Say yes or no in the report's language (unknown for a missing value)."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return self.labels["unknown"]
        return self.labels["yes_label"] if bool(value) else self.labels["no_label"]


def table(title: str, columns: list[str], rows: list[list[str]], words: Words) -> dict[str, Any]:
    """Return a table of at most :data:`MAX_ROWS` rows; ``more`` says how many were left out."""
    more = len(rows) - MAX_ROWS
    return {
        "title": title,
        "columns": columns,
        "rows": rows[:MAX_ROWS],
        "more": words["more_rows"].format(n=more) if more > 0 else "",
    }
