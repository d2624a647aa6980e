"""The printable handout as PDF: the HTML backend's page, printed by WeasyPrint.

WeasyPrint is imported only here, inside `render`, so that checking a program
never pays for it. Before printing, every character is checked against the
installed fonts (`progdsl.backends.fonts`), and WeasyPrint gets a URL fetcher that
serves only the template's own files (`progdsl.backends.printing`).

The fonts WeasyPrint rewrites carry a time (see `progdsl.backends.printing`):
`RenderOptions.stamp`, as for the calendar's DTSTAMP, so that the same program gives
the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import RenderOptions
from .fonts import check_fonts
from .handout import HandoutError
from .html import render_html, template_folders

if TYPE_CHECKING:
    from ..plan import Plan


class PdfBackend:
    name = "pdf"
    suffix = ".pdf"
    media_type = "application/pdf"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        folders = template_folders(plan, options)
        html = render_html(plan, options, folders)
        check_fonts(html)
        from .printing import RefusedURL, print_pdf

        try:
            return print_pdf(html, folders, options.stamp(plan))
        except RefusedURL as refused:  # a BaseException in WeasyPrint: make it an ordinary error
            raise HandoutError(str(refused)) from None
