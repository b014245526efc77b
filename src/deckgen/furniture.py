"""Printer's furniture (pure): the scale bar, the fold line, the calibration targets and scales.

Each piece is a Frame: drawing ops in its own frame (origin bottom-left, like a card) placed in a Slot,
so that it can lie turned on the sheet. Lengths are PDF points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.impose import MM, Slot
from deckgen.layout import BLACK, RGB, LineOp, Metrics, Op, TextOp
from deckgen.typography import Run
from deckgen.units import paper_name

Box = tuple[float, float, float, float]
CLEAR = 1 * MM  # furniture keeps this far from cards (outside their bleed) and from marks
BOUND = 5 * MM  # and its frame this far from the sheet edge (home printers lose the outer 5 mm) ...
INK_PAD = 0.2 * MM  # ... its ink a little further: every frame keeps this much paper around its ink
BAR_LENGTHS = (50, 40, 30, 20)  # mm, longest that fits first; turned before shortened
BAR_PAD = 0.5 * MM  # paper before and after the bar
LABEL_SIZE = 6.5  # pt
LABEL_UP, LABEL_DOWN = 0.8 * LABEL_SIZE, 0.25 * LABEL_SIZE  # glyphs above and below the baseline (Noto: .76, .24 em)
TICK, END_TICK = 0.8 * MM, 1.4 * MM  # every 10 mm, and at both ends
GREY: RGB = (0.55, 0.55, 0.55)


@dataclass(frozen=True)
class Frame:
    slot: Slot
    size: tuple[float, float]  # the frame's own width and height, before turning
    ops: tuple[Op, ...]

    @property
    def box(self) -> Box:
        s = self.slot
        return (s.x, s.y, s.x + s.w, s.y + s.h)


def _text(text: str, x: float, y: float, size: float, color: RGB = BLACK, style: str = "regular") -> TextOp:
    return TextOp(x, y, (Run(text, style),), "body", size, color)  # type: ignore[arg-type]


def _place(x: float, y: float, size: tuple[float, float], turned: bool, ops: Sequence[Op]) -> Frame:
    w, h = size
    slot = Slot(x, y, h, w, 90) if turned else Slot(x, y, w, h, 0)
    return Frame(slot, size, tuple(ops))


# ---------------------------------------------------------------- scale bar


def bar_labels(length_mm: int) -> tuple[str, str, str]:
    """The scale bar's captions, longest first."""
    return (f"{length_mm} mm — print at 100\u00a0% / actual size", f"{length_mm} mm — print at 100\u00a0%",
            f"{length_mm} mm at 100\u00a0%")


def scale_bar_ops(length_mm: int, metrics: Metrics, label: str | None = None,
                  inline: bool = False) -> tuple[tuple[float, float], list[Op]]:
    """A bar `length_mm` long with a tick every 10 mm, its caption above it or, `inline`, after it (a thinner
    frame, for a narrow margin); the frame's size and ops. Default caption: the longest that fits above the bar,
    else the middle one (the frame is then wider than the bar)."""
    length = length_mm * MM
    if label is None:
        long, middle, _ = bar_labels(length_mm)
        label = long if metrics.width(long, "body", "regular", LABEL_SIZE) <= length else middle
    width = metrics.width(label, "body", "regular", LABEL_SIZE)
    if inline:
        y = base = INK_PAD + LABEL_DOWN
        x_label, w = BAR_PAD + length + 1.5 * MM, 2 * BAR_PAD + length + 1.5 * MM + width
        h = base + max(END_TICK, LABEL_UP) + INK_PAD
    else:
        y = INK_PAD + 0.25  # half the bar's 0.5 pt stroke
        base = y + END_TICK + LABEL_DOWN + 0.05 * MM
        x_label, w = BAR_PAD, 2 * BAR_PAD + max(length, width)
        h = base + LABEL_UP + INK_PAD
    ops: list[Op] = [LineOp(BAR_PAD, y, BAR_PAD + length, y, BLACK, 0.5)]
    for k in range(0, length_mm + 1, 10):
        tall = END_TICK if k in (0, length_mm) else TICK
        ops.append(LineOp(BAR_PAD + k * MM, y, BAR_PAD + k * MM, y + tall, BLACK, 0.4))
    ops.append(_text(label, x_label, base, LABEL_SIZE))
    return (w, h), ops


def _bar_choices(metrics: Metrics) -> list[tuple[tuple[float, float], list[Op]]]:
    """Scale bars from the most to the least wanted: caption above, 50 … 20 mm long; then thinner frames with
    the caption after the bar, for margins too narrow for the first ones."""
    out = [scale_bar_ops(n, metrics) for n in BAR_LENGTHS]
    out += [scale_bar_ops(n, metrics, bar_labels(n)[1], inline=True) for n in (50, 30, 20)]
    out.append(scale_bar_ops(20, metrics, bar_labels(20)[2], inline=True))
    return out


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 1e-6 and b[0] < a[2] - 1e-6 and a[1] < b[3] - 1e-6 and b[1] < a[3] - 1e-6


def free_spot(page_w: float, page_h: float, w: float, h: float, keep_out: Sequence[Box],
              anchor: tuple[float, float]) -> tuple[float, float] | None:
    """The bottom-left corner nearest `anchor` of a w × h box inside the printable area touching no keep-out box.

    Candidates are the positions that touch a keep-out box or the printable area's bounds (where a
    free box can always be pushed), plus the anchor itself.
    """
    lo_x, hi_x, lo_y, hi_y = BOUND, page_w - BOUND - w, BOUND, page_h - BOUND - h
    if hi_x < lo_x or hi_y < lo_y:
        return None
    xs = {lo_x, hi_x, min(max(anchor[0], lo_x), hi_x)} | {b[2] for b in keep_out} | {b[0] - w for b in keep_out}
    ys = {lo_y, hi_y, min(max(anchor[1], lo_y), hi_y)} | {b[3] for b in keep_out} | {b[1] - h for b in keep_out}
    spots = [(x, y) for x in xs if lo_x - 1e-6 <= x <= hi_x + 1e-6 for y in ys if lo_y - 1e-6 <= y <= hi_y + 1e-6]
    spots.sort(key=lambda p: (math.hypot(p[0] - anchor[0], p[1] - anchor[1]), p))
    for x, y in spots:
        if not any(_overlaps((x, y, x + w, y + h), b) for b in keep_out):
            return (x, y)
    return None


def keep_out(slots: Sequence[Slot], bleed: float, marks: Sequence[tuple[float, float, float, float]],
             extra: Sequence[Box] = ()) -> list[Box]:
    """Boxes furniture must not touch: each card with its bleed, each crop mark, and `extra`, plus clearance."""
    c, m = bleed + CLEAR, CLEAR
    boxes = [(s.x - c, s.y - c, s.x + s.w + c, s.y + s.h + c) for s in slots]
    boxes += [(min(x0, x1) - m, min(y0, y1) - m, max(x0, x1) + m, max(y0, y1) + m) for x0, y0, x1, y1 in marks]
    boxes += [(b[0] - m, b[1] - m, b[2] + m, b[3] + m) for b in extra]
    return boxes


def place_scale_bar(page_w: float, page_h: float, avoid: Sequence[Box], metrics: Metrics) -> Frame | None:
    """A scale bar where it fits clear of `avoid`: 50 mm along the bottom or top if it fits, else turned in a
    side margin, else shorter, else with its caption after the bar (a thinner frame). None when nothing fits."""
    for size, ops in _bar_choices(metrics):
        w, h = size
        spot = free_spot(page_w, page_h, w, h, avoid, ((page_w - w) / 2, BOUND))
        if spot is not None:
            return _place(*spot, size, False, ops)
        spot = free_spot(page_w, page_h, h, w, avoid, (BOUND, (page_h - w) / 2))
        if spot is not None:
            return _place(*spot, size, True, ops)
    return None


# ---------------------------------------------------------------- fold line


FOLD_LABEL = "fold here, glue the halves together, then cut along the marks"


def fold_frame(fold: tuple[float, float, float, float], metrics: Metrics) -> Frame:
    """A grey dashed fold line with its instruction in a gap at the middle."""
    x0, y0, x1, y1 = fold
    turned = x0 == x1
    length = abs(y1 - y0) if turned else abs(x1 - x0)
    thick = 3 * MM
    size = 6.0
    tw = metrics.width(FOLD_LABEL, "body", "regular", size)
    gap0, gap1 = (length - tw) / 2 - 2 * MM, (length + tw) / 2 + 2 * MM
    ops: list[Op] = []
    dash, space, pos = 3 * MM, 2 * MM, 0.0
    while pos < length:
        a, b = pos, min(pos + dash, length)
        for s, e in ((a, min(b, gap0)), (max(a, gap1), b)):
            if e - s > 0.2 * MM:
                ops.append(LineOp(s, thick / 2, e, thick / 2, GREY, 0.5))
        pos += dash + space
    ops.append(_text(FOLD_LABEL, (length - tw) / 2, thick / 2 - 0.35 * size, size, GREY))
    if turned:
        return _place(x0 - thick / 2, min(y0, y1), (length, thick), True, ops)
    return _place(min(x0, x1), y0 - thick / 2, (length, thick), False, ops)


# ---------------------------------------------------------------- duplex calibration

SCALE_MM = 6  # each scale reads −6 … +6 mm
ARM = 18 * MM  # half-length of the front's cross lines: they still cross the scales 6 mm off


def calibration_points(page_w: float, page_h: float) -> list[tuple[float, float]]:
    """The centre and four points symmetric about it: the same set after either flip."""
    cx, cy = page_w / 2, page_h / 2
    dx, dy = cx - 40 * MM, cy - 50 * MM
    return [(cx, cy), (cx - dx, cy + dy), (cx + dx, cy + dy), (cx - dx, cy - dy), (cx + dx, cy - dy)]


def _lines(lines: Sequence[tuple[str, str]], x: float, top: float, max_w: float, metrics: Metrics,
           size: float = 8.5) -> tuple[list[Op], float]:
    """Text lines (style, text) from `top` down, shrunk until the widest fits `max_w`; ops and the bottom."""
    while size > 6 and max(metrics.width(t, "body", s, size) for s, t in lines) > max_w:
        size -= 0.25
    ops: list[Op] = []
    y = top
    for style, text in lines:
        big = 1.3 if style == "bold" else 1.0
        y -= size * big * 1.35
        ops.append(_text(text, x, y, size * big, style=style))
    return ops, y - size * 0.4


def calibration_front(page_w: float, page_h: float, metrics: Metrics) -> list[Frame]:
    ops: list[Op] = []
    for px, py in calibration_points(page_w, page_h):
        ops += [LineOp(px - ARM, py, px + ARM, py, BLACK, 0.3), LineOp(px, py - ARM, px, py + ARM, BLACK, 0.3)]
    cy = page_h / 2
    text, bottom = _lines([
        ("bold", "deckgen duplex calibration — front"),
        ("regular", "1. Print this file duplex, at 100 % / actual size (never “fit to page”), flipping on the edge"),
        ("regular", "    you will use for your decks."),
        ("regular", "2. Hold the printed sheet against a window or a lamp and look at its back."),
        ("regular", "3. At the centre, read where this page’s vertical line crosses the back’s X scale, and where"),
        ("regular", "    its horizontal line crosses the Y scale: that is X,Y in millimetres."),
        ("regular", "4. Build with  --back-offset X,Y  (or save it as back_offset in printers.yaml and use "
                    "--printer)."),
        ("regular", "Corners that read differently from the centre mean the printer turns or scales the back: "
                    "use the centre."),
    ], 22 * MM, calibration_points(page_w, page_h)[1][1] - ARM - 3 * MM, page_w - 44 * MM, metrics)
    frames = [Frame(Slot(0, 0, page_w, page_h, 0), (page_w, page_h), tuple(ops + text))]
    avoid = [(px - ARM, py - ARM, px + ARM, py + ARM) for px, py in calibration_points(page_w, page_h)]
    avoid.append((22 * MM, bottom, page_w - 22 * MM, cy + ARM))
    bar = place_scale_bar(page_w, page_h, keep_out([], 0, [], avoid), metrics)
    return frames + ([bar] if bar else [])


def _signed(v: int) -> str:
    return str(v)  # hyphen-minus: the Noto fonts have no U+2212


def calibration_back(page_w: float, page_h: float, offset_mm: tuple[float, float], paper: str,
                     metrics: Metrics) -> list[Frame]:
    """Scales at every point, reading directly the X,Y to pass (X to the right, Y up, on this page)."""
    ops: list[Op] = []
    size = 4.5
    for px, py in calibration_points(page_w, page_h):
        xs, ys = py + 8 * MM, px + 8 * MM  # the X scale's baseline (a row) and the Y scale's (a column)
        ops += [LineOp(px - SCALE_MM * MM, xs, px + SCALE_MM * MM, xs, BLACK, 0.3),
                LineOp(ys, py - SCALE_MM * MM, ys, py + SCALE_MM * MM, BLACK, 0.3),
                LineOp(px - 1 * MM, py, px + 1 * MM, py, GREY, 0.3),
                LineOp(px, py - 1 * MM, px, py + 1 * MM, GREY, 0.3)]
        for half in range(-2 * SCALE_MM, 2 * SCALE_MM + 1):
            t = half / 2
            tick = 1.0 * MM if half % 2 else 1.8 * MM if half % 4 else 2.6 * MM
            ops += [LineOp(px + t * MM, xs, px + t * MM, xs + tick, BLACK, 0.25),
                    LineOp(ys, py + t * MM, ys + tick, py + t * MM, BLACK, 0.25)]
            if half % 4 == 0:
                label = _signed(half // 2)
                w = metrics.width(label, "body", "regular", size)
                ops.append(_text(label, px + t * MM - w / 2, xs + 3.2 * MM, size))
                ops.append(_text(label, ys + 3.2 * MM, py + t * MM - 0.35 * size, size))
        xl = "X (mm, right)"
        ops.append(_text(xl, px - SCALE_MM * MM - 1.5 * MM - metrics.width(xl, "body", "bold", size), xs + 0.5 * MM,
                         size, style="bold"))
        ops.append(_text("Y (mm, up)", ys - 1 * MM, py - SCALE_MM * MM - 3 * MM, size, style="bold"))
    ox, oy = (f"{v:g}" for v in offset_mm)
    text, _ = _lines([
        ("bold", "deckgen duplex calibration — back"),
        ("regular", "Scales in millimetres: X to the right, Y up, as you see this page. The grey crosses are where"),
        ("regular", "the front’s lines should fall. Read X and Y where the front’s lines cross the centre scales."),
        ("regular", f"This sheet was printed on {paper_name(paper)} with "
                    f"--back-offset {ox},{oy}: the offset to use is {ox}+X, {oy}+Y. Printed with it, the lines "
                    "cross 0."),
    ], 22 * MM, page_h / 2 - ARM - 3 * MM, page_w - 44 * MM, metrics)
    return [Frame(Slot(0, 0, page_w, page_h, 0), (page_w, page_h), tuple(ops + text))]
