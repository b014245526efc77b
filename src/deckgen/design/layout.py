"""Card + theme -> drawing operations in card coordinates (points, origin at the card's bottom-left). Pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from deckgen.deck.icons import canonical, icon_art, suggestion
from deckgen.deck.model import qr_too_long
from deckgen.deck.svg.parse import recolor
from deckgen.design.color import rgb_to_cmyk
from deckgen.design.flow import Box, drawn, flowed, moved, nothing
from deckgen.design.ops import (
    BLACK,
    ArtOp,
    ImageOp,
    LineOp,
    Metrics,
    Op,
    QrOp,
    RectOp,
)
from deckgen.design.qrsize import MIN_MODULE_MM, module_warning, modules_at_most
from deckgen.design.reversed_text import MIN_REVERSED_SIZE, reversed_text
from deckgen.design.side import Issue, SideArgs, SideLayout, card_field, element_box, resolve_color
from deckgen.design.templates import TemplateError, fill_template, lookup
from deckgen.design.text_element import text_element
from deckgen.design.theme_model import Element
from deckgen.qr import qr_modules, qr_rects
from deckgen.units import MM, parse_length


def outside_safe(elements: Mapping[str, Element | None], card_w: float, card_h: float, safe: float) -> list[str]:
    """The text and QR elements whose box reaches into the `safe` margin (the QR's quiet zone may)."""
    eps = 0.01
    out = []
    for name, el in elements.items():
        if el is None or el.type not in ("text", "qr"):
            continue
        b = element_box(el, card_w, card_h)
        if b.x < safe - eps or b.y < safe - eps or b.x + b.w > card_w - safe + eps or b.y + b.h > card_h - safe + eps:
            out.append(name)
    return out


def layout_side(
    elements: Mapping[str, Element | None],
    ctx: Mapping[str, Any],
    *,
    card_w: float,
    card_h: float,
    colors: Mapping[str, str],
    metrics: Metrics,
    lang: str,
    bleed: float = 0.0,
    allow_overflow: bool = False,
    draw: bool = True,
    press: bool = False,
    size_caps: Mapping[str, float] | None = None,
    sizes_only: bool = False,
) -> SideLayout:
    """The drawing ops and issues of one card side; `press`: also warn about small reversed text. `draw=False`
    is for checking: QR codes are sized and checked but not encoded (their QrOp has no rectangles).
    `size_caps`: the largest size of some text elements, by name (one size per element across a deck);
    `sizes_only`: only the sizes the texts fit at (`fits`), no line set and nothing drawn."""
    out = SideLayout()
    side = SideArgs(elements, ctx, card_w, card_h, colors, metrics, lang, bleed, allow_overflow, draw, press,
                    size_caps or {}, sizes_only)
    for name, el in elements.items():
        if el is None:
            continue
        box = _flowed_box(el, out, card_w, card_h)
        out.extents[name] = nothing(box)
        try:
            if el.when and not lookup(ctx, el.when):
                continue
            out.extents[name] = drawn(box)  # a text then says what it drew
            if not sizes_only or el.type == "text":  # sizing: only the texts, each where the flow puts it
                _element(out, name, el, box, side)
        except TemplateError as exc:
            out.issues.append(Issue(name, None, exc.what, exc.hint))
        except KeyError as exc:
            what = str(exc.args[0]) if exc.args else "field"
            out.issues.append(Issue(name, None, f"unknown {what}" if what.startswith("colour") else
                                    f"unknown field {{{what}}}", "check the theme's templates and colours"))
    return out


def _flowed_box(el: Element, out: SideLayout, card_w: float, card_h: float) -> Box:
    """The element's box, moved by `below:`/`above:` after what the side drew so far: a text box stretches,
    anything else moves whole."""
    box = element_box(el, card_w, card_h)
    if el.below is None and el.above is None:
        return box
    follow = flowed if el.type == "text" else moved
    return follow(box, out.extents, el.below, el.above, parse_length(el.gap, card_h))


def _element(out: SideLayout, name: str, el: Element, box: Box, s: SideArgs) -> None:
    if el.type == "rect":
        _rect(out, el, box, s.ctx, s.colors, s.card_w, s.card_h, s.bleed)
    elif el.type == "line":
        color = resolve_color(el.stroke or "ink", s.colors, s.ctx)
        if color is not None:
            out.ops.append(LineOp(box.x, box.y + box.h, box.x + box.w, box.y, color, parse_length(el.stroke_width)))
    elif el.type == "text":
        before = len(out.ops)
        text_element(out, name, el, box, s, s.size_caps.get(name))
        _reversed(out, name, el, before, s.press)
    elif el.type == "qr":
        before = len(out.ops)
        _qr(out, name, el, box, s.ctx, s.colors, s.draw)
        if len(out.ops) - before == 2:  # a quiet zone, then the code
            _quiet_zone_covers(out, name, out.ops[before], s.elements, s.card_w, s.card_h)
    elif el.type in ("image", "icon"):
        _picture(out, name, el, box, s.ctx, s.colors)


def _picture(out: SideLayout, name: str, el: Element, box: Box, ctx: Mapping[str, Any],
             colors: Mapping[str, str]) -> None:
    """An image (a file the pipeline checks and reads), or an icon by name, centred in its box, in the element's
    colour; "{icon}|{family.icon}": the first icon given."""
    if el.type == "image":
        path = fill_template(el.src or "", ctx).strip()
        if path:
            out.ops.append(ImageOp(path, box.x, box.y, box.w, box.h, el.fit, card_field(el),
                                   resolve_color(el.color, colors, ctx)))
        return
    icon = next((part.strip() for part in fill_template(el.icon or "", ctx).split("|") if part.strip()), "")
    if not icon:
        return
    key = canonical(icon)
    if key is None:  # a deck's icon names are checked with the deck: this one is the theme's
        out.issues.append(Issue(name, None, f"unknown icon {icon!r}", suggestion(icon)))
        return
    color = resolve_color(el.color, colors, ctx) or BLACK
    out.ops.append(ArtOp(recolor(icon_art(key), color), box.x, box.y, box.w, box.h, "contain", f"icon:{key}"))


def _reversed(out: SideLayout, name: str, el: Element, before: int, press: bool) -> None:
    """For a press (`press`), a warning about the theme (once, whatever the card) when the text just laid out is
    small white type on a band of more than one ink."""
    if not press:
        return
    bands: list[Op] = [op for op in out.ops[:before] if isinstance(op, RectOp)]
    found = reversed_text(bands + list(out.ops[before:]), rgb_to_cmyk)
    if found:
        out.issues.append(Issue(name, None, f"white text of {found[0][0].size:g} pt on a band printed with more "
                                "than one ink: on press, plates a hair apart show coloured fringes in letters under "
                                f"{MIN_REVERSED_SIZE:g} pt", f"use {MIN_REVERSED_SIZE:g} pt or more on colour bands, "
                                "or a one-ink band", warning=True))


def _quiet_zone_covers(out: SideLayout, name: str, quiet: Op, elements: Mapping[str, Element | None],
                       card_w: float, card_h: float) -> None:
    """A warning for each text box on this side that the QR code's light quiet zone overlaps: it may paint
    over the text (or the text, drawn later, may spoil the quiet zone a phone needs)."""
    assert isinstance(quiet, RectOp)
    for other, el in elements.items():
        if el is None or el.type != "text":
            continue
        b = element_box(el, card_w, card_h)
        if (min(quiet.x + quiet.w, b.x + b.w) - max(quiet.x, b.x) > 0.01
                and min(quiet.y + quiet.h, b.y + b.h) - max(quiet.y, b.y) > 0.01):
            out.issues.append(Issue(name, None, f"the QR code's quiet zone (the light margin of 4 modules around "
                                    f"it) overlaps the box of text element '{other}'",
                                    "move them apart or make the QR code smaller", warning=True))


def _rect(out: SideLayout, el: Element, box: Box, ctx: Mapping[str, Any], colors: Mapping[str, str],
          card_w: float, card_h: float, bleed: float) -> None:
    fill = resolve_color(el.fill, colors, ctx)
    stroke = resolve_color(el.stroke, colors, ctx)
    if fill is None and stroke is None:
        return
    x0, y0, x1, y1 = box.x, box.y, box.x + box.w, box.y + box.h
    if el.bleed and bleed > 0:
        eps = 0.01
        x0 = x0 - bleed if x0 <= eps else x0
        y0 = y0 - bleed if y0 <= eps else y0
        x1 = x1 + bleed if x1 >= card_w - eps else x1
        y1 = y1 + bleed if y1 >= card_h - eps else y1
    out.ops.append(RectOp(x0, y0, x1 - x0, y1 - y0, fill, stroke,
                          parse_length(el.stroke_width) if stroke else 0.0, parse_length(el.radius)))

_URI = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):(?!\s)")  # "javascript:…", not "Note: …"


def qr_data_problem(data: str) -> str | None:
    """Why a QR code may not hold `data` (whatever field it comes from), or None: a phone acts on what it
    scans, so only http(s) addresses and plain text, without control characters."""
    if any(unicodedata.category(c) == "Cc" for c in data):
        return f"QR data holds a control character (a tab, a line break…): {data[:60]!r}"
    m = _URI.match(data)
    if m and m.group(1).lower() not in ("http", "https"):
        return f"a QR code may hold only an http(s) address or plain text, not a {m.group(1)}: URL"
    return None


def _modules(data: str, el: Element, side: float) -> int:
    """Checking (nothing drawn): a bound on the code's modules when even that many print big enough (no problem
    nor warning to find), else their exact number."""
    bound = modules_at_most(data, el.ec)
    if bound is not None and side / bound >= max(parse_length(el.min_module), MIN_MODULE_MM * MM) - 1e-9:
        return bound
    return qr_modules(data, el.ec)


def _qr(out: SideLayout, name: str, el: Element, box: Box, ctx: Mapping[str, Any], colors: Mapping[str, str],
        draw: bool = True) -> None:
    data = fill_template(el.data, ctx).strip()
    if not data:
        return
    refused = qr_data_problem(data)
    if refused is not None:
        out.issues.append(Issue(name, card_field(el), refused, "check the field the QR element's data names"))
        return
    side = min(box.w, box.h)
    try:
        n, rects = qr_rects(data, el.ec) if draw else (_modules(data, el, side), b"")
    except ValueError:  # longer than a version-40 code holds
        out.issues.append(Issue(name, card_field(el), qr_too_long(data), "use a shorter link"))
        return
    module = side / n
    min_module = parse_length(el.min_module)
    if module < min_module - 1e-9:
        out.issues.append(Issue(name, card_field(el), f"QR code too dense: {n} modules in {side / MM:.1f} mm make "
                                f"{module / MM:.2f} mm modules, below {min_module / MM:.2f} mm",
                                "shorten the URL or make the QR element larger"))
        return
    weak = module_warning(data, side / MM, el.ec, n=n)
    if weak is not None:
        out.issues.append(Issue(name, card_field(el), weak, warning=True))
    x = box.x + (box.w - side) / 2
    y = box.y + (box.h - side) / 2
    light = resolve_color(el.light or "paper", {**colors, "paper": colors.get("paper", "#FFFFFF")}, ctx)
    if light is not None:
        quiet = 4 * module
        out.ops.append(RectOp(x - quiet, y - quiet, side + 2 * quiet, side + 2 * quiet, light))
    dark = resolve_color(el.dark, colors, ctx) or BLACK
    out.ops.append(QrOp(x, y, module, n, rects, dark, data))
