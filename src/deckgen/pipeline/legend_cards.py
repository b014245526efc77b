"""Legend cards (--legend): one card per family of the chosen cards, laid out from the theme's `legend:` design
or the default one (design/legend.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deckgen.deck.languages import lang_loc
from deckgen.deck.model import Deck
from deckgen.deck.source import Source
from deckgen.design.layout import layout_side
from deckgen.design.legend import legend_elements
from deckgen.design.packed import pack
from deckgen.design.side import LaidSide
from deckgen.design.themes import LoadedTheme
from deckgen.errors import Problem
from deckgen.output.fonts import FontBook
from deckgen.units import parse_card_size, parse_length

LegendCard = tuple[str, dict[str, Any], LaidSide, LaidSide]  # family id, template values, front, back


@dataclass(frozen=True)
class LegendLayout:
    """The build's options a legend card is laid out with."""

    bleed: float
    allow_overflow: bool
    press: bool


def legend_cards(deck: Deck, theme: LoadedTheme, fonts: FontBook, lang: str, fallback: str | None,
                 contexts: list[dict[str, Any]], src: Source, how: LegendLayout
                 ) -> tuple[list[LegendCard], list[Problem], list[str]]:
    """One legend card per family of the chosen cards (`contexts`: their template values), in the deck's family
    order; the problems and warnings of their texts, at the family's (or the deck's) line."""
    card_w, card_h = parse_card_size(theme.theme.card)
    title_font = "title" if "title" in fonts.families else "body"
    if theme.theme.legend is not None:  # the theme's own legend design
        front_els, back_els = theme.theme.legend.front, theme.theme.legend.back
    else:
        front_els, back_els = legend_elements(card_w, card_h, parse_length(theme.theme.safe), title_font)
    used = {ctx["family"]["id"] for ctx in contexts}
    out: list[LegendCard] = []
    problems: list[Problem] = []
    warnings: list[str] = []
    for i, fam in enumerate(deck.families):
        if fam.id not in used:
            continue
        ctx = next(c for c in contexts if c["family"]["id"] == fam.id)
        colors = theme.theme.family_colors(fam.id)
        sides = []
        for els, side in ((front_els, "front"), (back_els, "back")):
            lay = layout_side(els, ctx, card_w=card_w, card_h=card_h, colors=colors, metrics=fonts, lang=lang,
                              bleed=how.bleed, allow_overflow=how.allow_overflow, press=how.press)
            for issue in lay.issues:
                head, _, rest = (issue.field or "family.name").partition(".")
                where = lang_loc(src.data, ("deck", rest) if head == "deck" else ("families", i, rest), lang, fallback)
                msg = f"{issue.what} (legend card of family '{fam.id}', {side} {issue.element})"
                if issue.warning:
                    warnings.append(str(src.problem(where, msg)))
                else:
                    problems.append(src.problem(where, msg, issue.hint))
            sides.append(LaidSide(pack(lay.ops), lay.issues, lay.fits))
        out.append((fam.id, ctx, sides[0], sides[1]))
    return out, problems, warnings
