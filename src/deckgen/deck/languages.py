"""Language maps ({fr: …, en: …}): which text serves a language, with fallbacks; which languages a deck uses."""

from __future__ import annotations

from typing import Any

from deckgen.deck.model import Deck, Loc


def text_in(value: str | dict[str, str] | None, lang: str, fallback: str | None,
            plain: str | None = None) -> str | None:
    """The text of a plain or language-map value in `lang`; LookupError when that language is missing. A plain
    text is in the language `plain` (a card's texts: the deck's language), or in every language when None."""
    if value is None:
        return value
    if isinstance(value, str):
        if plain is not None and lang_key({plain: value}, lang, fallback) is None:
            raise LookupError(plain)
        return value
    key = lang_key(value, lang, fallback)
    if key is None:
        raise LookupError(", ".join(value))
    return value[key]


def lang_key(value: dict[str, str], lang: str, fallback: str | None) -> str | None:
    """The key of a language map that serves `lang`: itself, the same primary language (en for en-GB), or
    else the fallback's."""
    for want in (lang, fallback) if fallback else (lang,):
        if want in value:
            return want
        primary = want.split("-")[0].lower()
        for key in value:
            if key.split("-")[0].lower() == primary:
                return key
    return None


def source_url(value: str | dict[str, str], lang: str, fallback: str | None, default: str) -> str:
    """The URL a card's QR code opens in `lang`: its own for that language when it has one, else the card's
    source (in the fallback or the deck's language, else the first given). A URL is never a missing text."""
    if isinstance(value, str):
        return value
    key = lang_key(value, lang, fallback) or lang_key(value, default, None) or next(iter(value))
    return value[key]


def deck_languages(deck: Deck, default: bool = True) -> list[str]:
    """The languages a deck's texts are written in, its default language (deck.lang) first unless not `default`."""
    values: list[Any] = [deck.deck.title, deck.deck.subtitle, deck.deck.author]
    for fam in deck.families:
        values += [fam.name, fam.description]
    for card in deck.cards:
        values += [card.title, card.summary, card.body, *card.fields.values()]
        if card.source is not None:
            values += [card.source.url, card.source.label]
    langs = [deck.deck.lang] if default else []
    for value in values:
        if isinstance(value, dict):
            langs += list(value)
    return list(dict.fromkeys(langs))


def lang_loc(data: Any, loc: Loc, lang: str, fallback: str | None) -> Loc:
    """`loc` of a language map, down to the text of the language built: cards[3].body -> cards[3].body.en."""
    value = data
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return loc
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        key = lang_key(value, lang, fallback)
        if key is not None and key not in ("url", "label"):
            return loc + (key,)
    return loc
