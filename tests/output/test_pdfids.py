"""Subset tags and file IDs derived from content, read back from real reportlab files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from deckgen.output.fonts import TaggedTTFont
from deckgen.output.pdfids import ContentIdFile, retag, subset_tag

FONTS = Path(__file__).resolve().parents[2] / "fonts"
pdfmetrics.registerFont(TaggedTTFont("TagTestRegular", str(FONTS / "NotoSans-Regular.ttf")))
pdfmetrics.registerFont(TaggedTTFont("TagTestBold", str(FONTS / "NotoSans-Bold.ttf")))


def _pdf(text: str) -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1, initialFontName="TagTestRegular")
    canvas.setFont("TagTestRegular", 12)
    canvas.drawString(10, 10, text)
    canvas.setFont("TagTestBold", 12)
    canvas.drawString(10, 30, text)
    canvas.showPage()
    return with_content_id(canvas.getpdfdata())


def with_content_id(*pieces: bytes) -> bytes:
    """A PDF written through ContentIdFile in `pieces` (the trailer in the last, as reportlab gives them)."""
    out = io.BytesIO()
    f = ContentIdFile(out)
    for piece in pieces:
        f.write(piece)
    f.close()
    return out.getvalue()


def _names(data: bytes) -> list[tuple[str, str]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(str(f.BaseFont), str(f.FontDescriptor.FontName)) for f in pdf.pages[0].Resources.Font.values()]


def test_subsets_have_distinct_tags_that_name_the_font_and_its_descriptor() -> None:
    names = _names(_pdf("Micro is Beautiful"))
    assert len(names) == 2
    assert all(base == descriptor and re.fullmatch(r"/[A-Z]{6}\+NotoSans-(Regular|Bold)", base)
               for base, descriptor in names)
    assert len({base[1:7] for base, _ in names}) == 2


def test_tags_follow_the_subset_and_stay_on_rebuild() -> None:
    assert _names(_pdf("abc")) == _names(_pdf("abc"))
    assert _names(_pdf("abc")) == _names(_pdf("abd"))  # reportlab's first subset holds all of ASCII either way
    assert {b for b, _ in _names(_pdf("abcé"))}.isdisjoint(b for b, _ in _names(_pdf("abcè")))
    assert subset_tag(b"font", [65, 66]) != subset_tag(b"font", [66, 65])
    assert subset_tag(b"font", [65]) != subset_tag(b"other", [65])
    assert retag("AAAAAA+NotoSans-Bold", "QWERTY") == "QWERTY+NotoSans-Bold"
    assert retag("/NotoSans", "QWERTY") == "QWERTY+NotoSans"


def test_the_file_id_comes_from_the_content() -> None:
    def file_id(data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return bytes(pdf.trailer.ID[0])

    a, again, other = _pdf("one"), _pdf("one"), _pdf("two")
    assert a == again and file_id(a) == file_id(again)
    assert file_id(a) != file_id(other)
    with pikepdf.open(io.BytesIO(a)) as pdf:  # offsets unchanged: qpdf reads it without recovering
        assert len(pdf.pages) == 1 and not pdf.is_encrypted
    assert with_content_id(b"%PDF-1.4 no trailer") == b"%PDF-1.4 no trailer"
    raw = Canvas(io.BytesIO(), invariant=1)
    raw.showPage()
    whole = raw.getpdfdata()
    trailer = whole.rfind(b"trailer")
    assert with_content_id(whole) == with_content_id(whole[:100], whole[100:trailer], whole[trailer:]) != whole
