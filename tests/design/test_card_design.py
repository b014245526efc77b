"""The default design's promises: safe margin, QR module size, band text contrast, font coverage."""

from __future__ import annotations

import pytest
from conftest import MICRO, MM

from deckgen.design.color import contrast_ratio, text_on
from deckgen.design.ops import QrOp, TextOp
from deckgen.output.fonts import FALLBACK_FONTS, PACKAGE_FONTS
from deckgen.pipeline.prepare import Options, prepare

SAFE = 4 * MM


@pytest.fixture(scope="module")
def prep():
    return prepare(MICRO, Options())


def test_text_and_qr_stay_inside_the_safe_margin(prep):
    w, h = prep.card_w, prep.card_h
    checked = 0
    for card in prep.cards:
        for side in (card.front, card.back):
            for op in side.ops:
                if isinstance(op, TextOp):
                    width = sum(prep.fonts.width(r.text, op.font, r.style, op.size) for r in op.runs)
                    assert op.x >= SAFE - 0.01 and op.x + width <= w - SAFE + 0.01, (card.id, op)
                    assert op.y - 0.25 * op.size >= SAFE - 0.01, (card.id, op)  # descenders
                    assert op.y + 0.8 * op.size <= h - SAFE + 0.01, (card.id, op)  # capitals and accents
                    checked += 1
                elif isinstance(op, QrOp):
                    side_len = op.modules * op.module
                    assert op.x >= SAFE - 0.01 and op.x + side_len <= w - SAFE + 0.01
                    assert op.y >= SAFE - 0.01 and op.y + side_len <= h - SAFE + 0.01
                    assert op.module >= 0.5 * MM
                    checked += 1
    assert checked > 29 * 6


def test_body_text_never_below_7pt(prep):
    for card in prep.cards:
        for note in card.back.fits:
            if note.field == "body":
                assert note.size >= 7


@pytest.mark.parametrize("hex_color", ["#DA532B", "#F2A900", "#3FA79A", "#384666", "#884299", "#FFFFFF", "#000000"])
def test_band_text_is_black_or_white_whichever_contrasts_more(hex_color):
    from deckgen.design.color import hex_rgb

    band = hex_rgb(hex_color)
    chosen = text_on(band)
    other = (1.0, 1.0, 1.0) if chosen == (0.0, 0.0, 0.0) else (0.0, 0.0, 0.0)
    assert chosen in ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))
    assert contrast_ratio(chosen, band) >= contrast_ratio(other, band)


def test_shipped_fonts_cover_the_promised_scripts():
    from fontTools.ttLib import TTFont

    wanted = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x100, 0x180),  # Latin-1, Latin Extended-A
              *[c for c in range(0x391, 0x3CA) if c != 0x3A2],  # Greek
              *range(0x410, 0x450),  # Cyrillic
              *map(ord, "“”‘’–—…€«»\u00a0")]
    fonts = sorted(p for p in PACKAGE_FONTS.glob("*.ttf") if p.name not in FALLBACK_FONTS)  # text fonts
    assert len(fonts) >= 4
    for path in fonts:
        cmap = TTFont(path, lazy=True).getBestCmap()
        missing = [f"U+{c:04X}" for c in wanted if c not in cmap]
        assert not missing, f"{path.name} lacks {missing[:10]}"
