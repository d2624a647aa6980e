"""The contact sheet: every figure with its id under it, printed through WeasyPrint to PDF."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

COLUMNS = 4


def sheet_html(figures: Sequence[tuple[str, bytes]]) -> str:
    cells = []
    for id, svg in figures:
        data = base64.b64encode(svg).decode("ascii")
        cells.append(
            f'<figure><img src="data:image/svg+xml;base64,{data}" alt=""><figcaption>{html.escape(id)}</figcaption></figure>'
        )
    style = (
        "@page { size: A4; margin: 10mm; }"
        "body { font-family: sans-serif; margin: 0; }"
        f".grid {{ display: grid; grid-template-columns: repeat({COLUMNS}, 1fr); gap: 4mm; }}"
        "figure { margin: 0; border: 0.3mm solid #ccc; padding: 2mm; break-inside: avoid; text-align: center; }"
        "img { width: 100%; height: 38mm; object-fit: contain; }"
        "figcaption { font-size: 8pt; margin-top: 1mm; }"
    )
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{style}</style></head><body><div class="grid">{"".join(cells)}</div></body></html>'


def sheet_pdf(figures: Sequence[tuple[str, bytes]]) -> bytes:
    """The contact sheet as PDF bytes (WeasyPrint is imported only here)."""
    from weasyprint import HTML

    return HTML(string=sheet_html(figures)).write_pdf()
