"""SVG text laid out (deck/svg/text.py) with a made-up font whose glyphs are squares: positions exact."""

from __future__ import annotations

import pytest

from deckgen.deck.svg.parse import Shape, parse_svg
from deckgen.deck.svg.xmlsafe import SvgError

NS = 'xmlns="http://www.w3.org/2000/svg"'
SQUARE = ("MLLLZ", (0.0, 0.0, 0.5, 0.0, 0.5, 1.0, 0.0, 1.0))  # 0.5 em wide, 1 em high, on the baseline


class Squares:
    """Every glyph a square half an em wide (a space: a quarter em, drawn as nothing); `calls` records the
    fonts asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bool, bool]] = []

    def glyphs(self, text, family, bold, italic):
        self.calls.append((text, family, bold, italic))
        return [(0.25, "", ()) if ch == " " else (0.5, *SQUARE) for ch in text]

    def metrics(self, family, bold, italic):
        return 1.0, -0.25, 0.5


def shapes(body: str, fonts: Squares | None = None) -> list[Shape]:
    art = parse_svg(f'<svg {NS} viewBox="0 0 100 100">\n{body}\n</svg>'.encode(), fonts=fonts or Squares())
    return [i for i in art.items if isinstance(i, Shape)]


def boxes(shape: Shape) -> list[tuple[float, float, float, float]]:
    """Each glyph square's (left, top, right, bottom) in the text's user space."""
    out = []
    for k in range(0, len(shape.coords), 8):
        xs, ys = shape.coords[k:k + 8:2], shape.coords[k + 1:k + 8:2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def test_middle_anchor_centres_the_text_on_x_and_glyphs_sit_on_y():
    (s,) = shapes('<text x="50" y="20" text-anchor="middle" font-size="10" fill="#ff0000">ab</text>')
    assert boxes(s) == [(45, 10, 50, 20), (50, 10, 55, 20)]
    assert s.fill == (1.0, 0.0, 0.0) and s.codes == "MLLLZ" * 2


def test_each_absolute_position_starts_a_chunk_anchored_on_its_own():
    a, bc = shapes('<text x="100" y="10" text-anchor="end" font-size="10">a<tspan x="100" dy="10" fill="blue">'
                   'bc</tspan></text>')
    assert boxes(a) == [(95, 0, 100, 10)]
    assert boxes(bc) == [(90, 10, 95, 20), (95, 10, 100, 20)] and bc.fill == (0.0, 0.0, 1.0)


def test_a_list_of_x_places_each_character():
    (s,) = shapes('<text x="0 30" y="10" dx="0 2" font-size="10">abc</text>')
    assert [b[0] for b in boxes(s)] == [0, 32, 37]


def test_white_space_collapses_unless_preserved():
    (s,) = shapes('<text y="10" font-size="10">\n   a \n  \t b   </text>')
    assert [b[0] for b in boxes(s)] == [0, 7.5]  # "a b": a space of a quarter em between
    (s,) = shapes('<text y="10" font-size="10" xml:space="preserve">  a</text>')
    assert [b[0] for b in boxes(s)] == [5]


def test_spaces_between_elements_are_kept_once():
    a, b = shapes('<text y="10" font-size="10">a <tspan> b</tspan></text>')
    assert boxes(b)[0][0] == 7.5


def test_font_size_relative_to_the_parent_and_spacing():
    (s,) = shapes('<g font-size="20"><text y="40" font-size="0.5em" letter-spacing="1" word-spacing="3">a b'
                  '</text></g>')
    assert boxes(s) == [(0, 30, 5, 40), (12.5, 30, 17.5, 40)]  # a 5 + 1, the space 2.5 + 1 + 3, then b


def test_dominant_baseline_moves_the_baseline():
    (s,) = shapes('<text y="50" font-size="10" dominant-baseline="central">a</text>')
    assert boxes(s)[0][3] == 50 + (1.0 - 0.25) / 2 * 10
    (s,) = shapes('<text y="50" font-size="10" dominant-baseline="hanging">a</text>')
    assert boxes(s)[0][3] == 58


def test_transforms_are_inherited_through_groups_and_glyphs_fill_nonzero():
    (s,) = shapes('<g transform="translate(5 6)" fill-rule="evenodd"><text transform="scale(2)" font-size="10">a'
                  '</text></g>')
    assert s.matrix == (2, 0, 0, 2, 5, 6) and not s.even_odd


def test_the_font_asked_for_follows_family_weight_and_style():
    fonts = Squares()
    shapes('<text font-family="Lora, serif" font-weight="700">a<tspan font-style="italic" font-weight="normal">'
           'b</tspan></text>', fonts)
    assert fonts.calls == [("a", "Lora, serif", True, False), ("b", "Lora, serif", False, True)]


def test_stroked_text_and_hidden_parts():
    shown, = shapes('<text font-size="10" fill="none" stroke="black">a<tspan visibility="hidden">b</tspan>'
                    '<tspan display="none">c</tspan></text>')
    assert shown.fill is None and shown.stroke == (0.0, 0.0, 0.0) and len(boxes(shown)) == 1


@pytest.mark.parametrize("body, words", [
    ('<text>\n<textPath href="#p">a</textPath></text>', "text on a path"),
    ('\n<text style="writing-mode:tb-rl">a</text>', "vertical"),
    ('<text>\n<tspan direction="rtl">a</tspan></text>', "right-to-left"),
    ('<text>\n<tspan rotate="10">a</tspan></text>', "rotated glyphs"),
    ('<text>\n<tspan textLength="40">a</tspan></text>', "textLength"),
    ('<text>\n<tspan font-variant="small-caps">a</tspan></text>', "small caps"),
    ('<text>\n<tspan baseline-shift="super">a</tspan></text>', "baseline shifts"),
    ('<text>\n<tspan text-decoration="underline">a</tspan></text>', "decorations"),
    ('<text>\n<rect width="1" height="1"/></text>', "<rect> inside <text>"),
])
def test_unsupported_text_is_refused_at_its_line(body, words):
    with pytest.raises(SvgError) as exc:
        shapes(body)
    assert exc.value.line == 3 and words in exc.value.what, exc.value.what


def test_without_fonts_text_is_refused():
    with pytest.raises(SvgError) as exc:
        parse_svg(f'<svg {NS} viewBox="0 0 10 10"><text>a</text></svg>'.encode())
    assert "text" in exc.value.what and "paths" in (exc.value.hint or "")


def test_text_has_a_limit_counted_through_uses():
    body = f'<g id="t"><text>{"a" * 10_001}</text></g>\n<use href="#t"/>'
    with pytest.raises(SvgError, match="more than 20,000 characters of text") as exc:
        shapes(body)
    assert exc.value.line == 2  # the text, drawn a second time by the <use>
