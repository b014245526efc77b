"""The png profile: one PNG per face, streamed, on every core, swapped into the folder at the end."""

from __future__ import annotations

from pathlib import Path

from deckgen._new.staging import StagedFolder
from deckgen._new.stream import Faces, Fonts, draw_faces
from deckgen._new.workers import Progress
from deckgen.build import Prepared
from deckgen.errors import count
from deckgen.produce import info, items
from deckgen.profiles import DPI, SERVICES, Job, png_names, png_page, png_size
from deckgen.raster import OUR_NAMES
from deckgen.render_pdf import PageSpec, Placed
from deckgen.units import format_mm


def write_png(prep: Prepared, job: Job, out: Path, jobs: int = 1, progress: Progress | None = None) -> str:
    """Write the folder of PNGs; the summary line (without the time)."""
    px = png_size(prep.card_w, prep.card_h, job.bleed, job.service)
    page = png_page(prep.card_w, prep.card_h, px)
    sides = items(prep, job)
    pages = [PageSpec(page.w, page.h, [Placed(page.slot, getattr(c, side).ops, page.bleed)])
             for c in sides for side in ("front", "back")]
    names = [name for pair in png_names([(c.index + 1, c.id) for c in sides], len(prep.cards)) for name in pair]
    faces = Faces(prep.card_w, prep.card_h, Fonts.of(prep.fonts), info(prep, job), px, dpi=DPI)
    with StagedFolder(out) as staged:
        for _ in draw_faces(faces, pages, [staged.path(n) for n in names], jobs, progress=progress):
            pass
        removed = staged.commit(names, lambda name: bool(OUR_NAMES.match(name)))
    size = f"centred on {SERVICES[job.service].name}'s size" if job.service else f"+ {format_mm(job.bleed, 3)} mm bleed"
    gone = f", {count(removed, 'stale image')} removed" if removed else ""
    return (f"{out}/: {count(len(sides), 'card')} as {len(names)} PNG images of {px[0]}×{px[1]} px at 300 dpi "
            f"({format_mm(prep.card_w, 3)}×{format_mm(prep.card_h, 3)} mm {size}{gone}, theme {prep.theme.name})")
