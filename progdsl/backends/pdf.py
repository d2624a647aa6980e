"""The printable handout as PDF: the HTML backend's page, printed by WeasyPrint.

WeasyPrint is imported only here, inside `render`, so that checking a program
never pays for it. Before printing, every character is checked against the
installed fonts (`progdsl.backends.fonts`), and WeasyPrint gets a URL fetcher that
serves only the template's own files (`progdsl.backends.printing`).

The fonts WeasyPrint rewrites carry a time (see `progdsl.backends.printing`):
`RenderOptions.stamp`, as for the calendar's DTSTAMP, so that the same program gives
the same bytes.

Every PDF is tagged, for screen readers. `--pdf-variant` (the `pdf_variant` override)
asks for an archival PDF/A or a PDF/UA file; `PDF_VARIANTS` lists those offered.

Two backends print: `pdf`, the client's handout, and `summary`, the clinician's
summary (`NAME.summary.pdf`): the flags and clearance, every `allow` with its reason,
the safety check's warnings and the whole prescription, which the client's handout
leaves out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import RenderOptions
from .fonts import check_fonts
from .handout import HandoutError
from .html import render_html, template_folders

if TYPE_CHECKING:
    from ..plan import Plan

# The PDF/A and PDF/UA variants `--pdf-variant` offers (WeasyPrint makes them all).
PDF_VARIANTS = ("pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1")


def print_handout(plan: Plan, options: RenderOptions, audience: str) -> bytes:
    folders = template_folders(plan, options)
    html = render_html(plan, options, folders, audience)
    check_fonts(html)
    variant = options.overrides.get("pdf_variant")
    if variant is not None and variant not in PDF_VARIANTS:
        raise HandoutError(f"unknown PDF variant '{variant}'; choose one of " + ", ".join(PDF_VARIANTS))
    from .printing import RefusedURL, print_pdf

    try:
        return print_pdf(html, folders, options.stamp(plan), str(variant) if variant else None)
    except RefusedURL as refused:  # a BaseException in WeasyPrint: make it an ordinary error
        raise HandoutError(str(refused)) from None


class PdfBackend:
    name = "pdf"
    suffix = ".pdf"
    media_type = "application/pdf"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        return print_handout(plan, options, "client")


class SummaryBackend:
    """The clinician's summary, for the clinic's record: `progdsl build --to summary`."""

    name = "summary"
    suffix = ".summary.pdf"
    media_type = "application/pdf"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        return print_handout(plan, options, "clinician")
