# SPDX-License-Identifier: Apache-2.0
"""Write a report: a self-contained HTML file (jinja2), or a PDF of it (WeasyPrint).

The HTML carries its images as ``data:`` URIs and its style inline, so it
opens anywhere with no network; the PDF is that HTML laid out on A4 pages.
"""

from __future__ import annotations

import importlib.resources
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ruimte.reports import process_sections, sections
from ruimte.reports.content import ReportContent, ReportError
from ruimte.reports.words import Words

LANGUAGES = ("nl", "en")
FORMATS = (".html", ".pdf")


def _data(name: str) -> str:
    return (importlib.resources.files("ruimte.reports") / "data" / name).read_text("utf-8")


@cache
def labels(lang: str) -> dict[str, Any]:
    """Return the report's words in ``lang`` (``nl`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ReportError(f"--lang {lang!r}: choose one of {', '.join(LANGUAGES)}.")
    return dict(yaml.safe_load(_data("labels.yaml"))[lang])


def build_view(content: ReportContent, lang: str, vocab: Any) -> dict[str, Any]:
    """Return everything the template shows: the title page and the chapters in order."""
    w = Words(labels(lang), lang, vocab)
    chapters = [
        sections.summary_section(content, w),
        sections.layer_sections(content, w),
        sections.eligibility_section(content, w),
        sections.conflicts_section(content, w),
        sections.grid_section(content, w),
        process_sections.targets_section(content, w),
        process_sections.allocation_section(content, w),
        process_sections.participation_section(content, w),
        process_sections.comparison_section(content, w),
        process_sections.appendix_section(content, w),
    ]
    region = content.region
    return {
        "lang": lang,
        "w": w.labels,
        "title": w["title"],
        "region": f"{region['name']} ({region['code']}, {w.level(region['level'])})",
        "scenario": content.scenario,
        "scenario_description": content.scenario_description,
        "compare": content.comparison["a"] if content.comparison else None,
        "made_on": content.made_on,
        "workspace": Path(content.workspace).name,
        "versions": content.versions,
        "chapters": [c for c in chapters if c is not None],
    }


def render_html(content: ReportContent, lang: str, vocab: Any) -> str:
    """Return the report as one self-contained HTML document."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_data("report.html.j2"))
    return template.render(css=_data("report.css"), **build_view(content, lang, vocab))


def write_report(content: ReportContent, out: Path, lang: str, vocab: Any) -> Path:
    """Write the report to ``out`` (``.html`` or ``.pdf``), atomically.

    The file appears whole or not at all: it is written beside ``out`` under
    a temporary name and renamed, so a killed run leaves no half a report.
    """
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ReportError(
            f"--out {out}: the report is written as .html or .pdf; give a file name "
            "ending in one of them."
        )
    html = render_html(content, lang, vocab)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if suffix == ".html":
                handle.write(html.encode("utf-8"))
            else:
                handle.write(pdf_bytes(html))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def pdf_bytes(html: str) -> bytes:
    """Lay the HTML out on A4 pages with WeasyPrint; fetch nothing from the network."""
    import logging

    try:
        import weasyprint
    except OSError as exc:  # the Python package is there, the Pango library is not
        raise ReportError(
            f"a PDF needs WeasyPrint with the Pango library, which could not be loaded ({exc}). "
            "Install it (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) or write "
            "the report as .html."
        ) from None

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    fetcher: Any
    if hasattr(weasyprint.urls, "URLFetcher"):  # WeasyPrint 68 and newer
        fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    else:

        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if url.startswith("data:"):
                return weasyprint.default_url_fetcher(url, *args, **kwargs)
            raise ReportError(f"the report asked for {url}; reports fetch nothing from outside.")

    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
