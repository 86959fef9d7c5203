# SPDX-License-Identifier: Apache-2.0
"""Exchange with other tools: ESDL (Energy System Description Language) in and out via pyESDL."""
