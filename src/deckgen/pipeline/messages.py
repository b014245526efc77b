"""How the first half of the pipeline names what it finds: a missing translation, family colours too close, the
theme key or image element a layout issue is about."""

from __future__ import annotations

import re

from deckgen.deck.model import Deck, Loc
from deckgen.deck.source import Source
from deckgen.design.family_colors import clashes, swatches
from deckgen.design.ops import ImageOp
from deckgen.design.side import Issue
from deckgen.design.theme_model import Element
from deckgen.design.themes import LoadedTheme
from deckgen.errors import Problem, count


def missing_text(src: Source, missing: tuple[Loc, str, bool], lang: str, cid: str) -> Problem:
    """`cards[3].title.en: no 'en' text (card 'x') — it has fr; add its 'en' text, or build with --fallback fr`;
    a plain text is in the deck's language, and the hint says how to write it with its translation."""
    loc, have, plain = missing
    whose = f" (card '{cid}')" if loc[0] == "cards" else ""
    fix = f"write it as {{{have}: …, {lang}: …}}" if plain else f"add its {lang!r} text"
    hint = (f"it is in the deck's language, {have}" if plain else f"it has {have}") + (
        f"; {fix}, or build with --fallback {have.split(',')[0]}")
    return src.problem(loc, f"no {lang!r} text{whose}", hint)


def family_color_warnings(deck: Deck, src: Source, greyscale: bool) -> list[str]:
    """A warning for each pair of family colours too close to tell apart, at the second family's colour."""
    out = []
    for clash in clashes(swatches(deck.families), greyscale):
        a, b = deck.families[clash.first], deck.families[clash.second]
        first = src.problem(("families", clash.first, "color"), "")
        at = f" (line {first.line})" if first.line else ""
        out.append(str(src.problem(("families", clash.second, "color"),
                                   f"'{b.id}' {b.color} is too close to '{a.id}' {a.color}{at} to tell apart: "
                                   f"{clash.why}", "make one lighter, darker or of another hue "
                                                   "(check --colors lists every pair)")))
    return out


def theme_loc(theme: LoadedTheme, side: str, issue: Issue) -> Loc:
    """The theme key an element's problem is about ("unknown colour 'plum'": the key that says plum)."""
    el = getattr(theme.theme, side).get(issue.element)
    m = re.search(r"'([^']+)'|\{([^}]+)\}", issue.what)
    if el is not None and m:
        name = m.group(1) or m.group(2)
        for key in sorted(el.model_fields_set):
            if name in str(getattr(el, key)):
                return (side, issue.element, key)
    return (side, issue.element)


def element_of(op: ImageOp, side: str, theme: LoadedTheme) -> str:
    """The name of the theme's image element that drew `op`, for messages."""
    elements: dict[str, Element | None] = getattr(theme.theme, side)
    for name, el in elements.items():
        if el is not None and el.type == "image" and el.src and "{" not in el.src and el.src.strip() == op.path:
            return name
    return ""


def counted(cards: int, copies: int, legend: int = 0, decks: int = 1) -> str:
    """"29 cards + 2 copies + 5 legend cards = 36 cards", × N decks; just "29 cards" when that is all."""
    parts = [count(cards, "card")]
    if copies:
        parts.append(count(copies, "copy", "copies"))
    if legend:
        parts.append(count(legend, "legend card"))
    what = " + ".join(parts)
    if decks > 1:
        what = f"({what}) × {decks} decks" if len(parts) > 1 else f"{what} × {decks} decks"
    total = (cards + copies + legend) * decks
    return what if total == cards else f"{what} = {count(total, 'card')}"
