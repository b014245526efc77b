"""Drawing operations (plain data): what a laid-out card side, a sheet's furniture or a handout page is made of.
Coordinates are points, origin at the bottom-left of the frame drawn in."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:  # the parser (and Pillow) load when an SVG or an icon is drawn, not for `deckgen --help`
    from deckgen.deck.svg.parse import Art

Style = Literal["regular", "bold", "italic", "bolditalic"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text in one style."""

    text: str
    style: Style = "regular"

RGB = tuple[float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)
BLACK: RGB = (0.0, 0.0, 0.0)
ASCENT = 0.78  # baseline below the top of a line box, as a fraction of the size (Latin capitals and accents)


class Metrics(Protocol):
    def width(self, text: str, key: str, style: str, size: float) -> float: ...
    def missing(self, text: str, key: str, style: str) -> str: ...


@dataclass(frozen=True, slots=True)
class RectOp:
    x: float
    y: float
    w: float
    h: float
    fill: RGB | None
    stroke: RGB | None = None
    width: float = 0.0
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class LineOp:
    x0: float
    y0: float
    x1: float
    y1: float
    color: RGB
    width: float


@dataclass(frozen=True, slots=True)
class TextOp:
    x: float  # start of the baseline
    y: float
    runs: tuple[Run, ...]
    font: str
    size: float
    color: RGB


@dataclass(frozen=True, slots=True)
class QrOp:
    x: float  # bottom-left of the dark-module area (quiet zone outside it)
    y: float
    module: float
    modules: int
    rects: bytes  # dark modules as rectangles (col, row, w, h) from the code's top-left, 4 bytes each (qr_rects)
    dark: RGB
    data: str


@dataclass(frozen=True, slots=True)
class ImageOp:
    path: str
    x: float
    y: float
    w: float
    h: float
    fit: str
    field: str | None = None  # the card field that named the file (None: a file named by the theme itself)
    color: RGB | None = None  # the colour an SVG's currentColor takes


@dataclass(frozen=True, slots=True)
class ArtOp:
    """Vector art (an SVG image or an icon) fitted in its box, its currentColor painted already."""

    art: Art
    x: float
    y: float
    w: float
    h: float
    fit: str
    source: str  # the SVG file, or "icon:NAME"


Op = RectOp | LineOp | TextOp | QrOp | ImageOp | ArtOp
