"""png: one RGB image per card face at 300 dpi, bleed included (or an online printer's exact size), named
NNN-ID-front.png / NNN-ID-back.png in a folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import count
from deckgen.pipeline.options import Job
from deckgen.pipeline.profiles.base import Imposed, Profile, cards, sides
from deckgen.presets import services
from deckgen.sheets.faces import png_names, png_page, png_size
from deckgen.sheets.pages import PageSpec, Placed
from deckgen.units import MM, format_mm

if TYPE_CHECKING:
    from deckgen.pipeline.prepare import Prepared


def png_pages(prep: Prepared, job: Job) -> Imposed:
    px = png_size(prep.card_w, prep.card_h, job.bleed, job.service)
    page = png_page(prep.card_w, prep.card_h, px)
    items = sides(prep, job)
    pages = [PageSpec(page.w, page.h, [Placed(page.slot, getattr(c, side).ops, page.bleed)])
             for c in items for side in ("front", "back")]
    names = [name for pair in png_names([(c.index + 1, c.id) for c in items], len(prep.cards)) for name in pair]
    return Imposed(pages, names=names, px=px)


def _describe(prep: Prepared, job: Job, out: Path, imposed: Imposed, removed: int) -> str:
    px = imposed.px
    bleed = f"+ {format_mm(job.bleed, 3)} mm bleed"
    size = f"centred on {services()[job.service].name}'s size" if job.service else bleed
    gone = f", {count(removed, 'stale image')} removed" if removed else ""
    return (f"{out}/: {cards(prep, job)} as {len(imposed.names)} PNG images of {px[0]}×{px[1]} "
            f"px at 300 dpi ({format_mm(prep.card_w, 3)}×{format_mm(prep.card_h, 3)} mm {size}{gone}, "
            f"theme {prep.theme.name})")


def _folder(stem: str, job: Job) -> str:
    return f"{stem}-{job.service}" if job.service else f"{stem}-png"


PROFILE = Profile(
    name="png", rank=2, help="one image per face at 300 dpi, for online card printers",
    accepts=frozenset({"service", "bleed", "color", "decks"}),
    impose=png_pages, describe=_describe, output_name=_folder, default_bleed=3 * MM,
    layout_bleed=lambda job: job.bleed + 2 * MM,  # a PNG's pixel rounding or a service's size may need more
    implied_by="service", images=True, rgb_only=True,
)
