"""One card face a page (shop PDF pages and PNG images): page size, order and file names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.errors import UsageError
from deckgen.presets import services
from deckgen.sheets.impose import MM, Box, Slot
from deckgen.units import format_mm as _mm

# ---------------------------------------------------------------- one face per page (shop, png)
DPI = 300
SERVICE_TOLERANCE = 2 * MM  # a card this close to the service's size is placed at its own size, centred


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
        svc = services()[service]
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


