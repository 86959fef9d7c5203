# SPDX-License-Identifier: Apache-2.0
"""Reports a council can read: HTML and PDF of one scenario and region.

:mod:`~ruimte.reports.content` gathers the numbers from the same functions
as the CLI's JSON and the studio's API, :mod:`~ruimte.reports.figures` draws
the maps and charts, and :mod:`~ruimte.reports.render` writes a
self-contained HTML file (images inline) or a PDF (WeasyPrint).
"""
