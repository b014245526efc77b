"""Fold sheets, for printers without duplex: fronts on one half, backs mirrored on the other, and the fold line."""

from __future__ import annotations

import math
from dataclasses import dataclass

from deckgen.design.ops import LineOp, Metrics, Op
from deckgen.sheets.impose import EDGE, MM, Box, SheetPlan, Slot, back_rotation, crop_marks, mark_margin
from deckgen.sheets.scale_bar import GREY, Frame, place_frame, text_op
from deckgen.units import format_mm as _mm

# ---------------------------------------------------------------- fold and glue
FOLD_GAP = 7 * MM  # cards stay this far from the fold line; marks stop 1.5 mm before it
FOLD_MARK_CLEAR = 1.5 * MM


@dataclass(frozen=True)
class FoldPlan:
    page_w: float
    page_h: float
    axis: str  # "h": the fold runs across the sheet at half height, fronts above; "v": at half width, fronts left
    fronts: tuple[Slot, ...]
    backs: tuple[Slot, ...]  # each the mirror of its front across the fold, turned so that it reads upright
    bleed: float
    fold: tuple[float, float, float, float]
    marks: tuple[tuple[float, float, float, float], ...]

    @property
    def per_sheet(self) -> int:
        return len(self.fronts)


def _count(avail: float, size: float, bleed: float) -> int:
    g = 2 * bleed
    return max(0, math.floor((avail - 2 * bleed + g + 1e-6) / (size + g))) if avail > 0 else 0


def _region_slots(region: Box, card_w: float, card_h: float, bleed: float) -> tuple[Slot, ...]:
    """The largest grid centred in a region, upright unless turned holds strictly more."""
    x0, y0, x1, y1 = region
    best: tuple[Slot, ...] = ()
    for sw, sh, rot in ((card_w, card_h, 0), (card_h, card_w, 90)):
        cols, rows = _count(x1 - x0, sw, bleed), _count(y1 - y0, sh, bleed)
        if cols * rows > len(best):
            g = 2 * bleed
            gx = x0 + (x1 - x0 - (cols * sw + (cols - 1) * g)) / 2
            gy = y0 + (y1 - y0 - (rows * sh + (rows - 1) * g)) / 2
            best = tuple(Slot(gx + c * (sw + g), gy + (rows - 1 - r) * (sh + g), sw, sh, rot)
                         for r in range(rows) for c in range(cols))
    return best


def _fold_one(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float, axis: str) -> FoldPlan:
    m = mark_margin(bleed, edge_clearance=EDGE)  # room for crop marks at the sheet's outer edges
    if axis == "h":
        mid = page_h / 2
        fronts = _region_slots((m, mid + FOLD_GAP, page_w - m, page_h - m), card_w, card_h, bleed)
        backs = tuple(Slot(s.x, page_h - s.y - s.h, s.w, s.h, back_rotation(s.rotation, "short")) for s in fronts)
        fold = (EDGE, mid, page_w - EDGE, mid)
    else:
        mid = page_w / 2
        fronts = _region_slots((m, m, mid - FOLD_GAP, page_h - m), card_w, card_h, bleed)
        backs = tuple(Slot(page_w - s.x - s.w, s.y, s.w, s.h, back_rotation(s.rotation, "long")) for s in fronts)
        fold = (mid, EDGE, mid, page_h - EDGE)
    marks: list[tuple[float, float, float, float]] = []
    if fronts:
        half = SheetPlan(page_w, page_h, card_w, card_h, 0, 0, fronts[0].rotation == 90, 2 * bleed, bleed, fronts)
        for mark in crop_marks(half):
            if (clipped := _clip_to_half(mark, axis, mid)) is not None:
                marks.append(clipped)
        if axis == "h":
            marks += [(x0, page_h - y0, x1, page_h - y1) for x0, y0, x1, y1 in list(marks)]
        else:
            marks += [(page_w - x0, y0, page_w - x1, y1) for x0, y0, x1, y1 in list(marks)]
    return FoldPlan(page_w, page_h, axis, fronts, backs, bleed, fold, tuple(marks))


def _clip_to_half(m: Box, axis: str, mid: float) -> Box | None:
    """A front mark cut short so that it stops FOLD_MARK_CLEAR before the fold; None when under 2 mm."""
    x0, y0, x1, y1 = m
    if axis == "h":
        lo = mid + FOLD_MARK_CLEAR
        y0, y1 = max(y0, lo), max(y1, lo)
    else:
        hi = mid - FOLD_MARK_CLEAR
        x0, x1 = min(x0, hi), min(x1, hi)
    return (x0, y0, x1, y1) if math.hypot(x1 - x0, y1 - y0) >= 2 * MM - 1e-6 else None


def fold_plan(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float = 0.0
              ) -> tuple[FoldPlan, str | None]:
    """The fold (across or down the sheet) holding more cards, upright cards and a fold across preferred.

    With bleed, gutters are used when they keep as many cards a sheet; else cards are butted, with a note.
    Raises ValueError when not even one card fits half a sheet.
    """
    def best(b: float) -> FoldPlan:
        plans = [_fold_one(page_w, page_h, card_w, card_h, b, axis) for axis in ("h", "v")]
        return max(plans, key=lambda p: (p.per_sheet, bool(p.fronts) and p.fronts[0].rotation == 0, p.axis == "h"))

    butted = best(0.0)
    if butted.per_sheet == 0:
        raise ValueError(f"a {_mm(card_w)}×{_mm(card_h)} mm card does not fit half a "
                         f"{_mm(page_w)}×{_mm(page_h)} mm sheet with {_mm(mark_margin(0, edge_clearance=EDGE))} mm "
                         "margins for crop marks")
    if bleed <= 0:
        return butted, None
    bled = best(bleed)
    if bled.per_sheet >= butted.per_sheet:
        return bled, None
    return butted, (f"--bleed {_mm(bleed)}mm: with bleed and gutters only {bled.per_sheet} cards fit a fold "
                    f"sheet instead of {butted.per_sheet}; printing them butted, without bleed")


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
    ops.append(text_op(FOLD_LABEL, (length - tw) / 2, thick / 2 - 0.35 * size, size, GREY))
    if turned:
        return place_frame(x0 - thick / 2, min(y0, y1), (length, thick), True, ops)
    return place_frame(min(x0, x1), y0 - thick / 2, (length, thick), False, ops)


