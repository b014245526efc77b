"""The theme's fonts for SVG text (pure): a CSS font-family list -> one of the theme's fonts -> glyph outlines.

A family the theme declares, named by its key (`title`), by the family name inside its font file (`Lora`) or
by its file name (`Lora-Regular`), is drawn in that font; any other name, generic (sans-serif, serif,
monospace) or not, in the theme's body font. Bold (font-weight 600 or more) and italic choose the family's style
as card text does (a style the family lacks falls back the same way); so does the style of a PostScript name
such as Illustrator writes ('MyriadPro-BoldIt'). A character the font lacks is drawn from
deckgen's fallback fonts, as in card text; one that no font has is refused, naming it.

Outlines, not text: the glyphs become paths (fontTools reads the TrueType outlines, quadratic curves become
cubic), so the PDF embeds no font for them and they print the same in every RIP and every PDF/X variant.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont, TTLibError

from deckgen.deck.svg.text import Glyph, GlyphError
from deckgen.design.glyphs import SEQUENCE_HINT, VARIATION_SELECTORS, codes, unshapeable
from deckgen.design.theme_model import STYLES
from deckgen.errors import DeckError

FontFile = tuple[str, int, int]  # path, size, mtime_ns: a replaced file is another font
_EMPTY: Glyph = (0.0, "", ())
_INVISIBLE = frozenset(VARIATION_SELECTORS + "\u00ad\u200b\u200c\u200d\u2060\ufeff")  # drawn as nothing
MISSING_HINT = "remove the character, or convert the text to paths"


class _Pen(BasePen):  # type: ignore[misc]
    """Collects a glyph's outline as path codes and coordinates, in em."""

    def __init__(self, glyphs: Any, upem: float) -> None:
        super().__init__(glyphs)
        self.scale = 1.0 / upem
        self.codes: list[str] = []
        self.coords: list[float] = []

    def _add(self, code: str, *points: tuple[float, float]) -> None:
        self.codes.append(code)
        self.coords += [v * self.scale for p in points for v in p]

    def _moveTo(self, pt: tuple[float, float]) -> None:  # noqa: N802 - fontTools' names
        self._add("M", pt)

    def _lineTo(self, pt: tuple[float, float]) -> None:  # noqa: N802
        self._add("L", pt)

    def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float],  # noqa: N802
                    p3: tuple[float, float]) -> None:
        self._add("C", p1, p2, p3)

    def _closePath(self) -> None:  # noqa: N802
        self._add("Z")


class _Face:
    """One font file: its characters, metrics and glyph outlines (each read once)."""

    def __init__(self, path: str) -> None:
        font = TTFont(io.BytesIO(Path(path).read_bytes()))
        self.upem = float(font["head"].unitsPerEm)
        self.cmap: dict[int, str] = font.getBestCmap() or {}
        self.glyph_set = font.getGlyphSet()
        self.advances = font["hmtx"].metrics
        os2 = font["OS/2"] if "OS/2" in font else None
        self.ascent, self.descent = font["hhea"].ascent / self.upem, font["hhea"].descent / self.upem
        x_height = getattr(os2, "sxHeight", 0) if os2 is not None and os2.version >= 2 else 0
        self.x_height = x_height / self.upem if x_height else self.ascent / 2
        name = font["name"]
        self.family = str(name.getDebugName(16) or name.getDebugName(1) or "")
        self._glyphs: dict[str, Glyph] = {}

    def glyph(self, ch: str) -> Glyph | None:
        name = self.cmap.get(ord(ch))
        if name is None:
            return None
        found = self._glyphs.get(name)
        if found is None:
            pen = _Pen(self.glyph_set, self.upem)
            self.glyph_set[name].draw(pen)
            found = self._glyphs[name] = (self.advances[name][0] / self.upem, "".join(pen.codes), tuple(pen.coords))
        return found


@lru_cache(maxsize=32)
def _face(file: FontFile) -> _Face:
    """The font file, read once per version; GlyphError (naming it) for one fontTools cannot read."""
    try:
        return _Face(file[0])
    except (OSError, KeyError, ValueError, IndexError, AssertionError, struct.error, TTLibError) as exc:
        raise GlyphError(f"the font {Path(file[0]).name} cannot be read for text ({type(exc).__name__})",
                         "use another font, or convert the text to paths") from None


Resolve = Callable[[str, str], FontFile]  # (theme font key, style) -> its file
GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                     "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji", "fangsong"})


class SvgFonts:
    """The theme's fonts for SVG text: `declared`, each key's file names; `resolve` finds a key's file for a
    style (as card text does: a missing style falls back), only for the fonts a text uses; then deckgen's
    fallback fonts."""

    def __init__(self, declared: Mapping[str, Sequence[str]], resolve: Resolve, fallbacks: Sequence[FontFile]):
        self.declared = {key: tuple(files) for key, files in declared.items()}
        self.fallbacks = tuple(fallbacks)
        self._resolve = resolve
        self._files: dict[tuple[str, int], FontFile] = {}
        self._names = {key.lower(): key for key in self.declared}  # the keys, then the files' names
        for key, files in self.declared.items():
            for stem in (Path(f).stem.lower() for f in files):
                self._names.setdefault(stem, key)
                self._names.setdefault(stem.split("-")[0], key)
        self._families_read = False  # the family names inside the files: read when a name is not found

    def glyphs(self, text: str, family: str, bold: bool, italic: bool) -> list[Glyph]:
        sequences = unshapeable(text)
        if sequences:
            raise GlyphError("; ".join(sequences), SEQUENCE_HINT)
        face = _face(self._file(family, bold, italic))
        out: list[Glyph] = []
        missing: dict[str, None] = {}
        for ch in text:
            found = face.glyph(ch) or next((g for f in self.fallbacks if (g := _face(f).glyph(ch))), None)
            if found is None and ch not in _INVISIBLE:
                missing[ch] = None
            out.append(found or _EMPTY)
        if missing:
            raise GlyphError("no font has a glyph for " + ", ".join(f"{ch!r} ({codes(ch)})" for ch in missing),
                             MISSING_HINT)
        return out

    def metrics(self, family: str, bold: bool, italic: bool) -> tuple[float, float, float]:
        face = _face(self._file(family, bold, italic))
        return face.ascent, face.descent, face.x_height

    def _file(self, family: str, bold: bool, italic: bool) -> FontFile:
        wanted = [n.strip().strip("'\"").strip().lower() for n in family.split(",")]
        if not self._families_read and any(n not in self._names and n not in GENERIC for n in wanted):
            self._read_families()
        key = next((self._names[n] for n in wanted if n in self._names), None)
        if key is None:  # the body font, in the style a PostScript name says (Illustrator: 'MyriadPro-BoldIt')
            key, style = "body", wanted[0].rpartition("-")[2] if "-" in wanted[0] else ""
            bold = bold or any(w in style for w in ("bold", "black", "heavy"))
            italic = italic or any(w in style for w in ("it", "oblique"))
        return self._style(key, int(bold) + 2 * int(italic))

    def _style(self, key: str, index: int) -> FontFile:
        found = self._files.get((key, index))
        if found is None:
            try:
                found = self._files[(key, index)] = self._resolve(key, STYLES[index])
            except DeckError as exc:
                raise GlyphError(exc.problems[0].what, exc.problems[0].hint or "check the theme's fonts") from None
        return found

    def _read_families(self) -> None:
        """Add the family name inside each key's regular file (`Noto Serif`) to the names an SVG may use."""
        self._families_read = True
        for key in self.declared:
            self._names.setdefault(_face(self._style(key, 0)).family.lower(), key)
