"""layout_side as a pure function: theme elements + a card context + fake metrics -> boxes and issues.

In the style of WeasyPrint's layout tests, these assert positions of boxes (baselines, rectangles, QR
modules), never pixels. The fake font: every character is 0.5 × size wide (0.55 × size in bold), and it
has every character below U+10000.
"""

from __future__ import annotations

import pytest

from deckgen.design.layout import layout_side, outside_safe
from deckgen.design.ops import ASCENT, BLACK, WHITE, ImageOp, LineOp, QrOp, RectOp, TextOp
from deckgen.design.theme_model import Element
from deckgen.units import MM, parse_card_size

CARD_W, CARD_H = 200.0, 300.0


class FakeMetrics:
    def width(self, text: str, key: str, style: str, size: float) -> float:
        return len(text) * size * (0.55 if style.startswith("bold") else 0.5)

    def missing(self, text: str, key: str, style: str) -> str:
        return "".join(ch for ch in text if ord(ch) >= 0x10000)


CTX = {
    "title": "Hello world",
    "summary": None,
    "body": "aaaa " * 40,
    "number": 7,
    "total": 29,
    "family": {"name": "Edition", "color": "#F2A900", "image": "icons/edition.png"},
    "source": {"url": "https://example.org/a", "label": "example.org"},
    "deck": {"title": "Deck"},
    "image": "",
    "level": 2,
}


def lay(elements: dict, ctx: dict | None = None, *, card=(CARD_W, CARD_H), allow_overflow=False, bleed=0.0):
    els = {name: Element.model_validate(spec) for name, spec in elements.items()}
    return layout_side(els, ctx or CTX, card_w=card[0], card_h=card[1], colors={"ink": "#000000"},
                       metrics=FakeMetrics(), lang="en", bleed=bleed, allow_overflow=allow_overflow)


def texts(ops) -> list[tuple[str, float, float, float]]:
    return [("".join(r.text for r in op.runs), op.x, op.y, op.size) for op in ops if isinstance(op, TextOp)]


def test_text_box_baseline_from_top_left():
    out = lay({"t": {"type": "text", "text": "{title}", "x": 10, "y": 20, "w": 100, "h": 50, "size": 10,
                     "line_height": 1.2}})
    assert out.issues == []
    [(text, x, y, size)] = texts(out.ops)
    assert text == "Hello world" and size == 10 and x == 10
    # top of the box is 300 - 20 = 280; the line box is 12 pt, the 10 pt text centred in it
    assert y == pytest.approx(280 - 1 - ASCENT * 10)


@pytest.mark.parametrize("align,x", [("left", 10), ("center", 10 + (100 - 55) / 2), ("right", 10 + 100 - 55)])
def test_text_alignment(align, x):
    out = lay({"t": {"type": "text", "text": "{title}", "x": 10, "y": 0, "w": 100, "h": 50, "size": 10,
                     "align": align}})
    assert texts(out.ops)[0][1] == pytest.approx(x)  # "Hello world": 11 characters × 5 pt


@pytest.mark.parametrize("valign,shift", [("top", 0), ("middle", (50 - 12) / 2), ("bottom", 50 - 12)])
def test_text_vertical_alignment(valign, shift):
    out = lay({"t": {"type": "text", "text": "{title}", "y": 0, "w": 100, "h": 50, "size": 10,
                     "valign": valign}})
    assert texts(out.ops)[0][2] == pytest.approx(300 - shift - 1 - ASCENT * 10)


def test_lines_wrap_and_step_down_by_the_leading():
    out = lay({"t": {"type": "text", "text": "aaaa bbbb cccc", "w": 40, "h": 100, "size": 10}})
    lines = texts(out.ops)
    assert [t for t, *_ in lines] == ["aaaa", "bbbb", "cccc"]
    ys = [y for _, _, y, _ in lines]
    assert ys[0] - ys[1] == pytest.approx(12) and ys[1] - ys[2] == pytest.approx(12)


def test_shrinks_to_the_largest_size_that_fits():
    # 40 characters: one line of 200 pt at 10 pt; at 8 pt it is 160 pt and fits a 170 pt box
    out = lay({"t": {"type": "text", "text": "x" * 40, "w": 170, "h": 12, "size": 10, "min_size": 6,
                     "hyphenate": False}})
    assert out.issues == []
    assert texts(out.ops)[0][3] == pytest.approx(8.5)  # the grid: 10, 9.75, …, 8.5 is the first ≤ 170/20
    [note] = out.fits
    assert (note.size, note.nominal, note.min_size, note.field) == (8.5, 10, 6, None)


def test_overflow_is_an_issue_naming_the_field():
    out = lay({"body": {"type": "text", "text": "{body}", "w": 60, "h": 30, "size": 10, "min_size": 8}})
    [issue] = out.issues
    assert issue.field == "body" and not issue.warning
    assert "does not fit" in issue.what and "at the minimum 8pt" in issue.what
    assert not [op for op in out.ops if isinstance(op, TextOp)]


def test_allow_overflow_ellipsises_within_the_box_and_warns():
    out = lay({"body": {"type": "text", "text": "{body}", "w": 60, "h": 30, "size": 10, "min_size": 8}},
              allow_overflow=True)
    [issue] = out.issues
    assert issue.warning and "cut short" in issue.what
    lines = texts(out.ops)
    assert lines[-1][0].endswith("…")
    assert len(lines) * 8 * 1.2 <= 30 + 1e-6


def test_missing_glyph_is_an_issue_with_its_code_point():
    out = lay({"t": {"type": "text", "text": "{title} 🚀", "w": 100, "h": 50}})
    [issue] = out.issues
    assert "U+1F680" in issue.what and issue.field == "title"
    assert not out.ops


def test_percentages_and_sums_scale_with_the_card():
    spec = {"band": {"type": "rect", "x": "4mm", "y": "10%", "w": "100% - 8mm", "h": "25%", "fill": "#112233"}}
    for preset in ("poker", "tarot", "business", "a6"):
        w, h = parse_card_size(preset)
        [rect] = lay(spec, card=(w, h)).ops
        assert isinstance(rect, RectOp)
        assert rect.x == pytest.approx(4 * MM) and rect.w == pytest.approx(w - 8 * MM)
        assert rect.h == pytest.approx(0.25 * h) and rect.y + rect.h == pytest.approx(0.9 * h)


def test_bleed_extends_shapes_that_touch_the_edge_only():
    out = lay({"band": {"type": "rect", "w": "100%", "h": 30, "fill": "#112233", "bleed": True},
               "inner": {"type": "rect", "x": 10, "y": 40, "w": 20, "h": 20, "fill": "#112233", "bleed": True}},
              bleed=9)
    band, inner = out.ops
    assert (band.x, band.y + band.h, band.w) == (-9, 309, 218)
    assert band.y == pytest.approx(270)  # the bottom edge is inside the card: not extended
    assert (inner.x, inner.w, inner.h) == (10, 20, 20)


def test_contrast_colour_and_family_template():
    out = lay({"band": {"type": "rect", "h": 50, "fill": "{family.color}"},
               "t": {"type": "text", "text": "{family.name}", "h": 50, "color": "contrast({family.color})"},
               "u": {"type": "text", "text": "{family.name}", "y": 60, "h": 50, "color": "contrast(#222244)"}})
    rect, t, u = out.ops
    assert rect.fill == pytest.approx((0xF2 / 255, 0xA9 / 255, 0))
    assert t.color == BLACK and u.color == WHITE


def test_line_runs_from_top_left_across_its_box():
    [line] = lay({"rule": {"type": "line", "x": 10, "y": 40, "w": 50, "h": 0, "stroke": "#000000",
                           "stroke_width": "1pt"}}).ops
    assert isinstance(line, LineOp)
    assert (line.x0, line.y0, line.x1, line.y1, line.width) == (10, 260, 60, 260, 1)


def test_qr_square_centred_in_its_box_with_quiet_zone():
    out = lay({"qr": {"type": "qr", "x": 20, "y": 20, "w": 100, "h": 80}})
    quiet, code = out.ops
    assert isinstance(code, QrOp) and code.data == "https://example.org/a"
    side = code.module * code.modules
    assert side == pytest.approx(80)
    assert code.x == pytest.approx(20 + 10) and code.y == pytest.approx(300 - 20 - 80)
    assert quiet.w == pytest.approx(side + 8 * code.module) and quiet.fill == WHITE


def test_qr_with_too_small_modules_is_an_issue():
    out = lay({"qr": {"type": "qr", "w": "10mm", "h": "10mm"}})
    [issue] = out.issues
    assert "too dense" in issue.what and issue.field == "source.url"


def test_when_skips_elements_of_empty_fields_and_custom_fields_fill_templates():
    out = lay({"s": {"type": "text", "when": "summary", "text": "{summary}"},
               "lv": {"type": "text", "when": "level", "text": "Level {level}", "h": 20}})
    assert [t for t, *_ in texts(out.ops)] == ["Level 2"]


def test_unknown_field_is_a_theme_issue():
    out = lay({"t": {"type": "text", "text": "{titel}"}})
    [issue] = out.issues
    assert issue.field is None and "{titel}" in issue.what


def test_family_icon_by_template():
    out = lay({"icon": {"type": "image", "src": "{family.image}", "x": 5, "y": 5, "w": 20, "h": 20},
               "pic": {"type": "image", "src": "{image}"}})
    [icon] = out.ops  # the card has no image of its own: nothing drawn
    assert icon == ImageOp("icons/edition.png", 5, 275, 20, 20, "contain", "family.image", (0.0, 0.0, 0.0))


def test_outside_safe():
    els = {"ok": Element(type="text", text="x", x="4mm", y="4mm", w="100% - 8mm", h="10mm"),
           "edge": Element(type="text", text="x", x="2mm", y="4mm", w="10mm", h="10mm"),
           "band": Element(type="rect", fill="#000000")}
    w, h = parse_card_size("poker")
    assert outside_safe(els, w, h, 4 * MM) == ["edge"]


def test_a_title_word_too_wide_at_its_minimum_is_hyphenated_and_named():
    ctx = {**CTX, "title": "Internationalisation"}  # 20 characters: 100 pt at 10 pt, the box is 70 wide
    out = lay({"t": {"type": "text", "text": "{title}", "x": 10, "y": 20, "w": 70, "h": 100, "size": 12,
                     "min_size": 10, "hyphenate": False}}, ctx)
    lines = [t for t, *_ in texts(out.ops)]
    assert len(lines) >= 2 and all(line.endswith("-") for line in lines[:-1])
    assert "".join(lines).replace("-", "") == "Internationalisation"
    assert all(x + len(t) * size * 0.5 <= 80 + 1e-9 for t, x, _, size in texts(out.ops))  # within the box
    assert [(i.warning, i.field) for i in out.issues] == [(True, "title")]
    assert "'Internationalisation'" in out.issues[0].what and "hyphenated" in out.issues[0].what
    assert out.fits[0].hyphenated == "Internationalisation" and out.fits[0].fits


def test_justified_lines_reach_both_edges_but_the_last():
    ctx = {**CTX, "body": "aa bbb cc dddd e ffff gg hhh iiii jj kkk ll mmmm nn ooo"}
    out = lay({"b": {"type": "text", "text": "{body}", "x": 10, "y": 20, "w": 100, "h": 200, "size": 10,
                     "align": "justify"}}, ctx)
    words = texts(out.ops)
    rows: dict[float, list[tuple[str, float]]] = {}
    for text, x, y, _ in words:
        rows.setdefault(y, []).append((text, x))
    ys = sorted(rows, reverse=True)
    assert len(ys) >= 3
    for y in ys[:-1]:
        last_word, x = max(rows[y], key=lambda w: w[1])
        assert min(x for _, x in rows[y]) == pytest.approx(10)
        assert x + len(last_word) * 5 == pytest.approx(110)  # flush right
    last_word, x = max(rows[ys[-1]], key=lambda w: w[1])
    assert x + len(last_word) * 5 < 110 - 1  # the last line is ragged
