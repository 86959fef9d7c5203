# SPDX-License-Identifier: Apache-2.0
"""The claims overlay: conflicts, shared use, distance violations and synergies.

Every transition's located claims and the existing land use on one table,
judged pair by pair by the vocabulary's compatibility matrix. Overlaps are
reported once per distinct piece of land, so hectares add up.

- :func:`~ruimte.analysis.overlay.kernel.overlay_claims`: the pure kernel (frames in, findings out);
- :func:`~ruimte.analysis.overlay.run.run_overlay`: read a workspace, run, store the result;
- :mod:`~ruimte.analysis.overlay.indicators`: per region, governance level and scenario.
"""
