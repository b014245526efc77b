"""Cards set like a typographer would (issue 10), measured on what users get: the text lines of the PDF (the
reference deck, French and English, every built-in theme, one face a page) and the laid-out lines of 200 cards
of a synthetic deck (made here from the reference deck's words): few hyphenated lines (≤ 6 %), never more than
2 in a row, no text ending on the second half of a split word, and one size per text element across the deck."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from conftest import MICRO, build, text_chunks

from deckgen.design.ops import TextOp
from deckgen.design.themes import builtin_themes
from deckgen.pipeline.prepare import Options, Prepared, prepare

THEMES = sorted(builtin_themes())
ELEMENTS = ("title", "summary", "body")
Block = list[str]


def _words(data: object) -> set[str]:
    """Every word of a deck file's texts, lowercased: what a line-final hyphen is checked against."""
    found: set[str] = set()
    if isinstance(data, str):
        found.update(w.lower() for w in re.findall(r"[\w’'-]+", data))
    elif isinstance(data, dict):
        for v in data.values():
            found |= _words(v)
    elif isinstance(data, list):
        for v in data:
            found |= _words(v)
    return found


def _inserted(line: str, following: str, words: set[str]) -> bool:
    """Whether a line ends with a hyphen that hyphenation inserted (the joined word is in the deck, unhyphenated)."""
    m = re.search(r"([\w’']+)-$", line)
    n = re.match(r"[\w’']+", following)
    if not m or not n:
        return False
    head, tail = m.group(1).lower(), n.group(0).lower()
    return f"{head}{tail}" in {w.split("-")[-1] for w in words} | words and f"{head}-{tail}" not in " ".join(words)


def _stats(blocks: Iterable[Block], words: set[str]) -> tuple[int, int, int, list[Block]]:
    """Lines, lines ending with an inserted hyphen, the longest run of them, and the blocks ending on the second
    half of a split word."""
    lines = hyphenated = longest = 0
    ending_split = []
    for block in blocks:
        run = 0
        for i, line in enumerate(block):
            lines += 1
            cut = i + 1 < len(block) and _inserted(line, block[i + 1], words)
            run = run + 1 if cut else 0
            hyphenated += cut
            longest = max(longest, run)
            if cut and i + 2 == len(block) and len(block[-1].split()) == 1:
                ending_split.append(block)
    return lines, hyphenated, longest, ending_split


def _blocks(lines: list[tuple[str, float, float, float]]) -> list[Block]:
    """Consecutive lines of one size, each one leading below the other, as text blocks."""
    blocks: list[Block] = []
    prev: tuple[str, float, float, float] | None = None
    for line in lines:
        text, x, y, size = line
        if prev is not None and abs(prev[3] - size) < 1e-3 and 0 < prev[2] - y < 1.6 * size:
            blocks[-1].append(text)
        else:
            blocks.append([text])
        prev = line
    return blocks


def _check(blocks: list[Block], words: set[str], what: str) -> None:
    lines, hyphenated, longest, ending_split = _stats(blocks, words)
    assert lines > 100, what
    assert hyphenated <= 0.06 * lines, f"{what}: {hyphenated} of {lines} lines hyphenated"
    assert longest <= 2, what
    assert ending_split == [], what


def _one_size_each(prep: Prepared, what: str) -> None:
    sizes: dict[tuple[str, str], set[float]] = {}
    for card in prep.cards:
        for side in ("front", "back"):
            for note in getattr(card, side).fits:
                if note.element in ELEMENTS:
                    sizes.setdefault((side, note.element), set()).add(note.size)
    assert sizes, what
    assert {k: v for k, v in sizes.items() if len(v) > 1} == {}, what


@pytest.fixture(scope="module")
def micro_words() -> set[str]:
    return _words(yaml.safe_load(MICRO.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("theme", THEMES)
def test_reference_deck_pdf_is_set_like_a_typographer_would(tmp_path: Path, theme: str, lang: str,
                                                            micro_words: set[str]) -> None:
    pdf = build(tmp_path, "--theme", theme, "--lang", lang, "--profile", "shop")
    blocks = [b for page in text_chunks(pdf)
              for b in _blocks([(c.text, c.x, c.y, c.size) for c in page if c.dir == (1.0, 0.0)])]
    _check(blocks, micro_words, f"{theme} {lang}")
    _one_size_each(prepare(MICRO, Options(theme=theme, lang=lang)), f"{theme} {lang}")


def _synthetic_deck(n: int, seed: int = 7) -> dict[str, object]:
    """n cards whose texts are the reference deck's French words drawn at random (titles of 1–4 words,
    summaries of 12–35, bodies of 40–120, long URLs): text the composer has never seen, made here so that
    the test needs nothing outside the repository."""
    micro = yaml.safe_load(MICRO.read_text(encoding="utf-8"))
    text = " ".join(str(c.get(k, {}).get("fr", "")) if isinstance(c.get(k), dict) else str(c.get(k, ""))
                    for c in micro["cards"] for k in ("summary", "body"))
    words = re.findall(r"[\w’'-]+[,.;:!?»]?|«", text.replace("**", "").replace("*", ""))
    rng = random.Random(seed)

    def phrase(lo: int, hi: int) -> str:
        start = rng.randrange(len(words) - hi)
        out = " ".join(words[start:start + rng.randint(lo, hi)]).rstrip(",;:«")
        return out[0].upper() + out[1:] + ("" if out[-1] in ".!?»" else ".")

    families = [{"id": f["id"], "name": f["name"]["fr"], "color": f["color"]} for f in micro["families"]]
    cards = [{"id": f"c{i}", "family": families[i % len(families)]["id"], "title": phrase(1, 4).rstrip("."),
              "summary": phrase(12, 35), "body": phrase(40, 120),
              "source": {"url": f"https://example.org/{'tendances/' * rng.randint(1, 6)}{i}", "label": phrase(2, 5)}}
             for i in range(n)]
    return {"deck": {"title": "Synthétique", "lang": "fr"}, "families": families, "cards": cards}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    deck = tmp_path_factory.mktemp("synthetic") / "deck.yaml"
    data = _synthetic_deck(200)
    deck.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return deck, _words(data)


@pytest.mark.parametrize("theme", THEMES)
def test_synthetic_deck_is_set_like_a_typographer_would(synthetic: tuple[Path, set[str]], theme: str) -> None:
    deck, words = synthetic
    prep = prepare(deck, Options(theme=theme, allow_overflow=True))  # with its ops (QR codes encoded)
    blocks = []
    for card in prep.cards:
        for side in ("front", "back"):
            lines = [("".join(r.text for r in op.runs), op.x, op.y, op.size) for op in getattr(card, side).ops
                     if isinstance(op, TextOp)]
            blocks += _blocks(lines)
    _check(blocks, words, f"synthetic {theme}")
    _one_size_each(prep, f"synthetic {theme}")
