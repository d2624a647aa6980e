"""The contact sheet: every figure with its id under it, printed through WeasyPrint to PDF."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

COLUMNS = 4
ROW_MM = 64  # one row of figures with its ids, with room to spare


def sheet_html(figures: Sequence[tuple[str, bytes]]) -> str:
    cells = []
    for id, svg in figures:
        data = base64.b64encode(svg).decode("ascii")
        cells.append(
            f'<figure><img src="data:image/svg+xml;base64,{data}" alt=""><figcaption>{html.escape(id)}</figcaption></figure>'
        )
    rows = max(1, -(-len(figures) // COLUMNS))
    style = (
        # one page as long as the sheet, so that it becomes one picture
        f"@page {{ size: 210mm {rows * ROW_MM + 20}mm; margin: 10mm; }}"
        "body { font-family: sans-serif; margin: 0; }"
        f".grid {{ display: grid; grid-template-columns: repeat({COLUMNS}, 1fr); gap: 4mm; }}"
        "figure { margin: 0; border: 0.3mm solid #ccc; padding: 2mm; break-inside: avoid; text-align: center; }"
        "img { width: 100%; height: 40mm; object-fit: contain; }"
        "figcaption { font-size: 8pt; margin-top: 1mm; }"
    )
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{style}</style></head><body><div class="grid">{"".join(cells)}</div></body></html>'


def sheet_pdf(figures: Sequence[tuple[str, bytes]]) -> bytes:
    """The contact sheet as PDF bytes (WeasyPrint is imported only here)."""
    from weasyprint import HTML

    return HTML(string=sheet_html(figures)).write_pdf()


class NoPdftoppm(Exception):
    """pdftoppm (poppler-utils) is not installed, so the sheet cannot become a PNG."""


def sheet_png(pdf: bytes, resolution: int = 80) -> bytes:
    """The one-page sheet as PNG, through poppler's `pdftoppm`."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise NoPdftoppm
    with tempfile.TemporaryDirectory(prefix="progdsl-sheet-") as folder:
        source = Path(folder) / "sheet.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [tool, "-png", "-singlefile", "-r", str(resolution), str(source), str(Path(folder) / "sheet")],
            capture_output=True,
            check=True,
        )
        return (Path(folder) / "sheet.png").read_bytes()
