"""The language rules that turn styled runs into the composer's paragraphs (boxes, glue, penalties). Pure.

- A forced line break ("\\n") ends a paragraph; spaces break, no-break spaces (U+00A0, U+202F) never do.
- Some spaces break only when nothing else fits (a strong penalty): after an initial ("E. F. Schumacher"),
  after a number ("15 m²", "42 millions"), after a few abbreviations and name prefixes ("p. 12",
  "New York"), and in French after a one-letter word ("à Paris").
- Hyphenation points: only in words of 7+ letters, 3+ letters on each side, never in the last word of a
  paragraph, never in a name (a capitalised word, but in German), never in a URL; a compound breaks only at
  its own hyphen ("rendez-|vous").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from deckgen.design.compose import (
    BOX,
    EXPLICIT,
    EXPLICIT_PENALTY,
    GLUE,
    HYPHEN_PENALTY,
    INSERTED,
    PENALTY,
    TIE,
    Item,
    Paragraph,
    Piece,
)
from deckgen.design.ops import Run, Style
from deckgen.design.typography import LETTER, LETTERS, Hyphenate

Unit = Callable[[str, Style], float]

MIN_WORD = 7  # letters
MIN_SIDE = 3  # letters each side of an inserted hyphen

_SPACES = re.compile(r"([ \t]+|\n)")
_URL_LIKE = re.compile(r"[/@]|www\.")
_COMPOUND = re.compile(rf"(?<={LETTER})-(?={LETTER})")
_INITIAL = re.compile(r"^[^\W\d_]\.$")  # "E."
_NUMBER = re.compile(r"^[(«“\"]?[-+−]?\d[\d.,:\u00a0\u202f]*(?:%|°)?$")
_BEFORE_NAME = {"p.", "pp.", "n°", "no.", "fig.", "m.", "mme", "mr", "mr.", "mrs", "mrs.", "dr", "dr.", "st",
                "st.", "saint", "sainte", "new", "san", "santa", "los", "las", "hong", "sri", "costa", "puerto"}


@lru_cache(maxsize=8192)
def _ties(left: str, lang: str) -> bool:
    """Whether the space after a word must not break (unless the next word starts with a dash)."""
    if _INITIAL.match(left) or _NUMBER.match(left) or left.lower() in _BEFORE_NAME:
        return True
    return lang == "fr" and len(left) == 1 and left.isalpha()


_Word = tuple[str, Style | tuple[Piece, ...]]  # a word: its text, and its style (its pieces when it has several)
_Gap = tuple[Piece, ...]  # the spaces between two words
_Para = tuple[list[_Word], list[_Gap]]  # a paragraph's words, and the spaces between each two
_GAPS = re.compile(r"([ \t]+)")


def _tokens(runs: Sequence[Run]) -> list[_Para]:
    """Each paragraph as words and the spaces between them (none at its start or end)."""
    paras = _one_style(runs[0]) if len(runs) == 1 else _styled(runs)
    while len(paras) > 1 and not paras[-1][0]:
        paras.pop()  # trailing newlines (YAML block scalars end with "\n")
    return paras if paras[0][0] or len(paras) > 1 else []


def _one_style(run: Run) -> list[_Para]:
    """`_tokens` of a text in one style (most texts), by slicing what the regular expressions split."""
    paras: list[_Para] = []
    gaps: dict[str, _Gap] = {}
    for line in run.text.split("\n"):
        parts = _GAPS.split(line)  # words and runs of spaces, in turn: the first and last maybe empty
        if not parts[0]:
            del parts[:2]
        if parts and not parts[-1]:
            del parts[-2:]
        for sep in parts[1::2]:
            if sep not in gaps:
                gaps[sep] = ((" " * len(sep), run.style),)
        paras.append(([(w, run.style) for w in parts[::2]], [gaps[sep] for sep in parts[1::2]]))
    return paras


def _styled(runs: Sequence[Run]) -> list[_Para]:
    """`_tokens` of runs of several styles: a word may take pieces of several."""
    paras: list[_Para] = [([], [])]
    word: list[Piece] = []
    gap: list[Piece] = []  # the spaces after the last word
    for run in runs:
        for part in _SPACES.split(run.text):
            if not part:
                continue
            if part[0] not in " \t\n":
                word.append((part, run.style))
                continue
            if word:
                _add_word(paras[-1], word, gap)
                word, gap = [], []
            if part == "\n":
                paras.append(([], []))
                gap = []
            elif paras[-1][0]:
                gap.append((" " * len(part), run.style))
    if word:
        _add_word(paras[-1], word, gap)
    return paras


def _add_word(para: _Para, word: list[Piece], gap: list[Piece]) -> None:
    words, gaps = para
    if words:
        gaps.append(tuple(gap))
    words.append(word[0] if len(word) == 1 else ("".join(t for t, _ in word), tuple(word)))


def _points(plain: str, hyphenate: Hyphenate | None, lang: str, last: bool, resort: bool) -> dict[int, int]:
    """Where a word (maybe tied words) may break: offset -> EXPLICIT (after its own hyphen) or INSERTED;
    `resort`: wherever the hyphenator allows (the last resort for a word wider than its box)."""
    if _URL_LIKE.search(plain):
        return {}
    points: dict[int, int] = {}
    pos = 0
    for part in plain.split(" "):
        compound = {pos + m.end(): EXPLICIT for m in _COMPOUND.finditer(part)}
        points.update(compound)
        if hyphenate is not None and (resort or (not compound and not last and len(part) >= MIN_WORD
                                                 and _may_hyphenate(part, lang))):
            points.update({pos + p: INSERTED for p in hyphenate(part) if resort or _good_point(part, p)})
        pos += len(part) + 1
    return points


def _good_point(word: str, p: int) -> bool:
    """Whether a hyphenation point leaves MIN_SIDE letters each side, in a run of MIN_WORD letters."""
    seg = next((m for m in LETTERS.finditer(word) if m.start() < p < m.end()), None)
    return seg is not None and len(seg.group(0)) >= MIN_WORD and p - seg.start() >= MIN_SIDE \
        and seg.end() - p >= MIN_SIDE


def _may_hyphenate(word: str, lang: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and (first.islower() or lang == "de")


def _slice(pieces: Sequence[Piece], a: int, b: int) -> tuple[Piece, ...]:
    out, pos = [], 0
    for text, style in pieces:
        part = text[max(a - pos, 0):max(b - pos, 0)]
        if part:
            out.append((part, style))
        pos += len(text)
    return tuple(out)


def _word_items(word: _Word, points: dict[int, int], unit: Unit) -> tuple[Item, ...]:
    plain, style = word
    pieces: tuple[Piece, ...] = ((plain, style),) if isinstance(style, str) else style
    items: list[Item] = []
    cuts = [0, *sorted(points), len(plain)]
    for a, b in zip(cuts, cuts[1:], strict=False):
        frag = _slice(pieces, a, b)
        items.append(Item(BOX, frag, sum(unit(t, s) for t, s in frag), word=plain))
        if b in points:
            if points[b] == INSERTED:
                hyphen: tuple[Piece, ...] = (("-", frag[-1][1]),)
                items.append(Item(PENALTY, hyphen, unit("-", frag[-1][1]), HYPHEN_PENALTY, INSERTED))
            else:
                items.append(Item(PENALTY, (), 0.0, EXPLICIT_PENALTY, EXPLICIT))
    return tuple(items)


_TIE = Item(PENALTY, (), 0.0, TIE)
_Known = tuple[tuple[Item, ...], bool, bool]  # a word's items, whether a space after it ties, whether it starts
# with a dash (a space before it never ties)


class Known:
    """The items of the words and spaces met before, for one width function, hyphenator, language and last resort:
    words recur from text to text."""

    __slots__ = ("words", "last", "gaps")

    def __init__(self) -> None:
        self.words: dict[_Word, _Known] = {}
        self.last: dict[_Word, _Known] = {}  # the last word of a paragraph (never hyphenated)
        self.gaps: dict[_Gap, tuple[tuple[Item, ...], bool]] = {}  # and whether it is a single space

    def clear(self) -> None:
        self.words.clear()
        self.last.clear()
        self.gaps.clear()


def paragraphs(runs: Sequence[Run], unit: Unit, hyphenate: Hyphenate | None, lang: str = "",
               last_resort: bool = False, known: Known | None = None) -> list[Paragraph]:
    """The paragraphs of a text, widths measured at size 1 by `unit`; hyphenation points only with `hyphenate`
    (`last_resort`: every point it gives, in every word). `known`, kept by the caller for the same `unit`,
    `hyphenate`, `lang` and `last_resort`, remembers the items of each word."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    if known is None:
        known = Known()
    elif len(known.words) > 50_000:
        known.clear()
    learn = _Learn(unit, hyphenate, primary, last_resort, known)
    return [Paragraph(_items(para, known, learn)) for para in _tokens(runs)]


def _items(para: _Para, known: Known, learn: _Learn) -> list[Item]:
    words, gaps = para
    items: list[Item] = []
    append, extend = items.append, items.extend
    last = len(words) - 1
    ties = False
    for i, word in enumerate(words):
        found = (known.last if i == last else known.words).get(word) or learn.word(word, i == last)
        if i:  # the spaces before the word: a single one may tie it to the word before
            glue, single = known.gaps.get(gaps[i - 1]) or learn.gap(gaps[i - 1])
            if ties and single and not found[2]:
                append(_TIE)
            extend(glue)
        extend(found[0])
        ties = found[1]
    return items


class _Learn:
    """The items of a word or spaces not met before, remembered."""

    def __init__(self, unit: Unit, hyphenate: Hyphenate | None, primary: str, last_resort: bool,
                 known: Known) -> None:
        self.unit, self.hyphenate, self.primary, self.last_resort, self.known = \
            unit, hyphenate, primary, last_resort, known

    def word(self, word: _Word, last: bool) -> _Known:
        plain = word[0]
        points = _points(plain, self.hyphenate, self.primary, last, self.last_resort)
        found = (_word_items(word, points, self.unit), _ties(plain, self.primary), plain[:1] in "-–—")
        (self.known.last if last else self.known.words)[word] = found
        return found

    def gap(self, gap: _Gap) -> tuple[tuple[Item, ...], bool]:
        found = tuple(Item(GLUE, (space,), self.unit(*space)) for space in gap), len(gap) == 1 and gap[0][0] == " "
        self.known.gaps[gap] = found
        return found
