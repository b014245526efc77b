"""Language rules for card text: typography (French no-break spaces, curly quotes), inline **bold** and
*italic* markup into styled runs, and hyphenation points (pyphen). Pure."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

import pyphen

from deckgen.design.ops import Run, Style

Hyphenate = Callable[[str], list[int]]

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
ELLIPSIS = "\u2026"




def merge_runs(pieces: Iterable[tuple[str, Style]]) -> list[Run]:
    """Runs from (text, style) pieces, adjacent pieces of the same style merged (empty pieces dropped)."""
    runs: list[Run] = []
    texts: list[str] = []
    style: Style = "regular"
    for text, piece_style in pieces:
        if not text:
            continue
        if piece_style != style and texts:
            runs.append(Run("".join(texts), style))
            texts = []
        texts.append(text)
        style = piece_style
    if texts:
        runs.append(Run("".join(texts), style))
    return runs


# --------------------------------------------------------------------------- typography

# Every pattern here runs in linear time on any text (a 5 MB word, 100 KB of one character): no nested or
# adjacent unbounded quantifiers over the same characters, and a URL's trailing punctuation is trimmed in code.
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:)(\S+)", re.I)  # scheme bounded: linear
_URL_TRAIL = ".,;:!?»)]'\"’”…"  # punctuation after a URL, not part of it
LETTER = r"[^\W\d_]"
_H = " \t\u00a0\u2009\u202f"  # horizontal spaces that French punctuation rules normalise
_HSPACE = f"[{_H}]"
_PRE = r"[\w)\]}»”’…%*.]"  # a word or closing character
_CLOSER = r"(?=\s|$|[)\]}»”’\"'…,.*])"  # followed by space, end or a closer
_COLON_AFTER = rf":[:;!?]*{_CLOSER}"  # a group of punctuation that starts with a colon
_MARK_AFTER = rf"[;!?][:;!?]*{_CLOSER}"
_Rule = tuple[re.Pattern[str], str, tuple[str, ...]]  # a pattern, its replacement, and what it needs to match: one
# of these strings (a text without any is left alone, unscanned)
_ALL_RULES: list[_Rule] = [
    (re.compile(r"\.\.\."), ELLIPSIS, ("...",)),
    (re.compile(rf"'(?<={LETTER}')(?={LETTER})"), "’", ("'",)),  # "'" first: the scan jumps from one to the next
]


def _before(group: str, first: str) -> re.Pattern[str]:
    """The spaces before a punctuation `group` (a pattern that starts with one of the characters `first`), or the
    place before it when it follows a word or a closing character. The leading lookahead, implied by both
    alternatives (a match starts with a space or the group), only makes the scan fail fast everywhere else."""
    return re.compile(rf"(?=[{_H}{first}])(?:(?<=\S){_HSPACE}+(?={group})|(?<={_PRE})(?={group}))")


_FR_RULES: list[_Rule] = [
    (re.compile(r'"([^"\n]*)"'), r"«\1»", ('"',)),
    (re.compile(rf"«{_HSPACE}*(?=\S)"), "«" + NNBSP, ("«",)),  # after «
    (re.compile(rf"(?=[{_H}»])(?:(?<=\S){_HSPACE}+(?=»)|(?<=[^\s«])(?=»))"), NNBSP, ("»",)),  # before », likewise
    (_before(_COLON_AFTER, ":"), NBSP, (":",)),
    (_before(_MARK_AFTER, ";!?"), NNBSP, (";", "!", "?")),
]
_EN_RULES: list[_Rule] = [(re.compile(r'"([^"\n]*)"'), r"“\1”", ('"',))]


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs of a text are (their trailing punctuation left out), in order."""
    spans = []
    for m in _URL.finditer(text):
        kept = len(m.group(1).rstrip(_URL_TRAIL)) or 1
        spans.append((m.start(), m.start(1) + kept))
    return spans


def _sub_outside_urls(rx: re.Pattern[str], repl: str, text: str) -> str:
    spans = url_spans(text)
    starts = [a for a, _ in spans]

    def inside(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < spans[i][1]

    return rx.sub(lambda m: m.group(0) if inside(m.start()) else m.expand(repl), text)


@lru_cache(maxsize=256)  # family names, labels and deck titles repeat on every card
def typography(text: str, lang: str) -> str:
    """Language typography: curly apostrophes, ellipsis, quotes and French no-break spaces: U+202F (narrow)
    inside « » and before ; ! ?, U+00A0 before : (deckgen's line breaker never breaks at either)."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    rules = _ALL_RULES + (_FR_RULES if primary == "fr" else _EN_RULES if primary == "en" else [])
    has_url = None  # found once, when a rule first applies: no rule can make a URL out of plain text
    for rx, repl, needs in rules:
        if not any(s in text for s in needs):
            continue
        if has_url is None:
            has_url = _may_hold_url(text) and _URL.search(text) is not None
        text = _sub_outside_urls(rx, repl, text) if has_url else rx.sub(repl, text)
    return text


def _may_hold_url(text: str) -> bool:
    """False for a text _URL cannot match, found faster than by searching: each of its forms needs ":" or "www."."""
    return ":" in text or "www." in text.lower()


# --------------------------------------------------------------------------- inline emphasis

_STYLES: tuple[Style, ...] = ("regular", "italic", "bold", "bolditalic")  # index: 2 * bold + italic
_INLINE = re.compile(r"\\\*|\*+|[^*\\]+|\\")


class _Delim:
    """A run of ``*``; ``count`` stars still unmatched, ``opens``/``closes`` in text order (1 italic, 2 bold)."""

    def __init__(self, count: int, can_open: bool, can_close: bool) -> None:
        self.count, self.can_open, self.can_close = count, can_open, can_close
        self.opens: list[int] = []
        self.closes: list[int] = []


def _match_delims(delims: list[_Delim]) -> None:
    """Pair closers with the nearest openers before them, in one pass over a stack of the openers still
    open (linear time however many stars): a span closed between them closes every opener inside it."""
    stack: list[_Delim] = []
    for closer in delims:
        while closer.can_close and closer.count and stack:
            opener = stack[-1]
            k = 2 if opener.count >= 2 and closer.count >= 2 else 1
            opener.count -= k
            closer.count -= k
            opener.opens.insert(0, k)  # later matches of the same opener are outer
            closer.closes.append(k)
            if not opener.count:
                stack.pop()
        if closer.can_open and closer.count:
            stack.append(closer)


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
    _match_delims([t for t in tokens if isinstance(t, _Delim)])
    bold, italic = base in ("bold", "bolditalic"), base in ("italic", "bolditalic")
    depth = {1: 0, 2: 0}
    pieces: list[tuple[str, Style]] = []
    for item in tokens:
        if isinstance(item, _Delim):
            for k in item.closes:
                depth[k] -= 1
        text = item if isinstance(item, str) else "*" * item.count  # unmatched stars print, outside emphasis
        pieces.append((text, _STYLES[2 * (bold or depth[2] > 0) + (italic or depth[1] > 0)]))
        if isinstance(item, _Delim):
            for k in item.opens:
                depth[k] += 1
    return merge_runs(pieces)


# --------------------------------------------------------------------------- hyphenation

_PYPHEN_LANG = {"fr": "fr_FR", "en": "en_US", "de": "de_DE"}
_CORE = re.compile(rf"{LETTER}.*{LETTER}")
LETTERS = re.compile(LETTER + "+")
_NO_HYPH = re.compile(r"[\d@/]")
MAX_HYPHENATED = 100  # longer "words" (a pasted hash, a run of letters) are not hyphenated: no language needs it


@cache
def hyphenator(lang: str) -> Hyphenate | None:
    """A cached pyphen-based function giving the break offsets allowed inside a word, or None."""
    tag = lang.replace("-", "_")
    primary = tag.split("_")[0].lower()
    name = tag if "_" in tag and pyphen.language_fallback(tag) else _PYPHEN_LANG.get(primary, primary)  # en-GB wins
    if not pyphen.language_fallback(name):
        return None
    dic = pyphen.Pyphen(lang=name, left=2, right=3)

    @lru_cache(maxsize=4096)
    def positions(word: str) -> tuple[int, ...]:
        if len(word) > MAX_HYPHENATED:
            return ()
        core = _CORE.search(word)  # a final "." or "," is no reason to refuse
        if core is None or _NO_HYPH.search(word) or "." in core.group(0):
            return ()
        return tuple(
            seg.start() + p
            for seg in LETTERS.finditer(word)
            if len(seg.group(0)) >= 6
            for p in dic.positions(seg.group(0))
            if p.data is None  # skip non-standard (spelling-changing) breaks
        )

    return lambda word: list(positions(word))
