"""`deckgen import trends.csv -o deck.yaml`: a deck file from a spreadsheet, its rows copied or (--link) read
at each build."""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deckgen.deck.languages import lang_key
from deckgen.deck.load import check_deck
from deckgen.deck.model import Deck, TableRef, card_ids
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.source import Source, display_name
from deckgen.deck.spreadsheets.columns import FAMILY_SHEETS, plain_language, table_languages
from deckgen.deck.spreadsheets.online import is_url
from deckgen.deck.spreadsheets.read import Table, read_tables
from deckgen.deck.spreadsheets.rows import expand_tables
from deckgen.deck.spreadsheets.sources import TableSource, open_tables
from deckgen.errors import DeckError, Problem
from deckgen.files import path_problem


@dataclass
class Imported:
    text: str  # the deck file
    deck: Deck
    tables: list[Table]
    why: str | None = None  # why the deck has its language, when --lang did not say it
    warnings: list[str] = field(default_factory=list)  # a cached copy stood in for a server not reached


def import_table(table: str | Path, out: Path, *, title: str | None = None, lang: str | None = None,
                 encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
                 link: bool = False, remote: Remote = ONLINE) -> Imported:
    """A deck file from a spreadsheet (a file, or an http(s) URL fetched as `remote` says): its rows written out
    as YAML cards, or (`link`) a deck that reads them."""
    online = is_url(str(table))
    name = str(table).strip() if online else str(Path(table).resolve())
    shown = name if online else display_name(Path(name))
    ref: dict[str, Any] = {"from": name}
    for key, value in (("sheet", sheet), ("encoding", encoding), ("delimiter", delimiter)):
        if value is not None:
            ref[key] = value
    why = None
    if lang is None:
        peek = TableRef.model_construct(from_=name, sheet=sheet, encoding=encoding, delimiter=delimiter)
        lang, why = _language(_peek(peek, shown, remote), shown)
    info = {"title": title or table_title(name), "lang": lang}
    src = Source({"deck": info, "cards": dict(ref)}, {}, shown)
    used: list[Table] = []
    sources: list[TableSource] = []
    deck = check_deck(src, expand_tables(src, Path.cwd(), derive_families=True, used=used, allow_outside=True,
                                         remote=remote, sources=sources))
    data: dict[str, Any] = {"deck": info}
    fam_sheet = any(t.sheet and t.sheet.strip().lower() in FAMILY_SHEETS for t in used)
    plain = not table_languages(used)[0]
    if src.data.get("families") and not (link and fam_sheet):
        data["families"] = src.data["families"]
        for fam in data["families"] if plain else []:
            _unwrap(fam, lang)
    if link:
        ref["from"] = name if online else os.path.relpath(name, out.resolve().parent).replace(os.sep, "/")
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
    head = f"# deckgen deck {how} {shown} (deckgen import)\n"
    return Imported(head + dump_yaml(data), deck, used, why, [s.warning for s in sources if s.warning])


def table_title(table: str) -> str:
    """A deck's title from its spreadsheet's name ("my_trends.csv": "My trends"); "Deck" for a URL without one
    (a Google Sheets link)."""
    stem = url_stem(table) if is_url(table) else Path(table).stem
    stem = re.sub(r"[_-]+", " ", stem).strip() or "Deck"
    return stem[:1].upper() + stem[1:]


def url_stem(url: str) -> str:
    """The name of the spreadsheet file a URL names, without its suffix ("trends" for …/trends.csv?dl=1); ""
    when it names none (a Google Sheets link)."""
    last = urllib.parse.unquote(urllib.parse.urlsplit(url.strip()).path.rstrip("/").rsplit("/", 1)[-1])
    stem, dot, suffix = last.rpartition(".")
    stem = stem.strip()
    ok = dot and suffix.lower() in ("csv", "tsv", "txt", "xlsx", "xlsm") and path_problem(last) is None
    return stem if ok and re.fullmatch(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*", stem) else ""


def _peek(ref: TableRef, shown: str, remote: Remote) -> list[Table]:
    """Every table of the spreadsheet, to guess the deck's language."""
    if is_url(ref.from_):
        return open_tables(Source({}, {}, shown), "cards", ref, Path.cwd(), True, remote)[0]
    return read_tables(Path(ref.from_), shown, encoding=ref.encoding, delimiter=ref.delimiter)


def _language(peek: list[Table], shown: str) -> tuple[str, str]:
    """The deck's language when --lang does not say, and why: the language of the plain text columns (from their
    names or texts), else the first one the columns name (title.fr), else en."""
    langs, clash = table_languages(peek)
    guess = plain_language(peek)
    if guess is not None and not (langs and lang_key({guess.lang: ""}, langs[0], None) and clash):
        return guess.lang, guess.why
    if clash:  # plain columns beside columns in the first language: they must be in another one
        raise DeckError(Problem(f'the column "{clash[0]}" has no language, beside a column of the same field '
                                f"in {langs[0]} (the first language of the columns)", shown,
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
