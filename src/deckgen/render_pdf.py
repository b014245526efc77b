"""The only module that draws with reportlab: imposed pages of laid-out cards -> PDF bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from deckgen.color import rgb_to_cmyk
from deckgen.fonts import FontBook
from deckgen.impose import Slot, slot_transform
from deckgen.layout import ImageOp, LineOp, Op, QrOp, RectOp, TextOp

DUPLEX_PREF = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "none": "Simplex"}
MARK_WIDTH = 0.25
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")  # crop marks on every plate of a press
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Placed:
    """One card side on a page: its slot, its ops, and how far its art may run outside the slot.

    `size` is the frame the ops are drawn in when it is not a card (a scale bar, a calibration page).
    """

    slot: Slot
    ops: Sequence[Op]
    bleed: float = 0.0
    size: tuple[float, float] | None = None


@dataclass
class PageSpec:
    w: float
    h: float
    cards: list[Placed] = field(default_factory=list)
    marks: Sequence[tuple[float, float, float, float]] = ()
    offset: tuple[float, float] = (0.0, 0.0)  # moves the whole content (a printer's back offset)
    trim: Box | None = None  # TrimBox (x0, y0, x1, y1); none written when None
    bleed_box: Box | None = None


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str = ""
    subject: str = ""
    lang: str = "en"
    duplex: str = "long"
    color: str = "rgb"  # "cmyk": every colour converted, black as pure K, marks in registration colour


def render(pages: Sequence[PageSpec], card_w: float, card_h: float, fonts: FontBook, info: DocInfo) -> bytes:
    """Draw every page; identical input gives identical bytes."""
    buf = io.BytesIO()
    first = fonts.face("body", "regular")
    cmyk = info.color == "cmyk"
    canvas = Canvas(buf, pagesize=(pages[0].w, pages[0].h) if pages else (595, 842), invariant=1,
                    initialFontName=first, initialFontSize=10, pageCompression=1, lang=info.lang,
                    enforceColorSpace="sep_cmyk" if cmyk else None)
    ink = _Ink(canvas, cmyk)
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator("deckgen")
    canvas.setProducer("deckgen (reportlab)")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX_PREF[info.duplex])
    images: dict[str, tuple[ImageReader, Any]] = {}
    for page in pages:
        canvas.setPageSize((page.w, page.h))
        canvas.setTrimBox(page.trim)  # reportlab carries boxes over to later pages: set (or clear) each time
        canvas.setBleedBox(page.bleed_box)
        canvas.saveState()
        canvas.translate(*page.offset)
        for placed in page.cards:
            _card(canvas, placed, card_w, card_h, fonts, images, ink)
        if page.marks:
            if cmyk:
                canvas.setStrokeColor(REGISTRATION)
            else:
                canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(MARK_WIDTH)
            canvas.lines(list(page.marks))
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


class _Ink:
    """Sets colours in RGB, or converted to CMYK (black as pure K) for print files."""

    def __init__(self, canvas: Canvas, cmyk: bool):
        self.canvas, self.cmyk = canvas, cmyk

    def fill(self, rgb: tuple[float, float, float]) -> None:
        if self.cmyk:
            self.canvas.setFillColorCMYK(*rgb_to_cmyk(rgb))
        else:
            self.canvas.setFillColorRGB(*rgb)

    def stroke(self, rgb: tuple[float, float, float]) -> None:
        if self.cmyk:
            self.canvas.setStrokeColorCMYK(*rgb_to_cmyk(rgb))
        else:
            self.canvas.setStrokeColorRGB(*rgb)

    def image(self, path: str) -> tuple[ImageReader, list[int] | None]:
        """A CMYK copy of an image for print files, and a colour-key mask for its transparent pixels: PDF/X-1a
        allows no soft mask, so transparency becomes a hard edge (alpha below half) over the art beneath."""
        from PIL import Image

        with Image.open(path) as im:
            im.load()
            if not (im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)):
                return ImageReader(_cmyk_image(im)), None
            rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        cmyk = _cmyk_image(flat)
        used = {c for _, c in cmyk.getcolors(cmyk.width * cmyk.height)}
        key = next((k, j, 1, 0) for j in range(256) for k in range(256) if (k, j, 1, 0) not in used)
        clear = rgba.getchannel("A").point(lambda a: 255 if a < 128 else 0)
        cmyk.paste(key, mask=clear)
        return ImageReader(cmyk), [v for c in key for v in (c, c)]


@lru_cache(maxsize=1)
def _cmyk_lut() -> Any:
    from PIL import ImageFilter

    return ImageFilter.Color3DLUT.generate(17, lambda r, g, b: rgb_to_cmyk((r, g, b)), channels=4, target_mode="CMYK")


def _cmyk_image(im: Any) -> Any:
    """An image in CMYK by the same conversion as every other colour (Pillow's own leaves K empty)."""
    return im if im.mode == "CMYK" else im.convert("RGB").filter(_cmyk_lut())


def _card(canvas: Canvas, placed: Placed, card_w: float, card_h: float, fonts: FontBook,
          images: dict[str, tuple[ImageReader, Any]], ink: _Ink) -> None:
    s, b = placed.slot, placed.bleed
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(s.x - b, s.y - b, s.w + 2 * b, s.h + 2 * b)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.transform(*slot_transform(s, *(placed.size or (card_w, card_h))))
    for op in placed.ops:
        if isinstance(op, RectOp):
            _rect(canvas, op, ink)
        elif isinstance(op, TextOp):
            text = canvas.beginText(op.x, op.y)
            ink.fill(op.color)
            for run in op.runs:
                text.setFont(fonts.face(op.font, run.style), op.size)
                text.textOut(run.text)
            canvas.drawText(text)
        elif isinstance(op, QrOp):
            ink.fill(op.dark)
            path = canvas.beginPath()
            m, n = op.module, op.modules
            for col, row, w, h in op.rects:
                path.rect(op.x + col * m, op.y + (n - row - h) * m, w * m, h * m)
            canvas.drawPath(path, stroke=0, fill=1)
        elif isinstance(op, LineOp):
            ink.stroke(op.color)
            canvas.setLineWidth(op.width)
            canvas.line(op.x0, op.y0, op.x1, op.y1)
        elif isinstance(op, ImageOp):
            reader, mask = images.get(op.path) or images.setdefault(
                op.path, ink.image(op.path) if ink.cmyk else (ImageReader(str(Path(op.path))), "auto"))
            _image(canvas, reader, op, mask)
    canvas.restoreState()


def _rect(canvas: Canvas, op: RectOp, ink: _Ink) -> None:
    if op.fill:
        ink.fill(op.fill)
    if op.stroke:
        ink.stroke(op.stroke)
        canvas.setLineWidth(op.width)
    fill, stroke = int(op.fill is not None), int(op.stroke is not None)
    if op.radius > 0:
        canvas.roundRect(op.x, op.y, op.w, op.h, op.radius, stroke=stroke, fill=fill)
    else:
        canvas.rect(op.x, op.y, op.w, op.h, stroke=stroke, fill=fill)


def _image(canvas: Canvas, reader: ImageReader, op: ImageOp, mask: object) -> None:
    """The whole image centred in its box (contain), or the box filled and the overflow clipped (cover)."""
    iw, ih = reader.getSize()
    scale = min(op.w / iw, op.h / ih) if op.fit == "contain" else max(op.w / iw, op.h / ih)
    w, h = iw * scale, ih * scale
    canvas.saveState()
    if op.fit == "cover":
        clip = canvas.beginPath()
        clip.rect(op.x, op.y, op.w, op.h)
        canvas.clipPath(clip, stroke=0, fill=0)
    canvas.drawImage(reader, op.x + (op.w - w) / 2, op.y + (op.h - h) / 2, w, h, mask=mask)
    canvas.restoreState()
