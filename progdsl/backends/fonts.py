"""Before printing: can some installed font draw every character of the handout?

WeasyPrint draws an empty box for a character no font has. Rather than print a
client's name as boxes, the PDF backend asks fontconfig (the library WeasyPrint
itself finds fonts with; `fc-list :charset=...` asks the same question) about
each character the handout prints, and fails with a message that names the
characters, where they appear, and a font that covers them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from functools import cache
from html.parser import HTMLParser

from .handout import HandoutError

LIBRARY_NAMES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig-1")
NO_GLYPH_NEEDED = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}

# The first word of a character's Unicode name → (a font that has it, the Debian package with that font).
_CJK = ("Noto Sans CJK SC", "fonts-noto-cjk")
FONT_FOR_SCRIPT = {
    "CJK": _CJK,
    "IDEOGRAPHIC": _CJK,
    "FULLWIDTH": _CJK,
    "HALFWIDTH": _CJK,
    "BOPOMOFO": _CJK,
    "HIRAGANA": ("Noto Sans CJK JP", "fonts-noto-cjk"),
    "KATAKANA": ("Noto Sans CJK JP", "fonts-noto-cjk"),
    "HANGUL": ("Noto Sans CJK KR", "fonts-noto-cjk"),
}
NOTO_PACKAGES = "fonts-noto-core or fonts-noto-extra"


class MissingFont(HandoutError):
    """No installed font has some of the handout's characters."""


class _TextCollector(HTMLParser):
    """The text a browser would print: every text node outside <style>, <script> and <title>."""

    HIDDEN = {"style", "script", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self._hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


@cache
def _fontconfig() -> ctypes.CDLL | None:
    """The fontconfig library, or None where it cannot be loaded (WeasyPrint then cannot run either)."""
    for name in filter(None, (ctypes.util.find_library("fontconfig"), *LIBRARY_NAMES)):
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.FcNameParse.restype = ctypes.c_void_p
        library.FcNameParse.argtypes = [ctypes.c_char_p]
        library.FcObjectSetCreate.restype = ctypes.c_void_p
        library.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        library.FcFontList.restype = ctypes.POINTER(_FontSet)
        library.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        library.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
        library.FcPatternDestroy.argtypes = [ctypes.c_void_p]
        library.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
        return library
    return None


def _some_font_has_all(library: ctypes.CDLL, characters: str) -> bool:
    """Whether one installed font has every one of `characters` (as `fc-list :charset=…`)."""
    query = ":charset=" + " ".join(f"{ord(c):x}" for c in characters)
    pattern = library.FcNameParse(query.encode("ascii"))
    objects = library.FcObjectSetCreate()
    library.FcObjectSetAdd(objects, b"family")
    fonts = library.FcFontList(None, pattern, objects)
    try:
        return bool(fonts) and fonts.contents.nfont > 0
    finally:
        if fonts:
            library.FcFontSetDestroy(fonts)
        library.FcObjectSetDestroy(objects)
        library.FcPatternDestroy(pattern)


@cache
def _printable(character: str) -> bool:
    """Whether some installed font has `character`; check_fonts asks only once fontconfig has loaded."""
    library = _fontconfig()
    if library is None:
        raise RuntimeError("fontconfig could not be loaded, so no font can be asked about a character")
    return _some_font_has_all(library, character)


def suggested_font(character: str) -> tuple[str, str]:
    """(a font family, the Debian package that has it) for a character no installed font has."""
    word = unicodedata.name(character, "").split(" ")[0]
    if word in FONT_FOR_SCRIPT:
        return FONT_FOR_SCRIPT[word]
    if unicodedata.category(character) == "So":
        return ("Noto Color Emoji", "fonts-noto-color-emoji")
    return (f"Noto Sans {word.title()}" if word else "one of the Noto fonts", NOTO_PACKAGES)


def check_fonts(html: str) -> None:
    """Raise MissingFont, naming what to install, when a character of `html`'s text has no font."""
    library = _fontconfig()
    if library is None:
        return
    collector = _TextCollector()
    collector.feed(html)
    characters = "".join(
        dict.fromkeys(  # each character once, in the order the handout prints them
            c for text in collector.texts for c in text if unicodedata.category(c) not in NO_GLYPH_NEEDED
        )
    )
    if not characters or _some_font_has_all(library, characters):
        return
    missing = [c for c in characters if not _printable(c)]
    if missing:
        raise MissingFont(_message(missing, collector.texts))


def _message(missing: list[str], texts: list[str]) -> str:
    by_font: dict[tuple[str, str], list[str]] = {}
    for character in missing:
        by_font.setdefault(suggested_font(character), []).append(character)
    lines = []
    for (family, package), characters in by_font.items():
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in characters[:8]) + (" …" if len(characters) > 8 else "")
        context = next(text for text in texts if characters[0] in text)
        lines.append(
            f"no installed font has {shown}, used in “{context[:40]}”. Install a font that has "
            f"{'it' if len(characters) == 1 else 'them'}, such as {family} (on Debian and Ubuntu, "
            f"the package {package}), and build again."
        )
    return "\n".join(lines)
