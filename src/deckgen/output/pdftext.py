"""Lines of text in a PDF text object (BT … ET): the bytes reportlab's ``PDFTextObject.textOut`` writes, without
its per-call work (a width nobody reads, a font lookup, a Python loop over every character of every line).

reportlab gives each character of a TrueType font a code in one of the font's 256-character subsets the first
time a document draws it (``TTFont.splitString``) and writes the codes escaped (``escapePDF``, byte by byte).
A line whose characters all have a code in the first subset is one ``str.translate`` from each character to
its escaped code; any other line goes through ``splitString`` itself, so the codes, their order and the subsets
stay exactly reportlab's.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

NBSP, SPACE = 0xA0, 0x20  # splitString draws a no-break space as a space
_ESCAPED = [escapePDF(bytes([code])) for code in range(256)]


class _NewCharacter(Exception):
    """A character without a code in the first subset (yet)."""


class _Codes(dict[int, str]):
    """Character -> its escaped code, for ``str.translate``; a missing character stops the translation."""

    def __missing__(self, char: int) -> str:
        raise _NewCharacter


class Encoder:
    """The TrueType fonts' codes for one document (reportlab keeps them per document in each font's state)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._fonts: dict[str, tuple[TTFont, _Codes]] = {}

    def chunks(self, face: str, text: str) -> tuple[TTFont, list[tuple[int, str]]]:
        """The font and ``text`` as (subset, escaped codes) chunks, as reportlab writes
        ``TTFont.splitString(text, doc)``."""
        found = self._fonts.get(face)
        if found is None:
            registered = pdfmetrics.getFont(face)
            assert isinstance(registered, TTFont)  # deckgen registers TrueType fonts only
            found = self._fonts[face] = (registered, _Codes())
        font, codes = found
        if text:
            try:
                return font, [(0, text.translate(codes))]
            except _NewCharacter:
                pass
        chunks = [(subset, escapePDF(part)) for subset, part in font.splitString(text, self.doc)]  # new codes
        assignments: dict[int, int] = font.state[self.doc].assignments  # type: ignore[attr-defined]  # untyped
        codes.update((char, _ESCAPED[code]) for char, code in assignments.items() if code < 256)
        if SPACE in codes:
            codes[NBSP] = codes[SPACE]
        return font, chunks


def show(obj: PDFTextObject, encoder: Encoder, face: str, text: str) -> None:
    """``obj.textOut(text)`` in the font set last (``face``), except that the text cursor's x is not advanced
    (deckgen places every line with ``moveCursor``, which does not read it)."""
    font, chunks = encoder.chunks(face, text)
    parts = []
    for subset, codes in chunks:
        # the text object's private state (not in the stubs): the subset selected last, the font size and leading
        if subset != obj._curSubset:  # type: ignore[attr-defined]
            name = font.getSubsetInternalName(subset, encoder.doc)
            parts.append(f"{name} {fp_str(obj._fontsize)} Tf {fp_str(obj._leading)} TL")  # type: ignore[attr-defined]
            obj._curSubset = subset  # type: ignore[attr-defined]
        parts.append(f"({codes}) Tj")
    obj._code.append(" ".join(parts))  # type: ignore[attr-defined]


def move(obj: PDFTextObject, dx: float, dy: float) -> None:
    """``obj.moveCursor(dx, dy)``: reportlab merges it into a move just written, else writes ``dx -dy Td``
    (without the cursor bookkeeping that only such a merge and reportlab's own line methods read)."""
    code: list[str] = obj._code  # type: ignore[attr-defined]  # private, not in the stubs
    if code[-1].endswith(" Td"):
        obj.moveCursor(dx, dy)
    else:
        code.append(f"{fp_str(dx, -dy)} Td")
