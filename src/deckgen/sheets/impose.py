"""Imposition: place trimmed cards on a portrait sheet, their backs for duplex, and crop marks.

Pure geometry, no PDF library. Lengths are PDF points (``MM`` = 72/25.4 pt); sheet coordinates
have their origin at the bottom-left of the page.

Back rotation
-------------
A card's content is drawn in its own frame ``0..card_w × 0..card_h`` and rotated counter-clockwise
by ``Slot.rotation`` into its slot, so its "up" on the sheet is ``R(rot)·(0, 1)``. Seen from the
front, a point of the back page ``(x, y)`` lies at ``(W − x, y)`` after a long-edge flip and at
``(x, H − y)`` after a short-edge flip; directions map through ``F = diag(−1, 1)`` and
``diag(1, −1)``. Turning a cut card over about its own vertical axis keeps its up direction, so
the back is upright when its up, mapped through ``F``, equals the front's up:
``F·R(back)·(0, 1) = R(front)·(0, 1)``, which gives

* long edge:  ``back = −front (mod 360)``   upright 0 → 0, turned 90 → 270;
* short edge: ``back = 180 − front (mod 360)`` upright 0 → 180, turned 90 → 90.

For upright cards this is the familiar rule (long: same rotation, short: +180°). A turned card
lies with its up along the sheet's short side, so the roles swap: the long-edge flip turns it
upside down (hence 270, not 90), the short-edge flip does not (hence 90, not 270).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from deckgen.units import format_mm as _mm

MM = 72 / 25.4
EDGE = 5 * MM  # home printers cannot print this close to the sheet edge: nothing goes there
SEAM = 0.3  # pt: butted cards' art runs this far past the trim, so that neighbours overlap instead of leaving
# a light anti-aliased seam between same-colour bands (it falls inside the cut's tolerance)
Box = tuple[float, float, float, float]
EPS = 1e-6  # points; tolerance for float comparisons
MARK_LENGTH = 5 * MM  # crop marks are this long where the margin allows
MIN_MARK = 2 * MM  # and never shorter: a cut line needs a mark this long at both ends
MARK_CLEARANCE = 5 * MM  # no mark closer to the sheet edge (home printers lose the outer ~5 mm)

Duplex = Literal["long", "short", "none"]
Segment = tuple[float, float, float, float]
_COS_SIN = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}


@dataclass(frozen=True)
class Slot:
    """Trimmed card rectangle on the sheet (w, h as it lies there) and the CCW content rotation."""

    x: float
    y: float
    w: float
    h: float
    rotation: int

    def __post_init__(self) -> None:
        if self.rotation not in _COS_SIN:
            raise ValueError(f"rotation must be 0, 90, 180 or 270, not {self.rotation!r}")


@dataclass(frozen=True)
class SheetPlan:
    page_w: float
    page_h: float
    card_w: float
    card_h: float
    cols: int
    rows: int
    turned: bool  # cards lie rotated 90° on the sheet because that fits more
    gutter: float  # gap between trimmed cards (0 = butted)
    bleed: float  # bleed drawn around each card (≤ gutter/2)
    fronts: tuple[Slot, ...]  # rows top to bottom, columns left to right

    @property
    def per_sheet(self) -> int:
        return len(self.fronts)

    @property
    def grid_box(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the trimmed card grid, computed from the slots themselves."""
        return (
            min(s.x for s in self.fronts),
            min(s.y for s in self.fronts),
            max(s.x + s.w for s in self.fronts),
            max(s.y + s.h for s in self.fronts),
        )


def _positive(**values: float) -> None:
    for name, v in values.items():
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be a positive finite length, not {v!r}")


def _count(avail: float, size: float, gutter: float, bleed: float) -> int:
    """Cards of ``size`` that fit in ``avail``: n·size + (n−1)·gutter + 2·bleed ≤ avail."""
    if size + 2 * bleed > avail + EPS:
        return 0
    return math.floor((avail - 2 * bleed + gutter + EPS) / (size + gutter))


def _grid(
    page_w: float,
    page_h: float,
    card_w: float,
    card_h: float,
    bleed: float,
    gutter: float | None,
    min_margin: float,
    allow_turn: bool,
) -> tuple[int, int, bool, float]:
    """Validate the inputs; return (cols, rows, turned, gutter). cols·rows may be 0."""
    _positive(page_w=page_w, page_h=page_h, card_w=card_w, card_h=card_h)
    if page_w > page_h + EPS:
        raise ValueError(f"the sheet must be portrait (page_w ≤ page_h), got {_mm(page_w)}×{_mm(page_h)} mm")
    if not (math.isfinite(bleed) and bleed >= 0):
        raise ValueError(f"bleed must be ≥ 0, not {bleed!r}")
    if not (math.isfinite(min_margin) and min_margin >= 0):
        raise ValueError(f"min_margin must be ≥ 0, not {min_margin!r}")
    g = 2 * bleed if gutter is None else gutter
    if not math.isfinite(g) or g < 2 * bleed - EPS:
        raise ValueError(
            f"a gutter of {_mm(g)} mm is narrower than twice the bleed ({_mm(2 * bleed)} mm): "
            "neighbouring bleeds would overlap"
        )
    aw, ah = page_w - 2 * min_margin, page_h - 2 * min_margin
    up = (_count(aw, card_w, g, bleed), _count(ah, card_h, g, bleed))
    if allow_turn:
        turn = (_count(aw, card_h, g, bleed), _count(ah, card_w, g, bleed))
        if turn[0] * turn[1] > up[0] * up[1]:
            return turn[0], turn[1], True, g
    return up[0], up[1], False, g


def plan_sheet(
    page_w: float,
    page_h: float,
    card_w: float,
    card_h: float,
    *,
    bleed: float = 0.0,
    gutter: float | None = None,
    min_margin: float = 5 * MM,
    allow_turn: bool = True,
) -> SheetPlan:
    """Centre the largest grid of cards on a portrait sheet.

    Cards are butted by default. With ``bleed`` the gutter defaults to 2·bleed (an explicit
    ``gutter`` must be ≥ 2·bleed). The grid *including the outer bleed* stays inside
    ``page − 2·min_margin``, since bleed is printed ink. Cards are turned 90° (slot w/h swapped,
    rotation 90) only when that fits strictly more. A plan with bleed may hold fewer cards than a
    butted one: compare ``per_sheet`` of both plans to decide. Raises ValueError if no card fits.
    """
    cols, rows, turned, g = _grid(page_w, page_h, card_w, card_h, bleed, gutter, min_margin, allow_turn)
    if cols * rows == 0:
        extra = f" and {_mm(bleed)} mm bleed" if bleed > 0 else ""
        raise ValueError(
            f"a {_mm(card_w)}×{_mm(card_h)} mm card does not fit on a {_mm(page_w)}×{_mm(page_h)} mm "
            f"sheet with {_mm(min_margin)} mm margins{extra}"
        )
    sw, sh = (card_h, card_w) if turned else (card_w, card_h)
    x0 = (page_w - (cols * sw + (cols - 1) * g)) / 2
    y0 = (page_h - (rows * sh + (rows - 1) * g)) / 2
    rot = 90 if turned else 0
    fronts = tuple(
        Slot(x0 + c * (sw + g), y0 + (rows - 1 - r) * (sh + g), sw, sh, rot) for r in range(rows) for c in range(cols)
    )
    return SheetPlan(page_w, page_h, card_w, card_h, cols, rows, turned, g, bleed, fronts)


def back_rotation(rotation: int, duplex: Duplex) -> int:
    """Rotation of a card's back given its front rotation (derivation in the module docstring)."""
    if duplex == "long":
        return -rotation % 360
    if duplex == "short":
        return (180 - rotation) % 360
    if duplex == "none":
        return rotation
    raise ValueError(f"duplex must be 'long', 'short' or 'none', not {duplex!r}")


def back_slots(plan: SheetPlan, duplex: Duplex) -> tuple[Slot, ...]:
    """Slot of each front's back on the back page, in the same order as ``plan.fronts``.

    "long": mirrored in x (x' = W − x − w); "short": mirrored in y (y' = H − y − h); "none": same
    slots and rotations (backs printed on separate, unflipped pages). Real coordinates are
    mirrored, so an off-centre grid still lands behind its fronts.
    """
    out = []
    for s in plan.fronts:
        rot = back_rotation(s.rotation, duplex)
        if duplex == "long":
            out.append(Slot(plan.page_w - s.x - s.w, s.y, s.w, s.h, rot))
        elif duplex == "short":
            out.append(Slot(s.x, plan.page_h - s.y - s.h, s.w, s.h, rot))
        else:
            out.append(s)
    return tuple(out)


def slot_transform(slot: Slot, card_w: float, card_h: float) -> tuple[float, float, float, float, float, float]:
    """Affine (a, b, c, d, e, f) mapping card content (u, v) to the sheet: x = a·u + c·v + e,
    y = b·u + d·v + f — the argument order of reportlab's ``canvas.transform``."""
    cos, sin = _COS_SIN[slot.rotation]
    xs = [cos * u - sin * v for u, v in ((0, 0), (card_w, 0), (0, card_h), (card_w, card_h))]
    ys = [sin * u + cos * v for u, v in ((0, 0), (card_w, 0), (0, card_h), (card_w, card_h))]
    if abs(max(xs) - min(xs) - slot.w) > EPS or abs(max(ys) - min(ys) - slot.h) > EPS:
        raise ValueError(f"a {_mm(card_w)}×{_mm(card_h)} mm card rotated {slot.rotation}° does not match {slot}")
    return (cos, sin, -sin, cos, slot.x - min(xs), slot.y - min(ys))


def _distinct(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EPS:
            out.append(v)
    return out


def mark_offset(bleed: float) -> float:
    """How far outside the trim a crop mark starts: past the bleed by 1 mm, or 0.5 mm for butted cards."""
    return bleed + 1 * MM if bleed > 0 else 0.5 * MM


def mark_margin(bleed: float, *, edge_clearance: float = MARK_CLEARANCE, min_length: float = MIN_MARK) -> float:
    """The ``min_margin`` for ``plan_sheet`` that leaves room for a crop mark of at least ``min_length``
    at both ends of every cut line: edge clearance + mark + the mark's offset from the trim, less the
    bleed (``plan_sheet`` measures its margin from the outer bleed). 7.5 mm butted, 8 mm with bleed."""
    return edge_clearance + min_length + mark_offset(bleed) - bleed


def crop_marks(
    plan: SheetPlan,
    *,
    length: float = MARK_LENGTH,
    min_length: float = MIN_MARK,
    edge_clearance: float = MARK_CLEARANCE,
    offset: float | None = None,
) -> tuple[Segment, ...]:
    """Crop marks (x0, y0, x1, y1), each starting at the grid's outer trim edge + ``offset``.

    Every distinct vertical cut line gets a mark below and above the grid, every horizontal one a
    mark left and right; marks run outwards, are cut short to stay ``edge_clearance`` from the
    sheet edge and dropped when shorter than ``min_length`` (or when the cut line itself is within
    ``edge_clearance`` of the edge); a plan made with ``min_margin=mark_margin(bleed)`` loses none.
    Default offset: ``mark_offset(bleed)``; it may not be less than the bleed, so no mark touches a
    card or its bleed. A centred grid gives marks symmetric about both axes, valid for the back page too.
    """
    if offset is None:
        offset = mark_offset(plan.bleed)
    if offset < plan.bleed - EPS:
        raise ValueError(f"a mark offset of {_mm(offset)} mm would run into the {_mm(plan.bleed)} mm bleed")
    _positive(length=length)
    gx0, gy0, gx1, gy1 = plan.grid_box
    lo, hi_x, hi_y = edge_clearance, plan.page_w - edge_clearance, plan.page_h - edge_clearance

    def run(start: float, direction: int, limit: float) -> float | None:
        room = (limit - start) * direction
        n = min(length, room)
        return start + direction * n if n >= min_length - EPS else None

    marks: list[Segment] = []
    for x in _distinct(v for s in plan.fronts for v in (s.x, s.x + s.w)):
        if lo - EPS <= x <= hi_x + EPS:
            for start, direction, limit in ((gy0 - offset, -1, lo), (gy1 + offset, 1, hi_y)):
                if (end := run(start, direction, limit)) is not None:
                    marks.append((x, start, x, end))
    for y in _distinct(v for s in plan.fronts for v in (s.y, s.y + s.h)):
        if lo - EPS <= y <= hi_y + EPS:
            for start, direction, limit in ((gx0 - offset, -1, lo), (gx1 + offset, 1, hi_x)):
                if (end := run(start, direction, limit)) is not None:
                    marks.append((start, y, end, y))
    return tuple(marks)


def paginate(n: int, per_sheet: int) -> list[range]:
    """Card indices per sheet; the last sheet may be partial; n = 0 gives []."""
    if n < 0:
        raise ValueError(f"n must be ≥ 0, not {n}")
    if per_sheet < 1:
        raise ValueError(f"per_sheet must be ≥ 1, not {per_sheet}")
    return [range(i, min(i + per_sheet, n)) for i in range(0, n, per_sheet)]
