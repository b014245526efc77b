"""Inline icons in card texts (pure): `:rocket:` becomes one character that stands for the icon.

Each icon of the pinned set has its own character in the Supplementary Private Use Area-A (U+F0000 + its
place in the sorted names), so the icon passes through typography, hyphenation, line breaking and packing
like a letter, and the writer draws the icon where it finds the character. A `:word:` that is not an icon's
name stays text; `::rocket:` prints `:rocket:` (no backslash: it works in every YAML string style).
"""

from __future__ import annotations

import re
from functools import lru_cache

from deckgen.deck.icons import canonical, names

BASE = 0xF0000
ADVANCE = 1.0  # the icon's width in ems: Lucide draws inside 20/24 of its square, which leaves the side bearings
_TOKEN = re.compile(r"(:?):([a-z0-9]+(?:-[a-z0-9]+)*):")


@lru_cache(maxsize=1)
def _index() -> dict[str, int]:
    return {name: i for i, name in enumerate(names())}


def icon_char(name: str) -> str | None:
    """The character that stands for the icon `name` (an alias included), or None."""
    key = canonical(name)
    return None if key is None else chr(BASE + _index()[key])


def char_icon(ch: str) -> str | None:
    """The icon a character stands for, or None for any other character."""
    i = ord(ch) - BASE
    all_names = names()
    return all_names[i] if 0 <= i < len(all_names) else None


def is_icon(ch: str) -> bool:
    return BASE <= ord(ch) < BASE + len(_index())


def with_icons(text: str) -> str:
    """The text with every `:name:` of an icon replaced by its character, and `::name:` by `:name:`."""
    if ":" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        ch = icon_char(m.group(2))
        if ch is None:
            return m.group(0)
        return f":{m.group(2)}:" if m.group(1) else ch

    return _TOKEN.sub(one, text)

