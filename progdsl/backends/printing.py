"""Print the handout's HTML to PDF with WeasyPrint, fetching nothing but the template's own files.

Imported only when a PDF is asked for (WeasyPrint is slow to import). The fetcher
serves data: URIs and files inside the template folders, and refuses everything
else (http, https, ftp, and file: paths outside those folders) with an error that
stops the build: a template can never make rendering reach the network or read a
file it does not ship, and program text never becomes markup in the first place.

Fonts are dated by the build, not by the clock. When WeasyPrint finds no HarfBuzz
subsetter (libharfbuzz-subset0), it subsets each font with fontTools (and it uses
fontTools with either subsetter to make variable fonts static and to strip colour
emoji). Each font fontTools saves gets the current time in its `head` table, unless
SOURCE_DATE_EPOCH is set. Neither library has an option for that time, so `print_pdf`
sets SOURCE_DATE_EPOCH to the build's time while WeasyPrint writes the PDF, and puts
back what was there before.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class RefusedURL(FatalURLFetchingError):
    """The handout asked for something outside its template folders."""


class TemplateAssetFetcher(URLFetcher):
    """Serves data: URIs and files inside `folders`; refuses anything else."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)
        self.folders = tuple(folder.resolve() for folder in folders)

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.folders) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise RefusedURL(
            f"the handout template asked for {url!r}; templates may only use files from their own folder "
            "(see docs/templates.md)"
        )


@cache
def font_configuration() -> FontConfiguration:
    """One font configuration for the process: fontconfig loads the system fonts once."""
    return FontConfiguration()


# SOURCE_DATE_EPOCH belongs to the whole process: two threads printing at once must not
# interleave setting and restoring it.
_SOURCE_DATE_EPOCH = threading.Lock()


@contextmanager
def source_date_epoch(moment: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `moment` (whole seconds, none before 1970) for the block only.

    A naive `moment` is taken to be UTC, as SOURCE_DATE_EPOCH is.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = max(0, int(moment.timestamp()))
    with _SOURCE_DATE_EPOCH:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def print_pdf(html: str, folders: tuple[Path, ...], created: dt.datetime, variant: str | None = None) -> bytes:
    """The tagged PDF of a handout's HTML; relative links resolve inside the first template folder.

    `created` dates the fonts WeasyPrint rewrites, so that the same handout gives the same bytes.
    `variant` is a PDF/A or PDF/UA variant WeasyPrint knows (`pdf/a-3u`), or None for plain PDF.
    The PDF is always tagged (headings, lists, tables), so screen readers read it in order.
    """
    page = HTML(string=html, base_url=folders[0].as_uri() + "/", url_fetcher=TemplateAssetFetcher(folders))
    document = page.render(font_config=font_configuration())
    with source_date_epoch(created):  # fonts are subset while the PDF is written, not while laying out
        return document.write_pdf(pdf_variant=variant, pdf_tags=True)
