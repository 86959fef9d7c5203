# SPDX-License-Identifier: Apache-2.0
"""Renewable potential inside eligible land: turbines, the solar ladder, targets.

:func:`~ruimte.analysis.potential.run.run_potential` runs wind and solar
eligibility, places turbines (:mod:`.wind`), sorts solar land by the
preference tiers of the zonneladder (:mod:`.solar`) and compares TWh possible
with the targets per region (:mod:`.targets`). :func:`.headline.headline`
gives the demo's figures.
"""
