# SPDX-License-Identifier: Apache-2.0
"""Grid impact: which substation each claim loads, headroom, load flow and energy hubs.

Kernels are pure functions on GeoDataFrames and arrays:
:mod:`.network` (the model), :mod:`.graph` (network distance),
:mod:`.assignment` (claims to substations), :mod:`.headroom`,
:mod:`.loadflow` (pandapower), :mod:`.hubs` (battery dispatch with HiGHS).
:mod:`.run` is the workspace edge.
"""
