"""The only module that draws with reportlab: imposed pages of laid-out cards -> PDF bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from deckgen.fonts import FontBook
from deckgen.impose import Slot, slot_transform
from deckgen.layout import ImageOp, LineOp, Op, QrOp, RectOp, TextOp

DUPLEX_PREF = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "none": "Simplex"}
MARK_WIDTH = 0.25


@dataclass(frozen=True)
class Placed:
    """One card side on a page: its slot, its ops, and how far its art may run outside the slot."""

    slot: Slot
    ops: Sequence[Op]
    bleed: float = 0.0


@dataclass
class PageSpec:
    w: float
    h: float
    cards: list[Placed] = field(default_factory=list)
    marks: Sequence[tuple[float, float, float, float]] = ()
    offset: tuple[float, float] = (0.0, 0.0)  # moves the whole content (a printer's back offset)


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str = ""
    subject: str = ""
    lang: str = "en"
    duplex: str = "long"


def render(pages: Sequence[PageSpec], card_w: float, card_h: float, fonts: FontBook, info: DocInfo) -> bytes:
    """Draw every page; identical input gives identical bytes."""
    buf = io.BytesIO()
    first = fonts.face("body", "regular")
    canvas = Canvas(buf, pagesize=(pages[0].w, pages[0].h) if pages else (595, 842), invariant=1,
                    initialFontName=first, initialFontSize=10, pageCompression=1, lang=info.lang)
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator("deckgen")
    canvas.setProducer("deckgen (reportlab)")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX_PREF[info.duplex])
    images: dict[str, ImageReader] = {}
    for page in pages:
        canvas.setPageSize((page.w, page.h))
        canvas.saveState()
        canvas.translate(*page.offset)
        for placed in page.cards:
            _card(canvas, placed, card_w, card_h, fonts, images)
        if page.marks:
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(MARK_WIDTH)
            canvas.lines(list(page.marks))
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _card(canvas: Canvas, placed: Placed, card_w: float, card_h: float, fonts: FontBook,
          images: dict[str, ImageReader]) -> None:
    s, b = placed.slot, placed.bleed
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(s.x - b, s.y - b, s.w + 2 * b, s.h + 2 * b)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.transform(*slot_transform(s, card_w, card_h))
    for op in placed.ops:
        if isinstance(op, RectOp):
            _rect(canvas, op)
        elif isinstance(op, TextOp):
            text = canvas.beginText(op.x, op.y)
            canvas.setFillColorRGB(*op.color)
            for run in op.runs:
                text.setFont(fonts.face(op.font, run.style), op.size)
                text.textOut(run.text)
            canvas.drawText(text)
        elif isinstance(op, QrOp):
            canvas.setFillColorRGB(*op.dark)
            path = canvas.beginPath()
            m, n = op.module, op.modules
            for col, row, w, h in op.rects:
                path.rect(op.x + col * m, op.y + (n - row - h) * m, w * m, h * m)
            canvas.drawPath(path, stroke=0, fill=1)
        elif isinstance(op, LineOp):
            canvas.setStrokeColorRGB(*op.color)
            canvas.setLineWidth(op.width)
            canvas.line(op.x0, op.y0, op.x1, op.y1)
        elif isinstance(op, ImageOp):
            reader = images.get(op.path) or images.setdefault(op.path, ImageReader(str(Path(op.path))))
            _image(canvas, reader, op)
    canvas.restoreState()


def _rect(canvas: Canvas, op: RectOp) -> None:
    if op.fill:
        canvas.setFillColorRGB(*op.fill)
    if op.stroke:
        canvas.setStrokeColorRGB(*op.stroke)
        canvas.setLineWidth(op.width)
    fill, stroke = int(op.fill is not None), int(op.stroke is not None)
    if op.radius > 0:
        canvas.roundRect(op.x, op.y, op.w, op.h, op.radius, stroke=stroke, fill=fill)
    else:
        canvas.rect(op.x, op.y, op.w, op.h, stroke=stroke, fill=fill)


def _image(canvas: Canvas, reader: ImageReader, op: ImageOp) -> None:
    """The whole image centred in its box (contain), or the box filled and the overflow clipped (cover)."""
    iw, ih = reader.getSize()
    scale = min(op.w / iw, op.h / ih) if op.fit == "contain" else max(op.w / iw, op.h / ih)
    w, h = iw * scale, ih * scale
    canvas.saveState()
    if op.fit == "cover":
        clip = canvas.beginPath()
        clip.rect(op.x, op.y, op.w, op.h)
        canvas.clipPath(clip, stroke=0, fill=0)
    canvas.drawImage(reader, op.x + (op.w - w) / 2, op.y + (op.h - h) / 2, w, h, mask="auto")
    canvas.restoreState()
