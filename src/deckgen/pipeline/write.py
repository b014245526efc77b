"""Write what a Job asks for: home or fold sheets, shop pages, PNG images, PDF/X — and the calibration sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from deckgen.deck.languages import text_in
from deckgen.errors import DeckError, Problem, count
from deckgen.files import write_atomic
from deckgen.output.fonts import FontBook
from deckgen.output.pdf import DocInfo, PageSpec, Placed, render
from deckgen.pipeline.jobs import Job
from deckgen.pipeline.prepare import CardSides, Prepared
from deckgen.presets import services
from deckgen.sheets.calibration import calibration_back, calibration_front
from deckgen.sheets.faces import face_order, face_page, png_names, png_page, png_size
from deckgen.sheets.fold import fold_frame, fold_plan
from deckgen.sheets.home import home_plan
from deckgen.sheets.impose import MM, SEAM, SheetPlan, Slot, back_slots, crop_marks, paginate
from deckgen.sheets.scale_bar import Frame, keep_out, place_scale_bar
from deckgen.units import format_mm, paper_name, paper_size

FLIP = {"long": "duplex, long-edge flip", "short": "duplex, short-edge flip", "none": "single-sided"}
NO_BAR = "no room for a scale bar in the margins: check the printed size with a ruler"


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
    if bar is None:
        prep.warnings.append(NO_BAR)
    extras = framed([fold] + ([bar] if bar else []))
    bleed_out = plan.bleed or SEAM
    sides = items(prep, job)
    pages = []
    for sheet in paginate(len(sides), plan.per_sheet):
        cards = [sides[i] for i in sheet]
        placed = [Placed(plan.fronts[k], c.front.ops, bleed_out) for k, c in enumerate(cards)]
        placed += [Placed(plan.backs[k], c.back.ops, bleed_out) for k, c in enumerate(cards)]
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
        from deckgen.output.pdfx import make_pdfx

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
        face = f"{format_mm(pages[0].w, 3)}×{format_mm(pages[0].h, 3)} mm" if pages else "-"
        order = "fronts first" if job.order == "fronts-first" else "front, back, front…"
        what = (f"{count(n, 'card')} on {count(len(pages), 'page')} of {face} "
                f"({format_mm(prep.card_w, 3)}×{format_mm(prep.card_h, 3)} mm + "
                f"{format_mm(job.bleed, 3)} mm bleed, TrimBox and BleedBox, {order}")
    elif job.profile == "fold":
        what = (f"{count(n, 'card')} on {count(len(pages), paper_name(job.paper) + ' fold sheet')} "
                f"(print single-sided, fold, glue, cut")
    else:
        sheets = len(pages) // 2
        what = (f"{count(n, 'card')} on {count(sheets, paper_name(job.paper) + ' sheet')} ({len(pages)} pages, "
                f"{FLIP[job.duplex]}")
        if job.back_offset != (0.0, 0.0):
            extra.append(f"backs moved {format_mm(job.back_offset[0], 3)},{format_mm(job.back_offset[1], 3)} mm")
        if job.printer:
            extra.append(f"printer {job.printer}")
    return f"{out}: {what}{''.join(', ' + e for e in extra)}, theme {prep.theme.name})"


def _write_png(prep: Prepared, job: Job, out: Path) -> str:
    from deckgen.output.raster import render_pngs, write_folder

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
    size = f"centred on {services()[job.service].name}'s size" if job.service else f"+ {format_mm(job.bleed, 3)} mm bleed"
    gone = f", {count(removed, 'stale image')} removed" if removed else ""
    return (f"{out}/: {count(len(sides), 'card')} as {len(files)} PNG images of {px[0]}×{px[1]} px at 300 dpi "
            f"({format_mm(prep.card_w, 3)}×{format_mm(prep.card_h, 3)} mm {size}{gone}, theme {prep.theme.name})")


def calibration(paper: str, offset: tuple[float, float], color: str = "rgb", duplex: str = "long") -> bytes:
    """The two-page duplex calibration sheet; `offset` moves its back page like a deck's."""
    pw, ph = paper_size(paper)
    fonts = FontBook({}, [])
    offset_mm = (round(offset[0] / MM, 2), round(offset[1] / MM, 2))
    pages = [PageSpec(pw, ph, framed(calibration_front(pw, ph, fonts))),
             PageSpec(pw, ph, framed(calibration_back(pw, ph, offset_mm, paper, fonts)), offset=offset)]
    return render(pages, pw, ph, fonts, DocInfo(title="deckgen duplex calibration", duplex=duplex, color=color))


def home_pages(prep: Prepared, paper: str, duplex: str, *, bleed: float = 0.0,
               offset: tuple[float, float] = (0.0, 0.0), decks: int = 1) -> list[PageSpec]:
    """Sheets of cards, each a front page then its back page, backs placed to land behind their fronts.

    With `bleed`, cards get gutters and their art runs into the bleed when the paper holds as many
    cards that way (else a warning, and butted cards). `offset` moves every back page (a printer's
    calibrated back offset). Every page carries crop marks and a scale bar in its margins.
    """
    pw, ph = paper_size(paper)

    def bar_for(plan: SheetPlan) -> Frame | None:
        backs = back_slots(plan, duplex)  # type: ignore[arg-type]
        return place_scale_bar(pw, ph, keep_out([], 0, crop_marks(plan), [_bled_box(plan.fronts, plan.bleed),
                                                                           _bled_box(backs, plan.bleed)]), prep.fonts)

    try:
        plan, note = home_plan(pw, ph, prep.card_w, prep.card_h, bleed, room=lambda p: bar_for(p) is not None)
    except ValueError as exc:
        raise DeckError(Problem(str(exc), hint="choose a larger --paper or a smaller card")) from None
    if note:
        prep.warnings.append(note)
    backs = back_slots(plan, duplex)  # type: ignore[arg-type]
    marks = crop_marks(plan)
    bar = bar_for(plan)
    if bar is None:
        prep.warnings.append(NO_BAR)
    extras = framed([bar] if bar else [])
    bleed_out = plan.bleed or SEAM  # butted cards overlap by a hair: no light seam between same-colour neighbours
    items = prep.sides() * decks
    pages: list[PageSpec] = []
    for sheet in paginate(len(items), plan.per_sheet):
        cards = [items[i] for i in sheet]
        pages.append(PageSpec(pw, ph, [Placed(plan.fronts[k], c.front.ops, bleed_out)
                                       for k, c in enumerate(cards)] + extras, marks))
        pages.append(PageSpec(pw, ph, [Placed(backs[k], c.back.ops, bleed_out)
                                       for k, c in enumerate(cards)] + extras, marks, offset=offset))
    return pages


def _bled_box(slots: Sequence[Slot], bleed: float) -> tuple[float, float, float, float]:
    """The box around a grid of cards and their bleed: no furniture goes inside it (not even in a gutter)."""
    return (min(s.x for s in slots) - bleed, min(s.y for s in slots) - bleed,
            max(s.x + s.w for s in slots) + bleed, max(s.y + s.h for s in slots) + bleed)


def framed(frames: Sequence[Frame]) -> list[Placed]:
    """Furniture (scale bar, fold line, calibration) as placed frames for the renderer."""
    return [Placed(f.slot, f.ops, 0.0, f.size) for f in frames]


def doc_info(prep: Prepared, duplex: str) -> DocInfo:
    deck = prep.loaded.deck.deck
    return DocInfo(title=text_in(deck.title, prep.lang, None) or "", lang=prep.lang, duplex=duplex,
                   author=_soft(deck.author, prep.lang), subject=_soft(deck.subtitle, prep.lang))


def _soft(value: str | dict[str, str] | None, lang: str) -> str:
    try:
        return text_in(value, lang, None) or ""
    except LookupError:
        return ""


def handout_pdf(prep: Prepared, paper: str) -> tuple[bytes, int]:
    """The facilitator handout of the prepared cards (the cards by family, each with its QR code), and its
    number of pages."""
    from deckgen.design.handout import Group, entries_from, handout_pages
    from deckgen.output.pdf import render
    from deckgen.sheets.impose import Slot

    pw, ph = paper_size(paper)
    contexts = [c.context for c in prep.cards if c.index >= 0]
    groups, seen = [], set()
    order = {f.id: i for i, f in enumerate(prep.loaded.deck.families)}
    for ctx in sorted(contexts, key=lambda c: order.get(c["family"]["id"], len(order))):
        fam = ctx["family"]
        if fam["id"] and fam["id"] not in seen:
            seen.add(fam["id"])
            groups.append(Group(fam["id"], fam["name"], fam["color"], fam["description"]))
    deck = contexts[0]["deck"] if contexts else {"title": "", "subtitle": ""}
    title_font = "title" if "title" in prep.fonts.families else "body"
    pages = handout_pages(entries_from(contexts), groups, title=deck["title"] or "", subtitle=deck["subtitle"] or "",
                          page_w=pw, page_h=ph, metrics=prep.fonts, lang=prep.lang, title_font=title_font)
    specs = [PageSpec(pw, ph, [Placed(Slot(0, 0, pw, ph, 0), ops)]) for ops in pages]
    return render(specs, pw, ph, prep.fonts, doc_info(prep, "none")), len(specs)
