"""home: sheets for a duplex printer — each sheet's front page, then its back page with the backs placed to land
behind their fronts; crop marks and a scale bar in the margins; bleed and gutters when the paper has room."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import DeckError, Problem, count
from deckgen.pipeline.options import Job
from deckgen.pipeline.profiles.base import Imposed, Profile, cards, pdf_extras, pdf_name, sides, summary
from deckgen.sheets.backmarks import back_marks
from deckgen.sheets.home import home_plan
from deckgen.sheets.impose import SEAM, Box, SheetPlan, Slot, back_slots, crop_marks, paginate
from deckgen.sheets.pages import PageSpec, Placed, framed
from deckgen.sheets.scale_bar import NO_BAR, Frame, keep_out, place_scale_bar
from deckgen.units import format_mm, paper_name, paper_size

if TYPE_CHECKING:
    from deckgen.pipeline.prepare import Prepared

FLIP = {"long": "duplex, long-edge flip", "short": "duplex, short-edge flip", "none": "single-sided"}


def _bled_box(slots: Sequence[Slot], bleed: float) -> Box:
    """The box around a grid of cards and their bleed: no furniture goes inside it (not even in a gutter)."""
    return (min(s.x for s in slots) - bleed, min(s.y for s in slots) - bleed,
            max(s.x + s.w for s in slots) + bleed, max(s.y + s.h for s in slots) + bleed)


def _moved(slots: Sequence[Slot], offset: tuple[float, float]) -> list[Slot]:
    """The back slots moved by a printer's back offset."""
    return [replace(s, x=s.x + offset[0], y=s.y + offset[1]) for s in slots]


def home_pages(prep: Prepared, job: Job) -> Imposed:
    """Sheets of cards, each a front page then its back page, backs placed to land behind their fronts.

    With bleed, cards get gutters and their art runs into the bleed when the paper holds as many cards that way
    (else a warning, and butted cards). The back offset (a printer's calibrated offset) moves the cards of every
    back page, and its crop marks while they stay printable and off the cards (else the backs have none, and a
    warning says so); the scale bar stays where it is. Every page carries a scale bar in its margins.
    """
    pw, ph = paper_size(job.paper)
    duplex = job.duplex

    def bar_for(plan: SheetPlan) -> Frame | None:
        backs = _moved(back_slots(plan, duplex), job.back_offset)  # type: ignore[arg-type]
        boxes = [_bled_box(plan.fronts, plan.bleed), _bled_box(backs, plan.bleed)]
        return place_scale_bar(pw, ph, keep_out([], 0, crop_marks(plan), boxes), prep.fonts)

    try:
        plan, note = home_plan(pw, ph, prep.card_w, prep.card_h, job.bleed, room=lambda p: bar_for(p) is not None)
    except ValueError as exc:
        raise DeckError(Problem(str(exc), hint="choose a larger --paper or a smaller card")) from None
    backs = _moved(back_slots(plan, duplex), job.back_offset)  # type: ignore[arg-type]
    marks = crop_marks(plan)
    bar = bar_for(plan)
    keep_off = [_bled_box([s], plan.bleed) for s in backs] + ([bar.box] if bar else [])
    moved = back_marks(marks, keep_off, (pw, ph), job.back_offset)
    extras = framed([bar] if bar else [])
    bleed_out = plan.bleed or SEAM  # butted cards overlap by a hair: no light seam between same-colour neighbours
    items = sides(prep, job)
    pages: list[PageSpec] = []
    for sheet in paginate(len(items), plan.per_sheet):
        faces = [items[i] for i in sheet]
        pages.append(PageSpec(pw, ph, [Placed(plan.fronts[k], c.front.ops, bleed_out)
                                       for k, c in enumerate(faces)] + extras, marks))
        pages.append(PageSpec(pw, ph, [Placed(backs[k], c.back.ops, bleed_out)
                                       for k, c in enumerate(faces)] + extras, moved or ()))
    warnings = ([note] if note else []) + ([] if bar else [NO_BAR])
    if moved is None:
        dx, dy = job.back_offset
        warnings.append(f"--back-offset {format_mm(dx, 3)},{format_mm(dy, 3)}: the back pages' crop marks would "
                        "come within 5 mm of the sheet's edge or onto a card or the scale bar, so the backs have "
                        "none; cut along the fronts' marks")
    return Imposed(pages, tuple(warnings))


def _describe(prep: Prepared, job: Job, out: Path, imposed: Imposed, removed: int) -> str:
    sheets = len(imposed.pages) // 2
    what = (f"{cards(prep, job)} on {count(sheets, paper_name(job.paper) + ' sheet')} ({len(imposed.pages)} pages, "
            f"{FLIP[job.duplex]}")
    extras = pdf_extras(job)
    if job.back_offset != (0.0, 0.0):
        extras.append(f"backs moved {format_mm(job.back_offset[0], 3)},{format_mm(job.back_offset[1], 3)} mm")
    if job.printer:
        extras.append(f"printer {job.printer}")
    return summary(out, what, extras, prep)


PROFILE = Profile(
    name="home", rank=0, help="sheets for a duplex printer (default)",
    accepts=frozenset({"paper", "duplex", "back_offset", "printer", "bleed", "color", "pdfx", "condition",
                       "icc", "intent", "max_ink", "pdfx_level", "decks"}),
    impose=home_pages, describe=_describe, output_name=lambda stem, job: pdf_name(stem, job, ""),
    layout_bleed=lambda job: max(job.bleed, SEAM),
)
