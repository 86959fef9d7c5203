# SPDX-License-Identifier: Apache-2.0
"""Analysis kernels: pure functions on arrays and GeoDataFrames, I/O at the edges.

``eligibility`` and ``potential`` (where wind and solar can go and what they
yield), ``overlay`` (conflicts, shared use, distance violations, synergies),
``grid`` (substations, headroom, load flow, energy hubs) and ``allocation``
(placing not-yet-located claims under targets).
"""
