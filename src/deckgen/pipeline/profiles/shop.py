"""shop: one card face a page for print shops — page = card + bleed, TrimBox = the card, BleedBox = the page,
no marks; interleaved (front 1, back 1, …) or fronts first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import count
from deckgen.pipeline.options import Job
from deckgen.pipeline.profiles.base import Imposed, Profile, cards, pdf_extras, pdf_name, sides, summary
from deckgen.sheets.faces import face_order, face_page
from deckgen.sheets.pages import PageSpec, Placed
from deckgen.units import MM, format_mm

if TYPE_CHECKING:
    from deckgen.pipeline.prepare import Prepared


def shop_pages(prep: Prepared, job: Job) -> Imposed:
    face = face_page(prep.card_w, prep.card_h, job.bleed)
    items = sides(prep, job)
    return Imposed([PageSpec(face.w, face.h, [Placed(face.slot, getattr(items[i], side).ops, face.bleed)],
                             trim=face.trim, bleed_box=face.bleed_box)
                    for i, side in face_order(len(items), job.order)])


def _describe(prep: Prepared, job: Job, out: Path, imposed: Imposed, removed: int) -> str:
    pages = imposed.pages
    face = f"{format_mm(pages[0].w, 3)}×{format_mm(pages[0].h, 3)} mm" if pages else "-"
    order = "fronts first" if job.order == "fronts-first" else "front, back, front…"
    what = (f"{cards(prep, job)} on {count(len(pages), 'page')} of {face} "
            f"({format_mm(prep.card_w, 3)}×{format_mm(prep.card_h, 3)} mm + "
            f"{format_mm(job.bleed, 3)} mm bleed, TrimBox and BleedBox, {order}")
    return summary(out, what, pdf_extras(job), prep)


PROFILE = Profile(
    name="shop", rank=1, help="one card face per page with bleed and TrimBox, for print shops",
    accepts=frozenset({"order", "bleed", "color", "pdfx", "condition",
                       "icc", "intent", "max_ink", "pdfx_level", "decks"}),
    impose=shop_pages, describe=_describe, output_name=lambda stem, job: pdf_name(stem, job, "-shop", pdfx_home=True),
    default_bleed=3 * MM, implied_by="pdfx",
)
