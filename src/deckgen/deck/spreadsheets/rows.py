"""Spreadsheet rows -> deck data: `cards: {from: trends.csv}` (and `deckgen import`, in importer.py).

Columns map to card fields by header (`title`, `summary`, `body`, `family`, `source` or `source_url` +
`source_label`, `tags`, `copies`, `id`, `image`; `title.fr`, `title.en`… for languages; any other column is a
custom field: see columns.py). Every value keeps its file, line and column, so that the deck model's messages name them:
`trends.csv:14: column "source": not an http(s) URL`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from deckgen.deck.model import LANG, Loc, TableRef, first_text, slugify
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.source import Source, problems_from
from deckgen.deck.spreadsheets.columns import (
    CARD_ALIASES,
    CARD_COLUMNS,
    FAMILY_ALIASES,
    FAMILY_COLUMNS,
    FAMILY_SHEETS,
    Column,
    parse_columns,
)
from deckgen.deck.spreadsheets.read import Table, cell_text
from deckgen.deck.spreadsheets.sources import TableSource, open_tables
from deckgen.errors import DeckError, Problem
from deckgen.limits import over

# Families without a colour get these, in order: no two too close to tell apart, in normal vision or under
# deuteranopia or protanopia (the check of design/family_colors.py).
PALETTE = ["#384666", "#DA532B", "#F2A900", "#3FA79A", "#884299", "#D1495B", "#1A8698", "#88AD71", "#AF97BC",
           "#F4CE92"]


@dataclass
class Rows:
    """Deck data made from a table, with the place of every value."""

    items: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[Loc, int] = field(default_factory=dict)
    wheres: dict[Loc, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # a problem with the header or the whole table: its rows mean nothing


def _put(item: dict[str, Any], path: tuple[str, ...], lang: str | None, value: Any) -> None:
    target = item
    for part in path[:-1]:
        target = target.setdefault(part, {})
    if lang:
        target.setdefault(path[-1], {})[lang] = value
    else:
        target[path[-1]] = value


def _get(item: dict[str, Any], path: tuple[str, ...], lang: str | None) -> Any:
    value: Any = item
    for part in path + ((lang,) if lang else ()):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _hyperlinks(item: dict[str, Any], cols: list[Column], table: Table, line: int) -> None:
    """A workbook's linked cell ("Wikipedia" linking to https://…) in a source column gives the URL and the label."""
    for c in cols:
        link = table.links.get((line, c.index))
        if c.custom or c.key not in ("source_url", "source_label") or not link:
            continue
        url = _get(item, ("source", "url"), c.lang)
        if url is not None and str(url).startswith(("http://", "https://")):
            continue
        _put(item, ("source", "url"), c.lang, link)
        if url is not None and _get(item, ("source", "label"), c.lang) is None:
            _put(item, ("source", "label"), c.lang, url)


def _family_ids(families: Any) -> dict[str, str]:
    """Family id, name (in any language) or slugged name, lowercased -> family id."""
    out: dict[str, str] = {}
    for fam in families if isinstance(families, list) else []:
        if not isinstance(fam, dict) or not isinstance(fam.get("id"), str):
            continue
        names = fam.get("name")
        for name in (names.values() if isinstance(names, dict) else [names]):
            if isinstance(name, str):
                out.setdefault(name.strip().lower(), fam["id"])
                out.setdefault(slugify(name), fam["id"])
        out[fam["id"].lower()] = fam["id"]
    return out


def convert(table: Table, prefix: str, deck_lang: str, families: Any = None) -> Rows:
    """One item per row: cards (prefix "cards") or families (prefix "families")."""
    is_cards = prefix == "cards"
    known, aliases = (CARD_COLUMNS, CARD_ALIASES) if is_cards else (FAMILY_COLUMNS, FAMILY_ALIASES)
    cols, problems = parse_columns(table, known, aliases, deck_lang)
    out = Rows(problems=problems, fatal=bool(problems))
    required = "title" if is_cards else "name"
    if not any(c.key == required and not c.custom for c in cols):
        names = ", ".join(f'"{h}"' for h in table.headers if h) or "none"
        out.problems.append(Problem(f'no "{required}" column', table.file, table.header_line,
                                    table.sheet and f'sheet "{table.sheet}"',
                                    f"the first row names the columns; it has {names}"))
        out.fatal = True
        return out
    reader = _RowReader(table, prefix, deck_lang, cols, known, _family_ids(families), out)
    for line, number, cells in table.rows:
        reader.read(line, number, cells)
    if not out.items:
        out.problems.append(Problem("no rows under the header", table.file, table.header_line,
                                    table.sheet and f'sheet "{table.sheet}"', "one row per card"))
        out.fatal = True
    return out


@dataclass
class _RowReader:
    """Adds the item of each row to `out`, with the place (line, and how messages name it) of every value."""

    table: Table
    prefix: str  # "cards" or "families"
    deck_lang: str
    cols: list[Column]
    known: dict[str, tuple[str, ...]]
    fam_ids: dict[str, str]
    out: Rows

    def read(self, line: int, number: int, cells: list[Any]) -> None:
        base: Loc = (self.prefix, len(self.out.items))
        item: dict[str, Any] = {}
        self.out.lines[base] = line
        self.out.wheres[base] = (f'sheet "{self.table.sheet}", row {number}' if self.table.sheet
                                 else f"row {number}")
        for c in self.cols:
            path = ("fields", c.key) if c.custom else self.known[c.key]
            loc = base + path + ((c.lang,) if c.lang else ())
            for k in range(len(base) + 1, len(loc) + 1):
                self.out.lines.setdefault(loc[:k], line)
                self.out.wheres.setdefault(loc[:k], self.table.where(c.header, line, number))
            value: Any = cell_text(cells[c.index]) if c.index < len(cells) else None
            if value is not None:
                _put(item, path, c.lang, _value(c, value, self.fam_ids))
        if self.prefix == "cards":
            _hyperlinks(item, self.cols, self.table, line)
        self.out.items.append(_ordered(self._checked(item, line, number), self.known))

    def _checked(self, item: dict[str, Any], line: int, number: int) -> dict[str, Any]:
        """The item, its problems noted: a source label without a URL, no title (or name); a family gets an id."""
        is_cards = self.prefix == "cards"
        required = "title" if is_cards else "name"
        src = item.get("source")
        if isinstance(src, dict) and "url" not in src:
            col = next(c for c in self.cols if c.key == "source_label")
            self.out.problems.append(Problem("a source label without a URL", self.table.file, line,
                                             self.table.where(col.header, line, number),
                                             'fill the "source" (or "source_url") column of this row'))
        if required not in item:
            col = next(c for c in self.cols if c.key == required)
            self.out.problems.append(Problem("empty", self.table.file, line, self.table.where(col.header, line, number),
                                             f"every {'card' if is_cards else 'family'} needs a {required}"))
        elif not is_cards and "id" not in item:
            name = item["name"]
            item = {"id": slugify(first_text(name, self.deck_lang) if isinstance(name, dict) else str(name)), **item}
        return item


def _value(c: Column, value: str, fam_ids: dict[str, str]) -> Any:
    """A cell's text as the deck model takes it in this column."""
    if c.key == "tags":
        parts = re.split(r"[,;\n]+", value)
        return list(dict.fromkeys(slugify(p) for p in parts if p.strip()))
    if c.key == "family" and not c.custom:
        return fam_ids.get(value.strip().lower()) or fam_ids.get(slugify(value)) or value
    if c.key == "color" and re.fullmatch(r"[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}", value):
        return "#" + value
    if c.key == "copies" and not c.custom and re.fullmatch(r"\d{1,9}", value):
        return int(value)  # a cell is text; the deck model takes numbers of copies only as numbers
    return value


def _ordered(item: dict[str, Any], known: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    order = list(dict.fromkeys(p[0] for p in known.values())) + ["fields"]
    return {k: item[k] for k in order if k in item}


def _pick(tables: list[Table], sheet: str | None, src: Source, loc: Loc, families: bool) -> Table:
    if tables[0].sheet is None:
        return tables[0]
    if sheet is not None:
        found = next((t for t in tables if (t.sheet or "").strip().lower() == sheet.strip().lower()), None)
        if found is None:
            raise DeckError(src.problem(loc, f"no sheet {sheet!r} in {tables[0].file}",
                                        "its sheets: " + ", ".join(str(t.sheet) for t in tables)))
        return found
    named = [t for t in tables if (t.sheet or "").strip().lower() in FAMILY_SHEETS]
    if families:
        return named[0] if named else tables[0]
    return next((t for t in tables if t not in named), tables[0])


def _deck_lang(data: dict[str, Any]) -> str:
    deck = data.get("deck")
    lang = deck.get("lang") if isinstance(deck, dict) else None
    return lang if isinstance(lang, str) and LANG.match(lang) else "en"


def _refs(src: Source) -> dict[str, TableRef]:
    """`cards: {from: …}` and `families: {from: …}` of a deck, checked."""
    refs: dict[str, TableRef] = {}
    problems: list[Problem] = []
    for key in ("families", "cards"):
        value = src.data.get(key)
        if isinstance(value, dict):
            try:
                refs[key] = TableRef.model_validate(value)
            except ValidationError as exc:
                problems.extend(problems_from(exc, TableRef, src, (key,)))
    if problems:
        raise DeckError(problems)
    return refs


def expand_tables(src: Source, folder: Path, *, derive_families: bool = False, used: list[Table] | None = None,
                  allow_outside: bool = False, remote: Remote = ONLINE,
                  sources: list[TableSource] | None = None, max_cards: int | None = None) -> list[Problem]:
    """Replace `cards: {from: …}` and `families: {from: …}` in `src` by their rows, with their places.

    The families come from `families:` (YAML or table), else from a sheet named "families" of the cards'
    workbook, else (when `derive_families`, for `deckgen import`) from the values of the family column.
    Raises DeckError for a file or header that cannot be read; returns the problems of single rows, so that
    the deck model reports its own problems beside them. `used` receives the tables read, `sources` the files
    and URLs they came from (a URL fetched as `remote` says). A cards table of more than `max_cards` rows is
    refused before its rows are read into cards (DeckError).
    """
    data = src.data
    refs = _refs(src)
    if not refs:
        return []
    used = [] if used is None else used
    sources = [] if sources is None else sources
    problems: list[Problem] = []
    cache: dict[tuple[str, str | None, str | None, bool], list[Table]] = {}

    def tables(key: str) -> list[Table]:
        ref = refs[key]
        same = (ref.from_, ref.encoding, ref.delimiter, ref.sheet is not None)  # one file (or URL) read once
        if same not in cache:
            cache[same], source = open_tables(src, key, ref, folder, allow_outside, remote)
            if source not in sources:
                sources.append(source)
        return cache[same]

    lang = _deck_lang(data)
    fam_table = _families_table(src, refs, tables)
    if fam_table is not None:
        problems += _expand(src, fam_table, "families", lang, problems)
        used.append(fam_table)
    if "cards" in refs:
        table = _pick(tables("cards"), refs["cards"].sheet, src, ("cards", "sheet"), False)
        if max_cards is not None and len(table.rows) > max_cards:
            raise DeckError(problems + [_too_many(table, max_cards)])
        problems += _expand(src, table, "cards", lang, problems)
        used.append(table)
        if derive_families and not data.get("families"):
            data["families"] = derive(data["cards"])
    return problems


def _too_many(table: Table, max_cards: int) -> Problem:
    """A table of more cards than one build may print: its faces (two a card) against the limit."""
    what, hint = over(f"card faces ({len(table.rows):,} rows of cards, fronts and backs)", 2 * len(table.rows),
                      2 * max_cards, "split the sheet into several decks, or choose some of its cards with --only")
    return Problem(what, table.file, where=table.sheet and f'sheet "{table.sheet}"', hint=hint)


def _families_table(src: Source, refs: dict[str, TableRef], tables: Callable[[str], list[Table]]) -> Table | None:
    """The table of the families: the one `families:` names, else a "families" sheet of the cards' workbook."""
    if "families" in refs:
        return _pick(tables("families"), refs["families"].sheet, src, ("families", "sheet"), True)
    if "cards" in refs and "families" not in src.data and refs["cards"].sheet is None:
        return next((t for t in tables("cards") if (t.sheet or "").strip().lower() in FAMILY_SHEETS), None)
    return None


def _expand(src: Source, table: Table, key: str, lang: str, earlier: list[Problem]) -> list[Problem]:
    """Put the rows of `table` in `src` as its families or cards; the problems of single rows. DeckError (with
    the `earlier` problems) when the table has no usable header or no rows."""
    rows = convert(table, key, lang, src.data.get("families") if key == "cards" else None)
    if rows.fatal:
        raise DeckError(earlier + rows.problems)
    src.data[key] = rows.items
    _record(src, rows, table)
    return rows.problems


def _record(src: Source, rows: Rows, table: Table) -> None:
    src.lines.update(rows.lines)
    src.wheres.update(rows.wheres)
    src.files.update(dict.fromkeys(rows.lines, table.file))


def derive(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Families named by the cards' family column, in order of appearance, each with a palette colour."""
    names: dict[str, str] = {}  # slug -> the first way it is written
    for card in cards:
        if isinstance(card.get("family"), str):
            names.setdefault(slugify(card["family"]), card["family"])
    families = []
    for i, (fid, name) in enumerate(names.items()):
        families.append({"id": fid, "name": name, "color": PALETTE[i % len(PALETTE)]})
    for card in cards:
        if isinstance(card.get("family"), str):
            card["family"] = slugify(card["family"])
    return families
