"""Every problem of a deck in one run, and the part of it that can still be laid out.

The model's problems, the cross-checks' (duplicate ids, unknown families…) and, since the valid cards are
laid out all the same (build.prepare), their fit and glyph problems: nothing hides behind something else.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from deckgen.deck.model import (
    FIELD_NAME,
    LANG,
    RESERVED_FIELDS,
    SLUG,
    Card,
    Deck,
    DeckInfo,
    Family,
    Loc,
    first_text,
    required_text,
    slugify,
)
from deckgen.deck.source import M, Source, clean_loc, problems_from
from deckgen.errors import Problem, did_you_mean, in_file_order


def raw_card_id(card: Any, lang: str) -> str | None:
    """A card's id from its raw mapping: its own when it is a slug, else derived from a valid title; None when
    neither can be known (the card's own problems say why)."""
    if not isinstance(card, dict):
        return None
    if card.get("id") is not None:
        return card["id"] if isinstance(card["id"], str) and SLUG.match(card["id"]) else None
    try:
        title = required_text("")(card.get("title"))
    except ValueError:
        return None
    return slugify(first_text(title, lang))


Found = list[tuple[Loc, str, str | None]]  # (location, what, hint)


def _family_ids(families: Any, problems: Found) -> set[str]:
    seen: set[str] = set()
    for i, fam in enumerate(families if isinstance(families, list) else []):
        fid = fam.get("id") if isinstance(fam, dict) else None
        if not isinstance(fid, str):
            continue
        if fid in seen:
            problems.append((("families", i, "id"), f"duplicate family id {fid!r}", "give each family its own id"))
        seen.add(fid)
    return seen


def _card_family(i: int, card: dict[str, Any], families: Any, known: set[str], problems: Found) -> None:
    if not isinstance(families, list):  # `families:` itself is wrong: reported as such
        return
    family = card.get("family")
    if isinstance(family, str) and family not in known:
        if families:
            hint = did_you_mean(family, known) or "families: " + ", ".join(sorted(known))
        else:
            hint = "the deck has no families: list them under 'families:'"
        problems.append((("cards", i, "family"), f"unknown family {family!r}", hint))
    elif family is None and families:
        problems.append((("cards", i), "no family", "every card names one when the deck has families"))


def _card_fields(i: int, card: dict[str, Any], problems: Found) -> None:
    fields = card.get("fields")
    for key in fields if isinstance(fields, dict) else ():
        if not FIELD_NAME.match(key):
            problems.append((("cards", i, "fields", key), f"not a field name: {key!r}",
                             "letters, digits and _, starting with a letter: a theme names it {" + "name}"))
        elif key in RESERVED_FIELDS:
            problems.append((("cards", i, "fields", key), f"{key!r} is a built-in field",
                             "choose another name for the custom field"))


def cross_check(data: dict[str, Any]) -> Found:
    """Problems that span several parts of a deck: (location, what, hint).

    It reads the raw data, not the validated deck, so that a part with problems of its own (a card with a bad
    URL, a family with a bad colour) still counts: its id is still taken, its family still named."""
    problems: Found = []
    info = data.get("deck")
    lang = info.get("lang") if isinstance(info, dict) else None
    lang = lang if isinstance(lang, str) and LANG.match(lang) else "en"
    families = data.get("families", [])
    known = _family_ids(families, problems)
    cards = data.get("cards")
    seen: dict[str, int] = {}
    for i, card in enumerate(cards if isinstance(cards, list) else []):
        if not isinstance(card, dict):
            continue
        cid = raw_card_id(card, lang)
        if cid is not None:
            loc: Loc = ("cards", i, "id") if "id" in card else ("cards", i, "title")
            if cid in seen:
                problems.append((loc, f"duplicate card id {cid!r}",
                                 f"cards[{seen[cid]}] has it already; set a unique id"))
            seen.setdefault(cid, i)
        _card_family(i, card, families, known, problems)
        _card_fields(i, card, problems)
    return problems


def salvage_deck(src: Source, earlier: list[Problem]) -> tuple[Deck, list[Problem], frozenset[int]]:
    """Every problem of a deck (`earlier` ones, the model's, the cross-checks'), in file order; and the deck
    as far as it is valid, with the indices of the cards that are not.

    The cards and families keep their places (locations and card numbers stay those of the file): a card with
    problems is a placeholder, never laid out; a family with problems keeps its valid keys when it can. The
    cross-checks read the raw data, so that a card with a bad URL still takes its id and names its family."""
    try:
        deck: Deck | None = Deck.model_validate(src.data)
        found: list[Problem] = []
        bad: list[Loc] = []
    except ValidationError as exc:
        deck = None
        found = problems_from(exc, Deck, src)
        bad = [clean_loc(err["loc"], src.data) for err in exc.errors(include_url=False)]
    # a row already reported (an empty title…) is not reported again as a missing key
    seen = {(q.file, q.line) for q in earlier}
    problems = earlier + [q for q in found if (q.file, q.line) not in seen or not q.what.startswith("missing")]
    problems += [src.problem(loc, what, hint) for loc, what, hint in cross_check(src.data)]
    invalid: frozenset[int] = frozenset()
    if deck is None:
        deck, invalid = _partial_deck(src.data, bad)
    return deck, in_file_order(problems), invalid


def _keys_at(bad: list[Loc], key: str) -> dict[int | str, set[str | int]]:
    """The items under `key` with problems, and their keys with problems: {3: {"source"}} for cards[3].source."""
    out: dict[int | str, set[str | int]] = {}
    for loc in bad:
        if len(loc) > 1 and loc[0] == key:
            out.setdefault(loc[1], set()).update(loc[2:3])
    return out


def _valid(model: type[M], data: Any, drop: Collection[str | int] = ()) -> M | None:
    """`data` (without the keys in `drop`) validated as `model`, or None."""
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in drop})
    except ValidationError:
        return None


def _partial_deck(data: dict[str, Any], bad: list[Loc]) -> tuple[Deck, frozenset[int]]:
    """The valid part of a deck whose validation failed at the locations `bad` (see salvage_deck)."""
    info_keys = _keys_at(bad, "deck")
    raw = data.get("deck")
    raw_info: dict[str, Any] = raw if isinstance(raw, dict) else {}
    info = _valid(DeckInfo, {"title": "?", **{k: v for k, v in raw_info.items() if k not in info_keys}})
    lang = info.lang if info else "en"
    bad_fams = _keys_at(bad, "families")
    families: list[Family] = []
    for i, raw in enumerate(data["families"] if isinstance(data.get("families"), list) else []):
        fam = _valid(Family, raw, bad_fams.get(i, set()))
        if fam is None:  # a placeholder that keeps its id, so that its cards still find it
            fid = raw.get("id") if isinstance(raw, dict) else None
            fam = Family.model_construct(id=fid if isinstance(fid, str) else "", name="")
        families.append(fam)
    bad_cards = _keys_at(bad, "cards")
    cards: list[Card] = []
    invalid: set[int] = set()
    for i, raw in enumerate(data["cards"] if isinstance(data.get("cards"), list) else []):
        card = _valid(Card, raw) if i not in bad_cards else None
        if card is None:
            invalid.add(i)
            card = Card.model_construct(title="", id=raw_card_id(raw, lang))
        cards.append(card)
    deck = Deck.model_construct(deck=info or DeckInfo(title="?"), families=families, cards=cards)
    return deck, frozenset(invalid)
