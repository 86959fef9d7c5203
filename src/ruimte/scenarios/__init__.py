# SPDX-License-Identifier: Apache-2.0
"""Adaptive scenarios: the scenario tree, comparisons, and re-running stale results."""
