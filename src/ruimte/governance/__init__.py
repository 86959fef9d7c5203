# SPDX-License-Identifier: Apache-2.0
"""Targets across governance levels: roll-up, cascade and gap report.

Pure functions on region, target and claim frames live in
:mod:`~ruimte.governance.hierarchy`, :mod:`~ruimte.governance.cascade`,
:mod:`~ruimte.governance.rollup` and :mod:`~ruimte.governance.gaps`; unit
conversion in :mod:`~ruimte.governance.quantities`.
"""
