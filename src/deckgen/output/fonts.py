"""Font files: finding, registering with reportlab, measuring, and glyph coverage."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from deckgen.design.theme_model import FontFamily
from deckgen.errors import DeckError, Problem

HERE = Path(__file__).resolve().parents[1]  # the package folder
# Installed: fonts travel inside the package; from a source checkout they sit at the repository's root.
PACKAGE_FONTS = HERE / "fonts" if (HERE / "fonts").is_dir() else HERE.parents[1] / "fonts"
DEFAULT_FAMILY = FontFamily(
    regular="NotoSans-Regular.ttf", bold="NotoSans-Bold.ttf",
    italic="NotoSans-Italic.ttf", bolditalic="NotoSans-BoldItalic.ttf",
)
FALLBACK_STYLES = {"bolditalic": ("bolditalic", "bold", "italic", "regular"), "bold": ("bold", "regular"),
                   "italic": ("italic", "regular"), "regular": ("regular",)}


Identity = tuple[str, int, int]  # a font file's path, size and mtime_ns: a replaced file is another font


def identity(path: Path) -> Identity:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _register(ident: Identity) -> str:
    """Register a TrueType file once per process and version of the file (`watch` sees a replaced font);
    its reportlab name is derived from the file name and identity (never written in the PDF)."""
    path = Path(ident[0])
    name = f"DG-{path.stem}-{hashlib.sha1(repr(ident).encode()).hexdigest()[:12]}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except TTFError as exc:
            raise DeckError(Problem(f"not a usable TrueType font: {exc}", str(path),
                                    hint="deckgen needs .ttf fonts with glyf outlines (CFF .otf is refused)")) from None
    return name


@lru_cache(maxsize=64)
def _cmap(ident: Identity) -> frozenset[str]:
    """The characters the font has (plus those never drawn: line breaks, tabs, soft hyphens)."""
    font = pdfmetrics.getFont(_register(ident))
    return frozenset(map(chr, font.face.charToGlyph)) | frozenset("\n\r\t\u00ad")


class FontBook:
    """The fonts of one theme: key ("body", "title") and style -> file, measured and checked."""

    def __init__(self, families: dict[str, FontFamily], search: list[Path]):
        self._given = (dict(families), list(search))
        self.families = {"body": DEFAULT_FAMILY, **families}
        self.search = [*search, PACKAGE_FONTS]
        self._files: dict[tuple[str, str], Path] = {}
        self._measure: dict[tuple[str, str], Callable[[str, float], float]] = {}
        self._ids: dict[Path, Identity] = {}  # each file's identity, taken once: this book's fonts stay as read

    def __reduce__(self) -> tuple[type[FontBook], tuple[dict[str, FontFamily], list[Path]]]:
        """A worker process opens the same fonts (its measures are its own)."""
        return FontBook, self._given

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
        return _register(self._identity(self.file(key, style)))

    def _identity(self, path: Path) -> Identity:
        found = self._ids.get(path)
        if found is None:
            found = self._ids[path] = identity(path)
        return found

    def width(self, text: str, key: str, style: str, size: float) -> float:
        measure = self._measure.get((key, style))
        if measure is None:  # the font's own (C-accelerated) stringWidth, found once
            measure = self._measure[(key, style)] = pdfmetrics.getFont(self.face(key, style)).stringWidth
        return measure(text, size)

    def missing(self, text: str, key: str, style: str) -> str:
        """The characters of `text` that the font lacks (spaces and line breaks aside)."""
        cmap = _cmap(self._identity(self.file(key, style)))
        if cmap.issuperset(text):
            return ""
        return "".join(dict.fromkeys(ch for ch in text if ch not in cmap))

    def files_used(self) -> list[Path]:
        return sorted(set(self._files.values()))
