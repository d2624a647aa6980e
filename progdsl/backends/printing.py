"""Print the handout's HTML to PDF with WeasyPrint, fetching nothing but the template's own files.

Imported only when a PDF is asked for (WeasyPrint is slow to import). The fetcher
serves data: URIs and files inside the template folders, and refuses everything
else (http, https, ftp, and file: paths outside those folders) with an error that
stops the build: a template can never make rendering reach the network or read a
file it does not ship, and program text never becomes markup in the first place.
"""

from __future__ import annotations

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


def print_pdf(html: str, folders: tuple[Path, ...]) -> bytes:
    """The PDF of a handout's HTML; relative links resolve inside the first template folder."""
    document = HTML(string=html, base_url=folders[0].as_uri() + "/", url_fetcher=TemplateAssetFetcher(folders))
    return document.write_pdf(font_config=font_configuration())
