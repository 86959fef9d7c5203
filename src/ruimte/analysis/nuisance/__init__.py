# SPDX-License-Identifier: Apache-2.0
"""Living next to a turbine: noise (ISO 9613-2), shadow flicker and visibility bands.

Pure kernels in :mod:`.noise`, :mod:`.flicker` and :mod:`.visibility`; method
constants, norms and bands as data in ``data/``; the workspace edge in :mod:`.run`.
"""
