"""Write what a Job asks for through its profile: a PDF (sheets, shop pages; CMYK, PDF/X) or a folder of PNG
images; and the calibration sheet. The profiles impose the pages (pipeline/profiles); this module renders them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckgen.deck.languages import text_in
from deckgen.design.ops import ArtOp
from deckgen.errors import DeckError, Problem, count
from deckgen.files import StagedFolder, staged_file, write_atomic
from deckgen.output.fonts import FontBook
from deckgen.output.icc import Inks, inks_for
from deckgen.output.manifest import NAME as MANIFEST
from deckgen.output.pdf import render, write_pdf
from deckgen.output.pdfx import make_pdfx
from deckgen.output.raster import Faces, commit_images, draw_faces
from deckgen.pipeline.options import Job
from deckgen.pipeline.prepare import Prepared
from deckgen.pipeline.profiles import PROFILES
from deckgen.pipeline.profiles.base import Imposed
from deckgen.sheets.calibration import calibration_back, calibration_front
from deckgen.sheets.faces import DPI
from deckgen.sheets.impose import MM
from deckgen.sheets.pages import DocInfo, PageSpec, framed
from deckgen.units import paper_size

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Written:
    summary: str  # the summary line, without the time it took
    warnings: tuple[str, ...]  # what imposing the pages had to say (bleed dropped, no room for the scale bar)


def write(prep: Prepared, job: Job, out: Path, progress: Progress | None = None, jobs: int = 1) -> Written:
    """Impose the job's pages with its profile, render them and write `out` (a file, or a folder of images,
    drawn on `jobs` processes)."""
    profile = PROFILES[job.profile]
    if job.pdfx:
        refuse_transparency(prep)
    imposed = profile.impose(prep, job)
    removed, strays = 0, list[str]()
    if profile.images:
        removed, strays = _write_images(prep, job, out, imposed, jobs, progress)
    else:
        _write_pdf(prep, job, out, imposed, progress)
    warnings = imposed.warnings
    if strays:
        shown = ", ".join(strays[:3]) + (", …" if len(strays) > 3 else "")
        warnings += (f"{out}: {count(len(strays), 'image')} named like deckgen's left as they are ({shown}): the "
                     f"folder has no {MANIFEST} list of the files deckgen wrote — remove them yourself if they "
                     "are old cards",)
    return Written(profile.describe(prep, job, out, imposed, removed), warnings)


def refuse_transparency(prep: Prepared) -> None:
    """PDF/X-1a allows no transparency: an SVG image with opacity is refused at its line, before anything is drawn."""
    found: dict[str, Problem] = {}
    for card in prep.cards:
        for op in (*card.front.ops, *card.back.ops):
            if isinstance(op, ArtOp) and op.art.transparency and op.source not in found:
                found[op.source] = Problem("opacity (transparency), which PDF/X-1a forbids", op.source,
                                           op.art.transparency, hint="make it opaque in the SVG (or flatten the "
                                           "transparency in your editor), or build without --pdfx")
    if found:
        raise DeckError(list(found.values()))


def _write_pdf(prep: Prepared, job: Job, out: Path, imposed: Imposed, progress: Progress | None) -> None:
    """Drawn straight into the file staged to replace `out` (an error or Ctrl-C leaves `out` as it was): a big
    deck's PDF is never whole in memory (its pages wait in a temporary file beside it, on the same disk). A
    PDF/X file is made whole, then rewritten by pikepdf."""
    doc = info(prep, job)
    if not job.pdfx:
        with staged_file(out) as f:
            write_pdf(f, imposed.pages, prep.card_w, prep.card_h, prep.fonts, doc, progress, inks(job),
                      scratch=out.parent)
        return
    data = render(imposed.pages, prep.card_w, prep.card_h, prep.fonts, doc, progress, inks(job))
    write_atomic(out, make_pdfx(data, title=doc.title, condition=job.condition, profile=job.icc,
                                level=job.pdfx_level))


def _write_images(prep: Prepared, job: Job, out: Path, imposed: Imposed, jobs: int, progress: Progress | None
                  ) -> tuple[int, list[str]]:
    """One PNG a page, streamed (see output/raster.py) into a staged folder swapped in at the end: an error or
    Ctrl-C leaves `out` as it was. Images the folder's manifest lists that this build no longer makes are
    removed (see commit_images): (how many, images named like ours left in a folder without a manifest)."""
    faces = Faces(prep.card_w, prep.card_h, prep.fonts, info(prep, job), imposed.px, dpi=DPI)
    with StagedFolder(out) as staged:
        for _ in draw_faces(faces, imposed.pages, [staged.path(n) for n in imposed.names], jobs, progress=progress):
            pass
        return commit_images(staged, imposed.names)


def inks(job: Job) -> Inks:
    """How the job's colours become CMYK: through its profile, else the built-in conversion."""
    return inks_for(job.icc, job.intent, job.max_ink)


def info(prep: Prepared, job: Job) -> DocInfo:
    duplex = job.duplex if "duplex" in PROFILES[job.profile].accepts else "none"
    return doc_info(prep, duplex, job.color)


def calibration(paper: str, offset: tuple[float, float], color: str = "rgb", duplex: str = "long") -> bytes:
    """The two-page duplex calibration sheet; `offset` moves its back page like a deck's."""
    pw, ph = paper_size(paper)
    fonts = FontBook({}, [])
    offset_mm = (round(offset[0] / MM, 2), round(offset[1] / MM, 2))
    pages = [PageSpec(pw, ph, framed(calibration_front(pw, ph, fonts))),
             PageSpec(pw, ph, framed(calibration_back(pw, ph, offset_mm, paper, fonts)), offset=offset)]
    return render(pages, pw, ph, fonts, DocInfo(title="deckgen duplex calibration", duplex=duplex, color=color))


def doc_info(prep: Prepared, duplex: str, color: str = "rgb") -> DocInfo:
    deck = prep.loaded.deck.deck
    return DocInfo(title=text_in(deck.title, prep.lang, None) or "", lang=prep.lang, duplex=duplex,
                   author=_soft(deck.author, prep.lang), subject=_soft(deck.subtitle, prep.lang), color=color)


def _soft(value: str | dict[str, str] | None, lang: str) -> str:
    try:
        return text_in(value, lang, None) or ""
    except LookupError:
        return ""
