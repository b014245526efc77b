"""Write what a Job asks for: home or fold sheets, shop pages, PNG images, PDF/X — and the calibration sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from deckgen.build import CardSides, Prepared, doc_info, framed, home_pages
from deckgen.errors import DeckError, Problem
from deckgen.files import write_atomic
from deckgen.fonts import FontBook
from deckgen.furniture import calibration_back, calibration_front, fold_frame, keep_out, place_scale_bar
from deckgen.impose import MM, paginate
from deckgen.profiles import SERVICES, Job, face_order, face_page, fold_plan, png_names, png_page, png_size
from deckgen.render_pdf import DocInfo, PageSpec, Placed, render
from deckgen.units import paper_size

FLIP = {"long": "duplex, long-edge flip", "short": "duplex, short-edge flip", "none": "single-sided"}


def _mm(v: float) -> str:
    return f"{v / MM:.3f}".rstrip("0").rstrip(".")


def paper_name(paper: str) -> str:
    return "Letter" if paper == "letter" else paper.upper()


def items(prep: Prepared, job: Job) -> list[CardSides]:
    """Every card as often as its copies, the whole deck `decks` times."""
    return prep.sides() * job.decks


def shop_pages(prep: Prepared, job: Job) -> list[PageSpec]:
    """One face per page: card + bleed, TrimBox = the card, BleedBox = the page, no marks."""
    face = face_page(prep.card_w, prep.card_h, job.bleed)
    sides = items(prep, job)
    return [PageSpec(face.w, face.h, [Placed(face.slot, getattr(sides[i], side).ops, face.bleed)],
                     trim=face.trim, bleed_box=face.bleed_box) for i, side in face_order(len(sides), job.order)]


def fold_pages(prep: Prepared, job: Job) -> list[PageSpec]:
    """Fronts on one half of each sheet, each back mirrored across the fold line behind its front."""
    pw, ph = paper_size(job.paper)
    try:
        plan, note = fold_plan(pw, ph, prep.card_w, prep.card_h, job.bleed)
    except ValueError as exc:
        raise DeckError(Problem(str(exc), hint="choose a larger --paper or a smaller card")) from None
    if note:
        prep.warnings.append(note)
    fold = fold_frame(plan.fold, prep.fonts)
    # the scale bar stays out of the whole strip between the two halves' cards, where the sheet is folded
    if plan.axis == "h":
        strip = (0.0, max(s.y + s.h for s in plan.backs), pw, min(s.y for s in plan.fronts))
    else:
        strip = (max(s.x + s.w for s in plan.fronts), 0.0, min(s.x for s in plan.backs), ph)
    avoid = keep_out(plan.fronts + plan.backs, plan.bleed, plan.marks, [fold.box, strip])
    bar = place_scale_bar(pw, ph, avoid, prep.fonts)
    extras = framed([fold] + ([bar] if bar else []))
    sides = items(prep, job)
    pages = []
    for sheet in paginate(len(sides), plan.per_sheet):
        cards = [sides[i] for i in sheet]
        placed = [Placed(plan.fronts[k], c.front.ops, plan.bleed) for k, c in enumerate(cards)]
        placed += [Placed(plan.backs[k], c.back.ops, plan.bleed) for k, c in enumerate(cards)]
        pages.append(PageSpec(pw, ph, placed + extras, plan.marks))
    return pages


def pdf_pages(prep: Prepared, job: Job) -> list[PageSpec]:
    if job.profile == "shop":
        return shop_pages(prep, job)
    if job.profile == "fold":
        return fold_pages(prep, job)
    return home_pages(prep, job.paper, job.duplex, bleed=job.bleed, offset=job.back_offset, decks=job.decks)


def info(prep: Prepared, job: Job) -> DocInfo:
    duplex = job.duplex if job.profile == "home" else "none"
    return replace(doc_info(prep, duplex), color=job.color)


def write(prep: Prepared, job: Job, out: Path, progress: Callable[[str, int, int], None] | None = None) -> str:
    """Make and write the output; the summary line (without the time). `progress` as render() takes it."""
    if job.profile == "png":
        return _write_png(prep, job, out)
    pages = pdf_pages(prep, job)
    data = render(pages, prep.card_w, prep.card_h, prep.fonts, info(prep, job), progress=progress)
    if job.pdfx:
        from deckgen.pdfx import make_pdfx

        data = make_pdfx(data, title=info(prep, job).title, condition=job.condition)
    write_atomic(out, data)
    n = len(items(prep, job))
    extra = []
    if job.decks > 1:
        extra.append(f"{job.decks} decks")
    if job.pdfx:
        extra.append(f"PDF/X-1a:2003, {job.condition}")
    elif job.color == "cmyk":
        extra.append("CMYK")
    if job.profile == "shop":
        face = f"{_mm(pages[0].w)}×{_mm(pages[0].h)} mm" if pages else "-"
        order = "fronts first" if job.order == "fronts-first" else "front, back, front…"
        what = (f"{n} cards on {len(pages)} pages of {face} ({_mm(prep.card_w)}×{_mm(prep.card_h)} mm + "
                f"{_mm(job.bleed)} mm bleed, TrimBox and BleedBox, {order}")
    elif job.profile == "fold":
        what = (f"{n} cards on {len(pages)} {paper_name(job.paper)} fold sheets "
                f"(print single-sided, fold, glue, cut")
    else:
        sheets = len(pages) // 2
        what = f"{n} cards on {sheets} {paper_name(job.paper)} sheets ({len(pages)} pages, {FLIP[job.duplex]}"
        if job.back_offset != (0.0, 0.0):
            extra.append(f"backs moved {_mm(job.back_offset[0])},{_mm(job.back_offset[1])} mm")
        if job.printer:
            extra.append(f"printer {job.printer}")
    return f"{out}: {what}{''.join(', ' + e for e in extra)}, theme {prep.theme.name})"


def _write_png(prep: Prepared, job: Job, out: Path) -> str:
    from deckgen.raster import render_pngs, write_folder

    px = png_size(prep.card_w, prep.card_h, job.bleed, job.service)
    page = png_page(prep.card_w, prep.card_h, px)
    sides = items(prep, job)
    pages = [PageSpec(page.w, page.h, [Placed(page.slot, getattr(c, side).ops, page.bleed)])
             for c in sides for side in ("front", "back")]
    data = render(pages, prep.card_w, prep.card_h, prep.fonts, info(prep, job))
    images = render_pngs(data, px)
    names = png_names([(c.index + 1, c.id) for c in sides], len(prep.cards))
    files = [(name, image) for pair, k in zip(names, range(0, len(images), 2), strict=True)
             for name, image in zip(pair, images[k:k + 2], strict=True)]
    removed = write_folder(out, files)
    size = f"centred on {SERVICES[job.service].name}'s size" if job.service else f"+ {_mm(job.bleed)} mm bleed"
    gone = f", {removed} stale images removed" if removed else ""
    return (f"{out}/: {len(sides)} cards as {len(files)} PNG images of {px[0]}×{px[1]} px at 300 dpi "
            f"({_mm(prep.card_w)}×{_mm(prep.card_h)} mm {size}{gone}, theme {prep.theme.name})")


def calibration(paper: str, offset: tuple[float, float], color: str = "rgb", duplex: str = "long") -> bytes:
    """The two-page duplex calibration sheet; `offset` moves its back page like a deck's."""
    pw, ph = paper_size(paper)
    fonts = FontBook({}, [])
    offset_mm = (round(offset[0] / MM, 2), round(offset[1] / MM, 2))
    pages = [PageSpec(pw, ph, framed(calibration_front(pw, ph, fonts))),
             PageSpec(pw, ph, framed(calibration_back(pw, ph, offset_mm, paper, fonts)), offset=offset)]
    return render(pages, pw, ph, fonts, DocInfo(title="deckgen duplex calibration", duplex=duplex, color=color))
