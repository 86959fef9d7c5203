# SPDX-License-Identifier: Apache-2.0
"""Allocation: place not-yet-located claims on candidate land so that targets are met.

The kernel is pure (:mod:`.problem`, :mod:`.model`, :mod:`.pareto`,
:mod:`.weights`); :mod:`.candidates` builds the land units and criteria from
arrays; :mod:`.run` is the workspace edge.
"""
