"""One size per text element across a deck: the first of two passes. Each card of the deck (in the language
being built, whatever cards a build prints) is laid out alone, its texts fitted to their boxes; the size of an
element across the deck is the smallest any card needed, and the second pass lays out every card with it as
the element's largest size, so that sibling cards look alike. A theme with `fit: card` fits each card alone."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from deckgen.deck.model import Deck
from deckgen.design.layout import layout_side
from deckgen.design.ops import Metrics
from deckgen.design.theme_model import Theme
from deckgen.pipeline.context import card_context

EPS = 1e-9


@dataclass(frozen=True)
class DeckSize:
    size: float
    card: str  # the id of the first card that needed it
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


def deck_sizes(si: SizeInputs, skip: Collection[int] = ()) -> dict[tuple[str, str], DeckSize]:
    """(side, text element) -> the size every card's text of that element fits at, and the card that set it;
    the cards in `skip` (those with problems of their own) left out. Empty for a theme with `fit: card`."""
    if si.theme.fit == "card":
        return {}
    out: dict[tuple[str, str], DeckSize] = {}
    for index, card in enumerate(si.deck.cards):
        if index in skip:
            continue
        colors = dict(si.colors)
        if card.family and card.family in si.theme.families:
            colors.update(si.theme.families[card.family].colors)
        ctx, _ = card_context(si.deck, card, si.ids[index], index + 1, len(si.ids), si.lang, si.fallback, colors,
                              si.custom, index=index)
        for side in ("front", "back"):
            lay = layout_side(getattr(si.theme, side), ctx, card_w=si.card_w, card_h=si.card_h, colors=colors,
                              metrics=si.fonts, lang=si.lang, allow_overflow=True, draw=False)
            for note in lay.fits:
                key = (side, note.element)
                if key not in out or note.size < out[key].size - EPS:
                    out[key] = DeckSize(note.size, si.ids[index], note.nominal)
    return out


def size_caps(sizes: Mapping[tuple[str, str], DeckSize]) -> dict[str, dict[str, float]]:
    """side -> element -> its deck size: what layout_side takes as `size_caps`."""
    caps: dict[str, dict[str, float]] = {"front": {}, "back": {}}
    for (side, element), found in sizes.items():
        caps.setdefault(side, {})[element] = found.size
    return caps
