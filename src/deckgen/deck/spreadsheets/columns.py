"""The columns of a spreadsheet of cards or families: which card (or family) field each header names, in which
language (`title.fr`, `Titre (en)`…), and the languages a workbook's columns use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from deckgen.deck.spreadsheets.guess import Guess, guess_language
from deckgen.deck.spreadsheets.read import Table, cell_text
from deckgen.errors import Problem

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
_STRICT = re.compile(r"^(.+?)\s*(?:\.|\(|\[)\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\s*[)\]]?$")
_LOOSE = re.compile(r"^(.+?)[\s_:-]+([A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})?)$")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    key: str  # a known column, or a custom field's name
    lang: str | None
    custom: bool


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _name(text: str) -> str:
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
        n = _name(text)
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
                key, lang = _name(m.group(1)) or f"column_{column_letter(i).lower()}", _lang(m.group(2))
        custom = key is None or key not in known
        if key is None:
            key = _name(header) or f"column_{column_letter(i).lower()}"
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


def table_languages(tables: list[Table]) -> tuple[list[str], list[str]]:
    """The languages named by the columns (title.fr, title.en…), in order, and the headers of the plain text
    columns beside a column of the same field in the first of them (so they cannot be in that language)."""
    langs: list[str] = []
    parsed = []
    for t in tables:
        fams = (t.sheet or "").strip().lower() in FAMILY_SHEETS
        cols, _ = parse_columns(t, *((FAMILY_COLUMNS, FAMILY_ALIASES) if fams else (CARD_COLUMNS, CARD_ALIASES)),
                                "\x00")
        langs += [c.lang for c in cols if c.lang and c.lang != "\x00"]
        parsed.append(cols)
    langs = list(dict.fromkeys(langs))
    clash: list[str] = []
    for cols in parsed:
        first = {(c.key, c.custom) for c in cols if langs and c.lang == langs[0]}
        clash += [c.header for c in cols if c.lang == "\x00" and (c.key, c.custom) in first]
    return langs, clash


def plain_language(tables: list[Table]) -> Guess | None:
    """The language of the plain text columns (title, résumé… without .fr or .en), guessed from the column
    names, else from their texts; None when neither says."""
    heads = [h for t in tables for h in t.headers if h]
    texts = []
    for t in tables:
        fams = (t.sheet or "").strip().lower() in FAMILY_SHEETS
        cols, _ = parse_columns(t, *((FAMILY_COLUMNS, FAMILY_ALIASES) if fams else (CARD_COLUMNS, CARD_ALIASES)),
                                "\x00")
        plain = [c.index for c in cols if c.lang == "\x00" and c.key in LOCALIZED]
        texts += [cell_text(cells[i]) or "" for _, _, cells in t.rows for i in plain if i < len(cells)]
    return guess_language(heads, [_name(h) for h in heads], texts)
