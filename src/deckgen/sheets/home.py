"""Home sheets: the grid of cards on a sheet, with room for crop marks and the scale bar."""

from __future__ import annotations

from collections.abc import Callable

from deckgen.sheets.impose import EDGE, MM, SheetPlan, mark_margin, plan_sheet
from deckgen.units import format_mm as _mm

# ---------------------------------------------------------------- home sheets
MAX_BLEED = 10 * MM


def sheet_plan(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float) -> SheetPlan:
    """The largest grid that leaves room, at both ends of every cut line, for a crop mark of at least 2 mm
    kept 5 mm from the sheet edge (fewer cards rather than an unmarked cut). Raises ValueError if none fits."""
    return plan_sheet(page_w, page_h, card_w, card_h, bleed=bleed, min_margin=mark_margin(bleed, edge_clearance=EDGE))


def home_plan(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float,
              room: Callable[[SheetPlan], bool] | None = None) -> tuple[SheetPlan, str | None]:
    """Cards with bleed and gutters when that costs nothing; else butted, with a note.

    Every plan leaves room for crop marks (sheet_plan). `room(plan)` says whether the sheet's furniture (the
    scale bar) fits: bleed that would leave no room for it, where butted cards do, is not used either. The
    note suggests the largest bleed that keeps the cards (and the furniture).
    """
    butted = sheet_plan(page_w, page_h, card_w, card_h, 0.0)
    if bleed <= 0:
        return butted, None
    try:
        bled = sheet_plan(page_w, page_h, card_w, card_h, bleed)
    except ValueError:
        bled = None
    needs_room = room is not None and room(butted)
    room_lost = needs_room and room is not None and bled is not None and not room(bled)
    if bled is not None and bled.per_sheet >= butted.per_sheet and not room_lost:
        return bled, None
    n = bled.per_sheet if bled else 0
    if n < butted.per_sheet:
        note = (f"--bleed {_mm(bleed)}mm: with bleed, gutters and room for crop marks only {n} cards fit a sheet "
                f"instead of {butted.per_sheet}; printing them butted, without bleed")
    else:
        note = (f"--bleed {_mm(bleed)}mm: with bleed and gutters no room is left for the scale bar; printing the "
                "cards butted, without bleed")
    keep = _max_bleed(butted, room if needs_room else None)
    if keep >= 0.5 * MM:
        note += f" (--bleed {_mm(keep)}mm keeps {butted.per_sheet} a sheet{' and its scale bar' if needs_room else ''})"
    return butted, note


def _max_bleed(plan: SheetPlan, room: Callable[[SheetPlan], bool] | None = None) -> float:
    """The largest bleed, in whole tenths of a millimetre (as a user would type it back), that keeps the
    butted plan's number of cards with gutters and room for its crop marks (and for `room`); 0 when none does."""
    for tenths in range(round(MAX_BLEED / MM * 10), 0, -1):
        b = tenths / 10 * MM  # the very value `--bleed 1.8` parses to
        try:
            bled = sheet_plan(plan.page_w, plan.page_h, plan.card_w, plan.card_h, b)
        except ValueError:
            continue
        if bled.per_sheet >= plan.per_sheet and (room is None or room(bled)):
            return b
    return 0.0


