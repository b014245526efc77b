"""A text element of a card side: typography, fitting (design/text.py), the lines drawn. Pure."""

from __future__ import annotations

from typing import Any

from deckgen.design.flow import Box, nothing, text_extent
from deckgen.design.glyphs import glyph_problem
from deckgen.design.inline_icons import line_ops, measure_with_icons, restore_colons, with_icons, without_icons
from deckgen.design.kept import Kept
from deckgen.design.ops import ASCENT, BLACK, RGB, Metrics, Run, Style
from deckgen.design.side import FitNote, Issue, SideArgs, SideLayout, card_field, resolve_color
from deckgen.design.templates import fill_template
from deckgen.design.text import Fit, Keep, Measure, ellipsise, fit_text, narrow_spaces, spaced
from deckgen.design.theme_model import Element
from deckgen.design.typography import hyphenator, parse_inline, typography
from deckgen.units import parse_length

_TEXTS: Kept[SideLayout] = Kept(256)  # each text laid out: a family name or a deck title repeats on every card


def text_element(out: SideLayout, name: str, el: Element, box: Box, s: SideArgs, cap: float | None = None) -> None:
    """A text element, laid out once per distinct text: a family name or a deck title repeats on every card."""
    out.extents[name] = nothing(box)  # until its lines are laid out
    raw = fill_template(el.text or "", s.ctx).strip()
    if not raw:
        return
    color = resolve_color(el.color, s.colors, s.ctx) or BLACK
    if cap is not None and cap >= parse_length(el.size) - 1e-9:
        cap = None  # no smaller than its own size: the same text as without a cap
    keep = _keep(name, s)
    key = (id(s.metrics), name, id(el), box, raw, color, s.lang, s.allow_overflow, cap, keep)
    part = _TEXTS.get(key, (s.metrics, el), lambda: _laid_text(name, el, box, raw, color, s, cap, keep))
    out.ops.extend(part.ops)
    out.issues.extend(part.issues)
    out.fits.extend(part.fits)
    out.extents.update(part.extents)


_WIDTHS: dict[tuple[int, str], tuple[Metrics, dict[Any, float]]] = {}


def _unit_widths(metrics: Metrics, font: str) -> dict[Any, float]:
    """Widths at size 1 of the words already measured in this font: words recur from card to card."""
    hit = _WIDTHS.get((id(metrics), font))
    if hit is None or hit[0] is not metrics or len(hit[1]) > 100_000:
        if len(_WIDTHS) > 16:
            _WIDTHS.clear()
        hit = _WIDTHS[(id(metrics), font)] = (metrics, {})
    return hit[1]


# The texts of the last 1,024 text elements laid out. Within a build each text is fitted about once (the sizing
# pass lays the cards out in full: pipeline/sizes.py), so what repeats is a family name or a deck title, which
# stays. 8,192 entries held 21 MB more at 5,000 cards; the price of 1,024: `watch` on a deck of more than about
# 250 cards fits every text again on each save, as a first build does.
_FITS: Kept[Fit] = Kept(1024)
_RUNS: Kept[tuple[tuple[Run, ...], tuple[str, str] | None]] = Kept(1024)


def _runs(raw: str, el: Element, lang: str, metrics: Metrics) -> tuple[tuple[Run, ...], tuple[str, str] | None]:
    """A text's runs as drawn (typography, inline styles, capitals, spaces the font has), and its glyph problem."""
    text = restore_colons(typography(with_icons(raw), lang))
    runs = tuple(narrow_spaces(parse_inline(text.upper() if el.uppercase else text, base=el.style), el.font, metrics))
    return runs, glyph_problem([Run(without_icons(r.text)[0], r.style) for r in runs], el.font, metrics)


def _laid_text(name: str, el: Element, box: Box, raw: str, color: RGB, s: SideArgs, cap: float | None,
               keep: Keep) -> SideLayout:
    laid = SideLayout()
    _text_block(laid, name, el, box, raw, color, s, cap, keep)
    return laid


def _text_block(out: SideLayout, name: str, el: Element, box: Box, raw: str, color: RGB, s: SideArgs,
                cap: float | None, keep: Keep) -> None:
    field_name, metrics, lang = card_field(el), s.metrics, s.lang
    runs, glyphs = _RUNS.get((id(metrics), raw, lang, el.uppercase, el.style, el.font), (metrics,),
                             lambda: _runs(raw, el, lang, metrics))
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
    fit = _FITS.get((id(metrics), id(el), box, raw, lang, size, keep), (metrics, el), lambda: fit_text(
        runs, box.w, box.h, size, min_size, measure, line_height=el.line_height, max_lines=el.max_lines,
        hyphenate=hyphenator(lang) if el.hyphenate else None, widths=_unit_widths(metrics, el.font), lang=lang,
        justify=el.align == "justify", last_resort=hyphenator(lang), keep=keep))
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
    if fit.count is None:  # not counted: nothing is drawn, nothing follows it
        return
    top = _top(el, box, fit.count, fit.leading)
    out.extents[name] = text_extent(top, fit.count, fit.leading)  # what `below: NAME` follows
    if keep == "lines":
        _draw_lines(out, el, box, top, fit, measure, font_measure, color)


def _keep(name: str, s: SideArgs) -> Keep:
    """What a text's fit needs: its lines when they become drawing operations (not when only sizes are asked, nor
    when checking, unless a press check looks at the text's colour on its band); else how many there are when an
    element is placed `below:` or `above:` it; else only its size."""
    if not s.sizes_only and (s.draw or s.press):
        return "lines"
    return "count" if any(e is not None and name in (e.below, e.above) for e in s.elements.values()) else "size"


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
    return (f"{fit.count} lines at the minimum {min_size:g}pt, room for {room}",
            "shorten it, or lower min_size in the theme (--allow-overflow cuts it)")


def _top(el: Element, box: Box, count: int, leading: float) -> float:
    """Where the first line of a fitted text (`count` lines) starts, by the element's vertical alignment."""
    block = count * leading
    top = box.y + box.h
    if el.valign == "middle":
        top -= (box.h - block) / 2
    elif el.valign == "bottom":
        top -= box.h - block
    return top


def _draw_lines(out: SideLayout, el: Element, box: Box, top: float, fit: Fit, measure: Measure,
                font_measure: Measure, color: RGB) -> None:
    for i, line in enumerate(fit.lines):
        baseline = top - i * fit.leading - (fit.leading - fit.size) / 2 - ASCENT * fit.size
        x = box.x
        if el.align == "center":
            x += (box.w - line.width) / 2
        elif el.align == "right":
            x += box.w - line.width
        for dx, runs in spaced(line, measure, fit.size):
            out.ops.extend(line_ops(x + dx, baseline, runs, el.font, fit.size, color, font_measure))
