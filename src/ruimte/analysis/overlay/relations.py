# SPDX-License-Identifier: Apache-2.0
"""The compatibility matrix as arrays, for vectorised look-ups over many feature pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ruimte.vocab import Vocabulary

#: Relation codes, most severe first: a piece of land takes the lowest code of its pairs.
CODES: dict[str, int] = {"exclusive": 0, "distance": 1, "shared": 2, "synergy": 3, "neutral": 4}
NAMES: tuple[str, ...] = tuple(CODES)


@dataclass(frozen=True)
class RelationTable:
    """The relations among a set of functions, as square arrays indexed by function.

    Attributes
    ----------
    functions : tuple of str
        The function ids; ``index[f]`` is the row and column of ``f``.
    code : ndarray of int8
        Relation code (:data:`CODES`) per function pair.
    min_distance_m : ndarray of float
        Minimum distance for ``distance`` relations, NaN elsewhere.
    condition, source : ndarray of str
        The matrix's condition text and source id per pair ("" when none).
    """

    functions: tuple[str, ...]
    index: dict[str, int]
    code: np.ndarray
    min_distance_m: np.ndarray
    condition: np.ndarray
    source: np.ndarray

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary, functions: Iterable[str]) -> RelationTable:
        """Build the table for ``functions`` (each must be in ``vocab``).

        Examples
        --------
        >>> from ruimte.vocab import load_vocabulary
        >>> t = RelationTable.from_vocabulary(load_vocabulary(), ["housing", "wind_turbine"])
        >>> NAMES[t.code[0, 1]], float(t.min_distance_m[0, 1])
        ('distance', 400.0)
        """
        ids = tuple(sorted(set(functions)))
        n = len(ids)
        code = np.full((n, n), CODES["neutral"], dtype=np.int8)
        distance = np.full((n, n), np.nan)
        condition = np.full((n, n), "", dtype=object)
        source = np.full((n, n), "", dtype=object)
        for a in range(n):
            for b in range(a, n):
                rel = vocab.relation(ids[a], ids[b])
                for x, y in ((a, b), (b, a)):
                    code[x, y] = CODES[rel.relation]
                    distance[x, y] = np.nan if rel.min_distance_m is None else rel.min_distance_m
                    condition[x, y] = rel.condition
                    source[x, y] = rel.source.id if rel.source else ""
        return cls(ids, {f: i for i, f in enumerate(ids)}, code, distance, condition, source)

    def codes_of(self, functions: Iterable[str]) -> np.ndarray:
        """Return the row index of each function in ``functions``.

        Each distinct function is looked up once (a KeyError names an unknown one).
        """
        values = (
            functions.to_numpy(dtype=object)
            if isinstance(functions, pd.Series)
            else np.asarray(list(functions), dtype=object)
        )
        codes, distinct = pd.factorize(values)
        if (codes < 0).any():
            raise KeyError("a feature without a function")
        rows = np.array([self.index[f] for f in distinct], dtype=np.intp)
        return rows[codes]

    def max_distance_m(self) -> float:
        """Return the largest minimum distance in the table (0 when there is none)."""
        finite = self.min_distance_m[np.isfinite(self.min_distance_m)]
        return float(finite.max()) if finite.size else 0.0
