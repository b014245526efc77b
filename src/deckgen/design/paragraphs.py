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
from typing import Any

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


_Word = list[Piece]
_Token = _Word | Piece  # a word (its pieces), or a run of spaces


def _tokens(runs: Sequence[Run]) -> list[list[_Token]]:
    """Each paragraph as words and spaces (none at its start or end)."""
    paras: list[list[_Token]] = [[]]
    word: _Word = []
    for run in runs:
        for part in _SPACES.split(run.text):
            if part and part[0] in " \t\n":
                if word:
                    paras[-1].append(word)
                    word = []
                if part == "\n":
                    paras.append([])
                elif paras[-1]:
                    paras[-1].append((" " * len(part), run.style))
            elif part:
                word.append((part, run.style))
    if word:
        paras[-1].append(word)
    for para in paras:
        while para and isinstance(para[-1], tuple):
            para.pop()
    while len(paras) > 1 and not paras[-1]:
        paras.pop()  # trailing newlines (YAML block scalars end with "\n")
    return paras if paras != [[]] else []


def _plain(word: _Word) -> str:
    return "".join(t for t, _ in word)


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


def _word_items(word: _Word, points: dict[int, int], unit: Unit) -> list[Item]:
    plain = _plain(word)
    items: list[Item] = []
    cuts = [0, *sorted(points), len(plain)]
    for a, b in zip(cuts, cuts[1:], strict=False):
        frag = _slice(word, a, b)
        items.append(Item(BOX, frag, sum(unit(t, s) for t, s in frag), word=plain))
        if b in points:
            if points[b] == INSERTED:
                hyphen: tuple[Piece, ...] = (("-", frag[-1][1]),)
                items.append(Item(PENALTY, hyphen, unit("-", frag[-1][1]), HYPHEN_PENALTY, INSERTED))
            else:
                items.append(Item(PENALTY, (), 0.0, EXPLICIT_PENALTY, EXPLICIT))
    return items


def paragraphs(runs: Sequence[Run], unit: Unit, hyphenate: Hyphenate | None, lang: str = "",
               last_resort: bool = False, words: dict[Any, tuple[Item, ...]] | None = None) -> list[Paragraph]:
    """The paragraphs of a text, widths measured at size 1 by `unit`; hyphenation points only with `hyphenate`
    (`last_resort`: every point it gives, in every word). `words`, a dict the caller keeps for one `unit`,
    remembers the items of each word: words recur from text to text."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    if words is None:
        words = {}
    elif len(words) > 50_000:
        words.clear()
    out = []
    for para in _tokens(runs):
        items: list[Item] = []
        plain = [_plain(tok) if isinstance(tok, list) else "" for tok in para]
        for i, tok in enumerate(para):
            if isinstance(tok, tuple):  # a paragraph starts and ends with a word: spaces are between two
                if tok[0] == " " and _ties(plain[i - 1], primary) and plain[i + 1][:1] not in "-–—":
                    items.append(Item(PENALTY, (), 0.0, TIE))
                items.append(Item(GLUE, (tok,), unit(*tok)))
            else:
                key = (tuple(tok), i == len(para) - 1, hyphenate, primary, last_resort)
                found = words.get(key)
                if found is None:
                    points = _points(plain[i], hyphenate, primary, key[1], last_resort)
                    found = words[key] = tuple(_word_items(tok, points, unit))
                items.extend(found)
        out.append(Paragraph(items))
    return out
