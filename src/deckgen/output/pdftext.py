"""Lines of text in a PDF text object (BT … ET): the bytes reportlab's ``PDFTextObject.textOut`` writes, without
its per-call work (a width nobody reads, a font lookup, a Python loop over every character of every line).

reportlab gives each character of a TrueType font a code in one of the font's 256-character subsets the first
time a document draws it (``TTFont.splitString``) and writes the codes escaped (``escapePDF``). A line whose
characters all have a code in the first subset is encoded in C, by a charmap codec built from those codes (as
Python's own single-byte codecs are); any other line goes through ``splitString`` itself, so the codes, their
order and the subsets stay exactly reportlab's.
"""

from __future__ import annotations

import codecs
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

NBSP = "\u00a0"  # splitString draws a no-break space as a space
UNDEFINED = "\ufffe"  # a code no character has (yet), in a charmap's decoding table


def _first_subset(assignments: dict[int, int]) -> Any:
    """The charmap encoding of the characters with a code in the first subset (code < 256)."""
    table = [UNDEFINED] * 256
    for char, code in assignments.items():
        if code < 256:
            table[code] = chr(char)
    return codecs.charmap_build("".join(table))


class Encoder:
    """The TrueType fonts' codes for one document (reportlab keeps them per document in each font's state)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._fonts: dict[str, tuple[TTFont, Any]] = {}  # reportlab name -> (font, its first subset's charmap)

    def chunks(self, face: str, text: str) -> tuple[TTFont, list[tuple[int, bytes]]]:
        """The font and ``text`` as (subset, codes) chunks, as ``TTFont.splitString(text, doc)`` returns them."""
        found = self._fonts.get(face)
        if found is None:
            registered = pdfmetrics.getFont(face)
            assert isinstance(registered, TTFont)  # deckgen registers TrueType fonts only
            found = (registered, None)
        font, charmap = found
        if text and charmap is not None:
            try:
                return font, [(0, codecs.charmap_encode(text.replace(NBSP, " "), "strict", charmap)[0])]
            except UnicodeEncodeError:  # a character without a code in the first subset
                pass
        known = len(font.state[self.doc].assignments) if charmap is not None else -1  # type: ignore[attr-defined]
        chunks: list[tuple[int, bytes]] = font.splitString(text, self.doc)  # gives new characters their codes
        assignments = font.state[self.doc].assignments  # type: ignore[attr-defined]  # untyped
        if len(assignments) != known:
            self._fonts[face] = (font, _first_subset(assignments))
        return font, chunks


def show(obj: PDFTextObject, encoder: Encoder, face: str, text: str) -> None:
    """``obj.textOut(text)`` in the font set last (``face``), except that the text cursor's x is not advanced
    (deckgen places every line with ``moveCursor``, which does not read it)."""
    font, chunks = encoder.chunks(face, text)
    # the text object's private state (not in the stubs): its code, the subset selected last, font size, leading
    code: list[str] = obj._code  # type: ignore[attr-defined]
    if len(chunks) == 1 and chunks[0][0] == obj._curSubset:  # type: ignore[attr-defined]  # the usual line
        code.append(f"({escapePDF(chunks[0][1])}) Tj")
        return
    parts = []
    for subset, codes in chunks:
        if subset != obj._curSubset:  # type: ignore[attr-defined]
            name = font.getSubsetInternalName(subset, encoder.doc)
            parts.append(f"{name} {fp_str(obj._fontsize)} Tf {fp_str(obj._leading)} TL")  # type: ignore[attr-defined]
            obj._curSubset = subset  # type: ignore[attr-defined]
        parts.append(f"({escapePDF(codes)}) Tj")
    code.append(" ".join(parts))


def move(obj: PDFTextObject, dx: float, dy: float) -> None:
    """``obj.moveCursor(dx, dy)``: reportlab merges it into a move just written, else writes ``dx -dy Td``
    (without the cursor bookkeeping that only such a merge and reportlab's own line methods read)."""
    code: list[str] = obj._code  # type: ignore[attr-defined]  # private, not in the stubs
    if code[-1].endswith(" Td"):
        obj.moveCursor(dx, dy)
    else:
        code.append(f"{fp_str(dx, -dy)} Td")
