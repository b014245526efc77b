"""Output profiles (pure): which options apply, default file names, and the page geometry of each profile.

home  sheets of cards for a duplex printer (impose.py), with bleed and gutters when the paper has room;
shop  one card face per page: page = card + bleed, TrimBox = card, BleedBox = page, no marks;
png   one image per face at 300 dpi, sized to the nearest pixel (or a service's exact size);
fold  fronts on one half of the sheet, their backs mirrored on the other half: fold, glue, cut.
Lengths are PDF points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.errors import UsageError
from deckgen.impose import MM, SheetPlan, Slot, back_rotation, crop_marks, mark_margin, plan_sheet
from deckgen.units import format_mm as _mm

PROFILES = ("home", "shop", "png", "fold")
DPI = 300
EDGE = 5 * MM  # home printers cannot print this close to the sheet edge: nothing goes there
FOLD_GAP = 7 * MM  # cards stay this far from the fold line; marks stop 1.5 mm before it
FOLD_MARK_CLEAR = 1.5 * MM
MAX_BLEED = 10 * MM
SEAM = 0.3  # pt: butted cards' art runs this far past the trim, so that neighbours overlap instead of leaving
# a light anti-aliased seam between same-colour bands (it falls inside the cut's tolerance)
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Service:
    name: str
    px: tuple[int, int]  # image size with bleed, at 300 dpi
    card: tuple[float, float]  # the trim size the service cuts (points)


SERVICES = {
    "mpc": Service("MakePlayingCards", (822, 1122), (63.5 * MM, 88.9 * MM)),
    "tgc": Service("The Game Crafter", (825, 1125), (63.5 * MM, 88.9 * MM)),
}
SERVICE_TOLERANCE = 2 * MM  # a card this close to the service's size is placed at its own size, centred

# Registered printing conditions (ICC characterization data registry): no ICC profile needs shipping.
CONDITIONS = {
    "FOGRA39": "Coated FOGRA39 (ISO 12647-2:2004), offset on coated paper, Europe",
    "FOGRA51": "PSO Coated v3 (ISO 12647-2:2013), offset on premium coated paper, Europe",
    "FOGRA29": "Uncoated FOGRA29 (ISO 12647-2:2004), offset on uncoated paper, Europe",
    "CGATS TR 006": "GRACoL 2006 Coated #1 (CGATS TR 006), commercial offset on grade 1 paper, US",
    "CGATS TR 001": "SWOP (CGATS TR 001), web offset publication printing, US",
    "JC200103": "Japan Color 2001 Coated (ISO 12647-2:2004), Japan",
}
CONDITION_ALIASES = {"gracol": "CGATS TR 006", "swop": "CGATS TR 001", "japan": "JC200103"}


@dataclass(frozen=True)
class Job:
    """Everything that decides what is written, resolved from the options and a named printer."""

    profile: str = "home"
    paper: str = "a4"
    duplex: str = "long"
    bleed: float = 0.0
    order: str = "interleaved"
    color: str = "rgb"
    pdfx: bool = False
    condition: str = "FOGRA39"
    back_offset: tuple[float, float] = (0.0, 0.0)
    decks: int = 1
    service: str | None = None
    printer: str | None = None

    @property
    def layout_bleed(self) -> float:
        """How far bleed art is laid out: a PNG's pixel rounding or a service's size may need a little more,
        butted cards on sheets a hair (SEAM)."""
        if self.profile == "png":
            return self.bleed + 2 * MM
        return max(self.bleed, SEAM) if self.profile in ("home", "fold") else self.bleed


def parse_bleed(value: str) -> float:
    """"3mm", "0.125in", "9pt"; a bare number is millimetres."""
    from deckgen.units import parse_length

    text = value.strip()
    try:
        v = float(text) * MM if text.replace(".", "", 1).isdigit() else parse_length(text)
    except ValueError:
        raise UsageError(f"--bleed {value}: not a length (write e.g. 3mm or 0.125in)") from None
    if not (0 <= v <= MAX_BLEED):
        raise UsageError(f"--bleed {value}: give a bleed from 0 to 10 mm")
    return v


def condition_name(value: str) -> str:
    key = CONDITION_ALIASES.get(value.strip().lower(), value.strip())
    for name in CONDITIONS:
        if name.lower() == key.lower():
            return name
    raise UsageError(f"--condition {value}: not a registered printing condition deckgen knows; choose one of "
                     + ", ".join(CONDITIONS) + " (or gracol, swop)")


def resolve_job(opts: Any, printer: Any = None) -> Job:
    """A Job from parsed options (None = not given) and optional PrinterSettings; UsageError when they clash."""
    given = {k: v for k, v in vars(opts).items() if v is not None and v is not False}
    pdfx = bool(given.get("pdfx"))
    profile = given.get("profile") or ("png" if "service" in given else "shop" if pdfx else "home")
    sheets = profile in ("home", "fold")

    def refuse(option: str, applies: str) -> None:
        if option in given:
            raise UsageError(f"--{option.replace('_', '-')} applies to {applies}, not to --profile {profile}")

    if profile != "png":
        refuse("service", "--profile png")
    if profile != "shop":
        refuse("order", "--profile shop")
    if profile != "home":
        refuse("duplex", "home sheets (--profile home)")
        refuse("back_offset", "duplex home sheets (--profile home)")
    if not sheets:
        refuse("paper", "sheets (--profile home or fold)")
        if printer is not None:
            raise UsageError(f"--printer applies to sheets printed at home, not to --profile {profile}")
    if not pdfx and "condition" in given:
        raise UsageError("--condition applies to --pdfx")
    color = given.get("color") or ("cmyk" if pdfx else "rgb")
    if pdfx and color != "cmyk":
        raise UsageError("--pdfx is CMYK only: drop --color rgb")
    if profile == "png" and (pdfx or color == "cmyk"):
        raise UsageError("PNG files are RGB: --color cmyk and --pdfx apply to PDF profiles")
    if "service" in given and "bleed" in given:
        raise UsageError(f"--service {given['service']} sets the image size: drop --bleed")
    decks = given.get("decks", 1)
    if decks < 1:
        raise UsageError("--decks takes a number ≥ 1")
    from deckgen.printers import parse_offset

    if "back_offset" in given:
        try:
            offset = parse_offset(given["back_offset"])
        except ValueError as exc:
            raise UsageError(f"--back-offset: {exc}") from None
    else:
        offset = printer.back_offset if printer is not None and profile == "home" else (0.0, 0.0)
    default_bleed = 0.0 if sheets else 3 * MM
    return Job(
        profile=profile,
        paper=given.get("paper") or (printer.paper if printer is not None and printer.paper else "a4"),
        duplex=given.get("duplex") or (printer.duplex if printer is not None and printer.duplex else "long"),
        bleed=parse_bleed(given["bleed"]) if "bleed" in given else default_bleed,
        order=given.get("order") or "interleaved",
        color=color,
        pdfx=pdfx,
        condition=condition_name(given["condition"]) if "condition" in given else "FOGRA39",
        back_offset=offset,
        decks=decks,
        service=given.get("service"),
        printer=printer.name if printer is not None else None,
    )


def default_output(deck: str | Path, job: Job) -> Path:
    """The deck's name in the current folder, one name per profile so that no output overwrites another."""
    stem = Path(deck).stem
    if job.profile == "png":
        return Path(f"{stem}-{job.service}" if job.service else f"{stem}-png")
    if job.pdfx:  # PDF/X is a shop file unless told otherwise: micro-pdfx.pdf, micro-home-pdfx.pdf…
        return Path(f"{stem}{'' if job.profile == 'shop' else '-' + job.profile}-pdfx.pdf")
    suffix = {"home": "", "shop": "-shop", "fold": "-fold"}[job.profile]
    return Path(f"{stem}{suffix}{'-cmyk' if job.color == 'cmyk' else ''}.pdf")


# ---------------------------------------------------------------- home sheets


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
    if bled is not None and bled.per_sheet >= butted.per_sheet and not (needs_room and not room(bled)):
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


# ---------------------------------------------------------------- one face per page (shop, png)


@dataclass(frozen=True)
class FacePage:
    w: float
    h: float
    slot: Slot
    bleed: float  # how far art may run outside the slot (to the page edge)
    trim: Box
    bleed_box: Box


def face_page(card_w: float, card_h: float, bleed: float) -> FacePage:
    slot = Slot(bleed, bleed, card_w, card_h, 0)
    w, h = card_w + 2 * bleed, card_h + 2 * bleed
    return FacePage(w, h, slot, bleed, (bleed, bleed, bleed + card_w, bleed + card_h), (0.0, 0.0, w, h))


def png_size(card_w: float, card_h: float, bleed: float, service: str | None) -> tuple[int, int]:
    """Pixels at 300 dpi: card + bleed to the nearest pixel, or the service's exact size."""
    if service is not None:
        svc = SERVICES[service]
        if abs(card_w - svc.card[0]) > SERVICE_TOLERANCE or abs(card_h - svc.card[1]) > SERVICE_TOLERANCE:
            raise UsageError(f"--service {service}: {svc.name} prints {_mm(svc.card[0])}×{_mm(svc.card[1])} mm "
                             f"cards; this theme's card is {_mm(card_w)}×{_mm(card_h)} mm")
        return svc.px
    return (round((card_w + 2 * bleed) / 72 * DPI), round((card_h + 2 * bleed) / 72 * DPI))


def png_page(card_w: float, card_h: float, px: tuple[int, int]) -> FacePage:
    """A page of exactly px at 300 dpi with the card centred at its true size; the rest is bleed."""
    w, h = px[0] * 72 / DPI, px[1] * 72 / DPI
    bx, by = (w - card_w) / 2, (h - card_h) / 2
    return FacePage(w, h, Slot(bx, by, card_w, card_h, 0), max(bx, by, 0.0), (bx, by, bx + card_w, by + card_h),
                    (0.0, 0.0, w, h))


def face_order(n: int, order: str) -> list[tuple[int, str]]:
    """(item, side) per page: front 1, back 1, front 2, … or all fronts then all backs."""
    if order == "fronts-first":
        return [(i, "front") for i in range(n)] + [(i, "back") for i in range(n)]
    return [(i, side) for i in range(n) for side in ("front", "back")]


def png_names(items: Sequence[tuple[int, str]], total: int) -> list[tuple[str, str]]:
    """(front name, back name) per item (card number, id): NNN-ID-front.png; copies add -copyK."""
    width = max(3, len(str(total)))
    seen: dict[tuple[int, str], int] = {}
    out = []
    for number, cid in items:
        k = seen[(number, cid)] = seen.get((number, cid), 0) + 1
        base = f"{number:0{width}d}-{cid}" + (f"-copy{k}" if k > 1 else "")
        out.append((f"{base}-front.png", f"{base}-back.png"))
    return out


# ---------------------------------------------------------------- fold and glue


@dataclass(frozen=True)
class FoldPlan:
    page_w: float
    page_h: float
    axis: str  # "h": the fold runs across the sheet at half height, fronts above; "v": at half width, fronts left
    fronts: tuple[Slot, ...]
    backs: tuple[Slot, ...]  # each the mirror of its front across the fold, turned so that it reads upright
    bleed: float
    fold: tuple[float, float, float, float]
    marks: tuple[tuple[float, float, float, float], ...]

    @property
    def per_sheet(self) -> int:
        return len(self.fronts)


def _count(avail: float, size: float, bleed: float) -> int:
    g = 2 * bleed
    return max(0, math.floor((avail - 2 * bleed + g + 1e-6) / (size + g))) if avail > 0 else 0


def _region_slots(region: Box, card_w: float, card_h: float, bleed: float) -> tuple[Slot, ...]:
    """The largest grid centred in a region, upright unless turned holds strictly more."""
    x0, y0, x1, y1 = region
    best: tuple[Slot, ...] = ()
    for sw, sh, rot in ((card_w, card_h, 0), (card_h, card_w, 90)):
        cols, rows = _count(x1 - x0, sw, bleed), _count(y1 - y0, sh, bleed)
        if cols * rows > len(best):
            g = 2 * bleed
            gx = x0 + (x1 - x0 - (cols * sw + (cols - 1) * g)) / 2
            gy = y0 + (y1 - y0 - (rows * sh + (rows - 1) * g)) / 2
            best = tuple(Slot(gx + c * (sw + g), gy + (rows - 1 - r) * (sh + g), sw, sh, rot)
                         for r in range(rows) for c in range(cols))
    return best


def _fold_one(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float, axis: str) -> FoldPlan:
    m = mark_margin(bleed, edge_clearance=EDGE)  # room for crop marks at the sheet's outer edges
    if axis == "h":
        mid = page_h / 2
        fronts = _region_slots((m, mid + FOLD_GAP, page_w - m, page_h - m), card_w, card_h, bleed)
        backs = tuple(Slot(s.x, page_h - s.y - s.h, s.w, s.h, back_rotation(s.rotation, "short")) for s in fronts)
        fold = (EDGE, mid, page_w - EDGE, mid)
    else:
        mid = page_w / 2
        fronts = _region_slots((m, m, mid - FOLD_GAP, page_h - m), card_w, card_h, bleed)
        backs = tuple(Slot(page_w - s.x - s.w, s.y, s.w, s.h, back_rotation(s.rotation, "long")) for s in fronts)
        fold = (mid, EDGE, mid, page_h - EDGE)
    marks: list[tuple[float, float, float, float]] = []
    if fronts:
        half = SheetPlan(page_w, page_h, card_w, card_h, 0, 0, fronts[0].rotation == 90, 2 * bleed, bleed, fronts)
        for m in crop_marks(half):
            if (clipped := _clip_to_half(m, axis, mid)) is not None:
                marks.append(clipped)
        if axis == "h":
            marks += [(x0, page_h - y0, x1, page_h - y1) for x0, y0, x1, y1 in list(marks)]
        else:
            marks += [(page_w - x0, y0, page_w - x1, y1) for x0, y0, x1, y1 in list(marks)]
    return FoldPlan(page_w, page_h, axis, fronts, backs, bleed, fold, tuple(marks))


def _clip_to_half(m: tuple[float, float, float, float], axis: str, mid: float):
    """A front mark cut short so that it stops FOLD_MARK_CLEAR before the fold; None when under 2 mm."""
    x0, y0, x1, y1 = m
    if axis == "h":
        lo = mid + FOLD_MARK_CLEAR
        y0, y1 = max(y0, lo), max(y1, lo)
    else:
        hi = mid - FOLD_MARK_CLEAR
        x0, x1 = min(x0, hi), min(x1, hi)
    return (x0, y0, x1, y1) if math.hypot(x1 - x0, y1 - y0) >= 2 * MM - 1e-6 else None


def fold_plan(page_w: float, page_h: float, card_w: float, card_h: float, bleed: float = 0.0
              ) -> tuple[FoldPlan, str | None]:
    """The fold (across or down the sheet) holding more cards, upright cards and a fold across preferred.

    With bleed, gutters are used when they keep as many cards a sheet; else cards are butted, with a note.
    Raises ValueError when not even one card fits half a sheet.
    """
    def best(b: float) -> FoldPlan:
        plans = [_fold_one(page_w, page_h, card_w, card_h, b, axis) for axis in ("h", "v")]
        return max(plans, key=lambda p: (p.per_sheet, bool(p.fronts) and p.fronts[0].rotation == 0, p.axis == "h"))

    butted = best(0.0)
    if butted.per_sheet == 0:
        raise ValueError(f"a {_mm(card_w)}×{_mm(card_h)} mm card does not fit half a "
                         f"{_mm(page_w)}×{_mm(page_h)} mm sheet with {_mm(mark_margin(0, edge_clearance=EDGE))} mm "
                         "margins for crop marks")
    if bleed <= 0:
        return butted, None
    bled = best(bleed)
    if bled.per_sheet >= butted.per_sheet:
        return bled, None
    return butted, (f"--bleed {_mm(bleed)}mm: with bleed and gutters only {bled.per_sheet} cards fit a fold "
                    f"sheet instead of {butted.per_sheet}; printing them butted, without bleed")
