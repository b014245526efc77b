"""Small white text on a band of several inks is found; on one ink, or big enough, it is not."""

from __future__ import annotations

from deckgen.design.color import rgb_to_cmyk
from deckgen.design.ops import RectOp, TextOp
from deckgen.design.reversed_text import inks, reversed_text

TEAL = (0x2A / 255, 0x9D / 255, 0x8F / 255)
GREY = (0.4, 0.4, 0.4)


def _text(size: float, color=(1.0, 1.0, 1.0), x: float = 12) -> TextOp:
    return TextOp(x=x, y=12, runs=(), font="sans", size=size, color=color)


def test_white_under_8pt_on_a_band_of_several_inks() -> None:
    band = RectOp(10, 10, 100, 20, TEAL)
    ops = [RectOp(0, 0, 200, 200, (1, 1, 1)), band, _text(6.5), _text(9), _text(6.5, (0, 0, 0)), _text(6.5, x=150)]
    found = reversed_text(ops, rgb_to_cmyk)
    assert [(op.size, op.x, where) for op, where in found] == [(6.5, 12, "CMY")]


def test_one_ink_bands_are_fine() -> None:
    assert inks(rgb_to_cmyk(GREY)) == "K"
    assert reversed_text([RectOp(10, 10, 100, 20, GREY), _text(6)], rgb_to_cmyk) == []
    assert reversed_text([RectOp(10, 10, 100, 20, TEAL), RectOp(10, 10, 100, 20, GREY), _text(6)], rgb_to_cmyk) == []
