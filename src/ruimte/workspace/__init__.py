# SPDX-License-Identifier: Apache-2.0
"""The workspace: one planning area's information base, behind a store interface."""

from __future__ import annotations

from ruimte.workspace.workspace import DatasetRecord, Workspace

__all__ = ["DatasetRecord", "Workspace"]
