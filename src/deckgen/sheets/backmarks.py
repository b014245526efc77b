"""Back pages under a printer's back offset (pure): the cards move, the scale bar stays, crop marks move
with the cards only while they stay printable (>= 5 mm from the sheet's edge) and off every card."""

from __future__ import annotations

from collections.abc import Sequence

MM = 72 / 25.4
EDGE = 5 * MM  # home printers leave the outer ~5 mm of a sheet blank
MAX_OFFSET = 4 * MM  # what a duplex unit drifts at most (1–4 mm); beyond, the measurement is wrong
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (points)


class OffsetError(ValueError):
    """A back offset deckgen will not build: the message gives the largest that works."""


def check_offset(offset: tuple[float, float], limit: float = MAX_OFFSET) -> None:
    """OffsetError when either component of `offset` (points) is beyond ±`limit`."""
    if all(abs(v) <= limit + 1e-6 for v in offset):
        return
    clamp = [max(-limit, min(limit, v)) for v in offset]
    shown = ",".join(f"{v / MM:g}" for v in offset)
    best = ",".join(f"{v / MM:g}" for v in clamp)
    raise OffsetError(f"--back-offset {shown}: more than {limit / MM:g} mm either way; the largest that works "
                      f"is {best} — measure again with `deckgen calibrate` if the printer seems that far off")


def moved(box: Box, offset: tuple[float, float]) -> Box:
    dx, dy = offset
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def back_marks(marks: Sequence[Box], cards: Sequence[Box], page: tuple[float, float],
               offset: tuple[float, float], edge: float = EDGE) -> list[Box] | None:
    """The back page's crop marks moved with its cards, or None when one of them would come within `edge`
    of the sheet's edge or touch a card (`cards` already moved, bleed included): then the back page has none,
    and cutting follows the front's marks."""
    w, h = page
    out = [moved(m, offset) for m in marks]
    for x0, y0, x1, y1 in out:
        lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if lo_x < edge - 1e-6 or lo_y < edge - 1e-6 or hi_x > w - edge + 1e-6 or hi_y > h - edge + 1e-6:
            return None
        if any(lo_x < c[2] and hi_x > c[0] and lo_y < c[3] and hi_y > c[1] for c in cards):
            return None
    return out
