"""Geometry tests for deckgen.sheets.impose: reference layouts, duplex flips, crop marks, pagination."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from deckgen.sheets.impose import (
    MM,
    SheetPlan,
    Slot,
    back_rotation,
    back_slots,
    crop_marks,
    mark_margin,
    mark_offset,
    paginate,
    plan_sheet,
    slot_transform,
)

TOL = 0.01  # points
A4 = (210 * MM, 297 * MM)
LETTER = (215.9 * MM, 279.4 * MM)
PAPERS = [A4, LETTER, (148 * MM, 210 * MM), (297 * MM, 420 * MM), (215.9 * MM, 355.6 * MM)]
Rect = tuple[float, float, float, float]


def approx(v: float) -> object:
    return pytest.approx(v, abs=TOL)


def rect(s: Slot, grow: float = 0.0) -> Rect:
    return (s.x - grow, s.y - grow, s.x + s.w + grow, s.y + s.h + grow)


def overlap(a: Rect, b: Rect) -> bool:
    """Interiors intersect (touching edges do not count)."""
    return a[0] < b[2] - 1e-6 and b[0] < a[2] - 1e-6 and a[1] < b[3] - 1e-6 and b[1] < a[3] - 1e-6


def apply(t: tuple[float, ...], u: float, v: float) -> tuple[float, float]:
    a, b, c, d, e, f = t
    return (a * u + c * v + e, b * u + d * v + f)


def shifted(plan: SheetPlan, dx: float, dy: float) -> SheetPlan:
    fronts = tuple(dataclasses.replace(s, x=s.x + dx, y=s.y + dy) for s in plan.fronts)
    return dataclasses.replace(plan, fronts=fronts)


def fits(n: int, size: float, gutter: float, bleed: float, avail: float) -> bool:
    return n * size + (n - 1) * gutter + 2 * bleed <= avail + 1e-6


# --------------------------------------------------------------------------- reference layouts


def test_poker_on_a4() -> None:
    p = plan_sheet(*A4, 63 * MM, 88 * MM)
    assert (p.cols, p.rows, p.turned, p.per_sheet) == (3, 3, False, 9)
    x0, y0, x1, y1 = p.grid_box
    assert x0 == approx(10.5 * MM) and A4[0] - x1 == approx(10.5 * MM)
    assert y0 == approx(16.5 * MM) and A4[1] - y1 == approx(16.5 * MM)
    assert all(s.rotation == 0 and s.w == approx(63 * MM) and s.h == approx(88 * MM) for s in p.fronts)
    assert p.gutter == 0 and p.bleed == 0


def test_poker_on_letter() -> None:
    p = plan_sheet(*LETTER, 63 * MM, 88 * MM)
    assert (p.cols, p.rows, p.turned) == (3, 3, False)
    x0, y0, x1, y1 = p.grid_box
    assert x0 == approx(13.45 * MM) and LETTER[0] - x1 == approx(13.45 * MM)
    assert y0 == approx(7.7 * MM) and LETTER[1] - y1 == approx(7.7 * MM)


def test_reading_order_rows_top_to_bottom() -> None:
    p = plan_sheet(*A4, 63 * MM, 88 * MM)
    first, second, fourth = p.fronts[0], p.fronts[1], p.fronts[3]
    assert first.x == approx(10.5 * MM) and first.y + first.h == approx(A4[1] - 16.5 * MM)
    assert second.x == approx(first.x + 63 * MM) and second.y == approx(first.y)
    assert fourth.x == approx(first.x) and fourth.y == approx(first.y - 88 * MM)


@pytest.mark.parametrize(
    ("card", "cols", "rows", "turned"),
    [
        ((85, 55), 2, 5, False),  # business: turned 55×85 gives 3×3 = 9 < 10
        ((44, 68), 4, 4, False),  # mini-euro: turned 68×44 gives 2×6 = 12 < 16
        ((70, 120), 2, 2, False),  # tarot: turned 120×70 gives 1×4 = 4, not strictly more
        ((90, 60), 3, 3, True),  # upright 2×4 = 8 < turned 60×90 3×3 = 9
    ],
)
def test_turn_only_when_strictly_more(card: tuple[float, float], cols: int, rows: int, turned: bool) -> None:
    w, h = card[0] * MM, card[1] * MM
    p = plan_sheet(*A4, w, h)
    assert (p.cols, p.rows, p.turned) == (cols, rows, turned)
    sw, sh = (h, w) if turned else (w, h)
    assert all(s.w == approx(sw) and s.h == approx(sh) for s in p.fronts)
    assert all(s.rotation == (90 if turned else 0) for s in p.fronts)
    assert plan_sheet(*A4, w, h, allow_turn=False).turned is False


def test_tarot_counts_both_ways() -> None:
    assert plan_sheet(*A4, 70 * MM, 120 * MM, allow_turn=False).per_sheet == 4
    assert plan_sheet(*A4, 120 * MM, 70 * MM, allow_turn=False).per_sheet == 4  # 1×4, the turned grid


def test_bleed_gutter_plan_is_valid_with_fewer_cards() -> None:
    butted = plan_sheet(*A4, 63 * MM, 88 * MM)
    bled = plan_sheet(*A4, 63 * MM, 88 * MM, bleed=3 * MM)
    # 3 columns need 3·63 + 2·6 + 2·3 = 207 mm > 200 mm; turned 88×63 with bleed: 2×4 = 8 > upright 2×3
    assert (bled.cols, bled.rows, bled.turned, bled.per_sheet) == (2, 4, True, 8)
    assert bled.gutter == approx(6 * MM) and bled.bleed == approx(3 * MM)
    assert bled.per_sheet < butted.per_sheet  # the caller chooses
    x0, y0, x1, y1 = bled.grid_box
    assert x1 - x0 == approx(2 * 88 * MM + 6 * MM) and y1 - y0 == approx(4 * 63 * MM + 18 * MM)
    a, b = bled.fronts[0], bled.fronts[1]
    assert b.x - (a.x + a.w) == approx(6 * MM)


def test_explicit_gutter_and_its_limit() -> None:
    p = plan_sheet(*A4, 63 * MM, 88 * MM, bleed=2 * MM, gutter=8 * MM)
    assert p.gutter == approx(8 * MM)
    with pytest.raises(ValueError, match="twice the bleed"):
        plan_sheet(*A4, 63 * MM, 88 * MM, bleed=3 * MM, gutter=5 * MM)
    with pytest.raises(ValueError, match="twice the bleed"):
        plan_sheet(*A4, 63 * MM, 88 * MM, bleed=3 * MM, gutter=0)


def test_card_too_big_raises() -> None:
    with pytest.raises(ValueError) as err:
        plan_sheet(*A4, 205 * MM, 290 * MM)
    assert str(err.value) == "a 205×290 mm card does not fit on a 210×297 mm sheet with 5 mm margins"
    # fits only when turned
    assert plan_sheet(*A4, 250 * MM, 100 * MM).turned
    with pytest.raises(ValueError, match="does not fit"):
        plan_sheet(*A4, 250 * MM, 100 * MM, allow_turn=False)
    with pytest.raises(ValueError, match="3 mm bleed"):
        plan_sheet(*A4, 200 * MM, 280 * MM, bleed=3 * MM)


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="portrait"):
        plan_sheet(A4[1], A4[0], 63 * MM, 88 * MM)
    with pytest.raises(ValueError):
        plan_sheet(*A4, 0, 88 * MM)
    with pytest.raises(ValueError):
        plan_sheet(*A4, 63 * MM, 88 * MM, bleed=-1)
    with pytest.raises(ValueError):
        Slot(0, 0, 1, 1, 45)


# --------------------------------------------------------------------------- hypothesis plans

pages = st.one_of(
    st.sampled_from(PAPERS),
    st.tuples(st.floats(80, 450), st.floats(0, 300)).map(lambda t: (t[0] * MM, (t[0] + t[1]) * MM)),
)
cards = st.tuples(st.floats(15, 200), st.floats(15, 200)).map(lambda t: (t[0] * MM, t[1] * MM))
bleeds = st.sampled_from([0.0, 3 * MM, 3.175 * MM])
margins = st.sampled_from([5 * MM, 3 * MM, 0.0, 12 * MM])


def build(page: tuple[float, float], card: tuple[float, float], bleed: float, margin: float) -> SheetPlan:
    try:
        return plan_sheet(*page, *card, bleed=bleed, min_margin=margin)
    except ValueError:
        aw, ah = page[0] - 2 * margin, page[1] - 2 * margin
        w, h = card
        assert not (fits(1, w, 0, bleed, aw) and fits(1, h, 0, bleed, ah))
        assert not (fits(1, h, 0, bleed, aw) and fits(1, w, 0, bleed, ah))
        assume(False)
        raise


@settings(max_examples=300, deadline=None)
@given(pages, cards, bleeds, margins)
def test_plan_geometry(page: tuple[float, float], card: tuple[float, float], bleed: float, margin: float) -> None:
    p = build(page, card, bleed, margin)
    W, H = page
    assert p.per_sheet == p.cols * p.rows == len(p.fronts)
    for s in p.fronts:  # inside the page with the margin, bleed included
        x0, y0, x1, y1 = rect(s, p.bleed)
        assert x0 >= margin - 1e-6 and y0 >= margin - 1e-6
        assert x1 <= W - margin + 1e-6 and y1 <= H - margin + 1e-6
    for i, a in enumerate(p.fronts):  # no overlap, not even of the bleeds
        for b in p.fronts[i + 1 :]:
            assert not overlap(rect(a, p.bleed), rect(b, p.bleed))
    gx0, gy0, gx1, gy1 = p.grid_box  # centred
    assert gx0 == approx(W - gx1) and gy0 == approx(H - gy1)
    # maximal: one more column or row would not fit in this orientation
    sw, sh = p.fronts[0].w, p.fronts[0].h
    assert not fits(p.cols + 1, sw, p.gutter, p.bleed, W - 2 * margin)
    assert not fits(p.rows + 1, sh, p.gutter, p.bleed, H - 2 * margin)
    # turned exactly when the other orientation holds strictly more
    upright, turned_n = (
        upright_count(page, card[0], card[1], bleed, margin),
        upright_count(page, card[1], card[0], bleed, margin),
    )
    assert p.turned == (turned_n > upright)
    assert p.per_sheet == max(upright, turned_n)


def upright_count(page: tuple[float, float], w: float, h: float, bleed: float, margin: float) -> int:
    kw = {"bleed": bleed, "min_margin": margin, "allow_turn": False}
    try:
        return plan_sheet(*page, w, h, **kw).per_sheet  # type: ignore[arg-type]
    except ValueError:  # not even one card
        return 0


# --------------------------------------------------------------------------- duplex


def flip_point(x: float, y: float, plan: SheetPlan, duplex: str) -> tuple[float, float]:
    """Where a point of the back page lies, in front-page coordinates, after the physical flip."""
    return (plan.page_w - x, y) if duplex == "long" else (x, plan.page_h - y)


def flip_rect(r: Rect, plan: SheetPlan, duplex: str) -> Rect:
    (ax, ay), (bx, by) = flip_point(r[0], r[1], plan, duplex), flip_point(r[2], r[3], plan, duplex)
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def check_duplex(plan: SheetPlan, duplex: str) -> None:
    backs = back_slots(plan, duplex)  # type: ignore[arg-type]
    assert len(backs) == len(plan.fronts)
    cw, ch = plan.card_w, plan.card_h
    for front, back in zip(plan.fronts, backs, strict=True):
        # the back's rectangle, carried through the flip, coincides with its front
        assert flip_rect(rect(back), plan, duplex) == pytest.approx(rect(front), abs=1e-6)
        # turning the cut card over about its own vertical axis mirrors it left-right: the back's
        # content point (cw − u, v) is the same paper as the front's (u, v), so the back is upright
        tf, tb = slot_transform(front, cw, ch), slot_transform(back, cw, ch)
        for u, v in ((0, 0), (cw, 0), (0, ch), (cw, ch), (0.3 * cw, 0.8 * ch)):
            on_back = flip_point(*apply(tb, cw - u, v), plan, duplex)
            assert on_back == pytest.approx(apply(tf, u, v), abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(pages, cards, bleeds, margins, st.floats(-30, 30), st.floats(-30, 30), st.sampled_from(["long", "short"]))
def test_simulated_flip_lands_behind_front(
    page: tuple[float, float],
    card: tuple[float, float],
    bleed: float,
    margin: float,
    dx: float,
    dy: float,
    duplex: str,
) -> None:
    plan = build(page, card, bleed, margin)
    check_duplex(plan, duplex)
    check_duplex(shifted(plan, dx * MM, dy * MM), duplex)  # off-centre grid


def test_off_centre_long_flip_mirrors_real_coordinates() -> None:
    plan = shifted(plan_sheet(*A4, 63 * MM, 88 * MM), 4 * MM, 0)
    back = back_slots(plan, "long")[0]  # top-left front → top-right on the back page
    assert back.x == approx(A4[0] - (14.5 + 63) * MM)  # front x = 10.5 + 4 mm
    assert back_slots(plan, "long")[2].x != approx(plan.fronts[0].x)  # not just the column order


@pytest.mark.parametrize("card", [(63, 88), (90, 60)])
def test_rotation_relations(card: tuple[float, float]) -> None:
    plan = plan_sheet(*A4, card[0] * MM, card[1] * MM)
    long, short, none = (back_slots(plan, d) for d in ("long", "short", "none"))  # type: ignore[arg-type]
    assert none == plan.fronts
    for f, lb, sb in zip(plan.fronts, long, short, strict=True):
        assert (lb.y, sb.x) == (f.y, f.x)
        if not plan.turned:  # upright: long keeps the rotation, short adds 180°
            assert lb.rotation == f.rotation == 0
            assert sb.rotation == (f.rotation + 180) % 360
        else:  # turned: the card's up lies along the short side, so the roles swap
            assert f.rotation == 90 and lb.rotation == 270 and sb.rotation == 90


def test_back_rotation_table() -> None:
    assert [back_rotation(r, "long") for r in (0, 90, 180, 270)] == [0, 270, 180, 90]
    assert [back_rotation(r, "short") for r in (0, 90, 180, 270)] == [180, 90, 0, 270]
    with pytest.raises(ValueError):
        back_rotation(0, "sideways")  # type: ignore[arg-type]


def test_slot_transform_is_ccw_and_fills_slot() -> None:
    s = Slot(100, 50, 88 * MM, 63 * MM, 90)
    t = slot_transform(s, 63 * MM, 88 * MM)
    corners = [apply(t, u, v) for u in (0, 63 * MM) for v in (0, 88 * MM)]
    assert min(c[0] for c in corners) == approx(100) and max(c[0] for c in corners) == approx(100 + 88 * MM)
    assert min(c[1] for c in corners) == approx(50) and max(c[1] for c in corners) == approx(50 + 63 * MM)
    (x0, y0), (x1, y1) = apply(t, 0, 0), apply(t, 0, 1)
    assert (x1 - x0, y1 - y0) == pytest.approx((-1, 0))  # content "up" points to the sheet's left
    with pytest.raises(ValueError):
        slot_transform(Slot(0, 0, 63 * MM, 88 * MM, 90), 63 * MM, 88 * MM)


# --------------------------------------------------------------------------- crop marks


def seg_len(m: tuple[float, float, float, float]) -> float:
    return abs(m[2] - m[0]) + abs(m[3] - m[1])


def check_marks(plan: SheetPlan, marks: tuple[tuple[float, float, float, float], ...], clearance: float) -> None:
    W, H = plan.page_w, plan.page_h
    for m in marks:
        x0, y0, x1, y1 = m
        assert x0 == x1 or y0 == y1
        assert 2 * MM - 1e-6 <= seg_len(m) <= 5 * MM + 1e-6
        for x, y in ((x0, y0), (x1, y1)):
            assert clearance - 1e-6 <= x <= W - clearance + 1e-6
            assert clearance - 1e-6 <= y <= H - clearance + 1e-6
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        for s in plan.fronts:
            r = rect(s, plan.bleed)
            assert not (
                box[0] <= r[2] + 1e-6 and r[0] <= box[2] + 1e-6 and box[1] <= r[3] + 1e-6 and r[1] <= box[3] + 1e-6
            ), (m, s)


def test_letter_poker_marks() -> None:
    plan = plan_sheet(*LETTER, 63 * MM, 88 * MM)
    marks = crop_marks(plan)
    check_marks(plan, marks, 5 * MM)
    vertical = [m for m in marks if m[0] == m[2]]
    horizontal = [m for m in marks if m[1] == m[3]]
    assert len(vertical) == 8 and len(horizontal) == 8  # butted 3×3: 4 cut lines each way
    assert all(seg_len(m) == approx(2.2 * MM) for m in vertical)  # 7.7 − 0.5 − 5 mm
    assert all(seg_len(m) == approx(5 * MM) for m in horizontal)
    gx0, gy0, gx1, gy1 = plan.grid_box
    for x in sorted({s.x for s in plan.fronts} | {s.x + s.w for s in plan.fronts}):
        at = [m for m in vertical if m[0] == approx(x)]
        assert {min(m[1], m[3]) > gy1 for m in at} == {True, False}  # one above, one below
        assert all(min(m[1], m[3]) == approx(gy1 + 0.5 * MM) or max(m[1], m[3]) == approx(gy0 - 0.5 * MM) for m in at)
    for y in sorted({s.y for s in plan.fronts} | {s.y + s.h for s in plan.fronts}):
        at = [m for m in horizontal if m[1] == approx(y)]
        assert {min(m[0], m[2]) > gx1 for m in at} == {True, False}


def test_a4_poker_marks_full_length_and_symmetric() -> None:
    plan = plan_sheet(*A4, 63 * MM, 88 * MM)
    marks = crop_marks(plan)
    assert len(marks) == 16 and all(seg_len(m) == approx(5 * MM) for m in marks)
    mirrored = {norm((A4[0] - m[0], m[1], A4[0] - m[2], m[3])) for m in marks}
    flipped = {norm((m[0], A4[1] - m[1], m[2], A4[1] - m[3])) for m in marks}
    assert mirrored == flipped == {norm(m) for m in marks}  # the same marks serve the back page


def norm(m: tuple[float, float, float, float]) -> tuple[tuple[float, float], ...]:
    return tuple(sorted(((round(m[0], 6), round(m[1], 6)), (round(m[2], 6), round(m[3], 6)))))


def test_marks_with_bleed_and_gutter() -> None:
    plan = plan_sheet(*A4, 63 * MM, 88 * MM, bleed=3 * MM)  # turned 2×4, 6 mm gutter
    marks = crop_marks(plan)
    check_marks(plan, marks, 5 * MM)
    vertical = [m for m in marks if m[0] == m[2]]
    assert len(vertical) == 8  # 2 columns × 2 edges, above and below
    gx0, gy0, gx1, gy1 = plan.grid_box
    # margin (297 − 270)/2 = 13.5 mm; start 3 + 1 mm out; room 13.5 − 4 − 5 = 4.5 mm
    assert all(seg_len(m) == approx(4.5 * MM) for m in vertical)
    assert all(min(m[1], m[3]) == approx(gy1 + 4 * MM) for m in vertical if m[1] > gy1)
    with pytest.raises(ValueError, match="bleed"):
        crop_marks(plan, offset=1 * MM)


def test_short_marks_are_dropped() -> None:
    plan = plan_sheet(*LETTER, 63 * MM, 88 * MM)
    marks = crop_marks(plan, min_length=2.5 * MM)  # the 2.2 mm top/bottom marks go
    assert marks and all(m[1] == m[3] for m in marks)


@settings(max_examples=300, deadline=None)
@given(pages, cards, bleeds, margins, st.floats(-20, 20), st.floats(-20, 20))
def test_crop_marks_property(
    page: tuple[float, float], card: tuple[float, float], bleed: float, margin: float, dx: float, dy: float
) -> None:
    plan = shifted(build(page, card, bleed, margin), dx * MM, dy * MM)
    marks = crop_marks(plan)
    check_marks(plan, marks, 5 * MM)
    off = bleed + 1 * MM if bleed else 0.5 * MM
    gx0, gy0, gx1, gy1 = plan.grid_box
    W, H = plan.page_w, plan.page_h
    for x in {round(v, 6) for s in plan.fronts for v in (s.x, s.x + s.w)}:
        if not 5 * MM <= x <= W - 5 * MM:
            continue
        above = [m for m in marks if m[0] == approx(x) and m[0] == m[2] and m[1] > gy1]
        below = [m for m in marks if m[0] == approx(x) and m[0] == m[2] and m[1] < gy0]
        assert len(above) == (1 if H - 5 * MM - (gy1 + off) >= 2 * MM - 1e-6 else 0)
        assert len(below) == (1 if gy0 - off - 5 * MM >= 2 * MM - 1e-6 else 0)


def test_mark_margin_is_edge_clearance_plus_mark_plus_offset() -> None:
    assert mark_offset(0) == approx(0.5 * MM) and mark_offset(3 * MM) == approx(4 * MM)
    assert mark_margin(0) == approx(7.5 * MM)  # 5 mm clearance + 2 mm mark + 0.5 mm offset
    assert mark_margin(3 * MM) == approx(8 * MM)  # from the outer bleed: 5 + 2 + 1 mm past it
    assert mark_margin(0, edge_clearance=4 * MM, min_length=3 * MM) == approx(7.5 * MM)


@settings(max_examples=150, deadline=None)
@given(pages, cards, bleeds)
def test_a_plan_with_mark_margins_marks_every_cut_line(
    page: tuple[float, float], card: tuple[float, float], bleed: float
) -> None:
    plan = build(page, card, bleed, mark_margin(bleed))
    marks = crop_marks(plan)
    check_marks(plan, marks, 5 * MM)
    gx0, gy0, gx1, gy1 = plan.grid_box
    for x in {round(v, 6) for s in plan.fronts for v in (s.x, s.x + s.w)}:
        at = [m for m in marks if m[0] == m[2] and m[0] == approx(x)]
        assert sorted(min(m[1], m[3]) > gy1 for m in at) == [False, True]  # one below, one above
    for y in {round(v, 6) for s in plan.fronts for v in (s.y, s.y + s.h)}:
        at = [m for m in marks if m[1] == m[3] and m[1] == approx(y)]
        assert sorted(min(m[0], m[2]) > gx1 for m in at) == [False, True]  # one left, one right


# --------------------------------------------------------------------------- pagination


def test_paginate() -> None:
    assert [len(r) for r in paginate(29, 9)] == [9, 9, 9, 2]
    assert paginate(29, 9)[-1] == range(27, 29)
    assert paginate(0, 9) == []
    assert paginate(18, 9) == [range(0, 9), range(9, 18)]
    with pytest.raises(ValueError):
        paginate(5, 0)
    with pytest.raises(ValueError):
        paginate(-1, 9)
