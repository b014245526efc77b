"""fold: for printers without duplex — fronts on one half of the sheet, each back mirrored on the other half
across a dashed fold line; print single-sided, fold, glue, cut."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import DeckError, Problem, count
from deckgen.pipeline.options import Job
from deckgen.pipeline.profiles.base import Imposed, Profile, cards, pdf_extras, pdf_name, sides, summary
from deckgen.sheets.fold import FoldPlan, fold_frame, fold_plan
from deckgen.sheets.impose import SEAM, Box, paginate
from deckgen.sheets.pages import PageSpec, Placed, framed
from deckgen.sheets.scale_bar import NO_BAR, keep_out, place_scale_bar
from deckgen.units import paper_name, paper_size

if TYPE_CHECKING:
    from deckgen.pipeline.prepare import Prepared


def _fold_strip(plan: FoldPlan, pw: float, ph: float) -> Box:
    """The whole strip between the two halves' cards, where the sheet is folded: no scale bar there."""
    if plan.axis == "h":
        return (0.0, max(s.y + s.h for s in plan.backs), pw, min(s.y for s in plan.fronts))
    return (max(s.x + s.w for s in plan.fronts), 0.0, min(s.x for s in plan.backs), ph)


def fold_pages(prep: Prepared, job: Job) -> Imposed:
    """Fronts on one half of each sheet, each back mirrored across the fold line behind its front."""
    pw, ph = paper_size(job.paper)
    try:
        plan, note = fold_plan(pw, ph, prep.card_w, prep.card_h, job.bleed)
    except ValueError as exc:
        raise DeckError(Problem(str(exc), hint="choose a larger --paper or a smaller card")) from None
    fold = fold_frame(plan.fold, prep.fonts)
    avoid = keep_out(plan.fronts + plan.backs, plan.bleed, plan.marks, [fold.box, _fold_strip(plan, pw, ph)])
    bar = place_scale_bar(pw, ph, avoid, prep.fonts)
    extras = framed([fold] + ([bar] if bar else []))
    bleed_out = plan.bleed or SEAM
    items = sides(prep, job)
    pages = []
    for sheet in paginate(len(items), plan.per_sheet):
        faces = [items[i] for i in sheet]
        placed = [Placed(plan.fronts[k], c.front.ops, bleed_out) for k, c in enumerate(faces)]
        placed += [Placed(plan.backs[k], c.back.ops, bleed_out) for k, c in enumerate(faces)]
        pages.append(PageSpec(pw, ph, placed + extras, plan.marks))
    return Imposed(pages, tuple(([note] if note else []) + ([] if bar else [NO_BAR])))


def _describe(prep: Prepared, job: Job, out: Path, imposed: Imposed, removed: int) -> str:
    what = (f"{cards(prep, job)} on {count(len(imposed.pages), paper_name(job.paper) + ' fold sheet')} "
            f"(print single-sided, fold, glue, cut")
    return summary(out, what, pdf_extras(job), prep)


PROFILE = Profile(
    name="fold", rank=3, help="fronts and backs on one side of the sheet, to fold and glue (no duplex needed)",
    accepts=frozenset({"paper", "printer", "bleed", "color", "pdfx", "condition",
                       "icc", "intent", "max_ink", "pdfx_level", "decks"}),
    impose=fold_pages, describe=_describe, output_name=lambda stem, job: pdf_name(stem, job, "-fold"),
    layout_bleed=lambda job: max(job.bleed, SEAM),
)
