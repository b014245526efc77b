"""Text layout for card text boxes: composed lines (design/compose.py), shrink-to-fit, ellipsis.

Pure module: fonts are measured by a ``Measure`` function passed in, widths are assumed additive
(the width of a line is the sum of the widths of its pieces, as with reportlab's ``stringWidth``).
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from deckgen.design.compose import (
    BOX,
    GLUE,
    PENALTY,
    TOLERANCE,
    Paragraph,
    Piece,
    compose,
    fewest_lines,
    line_items,
)
from deckgen.design.ops import Metrics, Run, Style
from deckgen.design.paragraphs import Known, paragraphs
from deckgen.design.typography import ELLIPSIS, NBSP, NNBSP, Hyphenate, merge_runs

Measure = Callable[[str, Style, float], float]

_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    spacing: float = 0.0  # a justified line: the width added to (or taken from) each space (width counts it)


@dataclass(frozen=True)
class Fit:
    size: float
    leading: float
    lines: tuple[Line, ...]
    fits: bool
    ellipsised: bool = False
    too_wide: str | None = None  # when it does not fit: a word wider than the box even at the smallest size
    hyphenated: str | None = None  # a word too wide for the box, hyphenated as a last resort
    count: int | None = None  # how many lines: len(lines) when they are set; None when not counted (see Keep)


# What fit_text gives of a text, beyond its size: its lines set (to draw), only how many (for what is placed
# `below:` it, and for a text that does not fit), or nothing more (checking a text nothing follows).
Keep = Literal["lines", "count", "size"]


# --------------------------------------------------------------------------- setting lines

_PARAS: OrderedDict[tuple[Any, ...], list[Paragraph]] = OrderedDict()  # the same text measured again: pass 2
_KNOWN: dict[tuple[Any, ...], tuple[dict[Any, float], Known]] = {}  # words' items, per widths dict and language


def _paragraphs(runs: Sequence[Run], unit: Callable[[str, Style], float], widths: dict[Any, float] | None,
                hyphenate: Hyphenate | None, lang: str) -> list[Paragraph]:
    if widths is None:
        return paragraphs(runs, unit, hyphenate, lang)
    key = (tuple(runs), id(widths), hyphenate, lang)
    hit = _PARAS.get(key)
    if hit is None:
        known = _KNOWN.get(key[1:])
        if known is None or known[0] is not widths:
            if len(_KNOWN) > 16:
                _KNOWN.clear()
            known = _KNOWN[key[1:]] = (widths, Known())
        hit = _PARAS[key] = paragraphs(runs, unit, hyphenate, lang, known=known[1])
        if len(_PARAS) > 256:
            _PARAS.popitem(last=False)
    return hit


def _plan(paras: Sequence[Paragraph], width: float, size: float, cap: int | None, justify: bool,
          strict: bool = False) -> list[list[int] | None] | None:
    """The breaks of every paragraph at `size`, in at most `cap` lines when the fewest lines allow it: the
    composer's, else (no set of breaks keeps to the rules) as full as each line goes, else (a piece wider than the
    box) None: cut where it must be (`_forced`). `strict`: None unless every line is within the composer's
    tolerance (a smaller size may do better)."""
    room = (width + _EPS) / size
    least = [fewest_lines(p, room) for p in paras]
    spare = None if cap is None or None in least else cap - sum(n or 0 for n in least)
    plan: list[list[int] | None] = []
    for p, n in zip(paras, least, strict=True):
        if not p.items:
            plan.append([])  # an empty paragraph: one empty line
            continue
        breaks = _breaks(p, room, justify, None if spare is None or n is None else n + spare, strict)
        if breaks is None and strict:
            return None
        if breaks is None and n is not None:
            breaks = compose(p, room, justify=justify, max_lines=n, max_hyphens=len(p.cand), tolerance=math.inf)
        plan.append(breaks)
    return plan


def _set(paras: Sequence[Paragraph], plan: Sequence[list[int] | None], width: float, size: float, justify: bool,
         unit: Callable[[str, Style], float]) -> list[Line]:
    """The lines of every paragraph, broken as `plan` says."""
    lines: list[Line] = []
    for p, breaks in zip(paras, plan, strict=True):
        if breaks is None:
            lines.extend(_forced(p, width, size, unit))
        elif not breaks:
            lines.append(Line((), 0.0))
        else:
            last = len(breaks) - 1
            lines.extend(_line(pieces, natural * size, width, justify and i < last)
                         for i, (pieces, natural) in enumerate(line_items(p, breaks)))
    return lines


def _count(paras: Sequence[Paragraph], plan: Sequence[list[int] | None], width: float, size: float,
           unit: Callable[[str, Style], float]) -> int:
    """How many lines `_set` makes, without making them (but those cut where they must be, rare)."""
    return sum(len(_forced(p, width, size, unit)) if breaks is None else len(breaks) or 1
               for p, breaks in zip(paras, plan, strict=True))


def _breaks(p: Paragraph, room: float, justify: bool, most: int | None, strict: bool = False) -> list[int] | None:
    """The composer's breaks in at most `most` lines: unbounded first (cheaper), then bounded if need be;
    lines worse than the tolerance only when nothing else can be done (never when `strict`)."""
    for tolerance in (TOLERANCE,) if strict else (TOLERANCE, math.inf):
        breaks = compose(p, room, justify=justify, tolerance=tolerance)
        if breaks is not None and most is not None and len(breaks) > most:
            breaks = compose(p, room, justify=justify, max_lines=most, tolerance=tolerance)
        if breaks is not None:
            return breaks
    return None


def _line(pieces: list[Piece], natural: float, width: float, justified: bool) -> Line:
    runs = tuple(merge_runs(pieces))
    if justified:
        spaces = sum(t.count(" ") for t, _ in pieces)
        if spaces and abs(width - natural) > _EPS:  # spaces stretched, or shrunk
            return Line(runs, width, (width - natural) / spaces)
    return Line(runs, natural)


def _forced(p: Paragraph, width: float, size: float, unit: Callable[[str, Style], float]) -> list[Line]:
    """Best effort when a piece is wider than the box: lines filled greedily, such a piece cut between
    characters (at least one on each line)."""
    lines: list[Line] = []
    cur: list[Piece] = []
    cur_w = 0.0
    pending: list[Piece] = []  # the spaces before the next box
    pend_w = 0.0
    for it in p.items:
        if it.kind == GLUE:
            if cur:
                pending, pend_w = [*pending, *it.pieces], pend_w + it.width * size
            continue
        if it.kind == PENALTY:
            continue
        chars = [(c, s) for t, s in it.pieces for c in t]
        pos = 0
        while pos < len(chars):
            take, w = pos, 0.0
            while take < len(chars) and cur_w + pend_w + w + unit(*chars[take]) * size <= width + _EPS:
                w += unit(*chars[take]) * size
                take += 1
            if take < len(chars) and cur:  # the word goes to the next line
                lines.append(Line(tuple(merge_runs(cur)), cur_w))
                cur, cur_w, pending, pend_w = [], 0.0, [], 0.0
                continue
            if take == pos:  # not even one character fits: one a line
                w, take = unit(*chars[pos]) * size, pos + 1
            cur += pending + chars[pos:take]
            cur_w += pend_w + w
            pending, pend_w = [], 0.0
            pos = take
            if pos < len(chars):
                lines.append(Line(tuple(merge_runs(cur)), cur_w))
                cur, cur_w = [], 0.0
    if cur:
        lines.append(Line(tuple(merge_runs(cur)), cur_w))
    return lines


def _measurer(measure: Measure, size: float, widths: dict[tuple[str, Style, float], float]
              ) -> Callable[[str, Style], float]:
    def mw(text: str, style: Style) -> float:
        key = (text, style, size)
        w = widths.get(key)
        if w is None:
            w = widths[key] = measure(text, style, size)
        return w

    return mw


def wrap(runs: Sequence[Run], width: float, size: float, measure: Measure, hyphenate: Hyphenate | None = None,
         lang: str = "", justify: bool = False) -> list[Line] | None:
    """The composed lines of a text, as many as it takes; None when a piece is wider than ``width``."""
    unit = _measurer(measure, 1.0, {})
    paras = paragraphs(runs, unit, hyphenate, lang)
    if any(fewest_lines(p, (width + _EPS) / size) is None for p in paras):
        return None
    plan = _plan(paras, width, size, None, justify)
    return None if plan is None else _set(paras, plan, width, size, justify, unit)


@dataclass(frozen=True)
class _Box:
    width: float
    height: float
    line_height: float
    max_lines: int | None
    justify: bool

    def room(self, sz: float) -> int:
        """The most lines of size `sz` that the box takes, exactly as the final check counts them."""
        cap = int((self.height + 1e-6) / (sz * self.line_height)) + 1
        while cap > 0 and cap * sz * self.line_height > self.height + 1e-6:
            cap -= 1
        return cap if self.max_lines is None else min(cap, self.max_lines)

    def fits(self, paras: Sequence[Paragraph], sz: float) -> bool:
        """Whether the fewest lines the paragraphs take at size `sz` fit."""
        total, cap = 0, self.room(sz)
        for p in paras:
            k = fewest_lines(p, (self.width + _EPS) / sz)
            if k is None or total + k > cap:
                return False
            total += k
        return True


def fit_text(runs: Sequence[Run], width: float, height: float, size: float, min_size: float,
             measure: Measure, *, line_height: float = 1.2, step: float = 0.25,
             max_lines: int | None = None, hyphenate: Hyphenate | None = None,
             widths: dict[tuple[str, Style, float], float] | None = None, lang: str = "",
             justify: bool = False, last_resort: Hyphenate | None = None, keep: Keep = "lines") -> Fit:
    """The largest size on the grid ``size, size - step, …, min_size`` whose composed text fits the box.

    Widths are measured once, at size 1, and scaled (a font's widths are proportional to its size);
    `widths`, a dict the caller keeps for one font and `measure`, remembers them from one text to the next.
    A size fits when the fewest lines the text takes there fit the box; the composer then sets it in at most
    that many lines. `lang`: its no-break rules; `justify`: justified lines (the last of a paragraph ragged).
    A word too wide for the box even at `min_size` is hyphenated as a last resort (with `hyphenate`, else
    `last_resort`): the Fit names it. `keep`: what the Fit holds beyond the size (see Keep)."""
    unit = _measurer(measure, 1.0, {} if widths is None else widths)
    size, min_size = float(size), float(min(min_size, size))
    n = int((size - min_size) / step + _EPS) if step > 0 else 0
    sizes = [round(size - i * step, 9) for i in range(n + 1)]
    if sizes[-1] > min_size + _EPS:
        sizes.append(min_size)
    box = _Box(width, height, line_height, max_lines, justify)
    fit = _fit(_paragraphs(runs, unit, widths, hyphenate, lang), box, sizes, unit, keep)
    resort = hyphenate or last_resort
    if fit.fits or fit.too_wide is None or resort is None:
        return fit
    forced = _fit(paragraphs(runs, unit, resort, lang, last_resort=True), box, sizes, unit, keep)
    return replace(forced, hyphenated=fit.too_wide) if forced.fits else fit


def _fit(paras: Sequence[Paragraph], box: _Box, sizes: Sequence[float], unit: Callable[[str, Style], float],
         keep: Keep = "lines") -> Fit:
    lo, hi = -1, len(sizes) - 1  # invariant: sizes[lo] does not fit (-1: none tried), sizes[hi] may
    if box.fits(paras, sizes[0]):
        hi = 0
    elif not box.fits(paras, sizes[hi]):
        sz = sizes[-1]
        plan = _plan(paras, box.width, sz, None, box.justify)
        assert plan is not None  # not strict: always some lines
        return _made(paras, plan, box, sz, unit, keep, False, _too_wide(paras, box.width / sz))
    else:
        lo = 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if box.fits(paras, sizes[mid]):
            hi = mid
        else:
            lo = mid
    for k in range(hi, len(sizes)):  # every smaller size fits too: one where the composer keeps its rules
        sz = sizes[k]
        if k == len(sizes) - 1 and keep == "size":
            return Fit(sz, sz * box.line_height, (), True)  # whatever its lines, the smallest size is the one
        plan = _plan(paras, box.width, sz, box.room(sz), box.justify, strict=k < len(sizes) - 1)
        if plan is not None:
            break
    assert plan is not None  # the smallest size is not strict
    return _made(paras, plan, box, sz, unit, keep, True)


def _made(paras: Sequence[Paragraph], plan: Sequence[list[int] | None], box: _Box, sz: float,
          unit: Callable[[str, Style], float], keep: Keep, fits: bool, too_wide: str | None = None) -> Fit:
    """The Fit at size `sz`, its lines set as `plan` says, or only counted."""
    if keep == "lines":
        lines = tuple(_set(paras, plan, box.width, sz, box.justify, unit))
        return Fit(sz, sz * box.line_height, lines, fits, too_wide=too_wide, count=len(lines))
    return Fit(sz, sz * box.line_height, (), fits, too_wide=too_wide, count=_count(paras, plan, box.width, sz, unit))


def _too_wide(paras: Sequence[Paragraph], room: float) -> str | None:
    """The first word with a piece that no line can hold (with its hyphen), or None."""
    for p in paras:
        for i, it in enumerate(p.items):
            if it.kind == BOX:
                after = p.items[i + 1] if i + 1 < len(p.items) else None
                extra = after.width if after is not None and after.kind == PENALTY else 0.0
                if it.width + extra > room + _EPS:
                    return it.word
    return None


def narrow_spaces(runs: Sequence[Run], font: str, metrics: Metrics) -> list[Run]:
    """The runs with U+202F (narrow no-break space) drawn as U+00A0 where the font has no glyph for it."""
    return [Run(r.text.replace(NNBSP, NBSP), r.style) if NNBSP in r.text and metrics.missing(NNBSP, font, r.style)
            else r for r in runs]


def spaced(line: Line, measure: Measure, size: float) -> list[tuple[float, tuple[Run, ...]]]:
    """A line as pieces to draw, each at its offset: one piece, or for a justified line one per word."""
    if not line.spacing:
        return [(0.0, line.runs)] if line.runs else []
    out: list[tuple[float, tuple[Run, ...]]] = []
    x, start = 0.0, 0.0
    word: list[Piece] = []
    for run in line.runs:
        for part in re.split("( )", run.text):
            if part == " ":
                if word:
                    out.append((start, tuple(merge_runs(word))))
                    word = []
                x += measure(" ", run.style, size) + line.spacing
            elif part:
                if not word:
                    start = x
                word.append((part, run.style))
                x += measure(part, run.style, size)
    if word:
        out.append((start, tuple(merge_runs(word))))
    return out


# --------------------------------------------------------------------------- ellipsis

def ellipsise(fit: Fit, width: float, height: float, measure: Measure, max_lines: int | None = None) -> Fit:
    """Keep the lines that fit in ``height`` and end the last one with "…". A fitting ``fit`` is returned as is;
    one whose lines were only counted (see Keep) is cut alike, its lines counted."""
    count = len(fit.lines) if fit.count is None else fit.count
    cap = int((height + 1e-6) / fit.leading) if fit.leading > 0 else count
    if max_lines is not None:
        cap = min(cap, max_lines)
    if count <= cap:
        return fit
    if cap <= 0:
        return Fit(fit.size, fit.leading, (), False, True, count=0)
    if not fit.lines:  # only counted
        return Fit(fit.size, fit.leading, (), True, True, count=cap)
    chars = [(c, run.style) for run in fit.lines[cap - 1].runs for c in run.text]
    mw = _measurer(measure, fit.size, {})

    while True:
        while chars and chars[-1][0] in " \u00a0-,;:–—«(":
            chars.pop()  # no "…" after a space, a hyphen or opening punctuation
        runs = merge_runs([*chars, (ELLIPSIS, chars[-1][1] if chars else "regular")])
        w = sum(mw(r.text, r.style) for r in runs)
        if w <= width + _EPS or not chars:
            break
        cut = max((i for i, (c, _) in enumerate(chars) if c == " "), default=-1)
        chars = chars[:cut] if cut > 0 else chars[:-1]  # drop the last word, else the last character
    last = Line(tuple(runs), w)
    return Fit(fit.size, fit.leading, (*fit.lines[:cap - 1], last), True, True, count=cap)
