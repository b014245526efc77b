"""Imposed pages (plain data): what goes on each page of an output, handed to a writer (PDF or images)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from deckgen.design.ops import Op
from deckgen.sheets.impose import Box, Slot
from deckgen.sheets.scale_bar import Frame


@dataclass(frozen=True)
class Placed:
    """One card side on a page: its slot, its ops, and how far its art may run outside the slot.

    `size` is the frame the ops are drawn in when it is not a card (a scale bar, a calibration page).
    """

    slot: Slot
    ops: Sequence[Op]
    bleed: float = 0.0
    size: tuple[float, float] | None = None


@dataclass
class PageSpec:
    w: float
    h: float
    cards: list[Placed] = field(default_factory=list)
    marks: Sequence[tuple[float, float, float, float]] = ()
    offset: tuple[float, float] = (0.0, 0.0)  # moves the whole content (a printer's back offset)
    trim: Box | None = None  # TrimBox (x0, y0, x1, y1); none written when None
    bleed_box: Box | None = None


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str = ""
    subject: str = ""
    lang: str = "en"
    duplex: str = "long"
    color: str = "rgb"  # "cmyk": every colour converted, black as pure K, marks in registration colour


def framed(frames: Sequence[Frame]) -> list[Placed]:
    """Furniture (scale bar, fold line, calibration) as placed frames for the renderer."""
    return [Placed(f.slot, f.ops, 0.0, f.size) for f in frames]
