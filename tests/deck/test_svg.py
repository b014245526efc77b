"""The SVG reader: hostile files refused at their line, the icon-set subset read into exact geometry."""

from __future__ import annotations

import base64
import io
import math

import pytest
from PIL import Image

from deckgen.deck.icons import canonical, icon_art, icon_set, names, search, suggestion
from deckgen.deck.svg.geometry import arc_to_cubics, parse_path, parse_transform
from deckgen.deck.svg.parse import CURRENT, Bitmap, Shape, parse_svg, recolor
from deckgen.deck.svg.xmlsafe import SvgError

NS = 'xmlns="http://www.w3.org/2000/svg"'


def svg(body: str, attrs: str = 'viewBox="0 0 24 24"') -> bytes:
    return f'<svg {NS} {attrs}>\n{body}\n</svg>'.encode()


def refused(data: bytes) -> SvgError:
    with pytest.raises(SvgError) as info:
        parse_svg(data)
    return info.value


# -- hostile input: nothing outside the file is read, every refusal names its line ------------------------------

def test_billion_laughs_is_refused_before_any_expansion():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n' + b"".join(
        b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">\n' % ((98 + i,) + (97 + i,) * 10) for i in range(9)
    ) + b'<!ENTITY j "&i;">]>\n<svg ' + NS.encode() + b'><text>&j;</text></svg>'
    err = refused(data)
    assert err.line == 2 and "DOCTYPE" in err.what


def test_external_entity_and_file_reads_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>\n<svg {NS}>&x;</svg>'.encode()
    assert "DOCTYPE" in refused(xxe).what
    undefined = f'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://x/svg11.dtd">\n<svg {NS}>\n&x;</svg>'
    err = refused(undefined.encode())
    assert err.line == 3 and "&x;" in err.what


def test_a_plain_svg11_doctype_is_read_without_fetching_it():
    data = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            f'<svg {NS} viewBox="0 0 10 10"><rect width="10" height="10"/></svg>').encode()
    assert len(parse_svg(data).items) == 1


@pytest.mark.parametrize("body, line, words", [
    ('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>', 2, "XInclude"),
    ('<image href="https://example.org/a.png" width="4" height="4"/>', 2, "network"),
    ('<image href="../../etc/secret.png" width="4" height="4"/>', 2, "other files"),
    ('<use href="other.svg#a"/>', 2, "another file"),
    ('<g>\n<text x="1" y="2">Hi</text></g>', 3, "text"),
    ('<style>@import url(http://x/a.css);</style>', 2, "at-rules"),
    ('<style>g > path {fill:red}</style>', 2, "selector 'g > path'"),
    ('<style>.a{fill:url(a.svg#g)}</style>', 2, "reads another file"),
    ('<script>alert(1)</script>', 2, "scripts"),
    ('<path d="M0 0h4v4z" fill="url(#g)"/>', 2, "gradients"),
    ('<path d="M0 0h4v4z" clip-path="url(#c)"/>', 2, "clipping"),
    ('<path d="M0 0h4v4z" style="filter:url(#f)"/>', 2, "filters"),
    ('<path d="M0 0 L 4 x"/>', 2, "bad path data"),
    ('<rect width="4mmx" height="4"/>', 2, "unknown unit"),
    ('<path d="M0 0h4" fill="notacolour"/>', 2, "not a colour"),
    ('<blink/>', 2, "unsupported SVG element <blink>"),
    ('<g id="a"><use href="#a"/></g>', 2, "refers to itself"),
])
def test_refusals_name_the_line(body, line, words):
    err = refused(svg(body))
    assert err.line == line and words in err.what + (err.hint or ""), (err.line, err.what)


def test_processing_instruction_and_malformed_xml():
    assert "processing instruction" in refused(b'<?xml-stylesheet href="http://x/a.css"?>\n<svg/>').what
    err = refused(svg('<g>\n<path d="M0 0">\n</g>'))
    assert err.line == 4 and "well-formed" in err.what


def test_a_use_bomb_is_refused_not_expanded(monkeypatch):
    monkeypatch.setattr("deckgen.deck.svg.parse.MAX_ITEMS", 500)  # the same rule as at 50,000, a hundred times faster
    levels = ['<path id="l0" d="M0 0h1"/>'] + [
        f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 8)]
    err = refused(svg("<defs>" + "".join(levels) + '</defs>\n<use href="#l7"/>'))
    assert err.line == 2 and "too many shapes" in err.what


def test_not_an_svg_and_no_size():
    assert "not an SVG" in refused(b"<html/>").what
    assert "no size" in refused(f"<svg {NS}><path d='M0 0h1'/></svg>".encode()).what


# -- what is drawn --------------------------------------------------------------------------------------------

def test_icon_defaults_inherit_and_current_color_stays_for_the_theme():
    art = parse_svg(svg('<g stroke-width="3"><circle cx="12" cy="12" r="10"/></g>',
                        'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-linecap="round"'))
    (shape,) = art.items
    assert isinstance(shape, Shape)
    assert shape.fill is None and shape.stroke == CURRENT and shape.width == 3 and shape.cap == 1
    red = recolor(art, (1.0, 0.0, 0.0)).items[0]
    assert isinstance(red, Shape) and red.stroke == (1.0, 0.0, 0.0)


def test_style_attribute_wins_over_presentation_attributes_and_colours_parse():
    (shape,) = parse_svg(svg('<rect width="4" height="4" fill="red" style="fill: #00FF00 ; stroke:rgb(0,0,255)"/>'
                             )).items
    assert isinstance(shape, Shape) and shape.fill == (0.0, 1.0, 0.0) and shape.stroke == (0.0, 0.0, 1.0)


def test_a_style_sheet_is_applied_by_specificity_before_the_style_attribute():
    art = parse_svg(svg('<style><![CDATA[ /* Illustrator */ .st0{fill:#E4572E;} path{fill:blue;stroke:red}\n'
                        '#x.st0{stroke:#00FF00} ]]></style>'
                        '<path class="st0" d="M0 0h4v4z"/><path id="x" class="st0" d="M0 0h4v4z"/>'
                        '<path class="st0" style="fill:black" d="M0 0h4v4z"/><rect width="2" height="2"/>'))
    a, b, c, d = art.items
    assert isinstance(a, Shape) and a.fill == (0xE4 / 255, 0x57 / 255, 0x2E / 255) and a.stroke == (1.0, 0.0, 0.0)
    assert isinstance(b, Shape) and b.stroke == (0.0, 1.0, 0.0)
    assert isinstance(c, Shape) and c.fill == (0.0, 0.0, 0.0)
    assert isinstance(d, Shape) and d.fill == (0.0, 0.0, 0.0) and d.stroke is None  # path{} is not rect


def test_opacity_is_recorded_as_transparency_with_its_line():
    art = parse_svg(svg('<rect width="4" height="4"/>\n<g opacity="0.5"><rect width="4" height="4" '
                        'fill-opacity="0.5"/></g>'))
    assert art.transparency == 3
    assert isinstance(art.items[1], Shape) and art.items[1].fill_alpha == pytest.approx(0.25)
    assert parse_svg(svg('<rect width="4" height="4" opacity="0"/>')).items == ()


def test_hidden_and_definitions_are_not_drawn():
    art = parse_svg(svg('<defs><path id="p" d="M0 0h4v4z"/><linearGradient id="g"/></defs>'
                        '<path d="M0 0h1" display="none"/><use href="#p" x="2" y="3"/>'))
    (shape,) = art.items
    assert isinstance(shape, Shape) and shape.matrix == (1, 0, 0, 1, 2, 3)


def test_symbol_viewbox_is_fitted_in_the_use():
    art = parse_svg(svg('<symbol id="s" viewBox="0 0 10 10"><rect width="10" height="10"/></symbol>'
                        '<use href="#s" width="20" height="40"/>'))
    (shape,) = art.items
    assert isinstance(shape, Shape) and shape.matrix == (2, 0, 0, 2, 0, 10)


def test_path_commands_become_absolute_moves_lines_and_cubics():
    codes, coords = parse_path("m1 1 2 0 0 2h-2z m5 5 l1-1 q1 1 2 0 t2 0 c0 1 1 1 1 0 s1-1 1 0 V9 H1")
    assert codes == "MLLLZMLCCCCLL"
    assert coords[:8] == (1, 1, 3, 1, 3, 3, 1, 3)
    assert coords[8:12] == (6, 6, 7, 5)  # the second move is relative to the first subpath's start
    assert coords[-4:] == (13, 9, 1, 9)


def test_arcs_are_on_the_ellipse():
    segs = arc_to_cubics(0, 0, 5, 5, 0, False, True, 10, 0)  # a half circle around (5, 0), in 2 quarters
    assert len(segs) == 2
    start = (0.0, 0.0)
    for seg in segs:
        assert seg is not None
        x1, y1, x2, y2, x3, y3 = seg
        mid = ((start[0] + 3 * x1 + 3 * x2 + x3) / 8, (start[1] + 3 * y1 + 3 * y2 + y3) / 8)
        assert math.hypot(x3 - 5, y3) == pytest.approx(5)
        assert math.hypot(mid[0] - 5, mid[1]) == pytest.approx(5, rel=1e-3)  # the curve's middle too
        start = (x3, y3)
    assert segs[0] is not None and segs[0][5] == pytest.approx(-5)  # sweep 1: angles grow, through y = -5
    assert parse_path("M0 0 A5 5 0 0 1 10 0")[1][-2:] == (10, 0)


def test_compact_arc_flags():
    assert parse_path("M0 0a5 5 0 0110 0")[0] == parse_path("M0 0 a5,5 0 0 1 10,0")[0]


def test_transforms_compose():
    m = parse_transform("translate(10 20) rotate(90) scale(2, 3)")
    a, b, c, d, e, f = m
    assert (a * 1 + e, b * 1 + f) == pytest.approx((10, 22))  # (1, 0) -> scaled (2, 0) -> turned (0, 2)
    assert (c + e, d + f) == pytest.approx((7, 20))


def test_embedded_bitmap_stays_a_bitmap():
    buf = io.BytesIO()
    Image.new("RGB", (8, 4), (255, 0, 0)).save(buf, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    art = parse_svg(svg(f'<rect width="24" height="24" fill="#00f"/><image href="{uri}" x="2" y="2" width="8"/>'))
    shape, bitmap = art.items
    assert isinstance(shape, Shape) and isinstance(bitmap, Bitmap)
    assert (bitmap.w, bitmap.h) == (8, 4) and bitmap.data == buf.getvalue()


# -- the pinned icon set --------------------------------------------------------------------------------------

def test_the_pinned_set_has_over_a_thousand_icons_that_all_parse():
    assert icon_set() == ("lucide", "1.62.0", "ISC")
    all_names = names()
    assert len(all_names) > 1000
    for name in all_names[::50]:
        art = icon_art(name)
        assert art.view == (0, 0, 24, 24) and art.items and art.uses_current


def test_aliases_suggestions_and_search():
    assert canonical("Rocket") == "rocket"
    assert canonical("alert-triangle") == "triangle-alert"  # an old name keeps working
    assert canonical("rokcet") is None
    assert "'rocket'" in suggestion("rokcet")
    found = search("heart")
    assert ("heart", True) in found
    assert any(not by_name for _, by_name in search("love"))
