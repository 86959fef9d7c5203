# SPDX-License-Identifier: Apache-2.0
"""Scenario inheritance and editing claims without lost updates.

A scenario may have a parent. Its *effective* claims are its ancestors'
claims, root first, where a row of a descendant with ``replaces=<claim_id>``
takes the place of that inherited claim, or withdraws it when ``removed`` is
true. Editing or removing an inherited claim in a child scenario therefore
writes an overriding row in the child and leaves the parent untouched.

Every edit carries the version the editor started from. When the stored
version is newer, the edit is refused with a :class:`StaleWriteError` that
says who changed which fields since (from ``claim_history``): two planners
editing the same claim never overwrite each other silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from ruimte.errors import StaleWriteError, UnknownScenarioError, did_you_mean
from ruimte.workspace import schema
from ruimte.workspace.records import RecordError, conform, now_iso, typed

if TYPE_CHECKING:
    from ruimte.workspace.store import WorkspaceStore

#: claim fields an edit may change
EDITABLE = (
    "function",
    "transition",
    "quantity",
    "unit",
    "region_code",
    "owner",
    "governance_level",
    "plan_id",
    "status",
    "horizon_year",
    "description",
    "geometry",
)


class ClaimEditor:
    """The scenario-and-edit half of :class:`~ruimte.workspace.Workspace`."""

    if TYPE_CHECKING:  # provided by Workspace / RecordWriter
        store: WorkspaceStore
        path: Path

        def _prepare_claims(self, claims: pd.DataFrame) -> gpd.GeoDataFrame: ...

        def _check_refs(self, *args: Any, **kwargs: Any) -> None: ...

        def _read_typed(self, table: schema.Table, where: str | None = None) -> pd.DataFrame: ...

    # -- scenarios ---------------------------------------------------------------
    def scenario_lineage(self, scenario: str) -> list[str]:
        """Return the scenario's ancestors and itself, root first.

        Raises
        ------
        UnknownScenarioError
            If the scenario does not exist (with a suggestion).
        """
        table = self.store.read(schema.SCENARIOS.name, columns=["name", "parent"])
        parents = dict(zip(table["name"], table["parent"], strict=True))
        if scenario not in parents:
            hint = did_you_mean(scenario, parents) or (
                f"Scenarios: {', '.join(parents)}." if parents else "There are no scenarios yet."
            )
            raise UnknownScenarioError(f"{self.path}: no scenario {scenario!r}. {hint}")
        chain = [scenario]
        while isinstance(parents.get(chain[-1]), str) and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        return chain[::-1]

    def effective_claims(self, scenario: str) -> gpd.GeoDataFrame:
        """Return the claims that hold in ``scenario``, inheritance applied."""
        chain = self.scenario_lineage(scenario)
        names = ", ".join(f"'{s.replace(chr(39), chr(39) * 2)}'" for s in chain)
        rows = self._read_typed(schema.CLAIMS, f"scenario IN ({names})")
        keep: dict[str, int] = {}
        for level in chain:
            own = rows[rows["scenario"] == level]
            for position, claim_id, replaces, removed in zip(
                own.index, own["claim_id"], own["replaces"], own["removed"], strict=True
            ):
                if isinstance(replaces, str):
                    keep.pop(replaces, None)
                if not _truthy(removed):
                    keep[claim_id] = position
        return rows.loc[sorted(keep.values())].reset_index(drop=True)  # type: ignore[return-value]

    # -- edits ---------------------------------------------------------------------
    def claim_history(self, claim_id: str | None = None) -> pd.DataFrame:
        """Return the edit history, of one claim or of all."""
        where = None if claim_id is None else f"claim_id = '{claim_id.replace(chr(39), '')}'"
        return self._read_typed(schema.CLAIM_HISTORY, where)

    def _claim_row(self, claim_id: str) -> gpd.GeoDataFrame:
        rows = typed(schema.CLAIMS, self.store.key_rows(schema.CLAIMS.name, "claim_id", [claim_id]))
        if rows.empty:
            raise RecordError(f"table 'claims': no claim {claim_id!r}. It may have been removed.")
        return rows  # type: ignore[return-value]

    def _check_version(self, row: pd.Series, expected_version: int) -> None:
        current = int(row["version"]) if pd.notna(row["version"]) else 1
        if current == int(expected_version):
            return
        history = self.claim_history(row["claim_id"])
        later = history[history["version"].astype(int) > int(expected_version)]
        changes = [
            f"version {int(h['version'])} by {h['updated_by'] or 'someone'} at {h['updated_at']}: "
            + "; ".join(f"{k} {_show(v[0])} -> {_show(v[1])}" for k, v in h["changes"].items())
            for _, h in later.sort_values("version").iterrows()
        ]
        raise StaleWriteError(
            f"claim {row['claim_id']!r} was changed after you opened it (you had version "
            f"{expected_version}, it is now {current}): {' | '.join(changes) or 'changed'}. "
            "Reload the claim and apply your change again."
        )

    def update_claim(
        self,
        claim_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        user: str | None = None,
        scenario: str | None = None,
    ) -> gpd.GeoDataFrame:
        """Change fields of a claim, refusing the write if it changed meanwhile.

        Parameters
        ----------
        claim_id : str
            The claim to edit.
        changes : mapping
            Field -> new value; fields from :data:`EDITABLE`.
        expected_version : int
            The version the editor started from.
        user : str, optional
            Who edits (stored in the history).
        scenario : str, optional
            The scenario being edited. If the claim is inherited from an
            ancestor scenario, a row overriding it is added to this scenario
            and the ancestor is left unchanged.

        Returns
        -------
        GeoDataFrame
            The stored row after the edit.

        Raises
        ------
        StaleWriteError
            If the claim's version is not ``expected_version``.
        RecordError
            On an unknown field or an invalid value (nothing is written).
        """
        unknown = [k for k in changes if k not in EDITABLE]
        if unknown:
            raise RecordError(
                f"table 'claims': field(s) {', '.join(map(repr, unknown))} cannot be edited. "
                f"Editable: {', '.join(EDITABLE)}."
            )
        with self._edit(claim_id, scenario):
            old = self._claim_row(claim_id)
            row = old.iloc[0]
            self._check_version(row, expected_version)
            new = old.copy()
            for field, value in changes.items():
                if field == "geometry":
                    new = new.set_geometry(gpd.GeoSeries([value], crs=old.crs))
                else:
                    new[field] = [value]
            if "function" in changes and "transition" not in changes:
                new["transition"] = [None]
            inherited = scenario is not None and scenario != row["scenario"]
            if scenario is not None and inherited:
                self._check_inherits(scenario, row["scenario"], claim_id)
                new["claim_id"] = [f"{claim_id}@{scenario}"]
                new["scenario"] = [scenario]
                new["replaces"] = [claim_id]
                new["version"] = [1]
            else:
                new["version"] = [int(row["version"] if pd.notna(row["version"]) else 1) + 1]
            new["updated_at"] = [now_iso()]
            new["updated_by"] = [user]
            prepared = self._prepare_claims(new.drop(columns=["layer"]))
            self._check_refs("claims", prepared, "plan_id", schema.PLANS)
            self._check_refs("claims", prepared, "region_code", schema.REGIONS)
            diff = _diff(row, prepared.iloc[0], changes)
            if inherited:
                self.store.delete(schema.CLAIMS.name, "claim_id", [prepared["claim_id"].iloc[0]])
            else:
                self.store.delete(schema.CLAIMS.name, "claim_id", [claim_id])
            self.store.append(schema.CLAIMS.name, prepared)
            self._log(prepared.iloc[0], diff, user)
        return prepared

    def remove_claim(
        self,
        claim_id: str,
        *,
        expected_version: int,
        user: str | None = None,
        scenario: str | None = None,
    ) -> None:
        """Remove a claim; in a child scenario, withdraw an inherited claim there only.

        Raises
        ------
        StaleWriteError
            If the claim's version is not ``expected_version``.
        """
        with self._edit(claim_id, scenario):
            old = self._claim_row(claim_id)
            row = old.iloc[0]
            self._check_version(row, expected_version)
            if scenario is not None and scenario != row["scenario"]:
                self._check_inherits(scenario, row["scenario"], claim_id)
                marker = old.copy()
                marker["claim_id"] = [f"{claim_id}@{scenario}"]
                marker["scenario"] = [scenario]
                marker["replaces"] = [claim_id]
                marker["removed"] = [True]
                marker["version"] = [1]
                marker["updated_at"] = [now_iso()]
                marker["updated_by"] = [user]
                prepared = self._prepare_claims(marker.drop(columns=["layer"]))
                self.store.delete(schema.CLAIMS.name, "claim_id", [prepared["claim_id"].iloc[0]])
                self.store.append(schema.CLAIMS.name, prepared)
                self._log(prepared.iloc[0], {"removed": [False, True]}, user)
                return
            self.store.delete(schema.CLAIMS.name, "claim_id", [claim_id])
            version = int(row["version"] if pd.notna(row["version"]) else 1) + 1
            entry = pd.Series({"claim_id": claim_id, "version": version})
            self._log(entry, {"removed": [False, True]}, user)

    def remove_claims(self, claim_ids: Sequence[str], *, user: str | None = None) -> int:
        """Remove claims by id, all in one transaction (all or none), each logged.

        Parameters
        ----------
        claim_ids : sequence of str
            The claims to remove (duplicates are ignored).
        user : str, optional
            Recorded in the claim history.

        Returns
        -------
        int
            The number of claims removed.

        Raises
        ------
        RecordError
            If an id is not a stored claim; nothing is removed then.
        """
        ids = list(dict.fromkeys(str(c) for c in claim_ids))
        if not ids:
            return 0
        with self.store.transaction():
            stored = self.store.read(schema.CLAIMS.name, columns=["claim_id", "version"])
            versions = dict(zip(stored["claim_id"], stored["version"], strict=True))
            missing = [c for c in ids if c not in versions]
            if missing:
                raise RecordError(
                    f"table 'claims': no claim {missing[0]!r}"
                    + (f" (and {len(missing) - 1} more unknown ids)" if len(missing) > 1 else "")
                    + f". {did_you_mean(missing[0], versions)} Nothing was removed."
                )
            self.store.delete(schema.CLAIMS.name, "claim_id", ids)
            stamp = now_iso()
            log = pd.DataFrame(
                {
                    "claim_id": ids,
                    "version": [int(versions[c]) + 1 if pd.notna(versions[c]) else 2 for c in ids],
                    "changes": json.dumps({"removed": [False, True]}),
                    "updated_by": user,
                    "updated_at": stamp,
                }
            )
            self.store.append(schema.CLAIM_HISTORY.name, conform(schema.CLAIM_HISTORY, log))
        return len(ids)

    def _edit(self, claim_id: str, scenario: str | None) -> AbstractContextManager[None]:
        """Open a transaction on one claim's rows: row locks on PostGIS, else the writer lock."""
        ids = [claim_id] if scenario is None else [claim_id, f"{claim_id}@{scenario}"]
        return self.store.edit_rows(schema.CLAIMS.name, "claim_id", ids)

    def _check_inherits(self, scenario: str, owner: str, claim_id: str) -> None:
        if owner not in self.scenario_lineage(scenario):
            raise RecordError(
                f"claim {claim_id!r} belongs to scenario {owner!r}, which is not an ancestor "
                f"of {scenario!r}; edit it in {owner!r} instead."
            )

    def _log(self, row: pd.Series, diff: Mapping[str, Any], user: str | None) -> None:
        entry = pd.DataFrame(
            [
                {
                    "claim_id": row["claim_id"],
                    "version": int(row["version"]),
                    "changes": json.dumps(diff, default=str),
                    "updated_by": user,
                    "updated_at": now_iso(),
                }
            ]
        )
        self.store.append(schema.CLAIM_HISTORY.name, conform(schema.CLAIM_HISTORY, entry))


def _diff(old: pd.Series, new: pd.Series, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for field in changes:
        before, after = old.get(field), new.get(field)
        if field == "geometry":
            same = before is not None and after is not None and before.equals(after)
            if not same:
                out[field] = ["(shape)", "(new shape)"]
        elif _show(before) != _show(after):
            out[field] = [_plain(before), _plain(after)]
    return out


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def _show(value: Any) -> str:
    value = _plain(value)
    return "(empty)" if value is None else str(value)


def _truthy(value: Any) -> bool:
    return bool(value) if value is not None and value is not pd.NA and value == value else False
