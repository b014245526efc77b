"""Text lines written by deckgen.output.pdftext are the bytes reportlab's own text object writes, then read back."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
import pypdfium2
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from deckgen.output.fonts import TaggedTTFont
from deckgen.output.pdftext import Encoder, move, show

FONTS = Path(__file__).resolve().parents[2] / "fonts"
pdfmetrics.registerFont(TaggedTTFont("PdfTextRegular", str(FONTS / "NotoSans-Regular.ttf")))
pdfmetrics.registerFont(TaggedTTFont("PdfTextBold", str(FONTS / "NotoSans-Bold.ttf")))

# More than 256 distinct characters per font (several subsets), characters PDF strings escape, a no-break
# space before any plain space, a character the font lacks, empty texts, moves that reportlab merges.
_POOL = [chr(c) for c in [*range(0xC0, 0x24F), *range(0x391, 0x3C9), *range(0x410, 0x44F)] if chr(c).isalpha()]
_rng = random.Random(3)
LINES = ["\u00a0(x)", "a\\b) (c", "", "\u0378"] + [
    " ".join("".join(_rng.choice(_POOL) for _ in range(_rng.randint(1, 7))) for _ in range(_rng.randint(0, 9)))
    for _ in range(70)
]


def _pdf(fast: bool) -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1, initialFontName="PdfTextRegular")
    encoder = Encoder(canvas._doc)
    obj = canvas.beginText(20, 830)
    for i, line in enumerate(LINES):
        face = ("PdfTextRegular", "PdfTextBold")[i % 3 == 0]
        if i % 5 != 4:  # the font set again (a new subset selected) only now and then
            obj.setFont(face, 6 + i % 4)
        face = obj._fontname
        moves = [(0.5, 9.0), (0.0, 1.0)] if i % 7 == 6 else [(0.5, 10.0)]  # two moves in a row: merged
        for dx, dy in moves:
            move(obj, dx, dy) if fast else obj.moveCursor(dx, dy)
        show(obj, encoder, face, line) if fast else obj.textOut(line)
    canvas.drawText(obj)
    canvas.showPage()
    data: bytes = canvas.getpdfdata()
    return data


def test_lines_are_reportlabs_bytes_and_read_back() -> None:
    fast = _pdf(fast=True)
    assert fast == _pdf(fast=False)
    with pikepdf.open(io.BytesIO(fast)) as pdf:
        assert len(pdf.pages[0].Resources.Font) > 2  # both fonts, one in several subsets
    page = pypdfium2.PdfDocument(fast)[0]
    text = page.get_textpage().get_text_bounded().replace("\r\n", "").replace(" ", "").replace("\u00a0", "")
    assert text.startswith("(x)a\\b)(c")
    assert "".join(LINES[4:]).replace(" ", "") in text
