# SPDX-License-Identifier: Apache-2.0
"""The web studio: a FastAPI app with a MapLibre GL map over one workspace.

Start it with ``ruimte serve WORKSPACE`` or build the app with
:func:`ruimte.web.app.create_app`.
"""

from __future__ import annotations
