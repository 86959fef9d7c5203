# SPDX-License-Identifier: Apache-2.0
"""The vocabulary's terms as frozen dataclasses, and the :class:`Vocabulary` that holds them.

Nothing here reads files: :mod:`ruimte.vocab.loader` builds a validated
:class:`Vocabulary` from the CSV files in ``ruimte/vocab/data`` and an optional
workspace override.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

from ruimte.errors import RuimteError, UnknownFunctionError, did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The allowed values of :attr:`Relation.relation`.
RELATIONS: tuple[str, ...] = ("exclusive", "shared", "distance", "synergy", "neutral")
#: The allowed values of :attr:`Function.geometry`.
GEOMETRIES: tuple[str, ...] = ("point", "line", "polygon")

Lang = Literal["nl", "en"]


class UnknownTermError(RuimteError, KeyError):
    """An id (unit, plan type, level, status, phase, ...) the vocabulary does not define."""


@dataclass(frozen=True)
class Term:
    """A labelled term with an order: a layer, transition, claim status or plan phase.

    Attributes
    ----------
    id : str
        Stable identifier used in data and code.
    label_nl, label_en : str
        Dutch and English labels.
    order : int
        Position in its list (file order for layers and transitions).
    description : str
        Longer explanation; may be empty.
    """

    id: str
    label_nl: str
    label_en: str
    order: int = 0
    description: str = ""

    def label(self, lang: Lang = "en") -> str:
        """Return the label in ``lang`` ("nl" or "en")."""
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class GovernanceLevel(Term):
    """A governance level; ``rank`` is None for non-territorial bodies (water board, grid op.)."""

    rank: int | None = None


@dataclass(frozen=True)
class Source:
    """A cited source: every number in the vocabulary points to one."""

    id: str
    title: str
    url: str = ""
    year: int | None = None
    note: str = ""

    def cite(self) -> str:
        """Return a one-line citation: title (year), url."""
        year = f" ({self.year})" if self.year else ""
        url = f", {self.url}" if self.url else ""
        return f"{self.title}{year}{url}"


@dataclass(frozen=True)
class Unit:
    """A unit with its dimension and factor to the dimension's base unit (``value * to_base``)."""

    id: str
    label: str
    dimension: str
    to_base: float
    base: str


@dataclass(frozen=True)
class PlanType:
    """A Dutch plan type (omgevingsvisie, RES, investeringsplan, ...) and who adopts it."""

    id: str
    label_nl: str
    label_en: str
    levels: tuple[str, ...]
    basis: str
    source_id: str
    provisional: bool = False

    def label(self, lang: Lang = "en") -> str:
        """Return the label in ``lang`` ("nl" or "en")."""
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Function:
    """A land-use function (gebruiksfunctie) with its layer, transition and typical space use.

    Attributes
    ----------
    space_use_value, space_use_unit : float or None, str or None
        Typical space use, e.g. ``1.2`` ``"ha/MWp"`` or ``30`` ``"homes/ha"``.
    space_use_source : str or None
        Id of the :class:`Source` of the space-use number.
    provisional : bool
        True where the number is an example or assumption, to be confirmed.
    """

    id: str
    label_nl: str
    label_en: str
    layer: str
    transition: str
    esdl_class: str | None = None
    space_use_value: float | None = None
    space_use_unit: str | None = None
    space_use_source: str | None = None
    provisional: bool = False
    geometry: str = "polygon"
    colour: str = "#999999"
    note: str = ""

    def label(self, lang: Lang = "en") -> str:
        """Return the label in ``lang`` ("nl" or "en")."""
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Relation:
    """How two functions relate on the same or adjacent land (order-insensitive).

    Attributes
    ----------
    a, b : str
        The two function ids, ``a <= b``.
    relation : str
        One of :data:`RELATIONS`.
    min_distance_m : float or None
        Minimum distance for ``relation == "distance"``.
    condition : str
        Under which condition the functions share land (``"shared"``), or the
        qualification of a distance or synergy.
    source : Source or None
        Where the relation comes from.
    provisional : bool
        True where the relation or number is an assumption, to be confirmed.
    note : str
        Context for the planner.
    """

    a: str
    b: str
    relation: str
    min_distance_m: float | None = None
    condition: str = ""
    source: Source | None = None
    provisional: bool = False
    note: str = ""


def _check(kind: str, name: str, choices: Iterable[str], exc: type[RuimteError]) -> str:
    options = list(choices)
    if name not in options:
        raise exc(f"No {kind} named {name!r}. {did_you_mean(str(name), options)}")
    return name


@dataclass(frozen=True)
class Vocabulary:
    """The common language of ruimte: layers, transitions, functions and their relations.

    Build one with :func:`ruimte.vocab.load_vocabulary`; every result records
    :attr:`version`.
    """

    version: str
    layers: Mapping[str, Term]
    transitions: Mapping[str, Term]
    levels: Mapping[str, GovernanceLevel]
    statuses: Mapping[str, Term]
    phases: Mapping[str, Term]
    units: Mapping[str, Unit]
    sources: Mapping[str, Source]
    plan_types: Mapping[str, PlanType]
    functions: Mapping[str, Function]
    relations: Mapping[tuple[str, str], Relation] = field(repr=False)

    # -- ordered id lists ------------------------------------------------------------------
    @property
    def governance_levels(self) -> list[str]:
        """Territorial governance levels in rank order (national first).

        Non-territorial bodies (``water_board``, ``grid_operator``) are in
        :attr:`levels` but not in this hierarchy.
        """
        ranked = [lv for lv in self.levels.values() if lv.rank is not None]
        return [lv.id for lv in sorted(ranked, key=lambda lv: lv.rank or 0)]

    @property
    def claim_statuses(self) -> list[str]:
        """Claim statuses in order: idea, proposed, adopted, realised."""
        return [t.id for t in sorted(self.statuses.values(), key=lambda t: t.order)]

    @property
    def plan_phases(self) -> list[str]:
        """Plan phases in order (draft first)."""
        return [t.id for t in sorted(self.phases.values(), key=lambda t: t.order)]

    # -- look-ups ----------------------------------------------------------------------------
    def function(self, function_id: str) -> Function:
        """Return the function ``function_id``.

        Raises
        ------
        UnknownFunctionError
            If the vocabulary has no such function; the message suggests close ids.
        """
        try:
            return self.functions[function_id]
        except KeyError:
            raise UnknownFunctionError(
                f"No function named {function_id!r} in vocabulary {self.version}. "
                f"{did_you_mean(str(function_id), self.functions)}"
            ) from None

    def relation(self, a: str, b: str) -> Relation:
        """Return the relation between functions ``a`` and ``b`` (order-insensitive).

        Raises
        ------
        UnknownFunctionError
            If either id is not a function.

        Examples
        --------
        >>> from ruimte.vocab import load_vocabulary
        >>> load_vocabulary().relation("housing", "wind_turbine").min_distance_m
        400.0
        """
        self.function(a)
        self.function(b)
        return self.relations[(a, b) if a <= b else (b, a)]

    def functions_by_layer(self) -> dict[str, list[Function]]:
        """Return the functions grouped by layer, in layer order, each group in file order."""
        groups: dict[str, list[Function]] = {layer: [] for layer in self.layers}
        for fn in self.functions.values():
            groups[fn.layer].append(fn)
        return groups

    def source(self, source_id: str | None) -> Source | None:
        """Return the source ``source_id``, or None for an empty id."""
        if not source_id:
            return None
        return self.sources[_check("source", source_id, self.sources, UnknownTermError)]

    # -- checks: return the id; otherwise raise UnknownFunctionError (functions) or
    # -- UnknownTermError (other terms), both RuimteError and KeyError, with a did-you-mean hint
    def check_function(self, function_id: str) -> str:
        """Return ``function_id`` if it is a function; raise otherwise."""
        return self.function(function_id).id

    def check_unit(self, unit_id: str) -> str:
        """Return ``unit_id`` if it is a unit; raise otherwise."""
        return _check("unit", unit_id, self.units, UnknownTermError)

    def check_plan_type(self, plan_type_id: str) -> str:
        """Return ``plan_type_id`` if it is a plan type; raise otherwise."""
        return _check("plan type", plan_type_id, self.plan_types, UnknownTermError)

    def check_level(self, level_id: str) -> str:
        """Return ``level_id`` if it is a governance level; raise otherwise."""
        return _check("governance level", level_id, self.levels, UnknownTermError)

    def check_status(self, status_id: str) -> str:
        """Return ``status_id`` if it is a claim status; raise otherwise."""
        return _check("claim status", status_id, self.statuses, UnknownTermError)

    def check_phase(self, phase_id: str) -> str:
        """Return ``phase_id`` if it is a plan phase; raise otherwise."""
        return _check("plan phase", phase_id, self.phases, UnknownTermError)

    def check_layer(self, layer_id: str) -> str:
        """Return ``layer_id`` if it is a layer; raise otherwise."""
        return _check("layer", layer_id, self.layers, UnknownTermError)

    def check_transition(self, transition_id: str) -> str:
        """Return ``transition_id`` if it is a transition; raise otherwise."""
        return _check("transition", transition_id, self.transitions, UnknownTermError)

    # -- export -----------------------------------------------------------------------------
    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Return every table as a pandas DataFrame, keyed like the data files.

        Keys: ``layers``, ``transitions``, ``governance_levels``,
        ``claim_statuses``, ``plan_phases``, ``units``, ``sources``,
        ``plan_types``, ``functions``, ``compatibility``. Each frame has an
        ``id`` column (``function_a``/``function_b`` for compatibility).
        """
        import pandas as pd

        def frame(items: Iterable[object]) -> pd.DataFrame:
            return pd.DataFrame([asdict(item) for item in items])  # type: ignore[call-overload]

        plan_types = frame(self.plan_types.values())
        if not plan_types.empty:
            plan_types["levels"] = plan_types["levels"].map(";".join)
        compat = pd.DataFrame(
            [
                {
                    "function_a": r.a,
                    "function_b": r.b,
                    "relation": r.relation,
                    "min_distance_m": r.min_distance_m,
                    "condition": r.condition,
                    "source_id": r.source.id if r.source else None,
                    "provisional": r.provisional,
                    "note": r.note,
                }
                for r in self.relations.values()
            ]
        )
        return {
            "layers": frame(self.layers.values()),
            "transitions": frame(self.transitions.values()),
            "governance_levels": frame(self.levels.values()),
            "claim_statuses": frame(self.statuses.values()),
            "plan_phases": frame(self.phases.values()),
            "units": frame(self.units.values()),
            "sources": frame(self.sources.values()),
            "plan_types": plan_types,
            "functions": frame(self.functions.values()),
            "compatibility": compat,
        }
