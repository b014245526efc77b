"""A deck file read and checked: the model, its problems, the spreadsheets it named."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from deckgen.deck.model import Deck
from deckgen.deck.source import Source, _describe, display_name, read_yaml
from deckgen.deck.spreadsheets.rows import expand_tables
from deckgen.deck.validate import salvage_deck
from deckgen.errors import DeckError, Problem
from deckgen.files import path_problem

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
    tables: list[Path] = field(default_factory=list)  # the spreadsheets its cards or families were read from
    fetched: tuple[InputFile, ...] = ()  # tables read over the network, by URL and content hash

    @property
    def folder(self) -> Path:
        return self.path.parent

    def inputs(self) -> tuple[InputFile, ...]:
        """What loading the deck read, by content: the deck file, its spreadsheets, the tables it fetched."""
        files = tuple(InputFile(str(p), hash_file(p), p) for p in (self.path, *self.tables))
        return files + self.fetched


def load_deck(path: str | Path) -> LoadedDeck:
    """Read, validate and cross-check a deck file; raise DeckError with every problem found."""
    loaded = read_deck(path)
    if loaded.problems:
        raise DeckError(loaded.problems)
    return loaded


def read_deck(path: str | Path, allow_outside: bool = False) -> LoadedDeck:
    """Read, validate and cross-check a deck file, and keep what is valid: the problems found (in file order)
    come with a deck whose valid cards can still be laid out, so that one run reports their fit and glyph
    problems too (see salvage_deck). Raises DeckError only when the file cannot be read as a deck at all."""
    p = Path(path)
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"):
        raise DeckError(Problem("this is a spreadsheet, not a deck file", display_name(p),
                                hint=f"make a deck from it: deckgen import {p.name} -o deck.yaml "
                                     "(--link keeps reading the spreadsheet)"))
    src = read_yaml(p)
    if not isinstance(src.data, dict):
        raise DeckError(src.problem((), f"expected a mapping with 'deck:' and 'cards:', got {_describe(src.data)}"))
    rows: list[Problem] = []
    tables = [(p.resolve().parent / ref["from"]).resolve() for key in ("families", "cards")
              if isinstance(ref := src.data.get(key), dict) and isinstance(ref.get("from"), str)
              and path_problem(ref["from"]) is None]
    if any(isinstance(src.data.get(key), dict) for key in ("cards", "families")):

        # `cards: {from: trends.csv}`: the rows, with their places
        rows = expand_tables(src, p.resolve().parent, allow_outside=allow_outside)

    deck, problems, invalid = salvage_deck(src, rows)
    return LoadedDeck(deck, src, p.resolve(), problems, invalid, tables)


def check_deck(src: Source, earlier: list[Problem]) -> Deck:
    """Validate and cross-check a deck; raise DeckError with `earlier` problems and every new one."""

    deck, problems, _ = salvage_deck(src, earlier)
    if problems:
        raise DeckError(problems)
    return deck



