"""A deck file read and checked: the model, its problems, the spreadsheets it named."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from deckgen.deck.model import Deck
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.source import Source, _describe, display_name, read_yaml
from deckgen.deck.spreadsheets.rows import expand_tables
from deckgen.deck.spreadsheets.sources import TableSource
from deckgen.deck.validate import salvage_deck
from deckgen.errors import DeckError, Problem

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class InputFile:
    """Something a build read, by content: a file (`path`), or a table fetched over the network (`path` None,
    `name` its URL). `deckgen make` keeps these hashes to know whether a target is up to date."""

    name: str
    sha256: str
    path: Path | None = None


def hash_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class LoadedDeck:
    deck: Deck
    src: Source
    path: Path
    problems: list[Problem] = field(default_factory=list)  # only read_deck returns a deck with problems
    invalid: frozenset[int] = frozenset()  # the cards with problems of their own: placeholders in deck.cards
    sources: list[TableSource] = field(default_factory=list)  # the spreadsheets (files, URLs) it read

    @property
    def folder(self) -> Path:
        return self.path.parent

    def inputs(self) -> tuple[InputFile, ...]:
        """What loading the deck read, by content: the deck file, its spreadsheet files, the tables it fetched."""
        tables = (InputFile(str(s.path) if s.path else s.name, s.sha256, s.path) for s in self.sources)
        return (InputFile(str(self.path), hash_file(self.path), self.path), *tables)

    @property
    def tables(self) -> list[Path]:
        """The spreadsheet files its cards or families were read from (not the URLs)."""
        return [s.path for s in self.sources if s.path is not None]

    @property
    def warnings(self) -> list[str]:
        """One line for each URL whose cached copy stood in for a server that cannot be reached."""
        return [s.warning for s in self.sources if s.warning]

    def table_hashes(self) -> list[tuple[str, str]]:
        """(file or URL as the deck writes it, sha256 of the bytes read) of each table the deck read, in the
        order read: what a rebuild compares to tell whether the tables changed."""
        return [(s.name, s.sha256) for s in self.sources]

    def fetched(self) -> list[tuple[str, str]]:
        """(URL asked, sha256) of each table read from a URL: what `watch` and `serve` ask again."""
        return [(s.url, s.sha256) for s in self.sources if s.url is not None]


def load_deck(path: str | Path) -> LoadedDeck:
    """Read, validate and cross-check a deck file; raise DeckError with every problem found."""
    loaded = read_deck(path)
    if loaded.problems:
        raise DeckError(loaded.problems)
    return loaded


def read_deck(path: str | Path, allow_outside: bool = False, remote: Remote = ONLINE, *,
              max_cards: int | None = None) -> LoadedDeck:
    """Read, validate and cross-check a deck file, and keep what is valid: the problems found (in file order)
    come with a deck whose valid cards can still be laid out, so that one run reports their fit and glyph
    problems too (see salvage_deck). Raises DeckError only when the file cannot be read as a deck at all, or
    when its spreadsheet holds more than `max_cards` cards (refused before they are read into cards)."""
    p = Path(path)
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise DeckError(Problem("this is a spreadsheet, not a deck file", display_name(p),
                                hint=f"make a deck from it: deckgen import {p.name} -o deck.yaml "
                                     "(--link keeps reading the spreadsheet)"))
    src = read_yaml(p)
    if not isinstance(src.data, dict):
        raise DeckError(src.problem((), f"expected a mapping with 'deck:' and 'cards:', got {_describe(src.data)}"))
    rows: list[Problem] = []
    sources: list[TableSource] = []
    if any(isinstance(src.data.get(key), dict) for key in ("cards", "families")):
        # `cards: {from: trends.csv}` (or a URL): the rows, with their places
        rows = expand_tables(src, p.resolve().parent, allow_outside=allow_outside, remote=remote, sources=sources,
                             max_cards=max_cards)
    deck, problems, invalid = salvage_deck(src, rows)
    return LoadedDeck(deck, src, p.resolve(), problems, invalid, sources)


def check_deck(src: Source, earlier: list[Problem]) -> Deck:
    """Validate and cross-check a deck; raise DeckError with `earlier` problems and every new one."""

    deck, problems, _ = salvage_deck(src, earlier)
    if problems:
        raise DeckError(problems)
    return deck



