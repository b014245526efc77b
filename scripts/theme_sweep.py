"""Check every built-in theme at every card preset, in each language of a deck, and measure on the rendered
cards the tallest blank horizontal band inside the safe area (as a share of the card's height).

    python scripts/theme_sweep.py [DECK] [--themes classic,workshop] [--cards poker,a6] [--langs fr,en]
                                  [--dpi 40] [--no-render]

Prints one line per theme × card × language: fit problems, warnings, and the worst blank band (front, back).
Used to keep the built-in themes fitting every card size; the suite checks a subset (tests/e2e/test_theme_sizes.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from deckgen.design.themes import builtin_themes
from deckgen.errors import DeckError
from deckgen.output.pdf import render
from deckgen.output.raster import rasterise
from deckgen.pipeline.prepare import Options, Prepared, prepare
from deckgen.pipeline.preview import pixel_size
from deckgen.presets import card_sizes
from deckgen.sheets.impose import Slot
from deckgen.sheets.pages import DocInfo, PageSpec, Placed
from deckgen.units import parse_length

ROOT = Path(__file__).resolve().parents[1]
PAPER_TOLERANCE = 24  # a pixel within this of the paper (per channel) is no ink: anti-aliasing, JPEG-like noise


def sized_theme(theme: str, card: str, folder: Path) -> str:
    """A theme file that extends a built-in theme at another card size (what a user writes)."""
    path = folder / f"{theme}-{card}.yaml"
    path.write_text(f"extends: {theme}\ncard: {card}\n", encoding="utf-8")
    return str(path)


def blank_band(image: object, safe_px: int) -> float:
    """The tallest run of rows inside the safe area with no pixel off the paper, as a share of the image's
    height (the image is one card side, paper white)."""
    from PIL import Image, ImageChops

    assert isinstance(image, Image.Image)
    w, h = image.size
    inner = image.crop((safe_px, safe_px, w - safe_px, h - safe_px)).convert("L")
    ink = ImageChops.invert(inner).point(lambda v: 255 if v > PAPER_TOLERANCE else 0)
    rows = ink.resize((1, inner.height), Image.Resampling.BOX)  # a row with any ink averages above 0
    best = run = 0
    for v in rows.tobytes():
        run = 0 if v else run + 1
        best = max(best, run)
    return best / h


def bands(prep: Prepared, dpi: float) -> tuple[float, float, str, str]:
    """The worst blank band of the fronts and of the backs, and the cards that have them."""
    size = pixel_size(prep.card_w, prep.card_h, dpi)
    slot = Slot(0, 0, prep.card_w, prep.card_h, 0)
    pages = [PageSpec(prep.card_w, prep.card_h, [Placed(slot, side.ops)])
             for c in prep.cards for side in (c.front, c.back)]
    pdf = render(pages, prep.card_w, prep.card_h, prep.fonts, DocInfo(title="sweep", lang=prep.lang))
    safe_px = round(parse_length(prep.theme.theme.safe) / 72 * dpi)
    worst = [(0.0, ""), (0.0, "")]
    for i, image in enumerate(rasterise(pdf, size)):
        band = blank_band(image, safe_px)
        if band > worst[i % 2][0]:
            worst[i % 2] = (band, prep.cards[i // 2].id)
    return worst[0][0], worst[1][0], worst[0][1], worst[1][1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("deck", nargs="?", default=str(ROOT / "decks" / "micro.yaml"))
    ap.add_argument("--themes", default=",".join(builtin_themes()))
    ap.add_argument("--cards", default=",".join(card_sizes()))
    ap.add_argument("--langs", default="fr,en")
    ap.add_argument("--dpi", type=float, default=40)
    ap.add_argument("--no-render", action="store_true", help="only check the fit")
    args = ap.parse_args(argv)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for theme in args.themes.split(","):
            for card in args.cards.split(","):
                path = sized_theme(theme, card, Path(tmp))
                for lang in args.langs.split(","):
                    opts = Options(theme=path, lang=lang, draw=False)
                    try:
                        prep = prepare(args.deck, opts)
                    except DeckError as exc:
                        failed += 1
                        print(f"{theme:10} {card:12} {lang}  {len(exc.problems)} PROBLEMS: {exc.problems[0]}")
                        continue
                    line = f"{theme:10} {card:12} {lang}  ok, {len(prep.warnings)} warnings"
                    if not args.no_render:
                        prep = prepare(args.deck, replace(opts, draw=True))
                        f, b, fid, bid = bands(prep, args.dpi)
                        flag = " !" if max(f, b) > 0.30 else ""
                        line += f"  blank front {f:4.0%} ({fid})  back {b:4.0%} ({bid}){flag}"
                    print(line, flush=True)
                    kinds = sorted({re.sub(r"^\S+:\d+: |\(card '[^']*'.*|\d+(\.\d+)?", "#", w)[:110]
                                    for w in prep.warnings})
                    for kind in kinds:
                        print("    warning:", kind)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
