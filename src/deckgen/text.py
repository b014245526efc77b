"""Text layout for card text boxes: typography, inline emphasis, hyphenation, wrapping, shrink-to-fit.

Pure module: fonts are measured by a ``Measure`` function passed in, widths are assumed additive
(the width of a line is the sum of the widths of its pieces, as with reportlab's ``stringWidth``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Literal

Style = Literal["regular", "bold", "italic", "bolditalic"]
Measure = Callable[[str, Style, float], float]
Hyphenate = Callable[[str], list[int]]

NBSP = "\u00a0"
ELLIPSIS = "\u2026"
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    style: Style = "regular"


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


def _merge(pieces: Iterable[tuple[str, Style]]) -> list[Run]:
    """Runs from (text, style) pieces, adjacent pieces of the same style merged (empty pieces dropped)."""
    return [Run("".join(t for t, _ in group), style)
            for style, group in groupby((p for p in pieces if p[0]), key=itemgetter(1))]


# --------------------------------------------------------------------------- typography

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+?(?=[.,;:!?»)\]'\"’”…]*(?:\s|$))", re.I)
_LETTER = r"[^\W\d_]"
_HSPACE = "[ \t\u00a0\u2009]"  # horizontal spaces that French punctuation rules normalise
_PRE = r"[\w)\]}»”’…%*.]"  # a word or closing character
_PUNCT_AFTER = r"[:;!?]+(?=\s|$|[)\]}»”’\"'…,.*])"  # the group followed by space, end or closer
_ALL_RULES = [
    (re.compile(r"\.\.\."), ELLIPSIS),
    (re.compile(rf"(?<={_LETTER})'(?={_LETTER})"), "’"),
]
_FR_RULES = [
    (re.compile(r'"([^"\n]*)"'), r"«\1»"),
    (re.compile(rf"«{_HSPACE}*(?=\S)"), "«" + NBSP),  # after «
    (re.compile(rf"(?<=\S){_HSPACE}+(?=»)|(?<=[^\s«])(?=»)"), NBSP),  # before »
    (re.compile(rf"(?<=\S){_HSPACE}+(?={_PUNCT_AFTER})|(?<={_PRE})(?={_PUNCT_AFTER})"), NBSP),
]
_EN_RULES = [(re.compile(r'"([^"\n]*)"'), r"“\1”")]


def _sub_outside_urls(rx: re.Pattern[str], repl: str, text: str) -> str:
    spans = [m.span() for m in _URL.finditer(text)]
    return rx.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in spans) else m.expand(repl), text)


@lru_cache(maxsize=256)  # family names, labels and deck titles repeat on every card
def typography(text: str, lang: str) -> str:
    """Language typography: curly apostrophes, ellipsis, quotes and French no-break spaces."""
    text = text.replace("\u202f", NBSP)  # reportlab breaks lines at U+202F
    primary = lang.replace("_", "-").split("-")[0].lower()
    rules = _ALL_RULES + (_FR_RULES if primary == "fr" else _EN_RULES if primary == "en" else [])
    has_url = _URL.search(text) is not None  # no rule can make a URL out of plain text
    for rx, repl in rules:
        text = _sub_outside_urls(rx, repl, text) if has_url else rx.sub(repl, text)
    return text


# --------------------------------------------------------------------------- inline emphasis

_STYLES: tuple[Style, ...] = ("regular", "italic", "bold", "bolditalic")  # index: 2 * bold + italic
_INLINE = re.compile(r"\\\*|\*+|[^*\\]+|\\")


class _Delim:
    """A run of ``*``; ``count`` stars still unmatched, ``opens``/``closes`` in text order (1 italic, 2 bold)."""

    def __init__(self, count: int, can_open: bool, can_close: bool) -> None:
        self.count, self.can_open, self.can_close = count, can_open, can_close
        self.opens: list[int] = []
        self.closes: list[int] = []


def parse_inline(text: str, base: Style = "regular") -> list[Run]:
    """Split ``**bold**``, ``*italic*`` and ``***bold italic***`` markup into runs (CommonMark-like)."""
    tokens: list[str | _Delim] = []
    for m in _INLINE.finditer(text):
        tok = m.group(0)
        if tok[0] != "*":
            tokens.append("*" if tok == "\\*" else tok)
            continue
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        tokens.append(_Delim(len(tok), not after.isspace(), not before.isspace()))
    delims = [t for t in tokens if isinstance(t, _Delim)]
    for ci, closer in enumerate(delims):
        oi = ci - 1
        while closer.can_close and closer.count and oi >= 0:
            opener = delims[oi]
            if not (opener.can_open and opener.count):
                oi -= 1
                continue
            k = 2 if opener.count >= 2 and closer.count >= 2 else 1
            opener.count -= k
            closer.count -= k
            opener.opens.insert(0, k)  # later matches of the same opener are outer
            closer.closes.append(k)
            for inner in delims[oi + 1:ci]:  # no emphasis may start inside a closed span
                inner.can_open = False
    bold, italic = base in ("bold", "bolditalic"), base in ("italic", "bolditalic")
    depth = {1: 0, 2: 0}
    pieces: list[tuple[str, Style]] = []
    for tok in tokens:
        if isinstance(tok, _Delim):
            for k in tok.closes:
                depth[k] -= 1
        text = tok if isinstance(tok, str) else "*" * tok.count  # unmatched stars print, outside emphasis
        pieces.append((text, _STYLES[2 * (bold or depth[2] > 0) + (italic or depth[1] > 0)]))
        if isinstance(tok, _Delim):
            for k in tok.opens:
                depth[k] += 1
    return _merge(pieces)


# --------------------------------------------------------------------------- hyphenation

_PYPHEN_LANG = {"fr": "fr_FR", "en": "en_US", "de": "de_DE"}
_CORE = re.compile(rf"{_LETTER}.*{_LETTER}")
_LETTERS = re.compile(_LETTER + "+")
_NO_HYPH = re.compile(r"[\d@/]")


@cache
def hyphenator(lang: str) -> Hyphenate | None:
    """A cached pyphen-based function giving the break offsets allowed inside a word, or None."""
    try:
        import pyphen
    except ImportError:
        return None
    tag = lang.replace("-", "_")
    primary = tag.split("_")[0].lower()
    name = tag if "_" in tag and pyphen.language_fallback(tag) else _PYPHEN_LANG.get(primary, primary)  # en-GB wins
    if not pyphen.language_fallback(name):
        return None
    dic = pyphen.Pyphen(lang=name, left=2, right=3)

    @lru_cache(maxsize=4096)
    def positions(word: str) -> tuple[int, ...]:
        core = _CORE.search(word)  # a final "." or "," is no reason to refuse
        if core is None or _NO_HYPH.search(word) or "." in core.group(0):
            return ()
        return tuple(
            seg.start() + p
            for seg in _LETTERS.finditer(word)
            if len(seg.group(0)) >= 6
            for p in dic.positions(seg.group(0))
            if p.data is None  # skip non-standard (spelling-changing) breaks
        )

    return lambda word: list(positions(word))


# --------------------------------------------------------------------------- wrapping

_Piece = tuple[str, Style]


@dataclass(frozen=True)
class _Frag:
    pieces: tuple[_Piece, ...]
    hyph: bool  # a break after this fragment adds "-"


_URL_LIKE = re.compile(r"[/@]|www\.")
_HYPHEN = re.compile(rf"(?<={_LETTER})-(?={_LETTER})")
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
        lines.append(Line(tuple(_merge(cur)), cur_w))
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
        return Fit(min_size, min_size * line_height, tuple(lines), False)
    lo, hi = first, last  # invariant: sizes[lo] does not fit, sizes[hi] fits
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return found[hi]


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
        runs = _merge([*chars, (ELLIPSIS, chars[-1][1] if chars else "regular")])
        w = sum(mw(r.text, r.style) for r in runs)
        if w <= width + _EPS or not chars:
            break
        cut = max((i for i, (c, _) in enumerate(chars) if c == " "), default=-1)
        chars = chars[:cut] if cut > 0 else chars[:-1]  # drop the last word, else the last character
    last = Line(tuple(runs), w)
    return Fit(fit.size, fit.leading, (*fit.lines[:cap - 1], last), True, True)
