"""The values a card's theme templates see (its context), and where in the deck file each comes from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from deckgen.deck.languages import source_url, text_in
from deckgen.deck.model import Card, Deck, Loc


class _Texts:
    """Reads the texts of one card in one language, noting those missing: (location, the languages the value
    has, whether it is a plain text)."""

    def __init__(self, lang: str, fallback: str | None, deck_lang: str) -> None:
        self.lang, self.fallback, self.deck_lang = lang, fallback, deck_lang
        self.missing: list[tuple[Loc, str, bool]] = []

    def __call__(self, value: Any, loc: Loc, every: bool = False) -> str | None:
        """A text in `lang`; a plain card text is in the deck's language, a plain deck title (`every`) in every one."""
        try:
            return text_in(value, self.lang, self.fallback, None if every else self.deck_lang)
        except LookupError as exc:
            self.missing.append((loc + (self.lang,), str(exc), isinstance(value, str)))
            return ""


def card_context(deck: Deck, card: Card, cid: str, number: int, total: int, lang: str, fallback: str | None,
                 colors: dict[str, str], custom: Sequence[str] = (), index: int | None = None
                 ) -> tuple[dict[str, Any], list[tuple[Loc, str, bool]]]:
    """The values a theme template can name, and the missing texts: (location, the languages the value has,
    whether it is a plain text)."""
    if index is None:  # pass it: list.index compares pydantic models, quadratic over a big deck
        index = deck.cards.index(card)
    t = _Texts(lang, fallback, deck.deck.lang)
    family = _family(deck, card, colors, t)
    source = _source(deck, card, index, t)
    ctx: dict[str, Any] = {
        "deck": {"title": t(deck.deck.title, ("deck", "title"), every=True),
                 "subtitle": t(deck.deck.subtitle, ("deck", "subtitle"), every=True),
                 "author": t(deck.deck.author, ("deck", "author"), every=True), "lang": lang},
        "id": cid,
        "number": number,
        "total": total,
        "title": t(card.title, ("cards", index, "title")),
        "summary": t(card.summary, ("cards", index, "summary")),
        "body": t(card.body, ("cards", index, "body")),
        "family": family,
        "source": source,
        "tags": ", ".join(card.tags),
        "image": card.image or "",
        "icon": card.icon or "",
    }
    for key, value in card.fields.items():
        # a custom field may be a code or a name: plain, it serves every language (as a plain custom column does)
        ctx.setdefault(key, t(value, ("cards", index, "fields", key), every=True)
                       if not isinstance(value, (int, float)) else value)
    for key in custom:  # a field some other card defines is empty here, not unknown
        ctx.setdefault(key, None)
    return ctx, t.missing


def _family(deck: Deck, card: Card, colors: dict[str, str], t: _Texts) -> dict[str, str | None]:
    """The card's family as its templates see it (empty values, in the theme's accent colour, without one)."""
    fam = next((f for f in deck.families if f.id == card.family), None)
    if fam is None:
        return {"id": "", "name": "", "color": colors.get("accent", "#555555"), "description": "", "image": "",
                "icon": ""}
    fam_index = deck.families.index(fam)
    return {"id": fam.id, "name": t(fam.name, ("families", fam_index, "name")), "color": fam.color,
            "description": t(fam.description, ("families", fam_index, "description")) or "",
            "image": fam.image or "", "icon": fam.icon or ""}


def _source(deck: Deck, card: Card, index: int, t: _Texts) -> dict[str, str | None] | None:
    """The card's source URL in this language, and its label (the URL's host without one)."""
    if card.source is None:
        return None
    url = source_url(card.source.url, t.lang, t.fallback, deck.deck.lang)
    label = t(card.source.label, ("cards", index, "source", "label")) if card.source.label else None
    return {"url": url, "label": label or _host(url or "")}


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _field_loc(field_name: str | None, index: int, deck: Deck, card: Card) -> Loc:
    """Where in the deck file the text of a theme field comes from."""
    if not field_name:
        return ("cards", index)
    head, _, rest = field_name.partition(".")
    if head == "deck":
        return ("deck", rest)
    if head == "family":
        fam = next((i for i, f in enumerate(deck.families) if f.id == card.family), None)
        return ("families", fam, rest) if fam is not None else ("cards", index, "family")
    if head == "source":
        if rest == "url":  # the line of the URL, whether written `source: URL` or `source: {url: URL}`
            return ("cards", index, "source", "url")
        return ("cards", index, "source", rest) if rest == "label" and card.source and card.source.label else (
            "cards", index, "source")
    if head in Card.model_fields:
        return ("cards", index, head)
    if head in card.fields:
        return ("cards", index, "fields", head)
    return ("cards", index)  # {number}, {total}, {tags}: the card itself
