"""Font files: finding, registering with reportlab, measuring, and glyph coverage."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from deckgen.errors import DeckError, Problem
from deckgen.model import FontFamily

HERE = Path(__file__).resolve().parent
# Installed: fonts travel inside the package; from a source checkout they sit at the repository's root.
PACKAGE_FONTS = HERE / "fonts" if (HERE / "fonts").is_dir() else HERE.parents[1] / "fonts"
DEFAULT_FAMILY = FontFamily(
    regular="NotoSans-Regular.ttf", bold="NotoSans-Bold.ttf",
    italic="NotoSans-Italic.ttf", bolditalic="NotoSans-BoldItalic.ttf",
)
FALLBACK_STYLES = {"bolditalic": ("bolditalic", "bold", "italic", "regular"), "bold": ("bold", "regular"),
                   "italic": ("italic", "regular"), "regular": ("regular",)}


@lru_cache(maxsize=64)
def _register(path: Path) -> str:
    """Register a TrueType file once per process; its reportlab name is derived from the file name."""
    name = "DG-" + path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except TTFError as exc:
            raise DeckError(Problem(f"not a usable TrueType font: {exc}", str(path),
                                    hint="deckgen needs .ttf fonts with glyf outlines (CFF .otf is refused)")) from None
    return name


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[str]:
    """The characters the font has (plus those never drawn: line breaks, tabs, soft hyphens)."""
    font = pdfmetrics.getFont(_register(path))
    return frozenset(map(chr, font.face.charToGlyph)) | frozenset("\n\r\t\u00ad")


class FontBook:
    """The fonts of one theme: key ("body", "title") and style -> file, measured and checked."""

    def __init__(self, families: dict[str, FontFamily], search: list[Path]):
        self.families = {"body": DEFAULT_FAMILY, **families}
        self.search = [*search, PACKAGE_FONTS]
        self._files: dict[tuple[str, str], Path] = {}
        self._measure: dict[tuple[str, str], Callable[[str, float], float]] = {}

    def file(self, key: str, style: str) -> Path:
        found = self._files.get((key, style))
        if found:
            return found
        family = self.families.get(key)
        if family is None:
            raise DeckError(Problem(f"unknown font {key!r}", hint="fonts: " + ", ".join(sorted(self.families))))
        name = next(getattr(family, s) for s in FALLBACK_STYLES[style] if getattr(family, s))
        path = self._find(name)
        self._files[(key, style)] = path
        return path

    def _find(self, name: str) -> Path:
        for folder in self.search:
            candidate = (folder / name).resolve()
            if candidate.is_file():
                return candidate
        where = ", ".join(str(f) for f in self.search)
        raise DeckError(Problem(f"font file {name!r} not found", hint=f"looked in {where}"))

    def face(self, key: str, style: str) -> str:
        """The reportlab font name for a key and style."""
        return _register(self.file(key, style))

    def width(self, text: str, key: str, style: str, size: float) -> float:
        measure = self._measure.get((key, style))
        if measure is None:  # the font's own (C-accelerated) stringWidth, found once
            measure = self._measure[(key, style)] = pdfmetrics.getFont(self.face(key, style)).stringWidth
        return measure(text, size)

    def missing(self, text: str, key: str, style: str) -> str:
        """The characters of `text` that the font lacks (spaces and line breaks aside)."""
        cmap = _cmap(self.file(key, style))
        if cmap.issuperset(text):
            return ""
        return "".join(dict.fromkeys(ch for ch in text if ch not in cmap))

    def files_used(self) -> list[Path]:
        return sorted(set(self._files.values()))
