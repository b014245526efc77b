"""Inline icons in card texts (pure): `:rocket:` becomes one character that stands for the icon.

Each icon of the pinned set has its own character in the Supplementary Private Use Area-A (U+F0000 + its
place in the sorted names), so the icon passes through typography, hyphenation, line breaking and packing
like a letter, and the writer draws the icon where it finds the character. A `:word:` that is not an icon's
name stays text; `::rocket:` prints `:rocket:` (no backslash: it works in every YAML string style).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from deckgen.deck.icons import canonical, icon_art, names
from deckgen.deck.svg.parse import Art, Shape, recolor
from deckgen.design.ops import RGB, ArtOp, Run, Style, TextOp

BASE = 0xF0000
BOLD_STROKE = 1.4  # Lucide's 2/24 em stroke matches regular text; bold text's stems are about 1.4 times wider
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


@lru_cache(maxsize=1)
def _icon_chars() -> re.Pattern[str]:
    """One icon character (captured, for re.split): the text scans run at C speed."""
    return re.compile(f"([{chr(BASE)}-{chr(BASE + len(_index()) - 1)}])")


COLON = "\ue03a"  # a colon typography leaves alone: `:word:` is printed as written, in every language


def with_icons(text: str) -> str:
    """The text with every `:name:` of an icon replaced by its character, `::name:` by `:name:`, and the colons of
    another `:word:` protected from typography (`restore_colons` puts them back)."""
    if ":" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        ch = icon_char(m.group(2))
        if ch is None or m.group(1):
            return f"{m.group(1)}{COLON}{m.group(2)}{COLON}" if ch is None else f"{COLON}{m.group(2)}{COLON}"
        return ch

    return _TOKEN.sub(one, text)


def restore_colons(text: str) -> str:
    return text.replace(COLON, ":")



def without_icons(text: str) -> tuple[str, int]:
    """The text without its icon characters, and how many there were."""
    icon = _icon_chars()
    if icon.search(text) is None:
        return text, 0
    kept = icon.sub("", text)
    return kept, len(text) - len(kept)


def measure_with_icons(measure: Callable[[str, Style, float], float]) -> Callable[[str, Style, float], float]:
    """A width function for texts with icons: an icon is ADVANCE ems wide, whatever the font."""

    def width(text: str, style: Style, size: float) -> float:
        kept, icons = without_icons(text)
        return (measure(kept, style, size) if kept else 0.0) + icons * ADVANCE * size

    return width


def _styled(art: Art, style: Style) -> Art:
    """An icon in bold text drawn with a heavier stroke, as the letters around it are."""
    if "bold" not in style:
        return art
    items = tuple(replace(i, width=i.width * BOLD_STROKE) if isinstance(i, Shape) else i for i in art.items)
    return Art(art.view, items, art.transparency)


def line_ops(x: float, baseline: float, runs: Sequence[Run], font: str, size: float, color: RGB,
             measure: Callable[[str, Style, float], float]) -> list[TextOp | ArtOp]:
    """One line of text as text ops with the icons between them: each icon one em square, in the text's
    colour, standing on the baseline (Lucide draws 1/12 em inside its square), at the size the text was set."""
    icon = _icon_chars()
    if not any(icon.search(run.text) for run in runs):  # most lines: one text op, nothing to measure
        kept = tuple(run for run in runs if run.text)
        return [TextOp(x, baseline, kept, font, size, color)] if kept else []
    out: list[TextOp | ArtOp] = []
    pending: list[Run] = []
    start = pen = x
    for run in runs:
        for part in icon.split(run.text):
            if not part:
                continue
            name = char_icon(part) if len(part) == 1 else None
            if name is None:
                pending.append(Run(part, run.style))
                pen += measure(part, run.style, size)
                continue
            if pending:
                out.append(TextOp(start, baseline, tuple(pending), font, size, color))
                pending = []
            out.append(ArtOp(_styled(recolor(icon_art(name), color), run.style), pen, baseline - size / 12,
                             ADVANCE * size, size, "contain", f"icon:{name}"))
            pen += ADVANCE * size
            start = pen
    if pending:
        out.append(TextOp(start, baseline, tuple(pending), font, size, color))
    return out
