"""Card previews for designers: one PNG per card side at the pixel size the card and dpi imply, and a
contact sheet of every front. Cards are drawn by the same renderer as the PDF (a one-card-per-page PDF
made in memory) and rasterised with pypdfium2; a `PreviewCache` redraws only the cards that changed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from deckgen.errors import DeckError, Problem
from deckgen.files import make_folder, write_atomic
from deckgen.limits import MAX_OUTPUT_PIXELS, over
from deckgen.output.pdf import render
from deckgen.output.raster import rasterise
from deckgen.pipeline.prepare import Prepared
from deckgen.sheets.impose import Slot
from deckgen.sheets.pages import DocInfo, PageSpec, Placed

CONTACT = "contact-sheet.png"
CONTACT_GAP = 16  # pixels between cards on the contact sheet
CONTACT_MAX_W = 3600  # the contact sheet is scaled down past this width
BATCH = 8  # cards rasterised at once
BACKGROUND = (226, 226, 226)


def pixel_size(card_w: float, card_h: float, dpi: float) -> tuple[int, int]:
    """A card's size in pixels: 63 × 88 mm at 150 dpi is 372 × 520."""
    return round(card_w / 72 * dpi), round(card_h / 72 * dpi)


@dataclass
class PreviewCache:
    """What was drawn last time, per card: a watch loop redraws only the cards whose drawing changed."""

    keys: dict[str, Hashable] = field(default_factory=dict)
    fronts: dict[str, Image.Image] = field(default_factory=dict)


@dataclass(frozen=True)
class PreviewResult:
    files: list[Path]  # every PNG of a card side, in deck order (front, back)
    contact: Path
    drawn: int  # card sides drawn this time (the rest were unchanged)
    size: tuple[int, int]


def _stamp(prep: Prepared) -> Hashable:
    """What may change a drawing without changing its ops: font files and image contents."""
    files = [*prep.fonts.files_used(), *prep.images]
    return (repr(sorted(prep.theme.theme.fonts.items())),
            tuple((str(p), p.stat().st_mtime_ns) for p in files if p.exists()))


def _save(image: Image.Image, path: Path) -> None:
    """Write a PNG beside its place, then rename: an image viewer never shows half a file."""
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    write_atomic(path, buf.getvalue(), durable=False)


def _grid(n: int, size: tuple[int, int]) -> tuple[int, int, tuple[int, int]]:
    """Columns, rows and the size of each front on the contact sheet (shrunk when the sheet would be wider
    than CONTACT_MAX_W: a 1,200 dpi preview never holds every front at full size)."""
    w, h = size
    cols = max(1, min(n, round(math.sqrt(n * h / w))))
    rows = math.ceil(n / cols)
    full = cols * w + (cols + 1) * CONTACT_GAP
    if full <= 2 * CONTACT_MAX_W:
        return cols, rows, size
    k = 2 * CONTACT_MAX_W / full
    return cols, rows, (max(1, round(w * k)), max(1, round(h * k)))


def contact_sheet(fronts: list[Image.Image], size: tuple[int, int]) -> Image.Image:
    """All fronts in a grid about as wide as it is tall, on a grey background."""
    cols, rows, (w, h) = _grid(max(1, len(fronts)), size)
    sheet = Image.new("RGB", (cols * w + (cols + 1) * CONTACT_GAP, rows * h + (rows + 1) * CONTACT_GAP), BACKGROUND)
    for i, im in enumerate(fronts):
        r, c = divmod(i, cols)
        thumb = im if im.size == (w, h) else im.resize((w, h), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (CONTACT_GAP + c * (w + CONTACT_GAP), CONTACT_GAP + r * (h + CONTACT_GAP)))
    if sheet.width > CONTACT_MAX_W:
        k = CONTACT_MAX_W / sheet.width
        sheet = sheet.resize((CONTACT_MAX_W, round(sheet.height * k)), Image.Resampling.LANCZOS)
    return sheet


def write_previews(prep: Prepared, out_dir: Path, dpi: float = 150, cache: PreviewCache | None = None
                   ) -> PreviewResult:
    """`ID-front.png` and `ID-back.png` for each card, and the contact sheet, in `out_dir`."""
    make_folder(out_dir)
    cache = cache if cache is not None else PreviewCache()
    size = pixel_size(prep.card_w, prep.card_h, dpi)
    if size[0] * size[1] > MAX_OUTPUT_PIXELS:
        what, hint = over(f"pixels in each preview image ({size[0]:,} × {size[1]:,} at {dpi:g} dpi)",
                          size[0] * size[1], MAX_OUTPUT_PIXELS, "lower --dpi")
        raise DeckError(Problem(what, hint=hint))
    stamp = (_stamp(prep), size, prep.card_w, prep.card_h)
    files: list[Path] = []
    todo = []
    for card in prep.cards:
        paths = [out_dir / f"{card.id}-front.png", out_dir / f"{card.id}-back.png"]
        files += paths
        key = (stamp, tuple(card.front.ops), tuple(card.back.ops))
        if cache.keys.get(card.id) != key or card.id not in cache.fronts or not all(p.exists() for p in paths):
            todo.append((card, key, paths))
    thumb = _grid(max(1, len(prep.cards)), size)[2]
    for start in range(0, len(todo), BATCH):  # a few cards at a time: memory stays flat at any dpi
        batch = todo[start:start + BATCH]
        slot = Slot(0, 0, prep.card_w, prep.card_h, 0)
        pages = [PageSpec(prep.card_w, prep.card_h, [Placed(slot, side.ops)])
                 for card, _, _ in batch for side in (card.front, card.back)]
        pdf = render(pages, prep.card_w, prep.card_h, prep.fonts, DocInfo(title="preview", lang=prep.lang))
        images = rasterise(pdf, size)
        for k, (card, key, paths) in enumerate(batch):
            front, back = images[2 * k], images[2 * k + 1]
            _save(front, paths[0])
            _save(back, paths[1])
            cache.keys[card.id] = key
            cache.fronts[card.id] = front if front.size == thumb else front.resize(thumb, Image.Resampling.LANCZOS)
    contact = out_dir / CONTACT
    if todo or not contact.exists():
        _save(contact_sheet([cache.fronts[c.id] for c in prep.cards], size), contact)
    return PreviewResult(files, contact, 2 * len(todo), size)
