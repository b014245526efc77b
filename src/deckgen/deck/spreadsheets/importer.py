"""`deckgen import trends.csv -o deck.yaml`: a deck file from a spreadsheet, its rows copied or (--link) read
at each build."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deckgen.deck.languages import lang_key
from deckgen.deck.load import check_deck
from deckgen.deck.model import Deck, card_ids
from deckgen.deck.source import Source, display_name
from deckgen.deck.spreadsheets.columns import FAMILY_SHEETS, plain_language, table_languages
from deckgen.deck.spreadsheets.read import Table, read_tables
from deckgen.deck.spreadsheets.rows import expand_tables
from deckgen.errors import DeckError, Problem


@dataclass
class Imported:
    text: str  # the deck file
    deck: Deck
    tables: list[Table]
    why: str | None = None  # why the deck has its language, when --lang did not say it


def import_table(path: Path, out: Path, *, title: str | None = None, lang: str | None = None,
                 encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
                 link: bool = False) -> Imported:
    """A deck file from a spreadsheet: its rows written out as YAML cards, or (`link`) a deck that reads them."""
    path = path.resolve()
    ref: dict[str, Any] = {"from": str(path)}
    for key, value in (("sheet", sheet), ("encoding", encoding), ("delimiter", delimiter)):
        if value is not None:
            ref[key] = value
    why = None
    if lang is None:
        lang, why = _language(path, encoding, delimiter)
    stem = re.sub(r"[_-]+", " ", path.stem).strip() or "Deck"
    info = {"title": title or stem[:1].upper() + stem[1:], "lang": lang}
    src = Source({"deck": info, "cards": dict(ref)}, {}, display_name(path))
    used: list[Table] = []
    deck = check_deck(src, expand_tables(src, Path.cwd(), derive_families=True, used=used, allow_outside=True))
    data: dict[str, Any] = {"deck": info}
    fam_sheet = any(t.sheet and t.sheet.strip().lower() in FAMILY_SHEETS for t in used)
    plain = not table_languages(used)[0]
    if src.data.get("families") and not (link and fam_sheet):
        data["families"] = src.data["families"]
        for fam in data["families"] if plain else []:
            _unwrap(fam, lang)
    if link:
        ref["from"] = os.path.relpath(path, out.resolve().parent).replace(os.sep, "/")
        data["cards"] = ref
    else:
        ids = card_ids(deck)
        data["cards"] = [{"id": cid, **{k: v for k, v in card.items() if k != "id"}}
                         for cid, card in zip(ids, src.data["cards"], strict=True)]
        for card in data["cards"]:
            if plain:  # a sheet in one language: plain texts, as it was written
                _unwrap(card, lang)
            source = card.get("source")
            if isinstance(source, dict) and list(source) == ["url"]:
                card["source"] = source["url"]
    how = "reads its cards from" if link else "made from"
    head = f"# deckgen deck {how} {display_name(path)} (deckgen import)\n"
    return Imported(head + dump_yaml(data), deck, used, why)


def _language(path: Path, encoding: str | None, delimiter: str | None) -> tuple[str, str]:
    """The deck's language when --lang does not say, and why: the language of the plain text columns (from their
    names or texts), else the first one the columns name (title.fr), else en."""
    peek = read_tables(path, display_name(path), encoding=encoding, delimiter=delimiter)
    langs, clash = table_languages(peek)
    guess = plain_language(peek)
    if guess is not None and not (langs and lang_key({guess.lang: ""}, langs[0], None) and clash):
        return guess.lang, guess.why
    if clash:  # plain columns beside columns in the first language: they must be in another one
        raise DeckError(Problem(f'the column "{clash[0]}" has no language, beside a column of the same field '
                                f"in {langs[0]} (the first language of the columns)", display_name(path),
                                peek[0].header_line,
                                hint="give the language of the plain columns: --lang fr, --lang de…"))
    if langs:
        return langs[0], "the first language the columns name"
    return "en", "deckgen's default, the texts do not say"


def _unwrap(item: dict[str, Any], lang: str) -> None:
    """{lang: text} -> text in the card's texts (a sheet with no language columns is in one language)."""
    for key, value in item.items():
        if isinstance(value, dict) and key != "fields":
            if list(value) == [lang]:
                item[key] = value[lang]
            else:
                _unwrap(value, lang)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(i, str) and "\n" not in i for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
