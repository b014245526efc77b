"""Card + theme -> drawing operations in card coordinates (points, origin at the card's bottom-left). Pure."""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from deckgen.deck.icons import canonical, icon_art, suggestion
from deckgen.deck.model import HEX_COLOR, qr_too_long
from deckgen.deck.svg.parse import recolor
from deckgen.design.color import hex_rgb, rgb_to_cmyk, text_on
from deckgen.design.colorscience import readable
from deckgen.design.glyphs import glyph_problem
from deckgen.design.inline_icons import line_ops, measure_with_icons, restore_colons, with_icons, without_icons
from deckgen.design.ops import (
    ASCENT,
    BLACK,
    RGB,
    WHITE,
    ArtOp,
    ImageOp,
    LineOp,
    Metrics,
    Op,
    QrOp,
    RectOp,
    Run,
    Style,
)
from deckgen.design.qrsize import module_warning
from deckgen.design.reversed_text import MIN_REVERSED_SIZE, reversed_text
from deckgen.design.templates import TemplateError, fill_template, lookup, template_fields
from deckgen.design.text import Fit, Measure, ellipsise, fit_text, narrow_spaces, spaced
from deckgen.design.theme_model import Element
from deckgen.design.typography import hyphenator, parse_inline, typography
from deckgen.qr import qr_modules, qr_rects
from deckgen.units import MM, parse_length


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with one element of one card side; `field` is the card field it shows, if any."""

    element: str
    field: str | None
    what: str
    hint: str | None = None
    warning: bool = False


@dataclass(frozen=True, slots=True)
class FitNote:
    element: str
    field: str | None
    size: float
    min_size: float
    fits: bool
    ellipsised: bool
    nominal: float = 0.0  # the element's size: the text was shrunk when size < nominal
    hyphenated: str | None = None  # a word too wide for the box, hyphenated as a last resort


@dataclass
class SideLayout:
    ops: list[Op] | Sequence[Op] = field(default_factory=list)  # a list while laid out; then maybe packed
    issues: list[Issue] = field(default_factory=list)
    fits: list[FitNote] = field(default_factory=list)


def resolve_color(spec: str | None, colors: Mapping[str, str], ctx: Mapping[str, Any]) -> RGB | None:
    """"#hex", a theme colour name, a {template}, "none", "contrast(X)": black or white against X, or
    "readable(X)": X darkened just enough to reach 3:1 against the paper (thin marks and outlines)."""
    if spec is None or spec.strip().lower() in ("", "none"):
        return None
    spec = spec.strip()
    m = re.fullmatch(r"(contrast|readable)\((.+)\)", spec)
    if m:
        base = resolve_color(m.group(2), colors, ctx)
        if m.group(1) == "contrast":
            return text_on(base if base is not None else WHITE)
        paper = resolve_color(colors["paper"], colors, ctx) if "paper" in colors else None
        return None if base is None else readable(base, paper or WHITE)
    if "{" in spec or "}" in spec:
        filled = fill_template(spec, ctx).strip()
        if "{" in filled or "}" in filled:  # "{{…}}": braces left, never a colour (and no endless recursion)
            raise KeyError(f"colour {spec!r}")
        return resolve_color(filled, colors, ctx)
    if HEX_COLOR.match(spec):
        return hex_rgb(spec)
    if spec in colors:
        return resolve_color(colors[spec], {}, ctx)
    raise KeyError(f"colour {spec!r}")


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # bottom, in card coordinates
    w: float
    h: float


@lru_cache(maxsize=256)
def element_box(el: Element, card_w: float, card_h: float) -> Box:
    x = parse_length(el.x, card_w)
    top = parse_length(el.y, card_h)
    w = parse_length(el.w, card_w)
    h = parse_length(el.h, card_h)
    return Box(x, card_h - top - h, w, h)


def card_field(el: Element) -> str | None:
    """The card field an element shows, for messages: the first {field} of its template."""
    template = {"text": el.text, "qr": el.data, "icon": el.icon}.get(el.type, el.src)
    names = template_fields(template or "")
    return names[0] if names else None


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
    side = _Side(elements, ctx, card_w, card_h, colors, metrics, lang, bleed, allow_overflow, draw, press,
                 size_caps or {}, sizes_only)
    for name, el in elements.items():
        if el is None or (sizes_only and el.type != "text"):
            continue
        try:
            if el.when and not lookup(ctx, el.when):
                continue
            _element(out, name, el, side)
        except TemplateError as exc:
            out.issues.append(Issue(name, None, exc.what, exc.hint))
        except KeyError as exc:
            what = str(exc.args[0]) if exc.args else "field"
            out.issues.append(Issue(name, None, f"unknown {what}" if what.startswith("colour") else
                                    f"unknown field {{{what}}}", "check the theme's templates and colours"))
    return out


@dataclass(frozen=True)
class _Side:
    """What laying out the elements of one card side reads (layout_side's arguments)."""

    elements: Mapping[str, Element | None]
    ctx: Mapping[str, Any]
    card_w: float
    card_h: float
    colors: Mapping[str, str]
    metrics: Metrics
    lang: str
    bleed: float
    allow_overflow: bool
    draw: bool
    press: bool
    size_caps: Mapping[str, float]
    sizes_only: bool


def _element(out: SideLayout, name: str, el: Element, s: _Side) -> None:
    box = element_box(el, s.card_w, s.card_h)
    if el.type == "rect":
        _rect(out, el, box, s.ctx, s.colors, s.card_w, s.card_h, s.bleed)
    elif el.type == "line":
        color = resolve_color(el.stroke or "ink", s.colors, s.ctx)
        if color is not None:
            out.ops.append(LineOp(box.x, box.y + box.h, box.x + box.w, box.y, color, parse_length(el.stroke_width)))
    elif el.type == "text":
        before = len(out.ops)
        _text(out, name, el, box, s, s.size_caps.get(name))
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


_TEXT_CACHE: OrderedDict[tuple[Any, ...], tuple[Metrics, SideLayout]] = OrderedDict()
_TEXT_CACHE_SIZE = 256


def _text(out: SideLayout, name: str, el: Element, box: Box, s: _Side, cap: float | None = None) -> None:
    """A text element, laid out once per distinct text: a family name or a deck title repeats on every card."""
    raw = fill_template(el.text or "", s.ctx).strip()
    if not raw:
        return
    color = resolve_color(el.color, s.colors, s.ctx) or BLACK
    if cap is not None and cap >= parse_length(el.size) - 1e-9:
        cap = None  # no smaller than its own size: the same text as without a cap
    key = (id(s.metrics), name, el, box, raw, color, s.lang, s.allow_overflow, cap, s.sizes_only)
    hit = _TEXT_CACHE.get(key)
    if hit is not None and hit[0] is s.metrics:
        _TEXT_CACHE.move_to_end(key)
    else:
        hit = _TEXT_CACHE[key] = (s.metrics, SideLayout())
        _text_block(hit[1], name, el, box, raw, color, s, cap)
        if len(_TEXT_CACHE) > _TEXT_CACHE_SIZE:
            _TEXT_CACHE.popitem(last=False)
    part = hit[1]
    out.ops.extend(part.ops)
    out.issues.extend(part.issues)
    out.fits.extend(part.fits)


_WIDTHS: dict[tuple[int, str], tuple[Metrics, dict[Any, float]]] = {}


def _unit_widths(metrics: Metrics, font: str) -> dict[Any, float]:
    """Widths at size 1 of the words already measured in this font: words recur from card to card."""
    hit = _WIDTHS.get((id(metrics), font))
    if hit is None or hit[0] is not metrics or len(hit[1]) > 100_000:
        if len(_WIDTHS) > 16:
            _WIDTHS.clear()
        hit = _WIDTHS[(id(metrics), font)] = (metrics, {})
    return hit[1]


def _text_block(out: SideLayout, name: str, el: Element, box: Box, raw: str, color: RGB, s: _Side,
                cap: float | None) -> None:
    field_name, metrics, lang = card_field(el), s.metrics, s.lang
    text = restore_colons(typography(with_icons(raw), lang))
    runs = narrow_spaces(parse_inline(text.upper() if el.uppercase else text, base=el.style), el.font, metrics)
    glyphs = glyph_problem([Run(without_icons(r.text)[0], r.style) for r in runs], el.font, metrics)
    if glyphs:
        out.issues.append(Issue(name, field_name, *glyphs))
        return
    nominal = parse_length(el.size)
    min_size = parse_length(el.min_size) if el.min_size is not None else nominal
    if min(nominal, min_size) <= 0:
        out.issues.append(Issue(name, None, "size and min_size must be above 0", "write e.g. size: 9pt"))
        return
    size = nominal if cap is None else max(min(nominal, cap), min(min_size, nominal))

    def font_measure(text: str, style: Style, sz: float) -> float:
        return metrics.width(text, el.font, style, sz)

    measure = measure_with_icons(font_measure)
    fit: Fit = fit_text(runs, box.w, box.h, size, min_size, measure, line_height=el.line_height,
                        max_lines=el.max_lines, hyphenate=hyphenator(lang) if el.hyphenate else None,
                        widths=_unit_widths(metrics, el.font), lang=lang, justify=el.align == "justify",
                        last_resort=hyphenator(lang))
    if fit.hyphenated is not None:
        out.issues.append(Issue(name, field_name, f"the word {_short(fit.hyphenated)} is wider than the box even at "
                                f"the minimum {min_size:g}pt: hyphenated", warning=True))
    if not fit.fits:
        why, hint = _why(fit, el, box, min_size)
        if s.allow_overflow or el.overflow == "ellipsis":
            fit = ellipsise(fit, box.w, box.h, measure, max_lines=el.max_lines)
            out.issues.append(Issue(name, field_name, f"text cut short: {why.replace('the minimum ', '')}",
                                    warning=True))
        else:
            out.issues.append(Issue(name, field_name, f"text does not fit: {why}", hint))
            return
    out.fits.append(FitNote(name, field_name, fit.size, min_size, fit.fits, fit.ellipsised, nominal,
                            fit.hyphenated))
    if not s.sizes_only:
        _draw_lines(out, el, box, fit, measure, font_measure, color)


def _short(word: str) -> str:
    return repr(word if len(word) <= 30 else word[:29] + "…")


def _why(fit: Fit, el: Element, box: Box, min_size: float) -> tuple[str, str]:
    """Why a text does not fit its box, and a hint."""
    room = max(0, int((box.h + 1e-6) // (min_size * el.line_height)))
    if el.max_lines:
        room = min(room, el.max_lines)
    if fit.too_wide is not None:  # not a matter of lines: one word is wider than the box
        return (f"the word {_short(fit.too_wide)} ({len(fit.too_wide)} characters) is wider than the box, even at "
                f"the minimum {min_size:g}pt", "shorten the word, or break it with a space or a hyphen")
    return (f"{len(fit.lines)} lines at the minimum {min_size:g}pt, room for {room}",
            "shorten it, or lower min_size in the theme (--allow-overflow cuts it)")


def _draw_lines(out: SideLayout, el: Element, box: Box, fit: Fit, measure: Measure, font_measure: Measure,
                color: RGB) -> None:
    block = len(fit.lines) * fit.leading
    top = box.y + box.h
    if el.valign == "middle":
        top -= (box.h - block) / 2
    elif el.valign == "bottom":
        top -= box.h - block
    for i, line in enumerate(fit.lines):
        baseline = top - i * fit.leading - (fit.leading - fit.size) / 2 - ASCENT * fit.size
        x = box.x
        if el.align == "center":
            x += (box.w - line.width) / 2
        elif el.align == "right":
            x += box.w - line.width
        for dx, runs in spaced(line, measure, fit.size):
            out.ops.extend(line_ops(x + dx, baseline, runs, el.font, fit.size, color, font_measure))


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


def _qr(out: SideLayout, name: str, el: Element, box: Box, ctx: Mapping[str, Any], colors: Mapping[str, str],
        draw: bool = True) -> None:
    data = fill_template(el.data, ctx).strip()
    if not data:
        return
    refused = qr_data_problem(data)
    if refused is not None:
        out.issues.append(Issue(name, card_field(el), refused, "check the field the QR element's data names"))
        return
    try:
        n, rects = qr_rects(data, el.ec) if draw else (qr_modules(data, el.ec), b"")
    except ValueError:  # longer than a version-40 code holds
        out.issues.append(Issue(name, card_field(el), qr_too_long(data), "use a shorter link"))
        return
    side = min(box.w, box.h)
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
