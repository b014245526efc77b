"""SVG font-family -> the theme's fonts (design/svgfonts.py): which file draws each glyph."""

from __future__ import annotations

import pytest

from deckgen.deck.svg.text import GlyphError
from deckgen.design.svgfonts import _face
from deckgen.design.theme_model import FontFamily
from deckgen.output.fonts import PACKAGE_FONTS, FontBook, identity
from deckgen.pipeline.assets import svg_fonts

SERIF = FontFamily(regular="NotoSerif-Regular.ttf", bold="NotoSerif-Bold.ttf")


@pytest.fixture(scope="module")
def fonts():
    return svg_fonts(FontBook({"title": SERIF}, []))


def _from(file: str, ch: str):
    return _face(identity(PACKAGE_FONTS / file)).glyph(ch)


@pytest.mark.parametrize("family, bold, italic, file", [
    ("sans-serif", False, False, "NotoSans-Regular.ttf"),
    ("serif", False, False, "NotoSans-Regular.ttf"),  # generic families: the body font
    ("Arial, Helvetica", True, False, "NotoSans-Bold.ttf"),  # unknown names too
    ("monospace", True, True, "NotoSans-BoldItalic.ttf"),
    ("'MyriadPro-Bold'", False, False, "NotoSans-Bold.ttf"),  # the style of a PostScript name (Illustrator)
    ("MyriadPro-SemiboldIt", False, False, "NotoSans-BoldItalic.ttf"),
    ("MyriadPro-Regular", False, True, "NotoSans-Italic.ttf"),
    ("'Noto Serif', serif", False, False, "NotoSerif-Regular.ttf"),  # the family name inside the theme's file
    ("title", True, False, "NotoSerif-Bold.ttf"),  # the theme's key
    ("NotoSerif-Regular", False, True, "NotoSerif-Regular.ttf"),  # no italic: the regular, as card text does
])
def test_a_family_is_drawn_in_the_theme_font_it_names_else_in_the_body_font(fonts, family, bold, italic, file):
    assert fonts.glyphs("g", family, bold, italic) == [_from(file, "g")]


def test_characters_the_font_lacks_come_from_the_fallback_fonts(fonts):
    check, rocket = fonts.glyphs("\u2713\U0001f680\ufe0f", "sans-serif", False, False)[:2]
    assert check == _from("NotoSansSymbols2-Regular.ttf", "\u2713") and check[1]
    assert rocket == _from("NotoEmoji-Regular.ttf", "\U0001f680")
    assert fonts.glyphs("a\ufe0f", "serif", False, False)[1] == (0.0, "", ())  # a variation selector: nothing


def test_what_no_font_can_draw_is_named(fonts):
    with pytest.raises(GlyphError, match=r"no font has a glyph for '\u6f22' \(U\+6F22\)"):
        fonts.glyphs("ab\u6f22", "serif", False, False)
    with pytest.raises(GlyphError, match="ZWJ sequence"):
        fonts.glyphs("\U0001f469\u200d\U0001f4bb", "serif", False, False)


def test_metrics_in_em(fonts):
    ascent, descent, x_height = fonts.metrics("serif", False, False)
    assert 1.0 < ascent < 1.1 and -0.3 < descent < -0.25 and 0.5 < x_height < 0.55
