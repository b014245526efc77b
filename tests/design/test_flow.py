"""Flow in themes (design/flow.py): `below:`/`above:` with a `gap`, asserted as box positions (WeasyPrint style).

The fake font of test_layout: every character 0.5 × size wide. Card 200 × 300 pt, y up in the results.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_layout import lay, texts

from deckgen.design.flow import Box, flowed, moved, nothing, text_extent
from deckgen.design.themes import load_theme
from deckgen.errors import DeckError
from deckgen.units import MM

TITLE = {"type": "text", "text": "{title}", "x": 10, "y": 20, "w": 100, "h": 60, "size": 10, "line_height": 1.2}
BODY = {"type": "text", "text": "{summary}", "x": 10, "y": 90, "w": 180, "h": 150, "size": 10,
        "line_height": 1.2, "below": "title", "gap": 5}


def first_baseline(out, text: str) -> float:
    return next(y for t, _, y, _ in texts(out.ops) if t.startswith(text))


def test_below_follows_the_lines_drawn_not_the_box():
    one = lay({"title": TITLE, "body": BODY}, {"title": "Short", "summary": "Body text"})
    # the title's one line: top 280, 12 pt of leading -> bottom 268; the body's top 5 pt lower: 263
    assert one.extents["title"] == pytest.approx((280, 268))
    assert one.extents["body"] == pytest.approx((263, 251))
    two = lay({"title": TITLE, "body": BODY}, {"title": "A much longer title here", "summary": "Body text"})
    assert two.extents["title"] == pytest.approx((280, 256))  # two lines of 12 pt
    assert first_baseline(one, "Body") - first_baseline(two, "Body") == pytest.approx(12)


def test_below_keeps_the_bottom_edge_so_the_box_grows():
    # the body's own box ends at 300 - 90 - 150 = 60: a text that needs the room pulled up still fits
    long = "word " * 100  # 7 words a line of 180 pt: 15 lines of 12 pt = 180 pt, in 263 - 60 = 203 pt
    out = lay({"title": TITLE, "body": {**BODY, "size": 10, "min_size": 10}}, {"title": "T", "summary": long})
    assert out.issues == []
    top, bottom = out.extents["body"]
    assert top == pytest.approx(263) and bottom >= 60 - 1e-6
    alone = lay({"body": {**BODY, "below": None, "size": 10, "min_size": 10}}, {"summary": long})
    assert alone.issues and "does not fit" in alone.issues[0].what  # its own 150 pt box holds 12 lines


def test_valign_middle_centres_in_the_flowed_box():
    out = lay({"title": TITLE, "body": {**BODY, "valign": "middle"}}, {"title": "T", "summary": "x"})
    top, bottom = out.extents["body"]
    assert (263 + 60) / 2 == pytest.approx((top + bottom) / 2)


def test_an_element_that_drew_nothing_takes_no_room():
    out = lay({"title": TITLE, "body": BODY}, {"title": "", "summary": "Body text"})
    assert out.extents["title"] == pytest.approx((220, 280))  # empty: (box bottom, box top)
    assert out.extents["body"][0] == pytest.approx(280 - 5)
    hidden = lay({"title": {**TITLE, "when": "source"}, "body": BODY},
                 {"title": "Here", "summary": "Body", "source": None})
    assert hidden.extents["body"][0] == pytest.approx(275)


def test_above_moves_the_bottom_edge_up_to_what_is_below():
    foot = {"type": "text", "text": "{title}", "x": 10, "y": 260, "w": 180, "h": 30, "size": 10,
            "valign": "bottom"}
    note = {"type": "text", "text": "{summary}", "x": 10, "y": 100, "w": 180, "h": 150, "size": 10,
            "valign": "bottom", "above": "foot", "gap": "2mm"}
    out = lay({"foot": foot, "note": note}, {"title": "Footer", "summary": "Note"})
    # the footer's line sits on its box's bottom (300 - 290 = 10): its top is 22; the note's bottom 2 mm above
    assert out.extents["foot"] == pytest.approx((22, 10))
    assert out.extents["note"][1] == pytest.approx(22 + 2 * MM)


def test_rules_and_rects_move_whole():
    rule = {"type": "line", "x": 10, "y": 100, "w": 50, "h": 0, "below": "title", "gap": 3}
    mark = {"type": "rect", "x": 10, "y": 0, "w": 8, "h": 8, "fill": "ink", "below": "rule", "gap": 2}
    out = lay({"title": TITLE, "rule": rule, "mark": mark}, {"title": "Short"})
    [line] = [op for op in out.ops if type(op).__name__ == "LineOp"]
    assert (line.y0, line.y1) == pytest.approx((268 - 3, 268 - 3))  # still horizontal
    [rect] = [op for op in out.ops if type(op).__name__ == "RectOp"]
    assert (rect.y + rect.h, rect.h) == pytest.approx((265 - 2, 8))
    assert moved(Box(0, 0, 10, 10), {"a": (50, 40)}, None, "a", 1) == Box(0, 51, 10, 10)


def test_flowed_pure():
    box = Box(0, 50, 100, 100)
    assert flowed(box, {}, None, None, 0) is box
    assert flowed(box, {"a": text_extent(140, 2, 10)}, "a", None, 5) == Box(0, 50, 100, 65)
    assert flowed(box, {"a": (200, 40)}, "a", None, 0) == Box(0, 40, 100, 0)  # no height, at the moved edge
    assert flowed(box, {"a": (200, 180)}, None, "a", 0) == Box(0, 200, 100, 0)
    assert flowed(box, {"a": nothing(Box(0, 10, 10, 20))}, None, "a", 0) == Box(0, 10, 100, 140)


def test_below_must_name_an_element_drawn_before(tmp_path: Path):
    theme = tmp_path / "t.yaml"
    theme.write_text("extends: classic\nfront:\n  summary: {below: footer}\n  extra: {type: rect, below: titel}\n",
                     encoding="utf-8")
    with pytest.raises(DeckError) as err:
        load_theme(str(theme), tmp_path)
    got = [str(p) for p in err.value.problems]
    assert got[0].startswith(f"{theme}:3: front.summary.below: below: 'footer'") and "move it before" in got[0]
    assert got[1].startswith(f"{theme}:4: front.extra.below:") and "title" in got[1]


def test_variants_apply_by_card_size_and_the_child_wins(tmp_path: Path):
    parent = tmp_path / "parent.yaml"
    parent.write_text(
        "extends: classic\nvariants:\n"
        "  - when_card: {max_h: 70mm}\n    front: {title: {size: 12pt, min_size: 8pt}}\n"
        "  - when_card: {landscape: true}\n    front: {title: {size: 10pt}}\n    safe: 3mm\n",
        encoding="utf-8")
    child = tmp_path / "child.yaml"
    for card, size, safe in (("poker", "17pt", "4mm"), ("mini-euro", "12pt", "4mm"), ("business", "10pt", "3mm")):
        child.write_text(f"extends: parent.yaml\ncard: {card}\n", encoding="utf-8")
        theme = load_theme(str(child), tmp_path).theme
        assert (theme.front["title"].size, theme.safe) == (size, safe), card
    child.write_text("extends: parent.yaml\ncard: business\nfront: {title: {size: 9pt}}\n", encoding="utf-8")
    assert load_theme(str(child), tmp_path).theme.front["title"].size == "9pt"


def test_a_bad_variant_is_reported_at_its_line(tmp_path: Path):
    theme = tmp_path / "t.yaml"
    theme.write_text("extends: classic\nvariants:\n  - when_card: {max_height: 70mm}\n", encoding="utf-8")
    with pytest.raises(DeckError) as err:
        load_theme(str(theme), tmp_path)
    assert str(err.value.problems[0]).startswith(f"{theme}:3: variants[0].when_card")
