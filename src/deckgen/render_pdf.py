"""The only module that draws with reportlab: imposed pages of laid-out cards -> PDF bytes."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from deckgen.fonts import FontBook
from deckgen.impose import Slot, slot_transform
from deckgen.layout import RGB, ImageOp, LineOp, Op, QrOp, RectOp, TextOp
from deckgen.packed import PackedOps

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


@contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab wraps compressed streams in ASCII85 by default: ~25 % more bytes and time for nothing."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


@_binary_streams()
def render(pages: Sequence[PageSpec], card_w: float, card_h: float, fonts: FontBook, info: DocInfo,
           progress: Callable[[str, int, int], None] | None = None) -> bytes:
    """Draw every page; identical input gives identical bytes. `progress("pages", done, total)` after each page."""
    buf = io.BytesIO()  # never written to: the data is taken with getpdfdata()
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

    def page_done(number: int) -> None:
        _pack_page(canvas)
        if progress is not None:
            progress("pages", number, len(pages))

    canvas.setPageCallBack(page_done)
    images: dict[str, ImageReader] = {}
    forms = _Forms(pages, card_w, card_h)
    for page in pages:
        canvas.setPageSize((page.w, page.h))
        canvas.saveState()
        canvas.translate(*page.offset)
        for placed in page.cards:
            _card(canvas, placed, card_w, card_h, fonts, images, forms)
        if page.marks:
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(MARK_WIDTH)
            canvas.lines(list(page.marks))
        canvas.restoreState()
        canvas.showPage()
    return canvas.getpdfdata()  # what save() writes, without copying it through the buffer twice


def _pack_page(canvas: Canvas) -> None:
    """Compress the page just shown now, as reportlab would at save: a big deck's pages are not all kept as text."""
    page = canvas._doc.Pages.pages[-1]
    if page.stream and page.compression and not page.Contents:
        stream = PDFStream(content=zlib.compress(page.stream.encode("utf8")))
        stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])  # applied: reportlab adds no other
        page.Contents, page.stream = stream, None


class _Forms:
    """Card sides drawn more than once (copies, backs with no card field) become Form XObjects, drawn once."""

    def __init__(self, pages: Sequence[PageSpec], card_w: float, card_h: float) -> None:
        seen: set[tuple[bytes, float]] = set()
        self.repeated: set[tuple[bytes, float]] = set()
        for page in pages:
            for placed in page.cards:
                key = self._key(placed)
                if key is not None:
                    (self.repeated if key in seen else seen).add(key)
        self.names: dict[tuple[bytes, float], str] = {}
        self.card_w, self.card_h = card_w, card_h

    @staticmethod
    def _key(placed: Placed) -> tuple[bytes, float] | None:
        return (placed.ops.key, placed.bleed) if isinstance(placed.ops, PackedOps) else None

    def name(self, canvas: Canvas, placed: Placed, fonts: FontBook, images: dict[str, ImageReader]) -> str | None:
        """The form showing this side, defined on first use; None for a side drawn only once."""
        key = self._key(placed)
        if key is None or key not in self.repeated:
            return None
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"side{len(self.names)}"
            b = placed.bleed
            canvas.beginForm(name, -b, -b, self.card_w + b, self.card_h + b)
            _ops(canvas, placed.ops, fonts, images)
            canvas.endForm()
        return name


def _card(canvas: Canvas, placed: Placed, card_w: float, card_h: float, fonts: FontBook,
          images: dict[str, ImageReader], forms: _Forms | None = None) -> None:
    s, b = placed.slot, placed.bleed
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(s.x - b, s.y - b, s.w + 2 * b, s.h + 2 * b)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.transform(*slot_transform(s, card_w, card_h))
    form = forms.name(canvas, placed, fonts, images) if forms is not None else None
    if form is not None:
        canvas.doForm(form)
    else:
        _ops(canvas, placed.ops, fonts, images)
    canvas.restoreState()


def _ops(canvas: Canvas, ops: Iterable[Op], fonts: FontBook, images: dict[str, ImageReader]) -> None:
    """A card side's drawing operations, in card coordinates."""
    text: _Text | None = None  # consecutive text lines share one text object (BT … ET)
    fill: RGB | None = None
    for op in ops:
        if isinstance(op, TextOp):
            text = text or _Text(canvas, fonts, op)
            fill = text.line(op, fill)
            continue
        if text is not None:
            canvas.drawText(text.obj)
            text = None
        if isinstance(op, RectOp):
            _rect(canvas, op)
            fill = op.fill or fill
        elif isinstance(op, QrOp):
            canvas.setFillColorRGB(*op.dark)
            fill = op.dark
            m = op.module
            canvas.saveState()  # module units, origin at the code's top-left, y down: small integer paths
            canvas.transform(m, 0, 0, -m, op.x, op.y + op.modules * m)
            canvas.addLiteral(_qr_path(op.rects))
            canvas.restoreState()
        elif isinstance(op, LineOp):
            canvas.setStrokeColorRGB(*op.color)
            canvas.setLineWidth(op.width)
            canvas.line(op.x0, op.y0, op.x1, op.y1)
        elif isinstance(op, ImageOp):
            reader = images.get(op.path) or images.setdefault(op.path, ImageReader(str(Path(op.path))))
            canvas.drawImage(reader, op.x, op.y, op.w, op.h, preserveAspectRatio=op.fit == "contain",
                             anchor="c", mask="auto")
    if text is not None:
        canvas.drawText(text.obj)


class _Text:
    """One BT … ET block: each line placed relative to the previous one (Td), the font set only when it changes."""

    def __init__(self, canvas: Canvas, fonts: FontBook, first: TextOp) -> None:
        self.fonts = fonts
        self.at = (round(first.x, 3), round(first.y, 3))  # a thousandth of a point: invisible, and short numbers
        self.obj: PDFTextObject = canvas.beginText(*self.at)
        self.font: tuple[str, float] | None = None

    def line(self, op: TextOp, fill: RGB | None) -> RGB:
        """Draw one line; returns the fill colour now set."""
        x, y = round(op.x, 3), round(op.y, 3)
        if (x, y) != self.at:
            self.obj.moveCursor(round(x - self.at[0], 3), round(self.at[1] - y, 3))  # reportlab's dy points down
            self.at = (x, y)
        if op.color != fill:
            self.obj.setFillColorRGB(*op.color)
        for run in op.runs:
            font = (self.fonts.face(op.font, run.style), op.size)
            if font != self.font:
                self.obj.setFont(*font)
                self.font = font
            self.obj.textOut(run.text)
        return op.color


@lru_cache(maxsize=512)
def _qr_path(rects: bytes) -> str:
    """The dark rectangles of a QR code as one filled path, in module units."""
    return "%d %d %d %d re " * (len(rects) // 4) % tuple(rects) + "f"  # (col, row, width, height) per rect


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
