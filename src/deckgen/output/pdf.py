"""The only module that draws with reportlab: imposed pages of laid-out cards -> PDF bytes."""

from __future__ import annotations

import io
import re
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, BinaryIO

from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from deckgen.design.ops import RGB, ArtOp, ImageOp, LineOp, Op, QrOp, RectOp, TextOp
from deckgen.design.packed import PackedOps
from deckgen.errors import DeckError, Problem
from deckgen.output.fonts import FontBook
from deckgen.output.icc import Inks, inks_for
from deckgen.output.pdfids import ContentIdFile
from deckgen.output.pdftext import Encoder, move, show
from deckgen.output.pdfx import OVERPRINT_OFF, OVERPRINT_ON, with_overprint_states
from deckgen.output.svg import draw_art
from deckgen.sheets.impose import slot_transform
from deckgen.sheets.pages import DocInfo, PageSpec, Placed

DUPLEX_PREF = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "none": "Simplex"}
MARK_WIDTH = 0.25
SOLID_BLACK = (0.0, 0.0, 0.0, 1.0)
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")  # crop marks on every plate of a press

Images = dict[str, tuple[ImageReader, Any]]


@dataclass(frozen=True)
class _Draw:
    """What drawing a document's cards needs besides the canvas."""

    fonts: FontBook
    encoder: Encoder  # the fonts' character codes in this document
    images: Images  # each image read once per document
    ink: _Ink


_ONE_AT_A_TIME = threading.Lock()  # `serve` draws in threads


@contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab wraps compressed streams in ASCII85 by default: ~25 % more bytes and time for nothing. That
    setting and the collector _save swaps are reportlab's module globals: one PDF is written at a time."""
    with _ONE_AT_A_TIME:
        old = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = old


def render(pages: Sequence[PageSpec], card_w: float, card_h: float, fonts: FontBook, info: DocInfo,
           progress: Callable[[str, int, int], None] | None = None, inks: Inks | None = None) -> bytes:
    """The PDF write_pdf() makes, as bytes."""
    buf = io.BytesIO()
    write_pdf(buf, pages, card_w, card_h, fonts, info, progress, inks)
    return buf.getvalue()


@_binary_streams()
def write_pdf(out: BinaryIO, pages: Sequence[PageSpec], card_w: float, card_h: float, fonts: FontBook,
              info: DocInfo, progress: Callable[[str, int, int], None] | None = None, inks: Inks | None = None,
              scratch: Path | None = None) -> None:
    """Draw every page and write the PDF to `out`, piece by piece as reportlab makes them (a big deck's file is
    never whole in memory); identical input gives identical bytes. `progress("pages", done, total)` after each
    page. A CMYK file's colours go through `inks` (default: the built-in conversion); its solid black text and
    rules overprint. The file ID is a digest of the file's content. The pages wait in a temporary file in
    `scratch` (default: the system's temporary folder, which may be in memory) until the file is written."""
    cmyk = info.color == "cmyk"
    canvas = _canvas(pages, fonts, info)
    with tempfile.TemporaryFile(dir=scratch) as spill:  # the pages' compressed content: see _pack_page

        def page_done(number: int) -> None:
            _pack_page(canvas, spill)
            if progress is not None:
                progress("pages", number, len(pages))

        canvas.setPageCallBack(page_done)
        ink = _Ink(canvas, (inks or inks_for(None)) if cmyk else None)
        encoder = Encoder(canvas._doc)  # type: ignore[attr-defined]  # private, not in the stubs
        _draw_pages(canvas, pages, card_w, card_h, _Draw(fonts, encoder, {}, ink))
        if cmyk:  # pikepdf adds the overprint states to the whole file
            whole = io.BytesIO()
            _save(canvas, whole.write)
            out.write(with_overprint_states(whole.getvalue()))
        else:
            streamed = ContentIdFile(out)
            _save(canvas, streamed.write)
            streamed.close()


def _draw_pages(canvas: Canvas, pages: Sequence[PageSpec], card_w: float, card_h: float, draw: _Draw) -> None:
    forms = _Forms(pages, card_w, card_h)
    for page in pages:
        canvas.setPageSize((page.w, page.h))
        canvas.setTrimBox(page.trim)  # reportlab carries boxes over to later pages: set (or clear) each time
        canvas.setBleedBox(page.bleed_box)
        canvas.saveState()
        canvas.translate(*page.offset)
        for placed in page.cards:
            _card(canvas, placed, card_w, card_h, draw, forms)
        if page.marks:
            if draw.ink.cmyk:
                canvas.setStrokeColor(REGISTRATION)
            else:
                canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(MARK_WIDTH)
            canvas.lines(list(page.marks))
        canvas.restoreState()
        canvas.showPage()


def _canvas(pages: Sequence[PageSpec], fonts: FontBook, info: DocInfo) -> Canvas:
    canvas = Canvas(io.BytesIO(), pagesize=(pages[0].w, pages[0].h) if pages else (595, 842), invariant=1,
                    lang=info.lang, initialFontSize=10, pageCompression=1,
                    enforceColorSpace="sep_cmyk" if info.color == "cmyk" else None,
                    initialFontName=fonts.face("body", "regular"))  # type: ignore[arg-type]  # typed as a float
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator("deckgen")
    canvas.setProducer("deckgen (reportlab)")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX_PREF[info.duplex])
    return canvas


def _save(canvas: Canvas, write: Callable[[bytes], object]) -> None:
    """Give the document to `write` piece by piece as reportlab formats it (reportlab would keep every piece,
    then join them into one more copy of the file): its collector, pdfdoc.PDFFile, which adds each piece through
    its `write` attribute, is swapped for one that passes them on while the document is saved."""

    class Streamed(pdfdoc.PDFFile):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)  # its header, collected
            for piece in self.strings:
                write(piece)
            self.strings = []
            self.write = write  # type: ignore[assignment]  # what it returns is never used

    collector = pdfdoc.PDFFile
    # the name PDFDocument.format() makes its collector with
    pdfdoc.PDFFile = Streamed  # type: ignore[misc, assignment]
    try:
        canvas.getpdfdata()  # type: ignore[no-untyped-call]  # returns nothing: every piece went to `write`
    finally:
        pdfdoc.PDFFile = collector  # type: ignore[misc]


def _pack_page(canvas: Canvas, spill: IO[bytes]) -> None:
    """Compress the page just shown now, as reportlab would at save, and keep it in `spill` until then: a big
    deck's pages are not all kept in memory (5,000 cards: 6 MB)."""
    page = canvas._doc.Pages.pages[-1]  # type: ignore[attr-defined]  # reportlab's document: private, not in the stubs
    if page.stream and page.compression and not page.Contents:
        page.Contents, page.stream = _Spilled(spill, zlib.compress(page.stream.encode("utf8"))), None


class _Spilled(PDFStream):
    """A compressed content stream kept in a temporary file, read back when the document is written."""

    def __init__(self, spill: IO[bytes], data: bytes) -> None:
        super().__init__()
        self.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])  # applied: reportlab adds no other
        self.spill, self.at, self.size = spill, spill.seek(0, io.SEEK_END), len(data)
        spill.write(data)

    def format(self, document: Any) -> bytes:
        self.spill.seek(self.at)
        self.content = self.spill.read(self.size)
        try:
            return super().format(document)
        finally:
            self.content = None


class _Forms:
    """Card sides drawn more than once (copies, backs with no card field) become Form XObjects, drawn once."""

    def __init__(self, pages: Sequence[PageSpec], card_w: float, card_h: float) -> None:
        seen: set[tuple[bytes, float, Any]] = set()
        self.repeated: set[tuple[bytes, float, Any]] = set()
        for page in pages:
            for placed in page.cards:
                key = self._key(placed)
                if key is not None:
                    (self.repeated if key in seen else seen).add(key)
        self.names: dict[tuple[bytes, float, Any], str] = {}
        self.card_w, self.card_h = card_w, card_h

    @staticmethod
    def _key(placed: Placed) -> tuple[bytes, float, Any] | None:
        return (placed.ops.key, placed.bleed, placed.size) if isinstance(placed.ops, PackedOps) else None

    def name(self, canvas: Canvas, placed: Placed, draw: _Draw) -> str | None:
        """The form showing this side, defined on first use; None for a side drawn only once."""
        key = self._key(placed)
        if key is None or key not in self.repeated:
            return None
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"side{len(self.names)}"
            b = placed.bleed
            w, h = placed.size or (self.card_w, self.card_h)
            canvas.beginForm(name, -b, -b, w + b, h + b)  # type: ignore[arg-type]  # the stubs want int corners
            _ops(canvas, placed.ops, draw)
            canvas.endForm()
        return name


class _Ink:
    """Sets colours in RGB, or converted to CMYK by `inks` for print files, where solid black (K 100 %) text
    and rules overprint (no white halo around them when the plates shift). The overprint state is set in the
    content stream being written; it starts off on each card side (each is drawn inside q … Q)."""

    def __init__(self, canvas: Canvas, inks: Inks | None):
        self.canvas, self.inks, self.cmyk = canvas, inks, inks is not None
        self.overprint = False

    def fill(self, rgb: RGB, target: Canvas | PDFTextObject | None = None) -> None:
        """The fill colour of the canvas, or of a text object (which overprints in solid black)."""
        on = target or self.canvas
        if self.inks is None:  # on.setFillColorRGB(r, g, b) with no colour space to enforce, minus its checks
            r, g, b = rgb
            on._fillColorObj = (r, g, b)  # type: ignore[union-attr]  # reportlab's private state, not in the stubs
            on._code.append(f"{fp_str(r, g, b)} rg")  # type: ignore[union-attr]
            return
        cmyk = self.inks.cmyk(rgb)
        self._overprint(on, target is not None and cmyk == SOLID_BLACK)
        on.setFillColorCMYK(*cmyk)

    def stroke(self, rgb: RGB, rule: bool = False) -> None:
        """The stroke colour; a rule (a line) in solid black overprints."""
        if self.inks is None:
            self.canvas.setStrokeColorRGB(*rgb)
            return
        cmyk = self.inks.cmyk(rgb)
        self._overprint(self.canvas, rule and cmyk == SOLID_BLACK)
        self.canvas.setStrokeColorCMYK(*cmyk)

    def settled(self, text: RGB) -> bool:
        """Whether the overprint state is the one text in this colour needs (art drawn since may have changed it)."""
        return self.inks is None or self.overprint == (self.inks.cmyk(text) == SOLID_BLACK)

    def _overprint(self, on: Canvas | PDFTextObject, want: bool) -> None:
        if want != self.overprint:
            # reportlab has no public raw-operator call for a text object; `_code` is private, not in the stubs
            on._code.append(OVERPRINT_ON if want else OVERPRINT_OFF)  # type: ignore[union-attr]
            self.overprint = want

    def image(self, path: str | IO[bytes]) -> tuple[ImageReader, list[int] | None]:
        """A CMYK copy of an image for print files, and a colour-key mask for its transparent pixels: PDF/X-1a
        allows no soft mask, so transparency becomes a hard edge (alpha below half) over the art beneath."""
        assert self.inks is not None
        with Image.open(path) as im:
            im.load()
            if not (im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)):
                return ImageReader(self.inks.image(im)), None
            rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info["icc_profile"] = im.info.get("icc_profile")  # its colours are still in the image's own profile
        cmyk = self.inks.image(flat)
        used = {c for _, c in cmyk.getcolors(cmyk.width * cmyk.height) or ()}
        key = next((k, j, 1, 0) for j in range(256) for k in range(256) if (k, j, 1, 0) not in used)
        clear = rgba.getchannel("A").point(lambda a: 255 if a < 128 else 0)
        cmyk.paste(key, mask=clear)
        return ImageReader(cmyk), [v for c in key for v in (c, c)]


def _card(canvas: Canvas, placed: Placed, card_w: float, card_h: float, draw: _Draw,
          forms: _Forms | None = None) -> None:
    s, b = placed.slot, placed.bleed
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(s.x - b, s.y - b, s.w + 2 * b, s.h + 2 * b)
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.transform(*slot_transform(s, *(placed.size or (card_w, card_h))))
    form = forms.name(canvas, placed, draw) if forms is not None else None
    if form is not None:
        canvas.doForm(form)
    else:
        _ops(canvas, placed.ops, draw)
    canvas.restoreState()


def _ops(canvas: Canvas, ops: Iterable[Op], draw: _Draw) -> None:
    """A card side's drawing operations, in card coordinates."""
    ink = draw.ink
    text: _Text | None = None  # consecutive text lines share one text object (BT … ET)
    fill: RGB | None = None
    ink.overprint = False  # a card side starts in the page's state (q … Q around it): overprint off
    for op in ops:
        if isinstance(op, TextOp):
            text = text or _Text(canvas, draw, op)
            fill = text.line(op, fill)
            continue
        if text is not None:
            canvas.drawText(text.obj)
            text = None
        if isinstance(op, RectOp):
            _rect(canvas, op, ink)
            fill = None if ink.cmyk else op.fill or fill  # CMYK: the next text sets its colour and overprint
        elif isinstance(op, QrOp):
            ink.fill(op.dark)
            fill = None if ink.cmyk else op.dark
            m = op.module
            canvas.saveState()  # module units, origin at the code's top-left, y down: small integer paths
            canvas.transform(m, 0, 0, -m, op.x, op.y + op.modules * m)
            canvas.addLiteral(_qr_path(op.rects))
            canvas.restoreState()
        elif isinstance(op, LineOp):
            ink.stroke(op.color, rule=True)
            canvas.setLineWidth(op.width)
            canvas.line(op.x0, op.y0, op.x1, op.y1)
        elif isinstance(op, ImageOp):
            _image_op(canvas, op, draw.images, ink)
        elif isinstance(op, ArtOp):
            draw_art(canvas, op.art, (op.x, op.y, op.w, op.h), op.fit, ink, draw.images)
    if text is not None:
        canvas.drawText(text.obj)


class _Text:
    """One BT … ET block: each line placed relative to the previous one (Td), the font set only when it changes."""

    def __init__(self, canvas: Canvas, draw: _Draw, first: TextOp) -> None:
        self.fonts, self.encoder, self.ink = draw.fonts, draw.encoder, draw.ink
        self.at = (round(first.x, 3), round(first.y, 3))  # a thousandth of a point: invisible, and short numbers
        self.obj: PDFTextObject = canvas.beginText(*self.at)
        self.font: tuple[str, float] | None = None

    def line(self, op: TextOp, fill: RGB | None) -> RGB:
        """Draw one line; returns the fill colour now set."""
        x, y = round(op.x, 3), round(op.y, 3)
        if (x, y) != self.at:
            move(self.obj, round(x - self.at[0], 3), round(self.at[1] - y, 3))  # reportlab's dy points down
            self.at = (x, y)
        if op.color != fill or not self.ink.settled(op.color):
            self.ink.fill(op.color, self.obj)
        obj, runs, encoder = self.obj, self.fonts.runs, self.encoder
        for run in op.runs:
            for face, text in runs(run.text, op.font, run.style):  # fallback fonts for symbols, emoji
                font = (face, op.size)
                if font != self.font:
                    obj.setFont(*font)
                    self.font = font
                show(obj, encoder, face, text)
        return op.color


_NUMBER = [f"{i} " for i in range(256)]
_NUMBER_RE = [f"{i} re " for i in range(256)]


@lru_cache(maxsize=512)
def _qr_path(rects: bytes) -> str:
    """The dark rectangles of a QR code as one filled path, in module units: "col row width height re " per
    rectangle, then "f" (each byte's text looked up: twice as fast as %-formatting a thousand numbers)."""
    parts = [*map(_NUMBER.__getitem__, rects)]
    parts[3::4] = map(_NUMBER_RE.__getitem__, rects[3::4])
    return "".join(parts) + "f"


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


def _image_op(canvas: Canvas, op: ImageOp, images: Images, ink: _Ink) -> None:
    """Draw an image, read once per document; an image that cannot be decoded (a truncated file, a file
    replaced since it was checked) is a DeckError naming it, in one line."""
    try:
        reader, mask = images.get(op.path) or images.setdefault(
            op.path, ink.image(op.path) if ink.cmyk else (ImageReader(str(Path(op.path))), "auto"))
        _image(canvas, reader, op, mask)
    except (OSError, SyntaxError, ValueError) as exc:  # what Pillow raises for a damaged file
        reason = re.sub(r"^identity=\[.*?\]\s*", "", (str(exc).strip().splitlines() or ["unreadable"])[-1])
        raise DeckError(Problem(f"cannot read the image: {reason}", op.path,
                                hint="open it in an image editor and save it again as PNG or JPEG")) from None


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
