"""Font files: finding, registering with reportlab, measuring, and glyph coverage.

A character that a theme's font lacks is drawn from deckgen's fallback fonts (symbols, then emoji): a text
is split into runs of one font each, measured and drawn in its font (FontBook.runs)."""

from __future__ import annotations

import hashlib
import os
import stat
import struct
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from deckgen.design.glyphs import VARIATION_SELECTORS
from deckgen.design.theme_model import FontFamily
from deckgen.errors import DeckError, Problem
from deckgen.files import outside
from deckgen.limits import MAX_FONT_BYTES
from deckgen.output import tounicode
from deckgen.output.pdfids import retag, subset_tag

tounicode.install()  # emoji code points written as UTF-16 in the PDF's text maps

HERE = Path(__file__).resolve().parents[1]  # the package folder
# Installed: fonts travel inside the package; from a source checkout they sit at the repository's root.
PACKAGE_FONTS = HERE / "fonts" if (HERE / "fonts").is_dir() else HERE.parents[1] / "fonts"
DEFAULT_FAMILY = FontFamily(
    regular="NotoSans-Regular.ttf", bold="NotoSans-Bold.ttf",
    italic="NotoSans-Italic.ttf", bolditalic="NotoSans-BoldItalic.ttf",
)
# Tried in this order for a character the theme's font lacks (see fonts/README.md).
FALLBACK_FONTS = ("NotoSansMath-Regular.ttf", "NotoSansSymbols2-Regular.ttf", "NotoSansSymbols-Regular.ttf",
                  "NotoEmoji-Regular.ttf")
FALLBACK_STYLES = {"bolditalic": ("bolditalic", "bold", "italic", "regular"), "bold": ("bold", "regular"),
                   "italic": ("italic", "regular"), "regular": ("regular",)}


class TaggedTTFont(TTFont):
    """TTFont whose subsets are named `TAG+Font` with TAG derived from the font file and the subset's
    characters, instead of reportlab's `AAAAAA`, `AAAAAB`… that every font of every file shares."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        # the font file as reportlab read it (once); a private attribute, so missing from the stubs
        self._digest = hashlib.sha256(self.face._ttf_data).digest()  # type: ignore[attr-defined]

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for internal, subset in zip(names, subsets, strict=True):
            font = fonts[internal]
            old = font.BaseFont
            new = retag(old, subset_tag(self._digest, subset))
            font.BaseFont = new
            doc.idToObject["fontDescriptor:" + old]["FontName"] = pdfdoc.PDFName(new)
            doc.idToObject["toUnicodeCMap:" + old].content = tounicode.to_unicode_cmap(new, subset)


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
        hint = "deckgen needs .ttf fonts with glyf outlines (CFF .otf is refused)"
        why = _not_a_font_file(path)
        if why is not None:
            raise DeckError(Problem(why, str(path), hint=hint))
        try:
            pdfmetrics.registerFont(TaggedTTFont(name, str(path)))
        except TTFError as exc:
            raise DeckError(Problem(f"not a usable TrueType font: {exc}", str(path), hint=hint)) from None
        except (struct.error, ValueError, IndexError, KeyError, AssertionError, OSError) as exc:  # cut short
            raise DeckError(Problem(f"not a usable TrueType font: a damaged or truncated file ({type(exc).__name__})",
                                    str(path), hint=hint)) from None
    return name


def _not_a_font_file(path: Path) -> str | None:
    """Why `path` cannot be read as a font before anything parses it: not a regular file, too large."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot read the font: {exc.strerror}"
    if not stat.S_ISREG(st.st_mode):
        return "not a font file (a device, a FIFO or a folder)"
    if st.st_size > MAX_FONT_BYTES:
        return f"{st.st_size:,} bytes, more than deckgen's limit of {MAX_FONT_BYTES:,} for a font"
    return None


@lru_cache(maxsize=64)
def _cmap(ident: Identity) -> frozenset[str]:
    """The characters the font has (plus those never drawn: line breaks, tabs, soft hyphens)."""
    font = pdfmetrics.getFont(_register(ident))
    assert isinstance(font, TTFont)  # _register registers TrueType fonts only (the stubs say a Type 1 Font)
    return frozenset(map(chr, font.face.charToGlyph)) | frozenset("\n\r\t\u00ad")


class _Fallback:
    """deckgen's fallback fonts, each read only when a character needs it (most texts need none)."""

    def __init__(self, folder: Path) -> None:
        self.paths = [folder / name for name in FALLBACK_FONTS]
        self._loaded: list[tuple[str, frozenset[str]]] = []  # (reportlab name, characters) of the first fonts
        self._face: dict[str, str | None] = dict.fromkeys(VARIATION_SELECTORS, "")  # never drawn

    def face(self, ch: str) -> str | None:
        """The reportlab name of the first fallback font with `ch` ("" for a character never drawn), or None."""
        if ch in self._face:
            return self._face[ch]
        found = next((name for name, chars in self._fonts() if ch in chars), None)
        self._face[ch] = found
        return found

    def _fonts(self) -> Iterator[tuple[str, frozenset[str]]]:
        yield from self._loaded
        for path in self.paths[len(self._loaded):]:
            ident = identity(path)
            self._loaded.append((_register(ident), _cmap(ident)))
            yield self._loaded[-1]


@lru_cache(maxsize=4)
def _fallback(folder: Path) -> _Fallback:
    return _Fallback(folder)


class FontBook:
    """The fonts of one theme: key ("body", "title") and style -> file, measured and checked."""

    def __init__(self, families: dict[str, FontFamily], search: list[Path], allow_outside: bool = False):
        self._given = (dict(families), list(search), allow_outside)
        self.families = {"body": DEFAULT_FAMILY, **families}
        self.search = [*search, PACKAGE_FONTS]
        self.allow_outside = allow_outside
        self._files: dict[tuple[str, str], Path] = {}
        self._measure: dict[tuple[str, str], tuple[Callable[[str, float], float], frozenset[str]]] = {}
        self._chars: dict[tuple[str, str], frozenset[str]] = {}
        self._faces: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}  # (reportlab name, characters)
        self._ids: dict[Path, Identity] = {}  # each file's identity, taken once: this book's fonts stay as read

    def __reduce__(self) -> tuple[type[FontBook], tuple[dict[str, FontFamily], list[Path], bool]]:
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
                if not self.allow_outside and outside(candidate, self.search):
                    raise DeckError(Problem(f"font file {name!r} is outside the theme's and the deck's folders",
                                            hint="put it in fonts/ next to the deck, or build with --allow-outside"))
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

    def chars(self, key: str, style: str) -> frozenset[str]:
        """The characters the font of a key and style has."""
        found = self._chars.get((key, style))
        if found is None:
            found = self._chars[(key, style)] = _cmap(self._identity(self.file(key, style)))
        return found

    def runs(self, text: str, key: str, style: str) -> list[tuple[str, str]]:
        """`text` as (reportlab font name, text) runs: the font's own, or the fallback font of each character
        it lacks. Variation selectors (U+FE0F) are dropped; a character no font has stays in the font's run
        (`missing` names it)."""
        found = self._faces.get((key, style))
        if found is None:
            found = self._faces[(key, style)] = (self.face(key, style), self.chars(key, style))
        face, own = found
        if own.issuperset(text):
            return [(face, text)]
        fallback = _fallback(PACKAGE_FONTS)
        out: list[tuple[str, str]] = []
        for ch in text:
            name = face if ch in own else fallback.face(ch)
            if name == "":
                continue
            name = name or face
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def width(self, text: str, key: str, style: str, size: float) -> float:
        found = self._measure.get((key, style))
        if found is None:  # the font's own (C-accelerated) stringWidth and its characters, found once
            found = self._measure[(key, style)] = (pdfmetrics.getFont(self.face(key, style)).stringWidth,
                                                   self.chars(key, style))
        measure, own = found
        if own.issuperset(text):
            return measure(text, size)
        return float(sum(pdfmetrics.stringWidth(part, name, size) for name, part in self.runs(text, key, style)))

    def missing(self, text: str, key: str, style: str) -> str:
        """The characters of `text` that neither the font nor a fallback font has (spaces and line breaks aside)."""
        own = self.chars(key, style)
        if own.issuperset(text):
            return ""
        fallback = _fallback(PACKAGE_FONTS)
        return "".join(dict.fromkeys(ch for ch in text if ch not in own and fallback.face(ch) is None))

    def files_used(self) -> list[Path]:
        return sorted(set(self._files.values()))
