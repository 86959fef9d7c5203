# SPDX-License-Identifier: Apache-2.0
"""Writing records (regions, claims, plans, targets, scenarios, ...) into a workspace.

Every value is checked against the vocabulary and every reference against
the workspace's tables before anything is written; errors name the table,
the row (and its key) and the column.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from ruimte.errors import did_you_mean
from ruimte.workspace import schema
from ruimte.workspace.records import RecordError, check_unique, conform, now_iso

if TYPE_CHECKING:
    from ruimte.vocab import Vocabulary
    from ruimte.workspace.store import WorkspaceStore

logger = logging.getLogger(__name__)


class RecordWriter:
    """The record-writing half of :class:`~ruimte.workspace.Workspace`."""

    if TYPE_CHECKING:  # provided by Workspace
        store: WorkspaceStore
        path: Path

        @property
        def crs(self) -> CRS: ...  # noqa: D102

        @property
        def vocabulary(self) -> Vocabulary: ...  # noqa: D102

    def _existing(self, table: schema.Table) -> list[Any]:
        if table.key is None:
            return []
        # the key column alone, with sqlite3 / one SELECT (not a GDAL open of the file)
        return [key for (key,) in self.store.column_values(table.name, [table.key])]

    def _check_values(
        self, table: str, frame: pd.DataFrame, column: str, check: Callable[[Any], Any]
    ) -> None:
        values = frame[column]
        for value in values.dropna().unique():  # each distinct value once, not each row
            try:
                check(value)
            except Exception as exc:
                row = int(np.flatnonzero((values == value).to_numpy())[0])
                raise RecordError(
                    f"table {table!r}, row {row}{_row_key(frame, row)}, column {column!r}: {exc}"
                ) from None

    def _check_refs(
        self,
        table: str,
        frame: pd.DataFrame,
        column: str,
        target: schema.Table,
        extra: Iterable[Any] = (),
    ) -> None:
        values = frame[column].tolist()
        if all(value is None for value in values):
            return  # nothing refers to the target: no need to read its keys
        known = set(self._existing(target)) | set(extra)
        for row, value in enumerate(values):
            if value is not None and value not in known:
                hint = did_you_mean(str(value), map(str, known))
                raise RecordError(
                    f"table {table!r}, row {row}{_row_key(frame, row)}: {column} {value!r} "
                    f"does not exist in {target.name!r}. {hint + ' ' if hint else ''}Add it first."
                )

    def add_regions(self, regions: gpd.GeoDataFrame, *, dataset: str | None = None) -> int:
        """Add regions (code, name, level, parent_code, geometry).

        Parameters
        ----------
        regions : GeoDataFrame
            One row per region. ``parent_code`` may name a region added later
            (so a hierarchy can be imported level by level). A column
            ``extra_parents`` (list of codes) records further parents.
        dataset : str, optional
            The dataset the boundaries came from.

        Returns
        -------
        int
            Number of regions added.
        """
        regions = regions.copy()
        extra = regions.pop("extra_parents") if "extra_parents" in regions else None
        if dataset is not None:
            regions["dataset"] = dataset
        frame = conform(schema.REGIONS, regions, crs=self.crs, required=("code", "name", "level"))
        self._check_values("regions", frame, "level", self.vocabulary.check_level)
        frame["geometry"] = frame.geometry.make_valid()
        with self.store.transaction():
            check_unique(schema.REGIONS, frame, self._existing(schema.REGIONS))
            self.store.append(schema.REGIONS.name, frame)
            if extra is not None:
                links = [
                    {"code": code, "parent_code": str(p), "parent_level": None}
                    for code, parents in zip(frame["code"], extra, strict=True)
                    for p in (parents or [])
                ]
                if links:
                    self.store.append(
                        schema.REGION_PARENTS.name,
                        conform(schema.REGION_PARENTS, pd.DataFrame(links)),
                    )
        return len(frame)

    def add_claims(self, claims: gpd.GeoDataFrame | pd.DataFrame) -> int:
        """Add claims (ruimteclaims), located or not yet located.

        Each claim needs a ``function`` from the vocabulary and either a
        geometry or a ``region_code``. ``transition`` and ``layer`` default to
        the function's; ``status`` defaults to ``idea``; ``scenario`` to
        ``basis``; a missing ``claim_id`` is generated.

        Returns
        -------
        int
            Number of claims added.

        Raises
        ------
        RecordError
            Naming the row and column of the first invalid value.
        """
        frame = self._prepare_claims(claims)
        with self.store.transaction():
            check_unique(schema.CLAIMS, frame, self._existing(schema.CLAIMS))
            self._check_refs("claims", frame, "scenario", schema.SCENARIOS)
            self._check_refs("claims", frame, "plan_id", schema.PLANS)
            self._check_refs("claims", frame, "region_code", schema.REGIONS)
            self._check_refs("claims", frame, "replaces", schema.CLAIMS, frame["claim_id"])
            self.store.append(schema.CLAIMS.name, frame)
        return len(frame)

    def _prepare_claims(self, claims: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
        """Conform and check claims before storing: values, defaults, geometry."""
        vocab = self.vocabulary
        frame = conform(schema.CLAIMS, claims, crs=self.crs, required=("function",))
        self._check_values("claims", frame, "function", vocab.check_function)
        functions = frame["function"].map(vocab.function)
        frame["transition"] = frame["transition"].where(
            frame["transition"].notna(), functions.map(lambda f: f.transition)
        )
        frame["layer"] = functions.map(lambda f: f.layer)
        frame["status"] = frame["status"].fillna("idea")
        frame["scenario"] = frame["scenario"].fillna("basis")
        _fill_ids(frame, "claim_id", "claim")
        self._check_values("claims", frame, "transition", vocab.check_transition)
        self._check_values("claims", frame, "status", vocab.check_status)
        self._check_values("claims", frame, "governance_level", vocab.check_level)
        self._check_values("claims", frame, "unit", vocab.check_unit)
        unlocated = frame.geometry.isna() | frame.geometry.is_empty
        no_region = frame["region_code"].isna()
        bad = np.flatnonzero((unlocated & no_region).to_numpy())
        if len(bad):
            raise RecordError(
                f"table 'claims', row {int(bad[0])} (claim {frame['claim_id'].iloc[bad[0]]!r}): "
                f"a claim needs a geometry or a region_code (for a not-yet-located quantity)."
            )
        frame["removed"] = frame["removed"].map(lambda v: v is True or v == 1).astype(bool)
        frame["version"] = frame["version"].fillna(1).astype("Int64")
        frame["updated_at"] = frame["updated_at"].fillna(now_iso())
        invalid = ~unlocated & ~frame.geometry.is_valid
        if invalid.any():
            logger.warning("repairing %d invalid claim geometries", int(invalid.sum()))
            frame.loc[invalid, "geometry"] = frame.geometry[invalid].make_valid()
        return frame  # type: ignore[return-value]

    def add_plans(self, plans: pd.DataFrame) -> int:
        """Add plans (plan_id, name, plan_type, governance_level, owner, ...)."""
        vocab = self.vocabulary
        frame = conform(schema.PLANS, plans, required=("plan_id", "name", "plan_type"))
        self._check_values("plans", frame, "plan_type", vocab.check_plan_type)
        self._check_values("plans", frame, "governance_level", vocab.check_level)
        self._check_values("plans", frame, "phase", vocab.check_phase)
        for col in ("start_date", "adoption_date"):
            self._check_values("plans", frame, col, _check_date)
        with self.store.transaction():
            check_unique(schema.PLANS, frame, self._existing(schema.PLANS))
            self._check_refs("plans", frame, "region_code", schema.REGIONS)
            self.store.append(schema.PLANS.name, frame)
        return len(frame)

    def add_targets(self, targets: pd.DataFrame) -> int:
        """Add targets (region_code, transition or function, quantity, unit, horizon_year)."""
        vocab = self.vocabulary
        frame = conform(
            schema.TARGETS,
            targets,
            required=("region_code", "quantity", "unit", "horizon_year"),
        )
        _fill_ids(frame, "target_id", "target")
        self._check_values("targets", frame, "transition", vocab.check_transition)
        self._check_values("targets", frame, "function", vocab.check_function)
        self._check_values("targets", frame, "unit", vocab.check_unit)
        with self.store.transaction():
            check_unique(schema.TARGETS, frame, self._existing(schema.TARGETS))
            self._check_refs("targets", frame, "region_code", schema.REGIONS)
            self._check_refs("targets", frame, "scenario", schema.SCENARIOS)
            self.store.append(schema.TARGETS.name, frame)
        return len(frame)

    def add_scenarios(self, scenarios: pd.DataFrame) -> int:
        """Add scenarios (name, parent, description, assumptions)."""
        frame = conform(schema.SCENARIOS, scenarios, required=("name",))
        with self.store.transaction():
            check_unique(schema.SCENARIOS, frame, self._existing(schema.SCENARIOS))
            self._check_refs("scenarios", frame, "parent", schema.SCENARIOS, frame["name"])
            self.store.append(schema.SCENARIOS.name, frame)
        return len(frame)

    def add_stakeholders(self, stakeholders: pd.DataFrame) -> int:
        """Add stakeholders (stakeholder_id, name, group, organisation)."""
        frame = conform(schema.STAKEHOLDERS, stakeholders, required=("stakeholder_id", "name"))
        with self.store.transaction():
            check_unique(schema.STAKEHOLDERS, frame, self._existing(schema.STAKEHOLDERS))
            self.store.append(schema.STAKEHOLDERS.name, frame)
        return len(frame)

    def add_comments(self, comments: gpd.GeoDataFrame | pd.DataFrame) -> int:
        """Add comments; text is stored as plain text, a geometry locates it."""
        frame = conform(schema.COMMENTS, comments, crs=self.crs, required=("text",))
        _fill_ids(frame, "comment_id", "comment")
        frame["created_at"] = frame["created_at"].fillna(now_iso())
        with self.store.transaction():
            check_unique(schema.COMMENTS, frame, self._existing(schema.COMMENTS))
            self._check_refs("comments", frame, "scenario", schema.SCENARIOS)
            self._check_refs("comments", frame, "claim_id", schema.CLAIMS)
            self._check_refs("comments", frame, "stakeholder_id", schema.STAKEHOLDERS)
            self.store.append(schema.COMMENTS.name, frame)
        return len(frame)


def _fill_ids(frame: pd.DataFrame, key: str, prefix: str) -> None:
    """Give rows without an identifier a new random one, ``<prefix>-<10 hex>``."""
    missing = frame[key].isna()
    frame.loc[missing, key] = [
        f"{prefix}-{uuid.uuid4().hex[:10]}" for _ in range(int(missing.sum()))
    ]


_KEYS = ("claim_id", "plan_id", "target_id", "comment_id", "stakeholder_id", "code", "name")


def _row_key(frame: pd.DataFrame, row: int) -> str:
    """Return " (claim_id 'x')" for a row that has an identifier, else ""."""
    for key in _KEYS:
        if key in frame.columns:
            value = frame[key].iloc[row]
            if value is not None and not (isinstance(value, float) and np.isnan(value)):
                return f" ({key} {value!r})"
    return ""


def _check_date(value: str) -> str:
    """Return ``value`` if it is an ISO date, else raise ValueError saying how to write one."""
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    return value
