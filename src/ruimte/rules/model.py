# SPDX-License-Identifier: Apache-2.0
"""The parsed form of a rule file: what to exclude, include and how to size it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ruimte.errors import RuimteError

__all__ = ["RuleError", "VectorRule", "ClassRule", "RuleSet", "SetbackVariant"]


class RuleError(RuimteError, ValueError):
    """A rule file is broken or refers to something the workspace lacks."""


@dataclass(frozen=True)
class VectorRule:
    """Exclude the land within ``buffer_m`` of selected vector features.

    Attributes
    ----------
    datasets : tuple of str
        Workspace datasets to take features from; empty means every vector dataset.
    functions : tuple of str
        Keep only features whose ``function`` is one of these; empty means all.
    buffer_m : float
        Euclidean distance around the features (0: the area of polygons only).
    source : str
        Source id of the distance (sources.csv).
    provisional : bool
        Whether the value is a working assumption.
    where : str
        ``"file:item N"``, used in error messages.
    nuisance : str
        A nuisance norm id (``ruimte/analysis/nuisance/data/norms.csv``, e.g.
        ``bal_lden_47``): exclude the cells where a turbine of the rules'
        turbine type would put the features (dwellings) above that norm's
        computed noise or flicker limit, instead of a fixed ``buffer_m``.
    """

    datasets: tuple[str, ...]
    functions: tuple[str, ...]
    buffer_m: float = 0.0
    source: str = ""
    provisional: bool = False
    where: str = ""
    nuisance: str = ""

    @property
    def label(self) -> str:
        """A short human name, e.g. ``"buildings[housing] +400 m"``."""
        what = "+".join(self.datasets) or "all datasets"
        if self.functions:
            what += "[" + ",".join(self.functions) + "]"
        if self.nuisance:
            return what + f" over {self.nuisance}"
        return what + (f" +{self.buffer_m:g} m" if self.buffer_m else "")


@dataclass(frozen=True)
class ClassRule:
    """Exclude (or, under ``include``, require) raster classes."""

    raster: str
    classes: tuple[int, ...]
    source: str = ""
    provisional: bool = False
    where: str = ""


@dataclass(frozen=True)
class SetbackVariant:
    """Another distance for one exclude rule (e.g. dwellings 400 m -> 600 m), for comparison.

    Attributes
    ----------
    name : str
        Unique within the rule file.
    datasets, functions : tuple of str
        Which exclude rule it changes: the vector rule with exactly these
        datasets (and, when given, functions).
    buffer_m : float
        The variant's distance.
    source : str
        Source id of the distance (sources.csv).
    provisional : bool
    note : str
    where : str
        ``"file setback_variants[N]"``, used in error messages.
    """

    name: str
    datasets: tuple[str, ...]
    functions: tuple[str, ...]
    buffer_m: float
    source: str
    provisional: bool = True
    note: str = ""
    where: str = ""

    def matches(self, rule: VectorRule | ClassRule) -> bool:
        """Whether ``rule`` is a fixed-distance vector rule this variant changes."""
        return (
            isinstance(rule, VectorRule)
            and not rule.nuisance
            and set(rule.datasets) == set(self.datasets)
            and (not self.functions or set(rule.functions) == set(self.functions))
        )


@dataclass(frozen=True)
class RuleSet:
    """All rules of one technology.

    Attributes
    ----------
    technology : str
        ``"wind"`` or ``"solar"``.
    resolution_m : float
        Default cell size of the eligibility grid.
    exclude, include : tuple
        :class:`VectorRule` and :class:`ClassRule` items. A cell is eligible
        when no exclude rule hits it and, if include rules exist, every
        include rule admits it (vector: centre within the buffer; class: one
        of the classes).
    min_area_ha : float
        Smallest contiguous eligible area kept (4-connected cells).
    plausible_share_max : float
        A region with a larger eligible share of its land is flagged as
        implausible (likely missing rules or data).
    potential : dict
        Yield parameters (turbine type, spacing, full-load hours, MWp/ha, ...).
    setback_variants : tuple of SetbackVariant
        Other distances for one exclude rule each, computed beside the base.
    path : str
        Where the rules came from.
    """

    technology: str
    resolution_m: float
    exclude: tuple[VectorRule | ClassRule, ...]
    include: tuple[VectorRule | ClassRule, ...] = ()
    min_area_ha: float = 0.0
    plausible_share_max: float = 0.5
    potential: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    setback_variants: tuple[SetbackVariant, ...] = ()

    def with_variant(self, variant: SetbackVariant) -> tuple[RuleSet, VectorRule]:
        """Return these rules with ``variant``'s distance, and the base rule it changes.

        Examples
        --------
        >>> base = RuleSet("wind", 25, (VectorRule(("buildings",), (), 400.0, where="w[0]"),))
        >>> v = SetbackVariant("far", ("buildings",), (), 800.0, "s")
        >>> rules, rule = base.with_variant(v)
        >>> rules.exclude[0].buffer_m, rule.buffer_m, rules.setback_variants
        (800.0, 400.0, ())
        """
        hits = [i for i, r in enumerate(self.exclude) if variant.matches(r)]
        if not hits:
            raise RuleError(f"{variant.where}: no exclude rule of {self.path} to change.")
        exclude = list(self.exclude)
        base = exclude[hits[0]]
        assert isinstance(base, VectorRule)
        exclude[hits[0]] = replace(
            base, buffer_m=variant.buffer_m, source=variant.source, provisional=variant.provisional
        )
        return replace(self, exclude=tuple(exclude), setback_variants=()), base

    @property
    def max_buffer_m(self) -> float:
        """The largest buffer of any vector rule (the halo the kernel needs)."""
        buffers = [r.buffer_m for r in (*self.exclude, *self.include) if isinstance(r, VectorRule)]
        return max(buffers, default=0.0)

    def describe(self) -> list[dict[str, Any]]:
        """Return the rules as JSON-able rows (for result parameters)."""
        rows: list[dict[str, Any]] = []
        for mode, items in (("exclude", self.exclude), ("include", self.include)):
            for r in items:
                row: dict[str, Any] = {"mode": mode, "source": r.source}
                if isinstance(r, VectorRule):
                    row |= {
                        "datasets": list(r.datasets),
                        "functions": list(r.functions),
                        "buffer_m": r.buffer_m,
                    }
                    if r.nuisance:
                        row["nuisance"] = r.nuisance
                else:
                    row |= {"raster": r.raster, "classes": list(r.classes)}
                row["provisional"] = r.provisional
                rows.append(row)
        return rows
