"""Contact sheets of the built-in themes for the README: docs/themes/THEME.png, each theme at three card sizes
(one row each, at one scale: the sizes compare), the front and back of a few cards of the reference deck.

    python scripts/contact_sheets.py [--themes classic,workshop] [--out docs/themes] [--sizes poker,a6,business]

Rerun it whenever a theme's look changes, and commit the PNGs. The same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from deckgen.design.themes import builtin_themes
from deckgen.output.pdf import render
from deckgen.output.raster import rasterise
from deckgen.pipeline.prepare import Options, prepare
from deckgen.sheets.impose import Slot
from deckgen.sheets.pages import DocInfo, PageSpec, Placed

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "decks" / "micro.yaml"
SIZES = ("poker", "mini-euro", "tarot")
CARDS = ("personnalisation", "micro-contenus", "micro-travail")  # three families, a short and a long title
LANG = "en"
PX_PER_MM = 3.2  # the sheet's scale; cards are drawn at twice this and scaled down
GAP = 14
BACKGROUND = (232, 232, 232)
LABEL = (90, 90, 90)


def faces(theme: str, card: str, folder: Path) -> list[Image.Image]:
    """The front and back of each card of CARDS, drawn at 2 × PX_PER_MM and scaled down."""
    path = folder / f"{theme}-{card}.yaml"
    path.write_text(f"extends: {theme}\ncard: {card}\n", encoding="utf-8")
    prep = prepare(DECK, Options(theme=str(path), lang=LANG))
    chosen = [c for c in prep.cards if c.id in CARDS]
    slot = Slot(0, 0, prep.card_w, prep.card_h, 0)
    pages = [PageSpec(prep.card_w, prep.card_h, [Placed(slot, side.ops)]) for c in chosen for side in (c.front, c.back)]
    pdf = render(pages, prep.card_w, prep.card_h, prep.fonts, DocInfo(title="contact sheet", lang=LANG))
    mm = 72 / 25.4
    size = (round(prep.card_w / mm * PX_PER_MM), round(prep.card_h / mm * PX_PER_MM))
    big = (2 * size[0], 2 * size[1])
    return [image.resize(size, Image.Resampling.LANCZOS) for image in rasterise(pdf, big)]


def sheet(theme: str, folder: Path, sizes: list[str]) -> Image.Image:
    rows = [(card, faces(theme, card, folder)) for card in sizes]
    label_h = 16
    width = max(sum(f.width + GAP for f in row) + GAP for _, row in rows)
    height = sum(label_h + row[0].height + GAP for _, row in rows) + GAP
    out = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(out)
    y = GAP
    for card, row in rows:
        draw.text((GAP, y), f"{theme} · {card} · front and back", fill=LABEL)
        y += label_h
        x = GAP
        for face in row:
            out.paste(face, (x, y))
            x += face.width + GAP
        y += row[0].height + GAP
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--themes", default=",".join(builtin_themes()))
    ap.add_argument("--out", default=str(ROOT / "docs" / "themes"))
    ap.add_argument("--sizes", default=",".join(SIZES), help="card presets, one row each (to look at others)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for theme in args.themes.split(","):
            image = sheet(theme, Path(tmp), args.sizes.split(",")).quantize(
                colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            path = out / f"{theme}.png"
            image.save(path, "PNG", optimize=True)
            print(f"{path}: {image.width} × {image.height}, {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
