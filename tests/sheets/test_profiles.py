"""Print production, pure parts: options, file names, colour, page geometry, fold plans, furniture placement."""

from __future__ import annotations

import pytest
from pytest import approx

from deckgen.design.color import rgb_to_cmyk, total_ink
from deckgen.design.ops import TextOp
from deckgen.errors import UsageError
from deckgen.output.fonts import FontBook
from deckgen.pipeline.jobs import default_output, resolve_job
from deckgen.pipeline.options import PrintOptions
from deckgen.pipeline.printers import PrinterSettings, parse_offset
from deckgen.sheets.calibration import calibration_back, calibration_front, calibration_points
from deckgen.sheets.faces import face_order, face_page, png_names, png_page, png_size
from deckgen.sheets.fold import FOLD_MARK_CLEAR, fold_frame, fold_plan
from deckgen.sheets.home import EDGE, home_plan, sheet_plan
from deckgen.sheets.impose import MM, crop_marks, plan_sheet, slot_transform
from deckgen.sheets.scale_bar import BOUND, keep_out, place_scale_bar

A4 = (210 * MM, 297 * MM)
LETTER = (215.9 * MM, 279.4 * MM)
A3 = (297 * MM, 420 * MM)
POKER = (63 * MM, 88 * MM)
MINI_US = (41 * MM, 63 * MM)
FONTS = FontBook({}, [])


def opts(**given) -> PrintOptions:
    return PrintOptions(**given)


# ---------------------------------------------------------------- colour


def test_cmyk_black_is_pure_k_and_greys_use_black_only():
    assert rgb_to_cmyk((0, 0, 0)) == (0, 0, 0, 1)
    assert rgb_to_cmyk((1, 1, 1)) == (0, 0, 0, 0)
    assert rgb_to_cmyk((0x1F / 255, 0x23 / 255, 0x28 / 255)) == (0, 0, 0, 1)  # the classic theme's ink: text black
    c, m, y, k = rgb_to_cmyk((0x5F / 255, 0x66 / 255, 0x70 / 255))  # its "muted" grey stays a grey, black ink only
    assert (c, m, y) == (0, 0, 0) and k == approx(0.71, abs=0.01)  # the K printing its lightness, as a profile gives
    assert rgb_to_cmyk((1, 0, 0)) == (0, 1, 1, 0)


@pytest.mark.parametrize("rgb", [(0.1, 0, 0), (0, 0, 0.2), (0.3, 0.05, 0.4), (0.23, 0.29, 0.42), (1, 0.5, 0)])
def test_cmyk_total_ink_at_most_240(rgb):
    cmyk = rgb_to_cmyk(rgb)
    assert total_ink(cmyk) <= 2.4 + 1e-9
    assert all(0 <= v <= 1 for v in cmyk)


# ---------------------------------------------------------------- options and names


def test_profiles_imply_what_they_need():
    assert resolve_job(opts()).profile == "home" and resolve_job(opts()).bleed == 0
    shop = resolve_job(opts(profile="shop"))
    assert shop.bleed == approx(3 * MM) and shop.order == "interleaved" and shop.color == "rgb"
    pdfx = resolve_job(opts(pdfx=True))
    assert (pdfx.profile, pdfx.color, pdfx.condition) == ("shop", "cmyk", "FOGRA39")
    assert resolve_job(opts(pdfx=True, profile="home")).profile == "home"
    assert resolve_job(opts(service="mpc")).profile == "png"
    assert resolve_job(opts(pdfx=True, condition="gracol")).condition == "CGATS TR 006"
    assert resolve_job(opts(bleed="0.125in", profile="shop")).bleed == approx(9)
    assert resolve_job(opts(bleed="2", profile="shop")).bleed == approx(2 * MM)  # bare numbers are mm
    assert resolve_job(opts(back_offset="-1,2")).back_offset == approx((-1 * MM, 2 * MM))


@pytest.mark.parametrize("given, words", [
    ({"profile": "shop", "service": "mpc"}, "--service"),
    ({"profile": "home", "order": "fronts-first"}, "--order"),
    ({"profile": "shop", "back_offset": "1,1"}, "--back-offset"),
    ({"profile": "fold", "back_offset": "1,1"}, "--back-offset"),
    ({"profile": "png", "paper": "a4"}, "--paper"),
    ({"pdfx": True, "color": "rgb"}, "CMYK"),
    ({"profile": "png", "color": "cmyk"}, "RGB"),
    ({"condition": "FOGRA39"}, "--pdfx"),
    ({"pdfx": True, "condition": "FOGRA99"}, "registered"),
    ({"service": "tgc", "bleed": "3mm"}, "--bleed"),
    ({"profile": "shop", "bleed": "12mm"}, "0 to 10"),
    ({"profile": "shop", "bleed": "wide"}, "not a length"),
    ({"decks": 0}, "--decks"),
    ({"back_offset": "1;2"}, "X,Y"),
    ({"back_offset": "50,0"}, "20 mm"),
])
def test_clashing_or_meaningless_options_are_usage_errors(given, words):
    with pytest.raises(UsageError, match=words):
        resolve_job(opts(**given))


def test_printer_settings_apply_and_options_override_them():
    office = PrinterSettings("office", "printers.yaml", "letter", "short", (1 * MM, -2 * MM))
    job = resolve_job(opts(), office)
    assert (job.paper, job.duplex, job.back_offset, job.printer) == ("letter", "short", (1 * MM, -2 * MM), "office")
    job = resolve_job(opts(paper="a4", back_offset="0,0"), office)
    assert (job.paper, job.duplex, job.back_offset) == ("a4", "short", (0, 0))
    assert resolve_job(opts(profile="fold"), office).paper == "letter"
    with pytest.raises(UsageError, match="--printer"):
        resolve_job(opts(profile="shop"), office)


def test_default_output_names_differ_per_profile():
    names = {default_output("decks/micro.yaml", resolve_job(opts(**g))).as_posix() for g in (
        {}, {"profile": "shop"}, {"profile": "png"}, {"profile": "fold"}, {"pdfx": True}, {"color": "cmyk"},
        {"profile": "shop", "color": "cmyk"})}
    assert names == {"micro.pdf", "micro-shop.pdf", "micro-png", "micro-fold.pdf", "micro-pdfx.pdf",
                     "micro-cmyk.pdf", "micro-shop-cmyk.pdf"}


def test_parse_offset():
    assert parse_offset("1.5, -0.5") == approx((1.5 * MM, -0.5 * MM))
    assert parse_offset([0, 2]) == approx((0, 2 * MM))
    for bad in ("1", "a,b", "1,2,3", [True, 1], None):
        with pytest.raises(ValueError):
            parse_offset(bad)


# ---------------------------------------------------------------- home sheets with bleed


def test_bleed_with_gutters_when_the_paper_has_room():
    tarot = (70 * MM, 120 * MM)
    plan, note = home_plan(*A4, *tarot, 3 * MM)
    assert note is None and plan.bleed == approx(3 * MM) and plan.gutter == approx(6 * MM)
    assert plan.per_sheet == plan_sheet(*A4, *tarot).per_sheet == 4


def test_bleed_that_costs_cards_falls_back_to_butted_with_a_note():
    plan, note = home_plan(*A4, *POKER, 3 * MM)
    assert plan.bleed == 0 and plan.gutter == 0 and plan.per_sheet == 9
    assert note and "8 cards" in note and "instead of 9" in note and "butted" in note and "crop marks" in note
    # 3·63 + 6·b + 2·8 mm (room for marks) ≤ 210 mm: b ≤ 0.83 mm
    assert "--bleed 0.8mm keeps 9" in note
    kept, none = home_plan(*A4, *POKER, 0.8 * MM)
    assert none is None and kept.per_sheet == 9 and kept.bleed == approx(0.8 * MM)
    assert home_plan(*A4, *POKER, 0.9 * MM)[0].bleed == 0  # 0.1 mm more and the marks no longer fit
    plan, note = home_plan(*A3, *POKER, 3 * MM)  # 16 instead of 18 turned cards
    assert plan.bleed == 0 and plan.per_sheet == 18 and "--bleed 2.1mm keeps 18" in note
    assert home_plan(*A3, *POKER, 2.1 * MM) == (sheet_plan(*A3, *POKER, 2.1 * MM), None)
    _, note = home_plan(*LETTER, *POKER, 1 * MM)  # 7.7 mm above and below: room for butted marks only
    assert note and "keeps" not in note


def test_bleed_that_leaves_no_room_for_the_scale_bar_falls_back():
    room = _bar_room(LETTER)
    plan, note = home_plan(*LETTER, *MINI_US, 1.4 * MM, room=room)  # 18 cards fit, but no scale bar
    assert plan.bleed == 0 and plan.per_sheet == 18
    assert note and "scale bar" in note and "--bleed 1.3mm keeps 18 a sheet and its scale bar" in note
    plan, note = home_plan(*LETTER, *MINI_US, 1.3 * MM, room=room)
    assert note is None and plan.bleed == approx(1.3 * MM) and room(plan)
    assert home_plan(*LETTER, *MINI_US, 1.4 * MM)[0].bleed == approx(1.4 * MM)  # without the check: bleed


def _bar_room(page):
    def room(plan):
        return place_scale_bar(*page, keep_out(plan.fronts, plan.bleed, crop_marks(plan)), FONTS) is not None
    return room


def _cut_lines_marked(plan, marks, slots=None) -> bool:
    """Every distinct cut line has a mark at both ends, each at least 2 mm long."""
    slots = slots or plan.fronts
    gx0, gy0 = min(s.x for s in slots), min(s.y for s in slots)
    gx1, gy1 = max(s.x + s.w for s in slots), max(s.y + s.h for s in slots)
    for x in {round(v, 6) for s in slots for v in (s.x, s.x + s.w)}:
        at = [m for m in marks if m[0] == m[2] and abs(m[0] - x) < 1e-6 and abs(m[3] - m[1]) >= 2 * MM - 1e-6]
        if not (any(min(m[1], m[3]) > gy1 for m in at) and any(max(m[1], m[3]) < gy0 for m in at)):
            return False
    for y in {round(v, 6) for s in slots for v in (s.y, s.y + s.h)}:
        at = [m for m in marks if m[1] == m[3] and abs(m[1] - y) < 1e-6 and abs(m[2] - m[0]) >= 2 * MM - 1e-6]
        if not (any(min(m[0], m[2]) > gx1 for m in at) and any(max(m[0], m[2]) < gx0 for m in at)):
            return False
    return True


CARD_SIZES = {"poker": POKER, "poker-us": (63.5 * MM, 88.9 * MM), "bridge": (57 * MM, 89 * MM),
              "mini-us": MINI_US, "mini-euro": (44 * MM, 68 * MM), "euro": (59 * MM, 92 * MM),
              "tarot": (70 * MM, 120 * MM), "square": (70 * MM, 70 * MM), "business-us": (88.9 * MM, 50.8 * MM)}


@pytest.mark.parametrize("page", [A4, LETTER, A3], ids=["a4", "letter", "a3"])
@pytest.mark.parametrize("card", sorted(CARD_SIZES))
def test_home_plans_and_the_suggested_bleed_mark_every_cut_line(page, card):
    size = CARD_SIZES[card]
    for bleed in (0.0, 1 * MM, 1.8 * MM, 2.6 * MM, 3 * MM):
        plan, note = home_plan(*page, *size, bleed)
        assert _cut_lines_marked(plan, crop_marks(plan)), (card, bleed / MM)
        for s in plan.fronts:  # the card (and its bleed) 7.5 mm or more from the edge: 5 + 2 mm mark + 0.5 mm
            assert min(s.x, s.y, page[0] - s.x - s.w, page[1] - s.y - s.h) - plan.bleed >= 7.5 * MM - 1e-6
        if note and "keeps" in note:
            suggested = float(note.split("--bleed ")[-1].split("mm keeps")[0]) * MM
            kept, none = home_plan(*page, *size, suggested)
            assert none is None and kept.bleed == suggested and kept.per_sheet == plan.per_sheet
            assert _cut_lines_marked(kept, crop_marks(kept))


@pytest.mark.parametrize("page, card, cards, before", [
    (A4, MINI_US, 18, 21), (LETTER, (63.5 * MM, 88.9 * MM), 8, 9), (LETTER, (57 * MM, 89 * MM), 8, 9),
    (A4, (57 * MM, 89 * MM), 9, 10), (LETTER, (44 * MM, 68 * MM), 12, 18), (LETTER, MINI_US, 18, 20),
    (A3, MINI_US, 36, 42), (A4, POKER, 9, 9), (LETTER, POKER, 9, 9), (A3, POKER, 18, 18),
])
def test_cards_a_sheet_leave_room_for_marks(page, card, cards, before):
    """Fewer cards a sheet rather than an unmarked cut line; Letter poker keeps 3×3 (7.7 mm ≥ 0.5 + 2 + 5)."""
    assert plan_sheet(*page, *card).per_sheet == before  # 5 mm margins only
    plan = sheet_plan(*page, *card, 0.0)
    assert plan.per_sheet == cards


# ---------------------------------------------------------------- one face per page


def test_shop_face_boxes():
    face = face_page(*POKER, 3 * MM)
    assert (face.w, face.h) == approx((69 * MM, 94 * MM))
    assert face.trim == approx((3 * MM, 3 * MM, 66 * MM, 91 * MM))
    assert face.bleed_box == approx((0, 0, 69 * MM, 94 * MM))
    assert face_order(2, "interleaved") == [(0, "front"), (0, "back"), (1, "front"), (1, "back")]
    assert face_order(2, "fronts-first") == [(0, "front"), (1, "front"), (0, "back"), (1, "back")]


@pytest.mark.parametrize("card, bleed, service, px", [
    ((63, 88), 3, None, (815, 1110)),
    ((63.5, 88.9), 3.175, None, (825, 1125)),
    ((70, 120), 3, None, (898, 1488)),
    ((57, 89), 3, None, (744, 1122)),
    ((63, 88), 3, "mpc", (822, 1122)),
    ((63.5, 88.9), 3, "tgc", (825, 1125)),
])
def test_png_sizes(card, bleed, service, px):
    w, h = card[0] * MM, card[1] * MM
    assert png_size(w, h, bleed * MM, service) == px
    page = png_page(w, h, px)
    assert (page.w / 72 * 300, page.h / 72 * 300) == approx(px)
    assert page.trim[2] - page.trim[0] == approx(w) and page.trim[3] - page.trim[1] == approx(h)
    assert page.slot.x == approx(page.w - page.slot.x - w)  # centred


def test_service_refuses_a_card_of_another_size():
    with pytest.raises(UsageError, match="MakePlayingCards prints 63.5×88.9 mm"):
        png_size(70 * MM, 120 * MM, 0, "mpc")


def test_png_names_keep_the_card_number_for_copies():
    names = png_names([(1, "a"), (2, "b"), (2, "b"), (1, "a")], 2)
    assert names == [("001-a-front.png", "001-a-back.png"), ("002-b-front.png", "002-b-back.png"),
                     ("002-b-copy2-front.png", "002-b-copy2-back.png"),
                     ("001-a-copy2-front.png", "001-a-copy2-back.png")]
    assert png_names([(1000, "x")], 1000)[0][0] == "1000-x-front.png"


# ---------------------------------------------------------------- fold and glue


def _mirror(plan, x, y):
    return (x, plan.page_h - y) if plan.axis == "h" else (plan.page_w - x, y)


def _apply(slot, card, u, v):
    a, b, c, d, e, f = slot_transform(slot, *card)
    return a * u + c * v + e, b * u + d * v + f


@pytest.mark.parametrize("page", [A4, LETTER, A3])
@pytest.mark.parametrize("card", [POKER, (70 * MM, 120 * MM), (44 * MM, 68 * MM)])
def test_fold_puts_each_back_behind_its_front_upright(page, card):
    plan, note = fold_plan(*page, *card)
    assert note is None and plan.per_sheet >= 1 and len(plan.backs) == plan.per_sheet
    for front, back in zip(plan.fronts, plan.backs, strict=True):
        # every point of the back, folded over, lies behind the same point of the front
        for u, v in ((0, 0), (card[0], 0), (0, card[1]), (card[0] / 3, card[1] / 4)):
            bx, by = _apply(back, card, card[0] - u, v)  # seen from behind, the back's left is the front's right
            fx, fy = _apply(front, card, u, v)
            assert _mirror(plan, bx, by) == approx((fx, fy))
        for s in (front, back):
            assert EDGE - 1e-6 <= s.x and s.x + s.w <= page[0] - EDGE + 1e-6
            assert EDGE - 1e-6 <= s.y and s.y + s.h <= page[1] - EDGE + 1e-6
    x0, y0, _, _ = plan.fold
    for m in plan.marks:  # marks stop 1.5 mm before the fold: they never cross it
        a, b = (m[1] - y0, m[3] - y0) if plan.axis == "h" else (m[0] - x0, m[2] - x0)
        assert a * b > 0 and min(abs(a), abs(b)) >= FOLD_MARK_CLEAR - 1e-6


def test_fold_poker_on_a4_holds_four_turned_cards_and_marks_every_cut():
    plan, _ = fold_plan(*A4, *POKER)
    assert plan.per_sheet == 4 and plan.axis == "h" and {s.rotation for s in plan.fronts} == {90}
    assert {s.rotation for s in plan.backs} == {90}
    front_marks = [m for m in plan.marks if min(m[1], m[3]) > A4[1] / 2]
    assert len(front_marks) * 2 == len(plan.marks)
    xs = {round(m[0], 3) for m in front_marks if m[0] == m[2]}
    assert xs == {round(v, 3) for s in plan.fronts for v in (s.x, s.x + s.w)}


@pytest.mark.parametrize("page", [A4, LETTER, A3], ids=["a4", "letter", "a3"])
@pytest.mark.parametrize("card", sorted(CARD_SIZES))
def test_fold_sheets_mark_every_cut_line(page, card):
    for bleed in (0.0, 1.8 * MM, 3 * MM):
        plan, _ = fold_plan(*page, *CARD_SIZES[card], bleed)
        mid = page[1] / 2 if plan.axis == "h" else page[0] / 2
        front_half = [m for m in plan.marks if (min(m[1], m[3]) > mid if plan.axis == "h" else max(m[0], m[2]) < mid)]
        assert _cut_lines_marked(plan, front_half, plan.fronts), (card, bleed / MM)
        for x0, y0, x1, y1 in plan.marks:
            assert min(x0, x1, y0, y1) >= EDGE - 1e-6 and max(x0, x1) <= page[0] - EDGE + 1e-6
            assert max(y0, y1) <= page[1] - EDGE + 1e-6


def test_fold_with_bleed_falls_back_when_it_costs_cards():
    plan, note = fold_plan(*A4, *POKER, 3 * MM)
    assert plan.bleed == 0 and note and "butted" in note
    plan, note = fold_plan(*A4, 70 * MM, 120 * MM, 3 * MM)
    assert note is None and plan.bleed == approx(3 * MM) and plan.per_sheet == 2


# ---------------------------------------------------------------- furniture


def _clear_of(box, plan_slots, bleed, marks):
    for s in plan_slots:
        assert not (box[0] < s.x + s.w + bleed and s.x - bleed < box[2] and box[1] < s.y + s.h + bleed
                    and s.y - bleed < box[3]), (box, s)
    for x0, y0, x1, y1 in marks:
        assert not (box[0] < max(x0, x1) and min(x0, x1) < box[2] and box[1] < max(y0, y1)
                    and min(y0, y1) < box[3]), (box, (x0, y0, x1, y1))


@pytest.mark.parametrize("page, bleed, turned", [(A4, 0, False), (LETTER, 0, True), (A3, 3 * MM, False),
                                                 (A4, 1.8 * MM, False)])
def test_scale_bar_sits_in_a_margin_clear_of_cards_marks_and_edge(page, bleed, turned):
    plan, _ = home_plan(*page, *POKER, bleed)
    marks = crop_marks(plan)
    bar = place_scale_bar(*page, keep_out(plan.fronts, plan.bleed, marks), FONTS)
    assert bar is not None
    x0, y0, x1, y1 = bar.box
    assert x0 >= BOUND - 1e-6 and y0 >= BOUND - 1e-6 and x1 <= page[0] - BOUND + 1e-6 and y1 <= page[1] - BOUND + 1e-6
    _clear_of(bar.box, plan.fronts, plan.bleed, marks)
    assert (bar.slot.rotation == 90) == turned  # Letter's 7.7 mm top and bottom are too narrow: a side margin
    ticks = [op for op in bar.ops if not isinstance(op, TextOp) and op.x0 == op.x1]
    assert max(t.x0 for t in ticks) - min(t.x0 for t in ticks) == approx(50 * MM)  # 50 mm between end ticks
    label = next(op for op in bar.ops if isinstance(op, TextOp))
    assert "50 mm — print at 100\u00a0% / actual size" == label.runs[0].text


def test_scale_bar_shortens_when_nothing_longer_fits():
    plan = plan_sheet(70 * MM, 100 * MM, 50 * MM, 70 * MM)  # 10 mm at the sides, 15 mm top and bottom
    bar = place_scale_bar(70 * MM, 100 * MM, keep_out(plan.fronts, 0, crop_marks(plan)), FONTS)
    assert bar is not None and bar.slot.rotation == 0  # 48 mm between the marks: 40 mm, not turned
    label = next(op for op in bar.ops if isinstance(op, TextOp)).runs[0].text
    assert label.startswith("40 mm") and bar.size[0] < 45 * MM
    _clear_of(bar.box, plan.fronts, 0, crop_marks(plan))


def test_fold_sheet_furniture_is_clear_of_cards():
    plan, _ = fold_plan(*A4, *POKER)
    fold = fold_frame(plan.fold, FONTS)
    bar = place_scale_bar(*A4, keep_out(plan.fronts + plan.backs, 0, plan.marks, [fold.box]), FONTS)
    assert bar is not None
    _clear_of(bar.box, plan.fronts + plan.backs, 0, plan.marks)
    _clear_of(fold.box, plan.fronts + plan.backs, 0, plan.marks)
    assert not (bar.box[1] < fold.box[3] and fold.box[1] < bar.box[3] and bar.box[0] < fold.box[2])


def test_calibration_points_are_the_same_set_after_either_flip():
    for w, h in (A4, LETTER):
        pts = calibration_points(w, h)
        key = sorted((round(x, 3), round(y, 3)) for x, y in pts)
        assert sorted((round(w - x, 3), round(y, 3)) for x, y in pts) == key
        assert sorted((round(x, 3), round(h - y, 3)) for x, y in pts) == key


def test_every_furniture_glyph_is_in_the_font():
    frames = [*calibration_front(*A4, FONTS), *calibration_back(*A4, (-1.5, 2), "a4", FONTS)]
    frames.append(fold_frame((EDGE, A4[1] / 2, A4[0] - EDGE, A4[1] / 2), FONTS))
    texts = [run for f in frames for op in f.ops if isinstance(op, TextOp) for run in op.runs]
    assert len(texts) > 40
    for run in texts:
        assert FONTS.missing(run.text, "body", run.style) == "", run.text
