"""Printer's furniture (pure): the scale bar, the fold line, the calibration targets and scales.

Each piece is a Frame: drawing ops in its own frame (origin bottom-left, like a card) placed in a Slot,
so that it can lie turned on the sheet. Lengths are PDF points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.design.ops import BLACK, RGB, LineOp, Metrics, Op, Run, TextOp
from deckgen.sheets.impose import MM, Box, Slot

CLEAR = 1 * MM  # furniture keeps this far from cards (outside their bleed) and from marks
BOUND = 5 * MM  # and its frame this far from the sheet edge (home printers lose the outer 5 mm) ...
INK_PAD = 0.2 * MM  # ... its ink a little further: every frame keeps this much paper around its ink
BAR_LENGTHS = (50, 40, 30, 20)  # mm, longest that fits first; turned before shortened
BAR_PAD = 0.5 * MM  # paper before and after the bar
LABEL_SIZE = 6.5  # pt
LABEL_UP, LABEL_DOWN = 0.8 * LABEL_SIZE, 0.25 * LABEL_SIZE  # glyphs above and below the baseline (Noto: .76, .24 em)
TICK, END_TICK = 0.8 * MM, 1.4 * MM  # every 10 mm, and at both ends
GREY: RGB = (0.55, 0.55, 0.55)
NO_BAR = "no room for a scale bar in the margins: check the printed size with a ruler"


@dataclass(frozen=True)
class Frame:
    slot: Slot
    size: tuple[float, float]  # the frame's own width and height, before turning
    ops: tuple[Op, ...]

    @property
    def box(self) -> Box:
        s = self.slot
        return (s.x, s.y, s.x + s.w, s.y + s.h)


def text_op(text: str, x: float, y: float, size: float, color: RGB = BLACK, style: str = "regular") -> TextOp:
    return TextOp(x, y, (Run(text, style),), "body", size, color)  # type: ignore[arg-type]


def place_frame(x: float, y: float, size: tuple[float, float], turned: bool, ops: Sequence[Op]) -> Frame:
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
    ops.append(text_op(label, x_label, base, LABEL_SIZE))
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
            return place_frame(*spot, size, False, ops)
        spot = free_spot(page_w, page_h, h, w, avoid, (BOUND, (page_h - w) / 2))
        if spot is not None:
            return place_frame(*spot, size, True, ops)
    return None


