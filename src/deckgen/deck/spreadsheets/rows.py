"""Spreadsheet rows -> deck data: `cards: {from: trends.csv}` (and `deckgen import`, in importer.py).

Columns map to card fields by header (`title`, `summary`, `body`, `family`, `source` or `source_url` +
`source_label`, `tags`, `copies`, `id`, `image`; `title.fr`, `title.en`… for languages; any other column is a
custom field). Every value keeps its file, line and column, so that the deck model's messages name them:
`trends.csv:14: column "source": not an http(s) URL`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from deckgen.deck.model import LANG, Loc, TableRef, first_text, slugify
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.source import Source, problems_from
from deckgen.deck.spreadsheets.read import Table, cell_text
from deckgen.deck.spreadsheets.sources import TableSource, open_tables
from deckgen.errors import DeckError, Problem

CARD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",), "family": ("family",), "title": ("title",), "summary": ("summary",), "body": ("body",),
    "source_url": ("source", "url"), "source_label": ("source", "label"), "tags": ("tags",),
    "copies": ("copies",), "image": ("image",),
}
CARD_ALIASES = {
    "source": "source_url", "url": "source_url", "link": "source_url", "lien": "source_url",
    "source_link": "source_url",
    "label": "source_label", "libelle": "source_label", "source_libelle": "source_label", "titre": "title",
    "resume": "summary", "corps": "body", "texte": "body", "text": "body", "famille": "family", "tag": "tags",
    "etiquettes": "tags", "mots_cles": "tags", "keywords": "tags", "exemplaires": "copies", "copie": "copies",
}
FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",), "name": ("name",), "color": ("color",), "description": ("description",), "image": ("image",),
}
FAMILY_ALIASES = {"nom": "name", "couleur": "color", "colour": "color", "family": "id", "famille": "id"}
TEXTS = {"title", "summary", "body", "source_url", "source_label", "name", "description"}
LOCALIZED = TEXTS - {"source_url"}  # a URL is never a missing text: a plain one serves every language
FAMILY_SHEETS = {"families", "family", "familles", "famille"}
# Families without a colour get these, in order: no two too close to tell apart, in normal vision or under
# deuteranopia or protanopia (the check of design/family_colors.py).
PALETTE = ["#384666", "#DA532B", "#F2A900", "#3FA79A", "#884299", "#D1495B", "#1A8698", "#88AD71", "#AF97BC",
           "#F4CE92"]

_STRICT = re.compile(r"^(.+?)\s*(?:\.|\(|\[)\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\s*[)\]]?$")
_LOOSE = re.compile(r"^(.+?)[\s_:-]+([A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})?)$")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    key: str  # a known column, or a custom field's name
    lang: str | None
    custom: bool


@dataclass
class Rows:
    """Deck data made from a table, with the place of every value."""

    items: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[Loc, int] = field(default_factory=dict)
    wheres: dict[Loc, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # a problem with the header or the whole table: its rows mean nothing


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _ascii(text)).strip("_")


def _lang(tag: str) -> str:
    head, _, rest = tag.replace("_", "-").partition("-")
    return head.lower() + (f"-{rest}" if rest else "")


def column_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_columns(table: Table, known: dict[str, tuple[str, ...]], aliases: dict[str, str],
                  deck_lang: str) -> tuple[list[Column], list[Problem]]:
    """The columns of a table; a plain text column beside language columns of the same field is in deck_lang."""
    def canon(text: str) -> str | None:
        n = header_key(text)
        n = aliases.get(n, n)
        return n if n in known else None

    cols: list[Column] = []
    problems: list[Problem] = []
    for i, header in enumerate(table.headers):
        if not header:
            if any(i < len(cells) and cell_text(cells[i]) is not None for _, _, cells in table.rows):
                problems.append(Problem(f"column {column_letter(i)} has values but no header", table.file,
                                        table.header_line, hint="name it in the first row: title, summary, …"))
            continue
        key, lang = canon(header), None
        if key is None:
            m = _STRICT.match(header) or _LOOSE.match(header)
            base = canon(m.group(1)) if m else None
            if m and base in TEXTS:
                key, lang = base, _lang(m.group(2))
            elif m and _STRICT.match(header):
                key, lang = header_key(m.group(1)) or f"column_{column_letter(i).lower()}", _lang(m.group(2))
        custom = key is None or key not in known
        if key is None:
            key = header_key(header) or f"column_{column_letter(i).lower()}"
            key = f"f_{key}" if key[0].isdigit() else key
        if lang is not None and not custom and key not in TEXTS:
            problems.append(Problem(f"{key} takes no language", table.file, table.header_line,
                                    table.where(header), hint=f"name the column {key!r}"))
            continue
        cols.append(Column(i, header, key, lang, custom))
    # a plain text column is in the deck's language ({deck_lang: text}), so that a build in another language
    # reports it missing instead of printing it; so is a plain custom column beside language columns of its field
    localized = {(c.key, c.custom) for c in cols if c.lang} | {(k, False) for k in LOCALIZED}
    cols = [Column(c.index, c.header, c.key, deck_lang, c.custom) if c.lang is None and (c.key, c.custom) in localized
            else c for c in cols]
    seen: dict[tuple[str, str | None, bool], Column] = {}
    for c in cols:
        other = seen.setdefault((c.key, c.lang, c.custom), c)
        if other is not c:
            what = f"{c.key} in {c.lang!r}" if c.lang else c.key
            problems.append(Problem(f'columns "{other.header}" and "{c.header}" both give {what}', table.file,
                                    table.header_line, hint="keep one of them, or rename one"))
    return cols, problems


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
    fam_ids = _family_ids(families)
    for line, number, cells in table.rows:
        base: Loc = (prefix, len(out.items))
        item: dict[str, Any] = {}
        out.lines[base] = line
        out.wheres[base] = (f'sheet "{table.sheet}", row {number}' if table.sheet else f"row {number}")
        for c in cols:
            path = ("fields", c.key) if c.custom else known[c.key]
            loc = base + path + ((c.lang,) if c.lang else ())
            for k in range(len(base) + 1, len(loc) + 1):
                out.lines.setdefault(loc[:k], line)
                out.wheres.setdefault(loc[:k], table.where(c.header, line, number))
            value: Any = cell_text(cells[c.index]) if c.index < len(cells) else None
            if value is None:
                continue
            if c.key == "tags":
                parts = re.split(r"[,;\n]+", str(value))
                value = list(dict.fromkeys(slugify(p) for p in parts if p.strip()))
            elif c.key == "family" and not c.custom:
                value = fam_ids.get(str(value).strip().lower()) or fam_ids.get(slugify(str(value))) or str(value)
            elif c.key == "color" and isinstance(value, str) and re.fullmatch(r"[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}", value):
                value = "#" + value
            elif c.key == "copies" and not c.custom and re.fullmatch(r"\d{1,9}", str(value)):
                value = int(value)  # a cell is text; the deck model takes numbers of copies only as numbers
            elif c.key in ("id", "image", "color") and not c.custom:
                value = str(value)
            _put(item, path, c.lang, value)
        if is_cards:
            _hyperlinks(item, cols, table, line)
        src = item.get("source")
        if isinstance(src, dict) and "url" not in src:
            col = next(c for c in cols if c.key == "source_label")
            out.problems.append(Problem("a source label without a URL", table.file, line,
                                        table.where(col.header, line, number),
                                        'fill the "source" (or "source_url") column of this row'))
        if required not in item:
            col = next(c for c in cols if c.key == required)
            out.problems.append(Problem("empty", table.file, line, table.where(col.header, line, number),
                                        f"every {'card' if is_cards else 'family'} needs a {required}"))
        elif not is_cards and "id" not in item:
            item = {"id": slugify(first_text(item["name"], deck_lang) if isinstance(item["name"], dict)
                                  else str(item["name"])), **item}
        out.items.append(_ordered(item, known))
    if not out.items:
        out.problems.append(Problem("no rows under the header", table.file, table.header_line,
                                    table.sheet and f'sheet "{table.sheet}"', "one row per card"))
        out.fatal = True
    return out


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
                  sources: list[TableSource] | None = None) -> list[Problem]:
    """Replace `cards: {from: …}` and `families: {from: …}` in `src` by their rows, with their places.

    The families come from `families:` (YAML or table), else from a sheet named "families" of the cards'
    workbook, else (when `derive_families`, for `deckgen import`) from the values of the family column.
    Raises DeckError for a file or header that cannot be read; returns the problems of single rows, so that
    the deck model reports its own problems beside them. `used` receives the tables read, `sources` the files
    and URLs they came from (a URL fetched as `remote` says).
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
    fam_table = None
    if "families" in refs:
        fam_table = _pick(tables("families"), refs["families"].sheet, src, ("families", "sheet"), True)
    elif "cards" in refs and "families" not in data and refs["cards"].sheet is None:
        fam_table = next((t for t in tables("cards") if (t.sheet or "").strip().lower() in FAMILY_SHEETS), None)
    if fam_table is not None:
        fams = convert(fam_table, "families", lang)
        if fams.fatal:
            raise DeckError(fams.problems)
        problems.extend(fams.problems)
        data["families"] = fams.items
        _record(src, fams, fam_table)
        used.append(fam_table)
    if "cards" in refs:
        table = _pick(tables("cards"), refs["cards"].sheet, src, ("cards", "sheet"), False)
        cards = convert(table, "cards", lang, data.get("families"))
        if cards.fatal:
            raise DeckError(problems + cards.problems)
        problems.extend(cards.problems)
        data["cards"] = cards.items
        _record(src, cards, table)
        used.append(table)
        if derive_families and not data.get("families"):
            data["families"] = derive(cards.items)
    return problems


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
