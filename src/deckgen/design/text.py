"""Text layout for card text boxes: wrapping (with hyphenation points), shrink-to-fit, ellipsis.

Pure module: fonts are measured by a ``Measure`` function passed in, widths are assumed additive
(the width of a line is the sum of the widths of its pieces, as with reportlab's ``stringWidth``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from deckgen.design.ops import Run, Style
from deckgen.design.typography import ELLIPSIS, LETTER, Hyphenate, merge_runs

Measure = Callable[[str, Style, float], float]

_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Line:
    runs: tuple[Run, ...]
    width: float


@dataclass(frozen=True)
class Fit:
    size: float
    leading: float
    lines: tuple[Line, ...]
    fits: bool
    ellipsised: bool = False
    too_wide: str | None = None  # when it does not fit: a word wider than the box even at the smallest size


# --------------------------------------------------------------------------- wrapping

_Piece = tuple[str, Style]


@dataclass(frozen=True)
class _Frag:
    pieces: tuple[_Piece, ...]
    hyph: bool  # a break after this fragment adds "-"


_URL_LIKE = re.compile(r"[/@]|www\.")
_HYPHEN = re.compile(rf"(?<={LETTER})-(?={LETTER})")
_SPACES = re.compile(r"([ \t]+|\n)")


class _Word:
    """Text between breakable spaces; its break points (pyphen is slow) are found only when it must be split."""

    __slots__ = ("pieces", "_hyphenate", "_frags")

    def __init__(self, pieces: list[_Piece], hyphenate: Hyphenate | None) -> None:
        self.pieces = tuple(pieces)
        self._hyphenate = hyphenate
        self._frags: tuple[_Frag, ...] | None = None

    def frags(self) -> tuple[_Frag, ...]:
        if self._frags is None:
            plain = "".join(t for t, _ in self.pieces)
            points: dict[int, bool] = {}
            if not _URL_LIKE.search(plain):
                points = {m.end(): False for m in _HYPHEN.finditer(plain)}
                for p in self._hyphenate(plain) if self._hyphenate else ():
                    if 0 < p < len(plain) and p not in points and plain[p - 1] != "-":
                        points[p] = True
            cuts = [0, *sorted(points), len(plain)]
            self._frags = tuple(_Frag(_slice(self.pieces, a, b), points.get(b, False)) for a, b in pairwise(cuts))
        return self._frags


_Token = _Word | _Piece | None  # a word, a run of spaces, or a hard line break (None)


def _slice(pieces: Sequence[_Piece], a: int, b: int) -> tuple[_Piece, ...]:
    out, pos = [], 0
    for text, style in pieces:
        part = text[max(a - pos, 0):max(b - pos, 0)]
        if part:
            out.append((part, style))
        pos += len(text)
    return tuple(out)


def _tokenize(runs: Sequence[Run], hyphenate: Hyphenate | None) -> list[_Token]:
    tokens: list[_Token] = []
    word: list[_Piece] = []
    for run in runs:
        for part in _SPACES.split(run.text):
            if part and part[0] in " \t\n":
                if word:
                    tokens.append(_Word(word, hyphenate))
                    word = []
                tokens.append(None if part == "\n" else (" " * len(part), run.style))
            elif part:
                word.append((part, run.style))
    if word:
        tokens.append(_Word(word, hyphenate))
    while tokens and not isinstance(tokens[-1], _Word):
        tokens.pop()  # trailing spaces and newlines (YAML block scalars end with "\n")
    return tokens


class _TooManyLines(Exception):
    pass


def _char_split(frag: _Frag, width: float, mw: Callable[[str, Style], float]) -> tuple[_Frag, _Frag]:
    """Best effort for an overlong piece: the longest prefix (≥ 1 character) that fits in width."""
    n = sum(len(t) for t, _ in frag.pieces)
    k = 1
    while k < n - 1 and sum(mw(t, s) for t, s in _slice(frag.pieces, 0, k + 1)) <= width + _EPS:
        k += 1
    return _Frag(_slice(frag.pieces, 0, k), False), _Frag(_slice(frag.pieces, k, n), frag.hyph)


def _token_widths(tokens: Sequence[_Token], mw: Callable[[str, Style], float]) -> list[float]:
    """The width of each token: a whole word, a run of spaces, or 0 for a line break."""
    return [0.0 if tok is None else sum(mw(t, s) for t, s in tok.pieces) if isinstance(tok, _Word) else mw(*tok)
            for tok in tokens]


def _wrap(tokens: Sequence[_Token], width: float, mw: Callable[[str, Style], float],
          limit: int | None = None, force: bool = False, widths: Sequence[float] | None = None) -> list[Line] | None:
    """Greedy line filling; `widths`, each token's width (as _token_widths), saves measuring whole words again."""
    tw = _token_widths(tokens, mw) if widths is None else widths
    lines: list[Line] = []
    cur: list[_Piece] = []
    cur_w = 0.0
    spaces: list[_Piece] = []
    sp_w = 0.0  # width of `spaces`, pending between the line so far and the next word
    room = width + _EPS

    def flush() -> None:
        nonlocal cur, cur_w, sp_w
        lines.append(Line(tuple(merge_runs(cur)), cur_w))
        cur, cur_w, sp_w = [], 0.0, 0.0
        spaces.clear()
        if limit is not None and len(lines) > limit:
            raise _TooManyLines

    def fw(frag: _Frag) -> float:
        return sum(mw(t, s) for t, s in frag.pieces)

    for tok, ww in zip(tokens, tw, strict=True):
        if tok is None:
            flush()
            continue
        if not isinstance(tok, _Word):  # spaces: dropped at the start of a line
            if cur:
                spaces.append(tok)
                sp_w += ww
            continue
        if cur_w + sp_w + ww <= room:  # the common case: the whole word fits on this line
            cur.extend(spaces)
            cur.extend(tok.pieces)
            cur_w += sp_w + ww
            spaces.clear()
            sp_w = 0.0
            continue
        frags = list(tok.frags())
        i = 0
        while i < len(frags):
            avail = width - cur_w - sp_w
            j, w, best_w = i, 0.0, 0.0
            for k in range(i, len(frags)):
                w += fw(frags[k])
                if w > avail + _EPS:
                    break
                last = k == len(frags) - 1
                extra = mw("-", frags[k].pieces[-1][1]) if frags[k].hyph and not last else 0.0
                if w + extra <= avail + _EPS:
                    j, best_w = k + 1, w + extra
            if j > i:
                cur.extend(spaces)  # empty at the start of a line
                cur_w += sp_w + best_w
                for frag in frags[i:j]:
                    cur.extend(frag.pieces)
                if j == len(frags):
                    break
                if frags[j - 1].hyph:
                    cur.append(("-", frags[j - 1].pieces[-1][1]))
                flush()
                i = j
            elif cur:
                flush()  # retry the word at the start of a new line
            elif force:  # best effort: cut the piece wherever it must be cut
                head, tail = _char_split(frags[i], width, mw)
                cur.extend(head.pieces)
                cur_w += fw(head)
                if tail.pieces:
                    frags[i] = tail
                    flush()
                else:
                    i += 1
            else:
                return None
        spaces.clear()
        sp_w = 0.0
    if tokens:
        flush()
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


def wrap(runs: Sequence[Run], width: float, size: float, measure: Measure,
         hyphenate: Hyphenate | None = None) -> list[Line] | None:
    """Greedy line filling; None when an unbreakable piece is wider than ``width``."""
    return _wrap(_tokenize(runs, hyphenate), width, _measurer(measure, size, {}))


def fit_text(runs: Sequence[Run], width: float, height: float, size: float, min_size: float,
             measure: Measure, *, line_height: float = 1.2, step: float = 0.25,
             max_lines: int | None = None, hyphenate: Hyphenate | None = None,
             widths: dict[tuple[str, Style, float], float] | None = None) -> Fit:
    """The largest size on the grid ``size, size - step, …, min_size`` whose wrapped text fits the box.

    Widths are measured once, at size 1, and scaled (a font's widths are proportional to its size);
    `widths`, a dict the caller keeps for one font and `measure`, remembers them from one text to the next."""
    tokens = _tokenize(runs, hyphenate)
    unit = _measurer(measure, 1.0, {} if widths is None else widths)
    unit_tw = _token_widths(tokens, unit)
    size, min_size = float(size), float(min(min_size, size))
    n = int((size - min_size) / step + _EPS) if step > 0 else 0
    sizes = [round(size - i * step, 9) for i in range(n + 1)]
    if sizes[-1] > min_size + _EPS:
        sizes.append(min_size)
    # A lower bound on the lines at any size: a line holds at most `width` of words and spaces, and each
    # line drops at most one run of spaces (where it breaks, or at the start).
    unit_words = sum(w for tok, w in zip(tokens, unit_tw, strict=True) if isinstance(tok, _Word))
    unit_spaces = [w for tok, w in zip(tokens, unit_tw, strict=True) if isinstance(tok, tuple)]
    unit_sp_max = max(unit_spaces, default=0.0)
    unit_sp_all = sum(unit_spaces)
    found: dict[int, Fit] = {}
    tried: dict[int, list[Line] | None] = {}  # unlimited wraps kept: the last one is the overflow's lines

    def room(sz: float) -> int:
        """The most lines of size `sz` that the box takes, exactly as the final check counts them."""
        cap = int((height + 1e-6) / (sz * line_height)) + 1
        while cap > 0 and cap * sz * line_height > height + 1e-6:
            cap -= 1
        return cap if max_lines is None else min(cap, max_lines)

    def possible(idx: int) -> bool:
        sz = sizes[idx]
        least = (unit_words + unit_sp_all) * sz / (width + _EPS + unit_sp_max * sz)
        return least <= room(sz) * (1 + 1e-9) + 1e-9

    def fits(idx: int, full: bool = False) -> bool:
        sz = sizes[idx]
        cap = room(sz)
        mw = _scaled(unit, sz)
        try:
            lines = _wrap(tokens, width, mw, limit=None if full else cap, widths=[w * sz for w in unit_tw])
        except _TooManyLines:
            return False
        if full:
            tried[idx] = lines
        if lines is None or len(lines) > cap:
            return False
        found[idx] = Fit(sz, sz * line_height, tuple(lines), True)
        return True

    last = len(sizes) - 1
    first = next((i for i in range(len(sizes)) if possible(i)), None)  # larger sizes cannot fit
    if first is not None and fits(first, full=first == last):
        return found[first]
    if first is None or first == last or not fits(last, full=True):
        lines = tried.get(last)
        if lines is None:
            mw = _scaled(unit, min_size)
            lines = _wrap(tokens, width, mw, widths=[w * min_size for w in unit_tw]) or _wrap(
                tokens, width, mw, force=True) or []
        return Fit(min_size, min_size * line_height, tuple(lines), False,
                   too_wide=_too_wide(tokens, [w * min_size for w in unit_tw], width, _scaled(unit, min_size)))
    lo, hi = first, last  # invariant: sizes[lo] does not fit, sizes[hi] fits
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return found[hi]


def _too_wide(tokens: Sequence[_Token], token_widths: Sequence[float], width: float,
              mw: Callable[[str, Style], float]) -> str | None:
    """The first word with a piece that no line can hold (as _wrap sees it: with its hyphen), or None."""
    for tok, whole in zip(tokens, token_widths, strict=True):
        if not isinstance(tok, _Word) or whole <= width + _EPS:  # a word that fits whole: so do its pieces
            continue
        frags = tok.frags()
        for k, frag in enumerate(frags):
            w = sum(mw(t, s) for t, s in frag.pieces)
            if frag.hyph and k < len(frags) - 1:
                w += mw("-", frag.pieces[-1][1])
            if w > width + _EPS:
                return "".join(t for t, _ in tok.pieces)
    return None


def _scaled(unit: Callable[[str, Style], float], size: float) -> Callable[[str, Style], float]:
    return lambda text, style: unit(text, style) * size


# --------------------------------------------------------------------------- ellipsis

def ellipsise(fit: Fit, width: float, height: float, measure: Measure, max_lines: int | None = None) -> Fit:
    """Keep the lines that fit in ``height`` and end the last one with "…". A fitting ``fit`` is returned as is."""
    cap = int((height + 1e-6) / fit.leading) if fit.leading > 0 else len(fit.lines)
    if max_lines is not None:
        cap = min(cap, max_lines)
    if len(fit.lines) <= cap:
        return fit
    if cap <= 0:
        return Fit(fit.size, fit.leading, (), False, True)
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
    return Fit(fit.size, fit.leading, (*fit.lines[:cap - 1], last), True, True)
