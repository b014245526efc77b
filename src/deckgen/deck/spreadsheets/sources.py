"""Where a deck's tables come from: a file inside the deck's folder, or an http(s) URL (deck/remote.py).

Each table read is a `TableSource`: what messages call it, and the sha256 of its bytes, so that a caller can
tell whether what a deck read has changed (`LoadedDeck.table_hashes()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from deckgen.cache import sha256
from deckgen.deck.model import TableRef
from deckgen.deck.remote import FetchFailed, Remote, fetch_table
from deckgen.deck.source import Source, display_name
from deckgen.deck.spreadsheets.online import export_url, is_url
from deckgen.deck.spreadsheets.read import Table, parse_tables
from deckgen.errors import DeckError, Problem
from deckgen.files import outside, read_input


@dataclass(frozen=True)
class TableSource:
    """A table file or URL a deck read."""

    name: str  # as messages show it: the file's path, or the URL as the deck writes it
    sha256: str  # of the bytes read
    path: Path | None = None  # a file
    url: str | None = None  # the URL asked (a Google Sheets link's export)
    warning: str | None = None  # a cached copy stood in for a server that cannot be reached


_OTHER_SCHEME = re.compile(r"([a-z][a-z0-9+.-]{0,31})://", re.I)  # ftp://, file://: not a file name


def open_tables(src: Source, key: str, ref: TableRef, folder: Path, allow_outside: bool,
                remote: Remote) -> tuple[list[Table], TableSource]:
    """The tables of `cards: {from: …}` (key "cards") or `families: {from: …}`; DeckError at the deck's
    `from:` for a file or URL that cannot be read, at the table's place for a table that cannot be parsed."""
    if is_url(ref.from_):
        return _fetched(src, key, ref, remote)
    scheme = _OTHER_SCHEME.match(ref.from_.strip())
    if scheme:
        raise DeckError(src.problem((key, "from"), f"only http(s) links can be read, not {scheme.group(1)}:",
                                    "download the table next to the deck, or give its https:// address"))
    path = table_path(src, key, ref.from_, folder, allow_outside)
    name = display_name(path)
    raw = read_input(path, name)
    tables = parse_tables(raw, name, path.suffix.lower(), encoding=ref.encoding, delimiter=ref.delimiter)
    return tables, TableSource(name, sha256(raw), path=path)


def _fetched(src: Source, key: str, ref: TableRef, remote: Remote) -> tuple[list[Table], TableSource]:
    url = export_url(ref.from_, whole_workbook=ref.sheet is not None)
    name = ref.from_.strip()
    try:
        got = fetch_table(url, remote)
    except FetchFailed as exc:
        asked = "" if url == name else f" (asked as {url})"
        if src.file == name:  # `deckgen import URL`: no deck file names it
            raise DeckError(Problem(exc.what + asked, name, hint=exc.hint)) from None
        raise DeckError(src.problem((key, "from"), f"{name}{asked}: {exc.what}", exc.hint)) from None
    tables = parse_tables(got.body, name, None, encoding=ref.encoding, delimiter=ref.delimiter)
    return tables, TableSource(name, got.sha256, url=url, warning=got.warning)


def table_path(src: Source, key: str, name: str, folder: Path, allow_outside: bool) -> Path:
    """The spreadsheet a deck names: a file inside the deck's folder (unless --allow-outside)."""
    path = (folder / name).resolve()
    if not allow_outside and outside(path, [folder]):
        raise DeckError(src.problem((key, "from"), f"spreadsheet {name!r} is outside the deck's folder",
                                    "move it next to the deck, or build with --allow-outside"))
    if not path.is_file():
        raise DeckError(src.problem((key, "from"), f"no such file: {name}", f"looked for {path}"))
    return path
