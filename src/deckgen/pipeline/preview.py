"""Card previews for designers: one PNG per card side at the pixel size the card and dpi imply, and a
contact sheet of every front. Cards are drawn by the same renderer as the PDF and rasterised with pypdfium2,
one side at a time and on every core (see stream.py); a `PreviewCache` redraws only the cards that changed.
The contact sheet is built from thumbnails at its final scale, so memory stays flat however many cards.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from deckgen.design.ops import Op
from deckgen.errors import DeckError, Problem
from deckgen.files import StagedFolder
from deckgen.limits import MAX_OUTPUT_PIXELS, over
from deckgen.output.raster import Faces, Thumb, draw_faces, thumb_image
from deckgen.pipeline.prepare import CardSides, Prepared
from deckgen.sheets.impose import Slot
from deckgen.sheets.pages import DocInfo, PageSpec, Placed
from deckgen.workers import Progress

CONTACT = "contact-sheet.png"
CONTACT_GAP = 16  # pixels between cards on the contact sheet (before it is scaled down)
CONTACT_MAX_W = 3600  # the contact sheet is scaled down past this width
BACKGROUND = (226, 226, 226)


def pixel_size(card_w: float, card_h: float, dpi: float) -> tuple[int, int]:
    """A card's size in pixels: 63 × 88 mm at 150 dpi is 372 × 520."""
    return round(card_w / 72 * dpi), round(card_h / 72 * dpi)


@dataclass(frozen=True)
class Grid:
    """Where each front goes on the contact sheet: a grid about as wide as it is tall, scaled by `k` (≤ 1) so
    that it is at most CONTACT_MAX_W pixels wide."""

    cols: int
    size: tuple[int, int]  # a card's pixels
    k: float
    sheet: tuple[int, int]

    @staticmethod
    def of(n: int, size: tuple[int, int]) -> Grid:
        w, h = size
        n = max(1, n)
        cols = max(1, min(n, round(math.sqrt(n * h / w))))
        rows = math.ceil(n / cols)
        full = (cols * w + (cols + 1) * CONTACT_GAP, rows * h + (rows + 1) * CONTACT_GAP)
        k = min(1.0, CONTACT_MAX_W / full[0])
        return Grid(cols, size, k, full if k == 1.0 else (CONTACT_MAX_W, round(full[1] * k)))

    @property
    def cell(self) -> tuple[int, int]:
        return max(1, round(self.size[0] * self.k)), max(1, round(self.size[1] * self.k))

    def at(self, i: int) -> tuple[int, int]:
        r, c = divmod(i, self.cols)
        w, h = self.size
        return (round((CONTACT_GAP + c * (w + CONTACT_GAP)) * self.k),
                round((CONTACT_GAP + r * (h + CONTACT_GAP)) * self.k))


@dataclass
class PreviewCache:
    """What was drawn last time, per card: a watch loop redraws only the cards whose drawing changed."""

    keys: dict[str, Hashable] = field(default_factory=dict)
    thumbs: dict[str, Thumb] = field(default_factory=dict)  # each front at its contact-sheet size


@dataclass(frozen=True)
class PreviewResult:
    files: list[Path]  # every PNG of a card side, in deck order (front, back)
    contact: Path
    drawn: int  # card sides drawn this time (the rest were unchanged)
    size: tuple[int, int]


def drawing_stamp(prep: Prepared) -> Hashable:
    """What may change a drawing without changing its ops: font files and image contents."""
    files = [*prep.fonts.files_used(), *prep.images]
    return (repr(sorted(prep.theme.theme.fonts.items())),
            tuple((str(p), p.stat().st_mtime_ns) for p in files if p.exists()))


def _key(stamp: Hashable, card: CardSides) -> Hashable:
    """What the card's two sides look like: their ops (packed: the bytes) and the stamp."""
    return (stamp, *(getattr(ops, "key", None) or tuple(ops) for ops in (card.front.ops, card.back.ops)))


def write_previews(prep: Prepared, out_dir: Path, dpi: float = 150, cache: PreviewCache | None = None,
                   jobs: int = 1, progress: Progress | None = None) -> PreviewResult:
    """`ID-front.png` and `ID-back.png` for each card, and the contact sheet, in `out_dir`."""
    cache = cache if cache is not None else PreviewCache()
    size = pixel_size(prep.card_w, prep.card_h, dpi)
    if size[0] * size[1] > MAX_OUTPUT_PIXELS:
        what, hint = over(f"pixels in each preview image ({size[0]:,} × {size[1]:,} at {dpi:g} dpi)",
                          size[0] * size[1], MAX_OUTPUT_PIXELS, "lower --dpi")
        raise DeckError(Problem(what, hint=hint))
    grid = Grid.of(len(prep.cards), size)
    stamp = (drawing_stamp(prep), size, grid.cell, prep.card_w, prep.card_h)
    files = [out_dir / f"{c.id}-{side}.png" for c in prep.cards for side in ("front", "back")]
    todo = [c for k, c in enumerate(prep.cards)
            if cache.keys.get(c.id) != _key(stamp, c) or c.id not in cache.thumbs
            or not (files[2 * k].exists() and files[2 * k + 1].exists())]
    contact = out_dir / CONTACT
    with StagedFolder(out_dir) as staged:
        names = [f"{c.id}-{side}.png" for c in todo for side in ("front", "back")]
        pages = face_pages(prep, [side.ops for c in todo for side in (c.front, c.back)])
        faces = Faces(prep.card_w, prep.card_h, prep.fonts, DocInfo(title="preview", lang=prep.lang), size,
                      compress=1, durable=False, thumb=grid.cell)
        thumbs = draw_faces(faces, pages, [staged.path(n) for n in names], jobs, [True, False] * len(todo), progress)
        for card, thumb in zip(todo, (t for t in thumbs if t is not None), strict=True):
            cache.thumbs[card.id] = thumb
            cache.keys[card.id] = _key(stamp, card)
        if todo or not contact.exists():
            _sheet(grid, [cache.thumbs[c.id] for c in prep.cards]).save(staged.path(CONTACT), "PNG", compress_level=1)
            names.append(CONTACT)
        staged.commit(names)
    return PreviewResult(files, contact, 2 * len(todo), size)


def face_pages(prep: Prepared, faces: Iterable[Sequence[Op]]) -> list[PageSpec]:
    """A page the card's size for each face (its ops): what previews and the served page draw. The ops stay as
    they are (a card side's packed ops: 10,000 faces read back as objects all at once would be ~100 MB)."""
    slot = Slot(0, 0, prep.card_w, prep.card_h, 0)
    return [PageSpec(prep.card_w, prep.card_h, [Placed(slot, ops)]) for ops in faces]


def _sheet(grid: Grid, thumbs: list[Thumb]) -> Image.Image:
    sheet = Image.new("RGB", grid.sheet, BACKGROUND)
    for i, thumb in enumerate(thumbs):
        sheet.paste(thumb_image(thumb), grid.at(i))
    return sheet
