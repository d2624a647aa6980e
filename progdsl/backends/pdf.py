"""The printable handout as PDF: the HTML backend's page, printed by WeasyPrint.

WeasyPrint is imported only here, inside `render`, so that checking a program
never pays for it. Before printing, every character is checked against the
installed fonts (`progdsl.handout_fonts`), and WeasyPrint gets a URL fetcher that
serves only the template's own files (`progdsl.handout_print`).

The fonts WeasyPrint rewrites carry a time (see `progdsl.handout_print`): SOURCE_DATE_EPOCH
when it is set, else midnight UTC on the plan's first day, as for the calendar's DTSTAMP,
so that the same program gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..handout import HandoutError
from ..handout_fonts import check_fonts
from . import RenderOptions
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
        from ..handout_print import RefusedURL, print_pdf

        created = options.timestamp or dt.datetime.combine(plan.start, dt.time(), dt.timezone.utc)
        try:
            return print_pdf(html, folders, created)
        except RefusedURL as refused:  # a BaseException in WeasyPrint: make it an ordinary error
            raise HandoutError(str(refused)) from None
