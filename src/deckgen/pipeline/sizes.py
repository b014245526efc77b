"""One size per text element across a deck: the first of two passes. Each card of the deck (in the language
being built, whatever cards a build prints) is laid out alone, its texts fitted to their boxes; the size of an
element across the deck is the smallest any card needed, and the second pass lays out every card with it as
the element's largest size, so that sibling cards look alike. A theme with `fit: card` fits each card alone."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deckgen.deck.model import Deck
from deckgen.design.layout import layout_side
from deckgen.design.ops import Metrics
from deckgen.design.side import FitNote
from deckgen.design.templates import TemplateError, fill_template
from deckgen.design.theme_model import Element, Theme
from deckgen.pipeline.context import card_context
from deckgen.units import parse_length

EPS = 1e-9
Caps = dict[str, dict[str, float]]  # side -> text element -> its largest size
# a card laid out in full by the caller, at the caps given: its fit notes by side; None to let pass 1 fit it alone
LayCard = Callable[[int, Caps], Mapping[str, Sequence[FitNote]] | None]


@dataclass(frozen=True)
class DeckSize:
    size: float
    card: str  # a card that needs it (the first found: see deck_sizes)
    nominal: float  # the element's own size


@dataclass(frozen=True)
class SizeInputs:
    """What pass 1 reads: the deck in one language, its theme and fonts."""

    deck: Deck
    theme: Theme
    fonts: Metrics
    lang: str
    fallback: str | None
    card_w: float
    card_h: float
    ids: Sequence[str]
    colors: Mapping[str, str]
    custom: Sequence[str]


def deck_sizes(si: SizeInputs, skip: Collection[int] = (), lay: LayCard | None = None
               ) -> dict[tuple[str, str], DeckSize]:
    """(side, text element) -> the size every card's text of that element fits at, and the card that set it;
    the cards in `skip` (those with problems of their own) left out. Empty for a theme with `fit: card`.

    Only elements that may shrink get a deck size, each card fitted from the smallest size found so far (no
    larger size can be the deck's); once every such element reached its min_size, no card is laid out again.
    The cards whose texts are longest in those elements come first: the likeliest to set the sizes, so that the
    others are fitted at the final sizes (the title of the 5,000-card benchmark deck's longest, its 2,127th card,
    sets its size: in deck order, the 2,126 fronts before it were laid out at a larger size, then again).
    `lay(index, caps)`: the caller lays the card out in full at these caps and gives its fit notes (the same as
    fitting its texts alone), so that a card whose caps are the deck's final sizes is not laid out twice."""
    if si.theme.fit == "card":
        return {}
    out: dict[tuple[str, str], DeckSize] = {}
    sides = {side: {n: el for n, el in getattr(si.theme, side).items() if el is not None} for side in ("front", "back")}
    open_ = {(side, n) for side, elements in sides.items() for n in _shrinkable(elements)}
    first = _longest_texts(si, skip, {key: sides[key[0]][key[1]] for key in open_})
    caps: Caps | None = None  # the sizes so far: one dict while they stay (each card laid out in full keeps it)
    for index in [*first, *(i for i in range(len(si.deck.cards)) if i not in first)]:
        if index in skip or not open_:
            continue
        if caps is None:
            caps = {side: {name: out[(side, name)].size for name in elements if (side, name) in out}
                    for side, elements in sides.items()}
        notes = lay(index, caps) if lay is not None else None
        for side, found in (notes if notes is not None else _fits(si, index, sides, caps)).items():
            for note in found:
                key = (side, note.element)
                if key not in open_:
                    continue
                if key not in out or note.size < out[key].size - EPS:
                    out[key] = DeckSize(note.size, si.ids[index], note.nominal)
                    caps = None
                if note.size <= note.min_size + EPS:
                    open_.discard(key)  # no card can make it smaller
    return out


SEEDS = 8  # cards fitted first for each element that may shrink: those whose text in it is longest


def _longest_texts(si: SizeInputs, skip: Collection[int], elements: Mapping[tuple[str, str], Element]
                   ) -> dict[int, None]:
    """The cards (indexes, in deck order) whose text is among the SEEDS longest of some element's, in characters:
    a cheap guess at which cards need the smallest sizes (a wrong guess costs only time)."""
    if not elements:
        return {}
    lengths: dict[tuple[str, str], list[tuple[int, int]]] = {key: [] for key in elements}
    for index in range(len(si.deck.cards)):
        if index in skip:
            continue
        ctx, _ = _context(si, index)
        for key, el in elements.items():
            try:
                lengths[key].append((-len(fill_template(el.text or "", ctx)), index))
            except (KeyError, TemplateError):  # the layout reports it
                continue
    return dict.fromkeys(sorted({index for found in lengths.values() for _, index in heapq.nsmallest(SEEDS, found)}))


def _fits(si: SizeInputs, index: int, sides: Mapping[str, Mapping[str, Element]], caps: Caps
          ) -> dict[str, list[FitNote]]:
    """The fit notes of a card's sides, its texts fitted alone (overflow allowed: a text too long for its box
    still says the smallest size it reached)."""
    ctx, colors = _context(si, index)
    # every element is laid out (sizes only), so that one placed `below:` another is where pass 2 puts it
    return {side: layout_side(elements, ctx, card_w=si.card_w, card_h=si.card_h, colors=colors, metrics=si.fonts,
                              lang=si.lang, allow_overflow=True, draw=False, size_caps=caps[side],
                              sizes_only=True).fits
            for side, elements in sides.items()}


def _context(si: SizeInputs, index: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The values a card's templates are filled with, and its colours."""
    card = si.deck.cards[index]
    colors = si.theme.family_colors(card.family, si.colors)
    ctx, _ = card_context(si.deck, card, si.ids[index], index + 1, len(si.ids), si.lang, si.fallback, colors,
                          si.custom, index=index)
    return ctx, colors


def _shrinkable(elements: Mapping[str, Element | None]) -> dict[str, Element]:
    """The text elements whose size may change from card to card: a min_size below their size."""
    return {name: el for name, el in elements.items() if el is not None and el.type == "text"
            and el.min_size is not None and parse_length(el.min_size) < parse_length(el.size) - EPS}


def size_caps(sizes: Mapping[tuple[str, str], DeckSize]) -> dict[str, dict[str, float]]:
    """side -> element -> its deck size: what layout_side takes as `size_caps`."""
    caps: dict[str, dict[str, float]] = {"front": {}, "back": {}}
    for (side, element), found in sizes.items():
        caps.setdefault(side, {})[element] = found.size
    return caps
