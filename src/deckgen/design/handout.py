"""The facilitator handout: the cards listed by family (number, title, summary, QR code) on a few pages. Pure.

Laid out as the same drawing ops as the cards (RectOp, TextOp, QrOp, LineOp), in page coordinates; the
caller renders each page through render_pdf as one page-sized slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from deckgen.design.color import hex_rgb, text_on
from deckgen.design.glyphs import glyph_problem
from deckgen.design.inline_icons import line_ops, measure_with_icons, restore_colons, with_icons, without_icons
from deckgen.design.ops import ASCENT, BLACK, LineOp, Metrics, Op, QrOp, RectOp, Run, Style
from deckgen.design.text import fit_text
from deckgen.design.typography import hyphenator, parse_inline, typography
from deckgen.errors import DeckError, Problem
from deckgen.qr import qr_rects
from deckgen.units import MM

MARGIN = 15 * MM
NUMBER_W = 13 * MM
QR_SIDE = 18 * MM  # dark-module area of every code; grows (for all) when a long URL needs it for 0.5 mm modules
MIN_MODULE = 0.5 * MM
GAP = 4 * MM
INK = hex_rgb("#1F2328")
MUTED = hex_rgb("#5F6670")
RULE = hex_rgb("#C9CDD2")
SIZES = {"deck": 22.0, "subtitle": 13.0, "legend": 10.5, "heading": 13.0, "title": 12.5, "summary": 10.5,
         "number": 12.5, "footer": 10.0}


@dataclass(frozen=True)
class Entry:
    """One card of the handout, its texts already in the language built."""

    number: int
    title: str
    summary: str
    url: str | None
    family: str | None  # family id


@dataclass(frozen=True)
class Group:
    id: str | None
    name: str
    color: str
    description: str


@dataclass
class Block:
    height: float
    ops: list[Op]  # drawn with the block's top at y = 0 (y grows upwards: the ops sit at negative y)
    keep_with_next: bool = False


class Writer:
    """Paragraphs measured with the theme's fonts, typography and hyphenation of the language built."""

    def __init__(self, metrics: Metrics, lang: str, title_font: str):
        self.metrics, self.lang, self.title_font = metrics, lang, title_font
        self.hyph = hyphenator(lang)

    def lines(self, text: str, width: float, size: float, *, font: str = "body", style: Style = "regular",
              color: tuple[float, float, float] = INK, x: float = 0.0, leading: float = 1.25,
              extra: Sequence[Run] = ()) -> Block:
        text = restore_colons(typography(with_icons(text), self.lang)) if text else text
        runs = [*parse_inline(text, base=style), *extra] if text else list(extra)
        glyphs = glyph_problem([Run(without_icons(r.text)[0], r.style) for r in runs], font, self.metrics)
        if glyphs:
            raise DeckError(Problem(f"the handout: {glyphs[0]}", hint=f"in {text[:40]!r}"))

        def font_measure(s: str, st: Style, sz: float) -> float:
            return self.metrics.width(s, font, st, sz)

        fit = fit_text(runs, width, 1e9, size, size, measure_with_icons(font_measure), line_height=leading,
                       hyphenate=self.hyph)
        ops: list[Op] = []
        for i, line in enumerate(fit.lines):
            baseline = -i * fit.leading - (fit.leading - size) / 2 - ASCENT * size
            if line.runs:
                ops += line_ops(x, baseline, line.runs, font, size, color, font_measure)
        return Block(len(fit.lines) * fit.leading, ops)


def _shift(op: Op, dx: float, dy: float) -> Op:
    if isinstance(op, LineOp):
        return replace(op, x0=op.x0 + dx, y0=op.y0 + dy, x1=op.x1 + dx, y1=op.y1 + dy)
    return replace(op, x=op.x + dx, y=op.y + dy)


def _stack(*blocks: Block, gap: float = 0.0) -> Block:
    ops: list[Op] = []
    y = 0.0
    for i, b in enumerate(blocks):
        if i:
            y += gap
        ops += [_shift(op, 0, -y) for op in b.ops]
        y += b.height
    return Block(y, ops)


Codes = dict[str, tuple[int, bytes]]  # URL -> (modules across, dark rectangles)


def _codes(entries: Sequence[Entry]) -> tuple[Codes, float, float]:
    """Every entry's QR code, the one side they all share (18 mm, more when a long URL needs it to keep its
    modules >= 0.5 mm) and the gap between stacked codes: both codes' full quiet zones (4 modules each)."""
    codes = {e.url: qr_rects(e.url, "M") for e in entries if e.url}
    if not codes:
        return codes, QR_SIDE, GAP
    side = max(QR_SIDE, max(n for n, _ in codes.values()) * MIN_MODULE)
    biggest = side / min(n for n, _ in codes.values())
    return codes, side, max(GAP, 8 * biggest + 1 * MM)


def _qr(url: str, right: float, code: tuple[int, bytes], side: float) -> Block:
    n, rects = code
    return Block(side, [QrOp(right - side, -side, side / n, n, rects, BLACK, url)])


def header(w: Writer, width: float, title: str, subtitle: str, groups: Sequence[Group]) -> list[Block]:
    """The deck's title, then one block per family of the legend (so that a long legend flows onto the
    following pages), then a rule."""
    parts = [w.lines(title, width, SIZES["deck"], font=w.title_font, style="bold", leading=1.15)]
    if subtitle:
        parts.append(w.lines(subtitle, width, SIZES["subtitle"], color=MUTED))
    top = _stack(*parts, gap=3 * MM)
    blocks = [Block(top.height + (3 * MM if groups else 0), top.ops, keep_with_next=True)]
    swatch = 4.5 * MM
    for g in groups:
        extra = [Run(" — " + g.description, "regular")] if g.description else []
        para = w.lines(g.name, width - swatch - 3 * MM, SIZES["legend"], style="bold", x=swatch + 3 * MM,
                       extra=extra)
        box = RectOp(0, -swatch - 0.4 * MM, swatch, swatch, hex_rgb(g.color))
        blocks.append(Block(max(para.height, swatch) + 1.5 * MM, [box, *para.ops]))
    blocks.append(Block(6 * MM, [LineOp(0, -3 * MM, width, -3 * MM, RULE, 0.6)]))
    return blocks


def heading(w: Writer, width: float, g: Group) -> Block:
    color = hex_rgb(g.color)
    text = w.lines(g.name, width - 6 * MM, SIZES["heading"], font=w.title_font, style="bold", color=text_on(color),
                   x=3 * MM, leading=1.15)
    h = text.height + 3 * MM
    ops: list[Op] = [RectOp(0, -h, width, h, color), *(_shift(op, 0, -1.5 * MM) for op in text.ops)]
    return Block(h + 4 * MM, ops, keep_with_next=True)  # 4 mm: more than a QR code's quiet zone


def row(w: Writer, width: float, e: Entry, codes: Codes, side: float, pad: float) -> Block:
    """A card's line: number, title and summary, QR code on the right; `pad` below it (at least two quiet
    zones, so that the codes of neighbouring rows never share one)."""
    qr = _qr(e.url, width, codes[e.url], side) if e.url else Block(0, [])
    qr_w = (qr.ops[0].module * qr.ops[0].modules + GAP) if qr.ops else 0.0  # type: ignore[union-attr]
    text_w = width - NUMBER_W - qr_w
    number = w.lines(str(e.number), NUMBER_W - 2 * MM, SIZES["number"], style="bold", color=MUTED)
    title = w.lines(e.title, text_w, SIZES["title"], font=w.title_font, style="bold", x=NUMBER_W, leading=1.15)
    summary = w.lines(e.summary, text_w, SIZES["summary"], x=NUMBER_W) if e.summary else Block(0, [])
    text = _stack(title, summary, gap=1 * MM)
    h = max(text.height, number.height, qr.height)
    rule = NUMBER_W + text_w  # stops short of the QR column: nothing enters a code's quiet zone
    ops = [*number.ops, *text.ops, *qr.ops, LineOp(0, -h - pad / 2, rule, -h - pad / 2, RULE, 0.4)]
    return Block(h + pad, ops)


def paginate(blocks: Sequence[Block], page_w: float, page_h: float, footer: str, metrics: Metrics,
             w: Writer) -> list[list[Op]]:
    """Blocks flowed down pages; a block marked keep_with_next starts a page with the block after it."""
    top, bottom = page_h - MARGIN, MARGIN + 8 * MM
    pages: list[list[Op]] = [[]]
    y = top
    for i, b in enumerate(blocks):
        need = b.height + (blocks[i + 1].height if b.keep_with_next and i + 1 < len(blocks) else 0)
        if y - need < bottom and y < top:
            pages.append([])
            y = top
        pages[-1] += [_shift(op, MARGIN, y) for op in b.ops]
        y -= b.height
    total = len(pages)
    for k, ops in enumerate(pages, start=1):
        foot = w.lines(footer, page_w - 2 * MARGIN - 20 * MM, SIZES["footer"], color=MUTED)
        ops += [_shift(op, MARGIN, MARGIN + foot.height) for op in foot.ops]
        num = f"{k}/{total}"
        nw = metrics.width(num, "body", "regular", SIZES["footer"])
        num_ops = w.lines(num, 20 * MM, SIZES["footer"], color=MUTED).ops
        ops += [_shift(op, page_w - MARGIN - nw, MARGIN + foot.height) for op in num_ops]
    return pages


def handout_pages(entries: Sequence[Entry], groups: Sequence[Group], *, title: str, subtitle: str,
                  page_w: float, page_h: float, metrics: Metrics, lang: str, title_font: str = "title"
                  ) -> list[list[Op]]:
    """Every page's ops: the deck's title and family legend, then each family's cards in deck order."""
    w = Writer(metrics, lang, title_font)
    width = page_w - 2 * MARGIN
    used = [g for g in groups if any(e.family == g.id for e in entries)]
    blocks = header(w, width, title, subtitle, used)
    codes, side, pad = _codes(entries)
    known = {g.id for g in used}
    for g in [*used, Group(None, "", "#FFFFFF", "")]:
        members = [e for e in entries if (e.family == g.id if g.id else e.family not in known)]
        if not members:
            continue
        if g.id:
            blocks.append(heading(w, width, g))
        blocks += [row(w, width, e, codes, side, pad) for e in members]
    return paginate(blocks, page_w, page_h, title, metrics, w)


def entries_from(contexts: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """Handout entries from the cards' template contexts (build.card_context)."""
    out = []
    for ctx in contexts:
        source = ctx.get("source") or {}
        out.append(Entry(int(ctx["number"]), ctx.get("title") or "", ctx.get("summary") or "",
                         source.get("url") or None, ctx["family"]["id"] or None))
    return out
