"""The deck format: the only definition of what a deck file may say (pydantic, unknown keys rejected)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from deckgen.deck.icons import canonical, suggestion
from deckgen.files import path_problem
from deckgen.limits import MAX_TEXT
from deckgen.qr import qr_rects

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
HEX_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
MAX_COPIES = 10_000


class Invalid(ValueError):
    """A validator's refusal and its hint, reported as `what — hint` (see loader.problems_from)."""

    def __init__(self, what: str, hint: str | None = None) -> None:
        super().__init__(what)
        self.what, self.hint = what, hint


def _split_hint(exc: ValueError) -> Invalid:
    """units.py's "not a length: 'x' (write e.g. 4mm…)" as what and hint."""
    text = str(exc)
    what, sep, hint = text.partition(" (")
    return Invalid(what, hint[:-1]) if sep and hint.endswith(")") else Invalid(text)


def _lang(value: Any) -> str:
    if not isinstance(value, str) or not LANG.match(value):
        raise Invalid(f"not a language tag: {value!r}", "a BCP 47 tag, e.g. fr, en, fr-CA")
    return value


def _limited(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Invalid(f"a text of {len(text):,} characters, more than deckgen's limit of {MAX_TEXT:,}",
                      "a card holds a few hundred: shorten it")
    return text


def _file_name(value: Any) -> str:
    """A file a deck or theme names: text that can name a file (no NUL, no name over 255 bytes)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"not a file name: {value!r}", "a path relative to this file, e.g. images/card.png")
    problem = path_problem(value)
    if problem is not None:
        raise Invalid(problem, "a path relative to this file, e.g. images/card.png")
    return value


FileName = Annotated[str, PlainValidator(_file_name), WithJsonSchema({"type": "string"})]
URL_SCHEMES = ("http://", "https://")


def _table_name(value: Any) -> str:
    """A spreadsheet a deck reads: a file name, or an http(s) URL with a host and no spaces."""
    if isinstance(value, str) and value.strip().lower().startswith(URL_SCHEMES):
        url = value.strip()
        try:
            host = urlsplit(url).hostname
        except ValueError:  # http://[::1
            host = None
        if not host or any(c.isspace() or c == "\0" for c in url) or len(url) > 4000:
            raise Invalid(f"not a URL: {value!r}", "copy the link from the browser's address bar")
        return url
    return _file_name(value)


TableName = Annotated[str, PlainValidator(_table_name), WithJsonSchema({"type": "string"})]


def _text(value: Any) -> str | dict[str, str]:
    """Plain text, or a map of language to text: {fr: Bonjour, en: Hello}."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return _limited(value)
    if isinstance(value, dict) and value:
        out: dict[str, str] = {}
        for lang, text in value.items():
            _lang(lang)
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                raise ValueError(f"the {lang!r} text is not a string but {type(text).__name__}")
            out[lang] = _limited(text)
        return out
    raise ValueError("expected text, or a map of language to text such as {fr: …, en: …}")


def required_text(what: str) -> Callable[[Any], str | dict[str, str]]:
    """A text that must not be empty or blank, in any of its languages (a title…)."""

    def check(value: Any) -> str | dict[str, str]:
        text = _text(value)
        for lang, part in (text.items() if isinstance(text, dict) else [(None, text)]):
            if not part.strip():
                empty = f"the {lang!r} text is empty" if lang else "empty"
                raise Invalid(empty, f"write {what}: it is required")
        return text

    return check


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url.strip():
        raise Invalid(f"not an http(s) URL: {url!r}", "write the full address starting with https://")
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url.strip()):
        raise Invalid(f"a URL cannot hold a space, a tab, a line break or a control character: {url.strip()!r}",
                      "write the address on one line, spaces as %20")
    if len(url.strip()) > QR_SAFE_LENGTH and not qr_fits(url.strip()):
        raise Invalid(qr_too_long(url.strip()), "use a shorter link")
    return url.strip()


QR_SAFE_LENGTH = 2000  # characters any URL may have and still fit a QR code at level M (byte mode holds 2,331)


def qr_fits(data: str) -> bool:
    """Whether `data` fits a QR code at level M (the cards' level)."""

    try:
        qr_rects(data, "M")
    except ValueError:
        return False
    return True


def qr_too_long(data: str) -> str:
    return f"too long for a QR code: {len(data)} characters, at most about 2,300 at level M"


def _url(value: Any) -> str | dict[str, str]:
    text = _text(value)
    if isinstance(text, dict):
        return {lang: _check_url(u) for lang, u in text.items()}
    return _check_url(text)


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise Invalid(f"not a slug: {value!r}", "lowercase letters, digits and single hyphens, e.g. micro-edition")
    return value


def _color(value: Any) -> str:
    if value is None:
        raise Invalid("no colour: an unquoted # starts a YAML comment, so the value reads as nothing",
                      'quote it: "#E4572E"')
    if not isinstance(value, str) or not HEX_COLOR.match(value.strip()):
        raise Invalid(f"not a colour: {value!r}", 'write "#RRGGBB" in quotes, e.g. "#E4572E"')
    return value.strip()


def _icon(value: Any) -> str:
    """The name of an icon of the pinned set (an old name gives its current one)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"not an icon name: {value!r}", "a name such as rocket; `deckgen icons WORD` lists them")
    name = canonical(value)
    if name is None:
        raise Invalid(f"unknown icon {value.strip()!r}", suggestion(value))
    return name


def _copies(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COPIES:
        hint = f"at most {MAX_COPIES}" if isinstance(value, int) and value > MAX_COPIES else "a whole number, 1 or more"
        raise Invalid(f"not a number of copies: {value!r}", hint)
    return value


# JSON Schema of the input form (what users write), for `deckgen schema` and editors.
_LANG_KEYS = {"pattern": LANG.pattern}
_SCALAR_TEXT = {"type": ["string", "number"]}
TEXT_SCHEMA: dict[str, Any] = {"anyOf": [
    _SCALAR_TEXT,
    {"type": "object", "propertyNames": _LANG_KEYS, "additionalProperties": _SCALAR_TEXT, "minProperties": 1,
     "description": "a text per language: {fr: …, en: …}"},
]}
_FILLED = {"type": "string", "pattern": r"\S"}
REQUIRED_TEXT_SCHEMA: dict[str, Any] = {"anyOf": [
    {"type": "number"}, _FILLED,
    {"type": "object", "propertyNames": _LANG_KEYS, "additionalProperties": {"anyOf": [{"type": "number"}, _FILLED]},
     "minProperties": 1, "description": "a text per language: {fr: …, en: …}"},
]}
_URL_STRING = {"type": "string", "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]?://\S+\s*$", "description": "an http(s) URL"}
URL_SCHEMA: dict[str, Any] = {"anyOf": [
    _URL_STRING,
    {"type": "object", "propertyNames": _LANG_KEYS, "additionalProperties": _URL_STRING, "minProperties": 1},
]}

Text = Annotated[str | dict[str, str], PlainValidator(_text), WithJsonSchema(TEXT_SCHEMA)]
Title = Annotated[str | dict[str, str], PlainValidator(required_text("the title")),
                  WithJsonSchema(REQUIRED_TEXT_SCHEMA)]
Name = Annotated[str | dict[str, str], PlainValidator(required_text("the family's name")),
                 WithJsonSchema(REQUIRED_TEXT_SCHEMA)]
Copies = Annotated[int, PlainValidator(_copies),
                   WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_COPIES})]
Url = Annotated[str | dict[str, str], PlainValidator(_url), WithJsonSchema(URL_SCHEMA)]
Slug = Annotated[str, PlainValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG.pattern})]
Lang = Annotated[str, PlainValidator(_lang), WithJsonSchema({"type": "string", "pattern": LANG.pattern})]
Color = Annotated[str, PlainValidator(_color), WithJsonSchema({"type": "string", "pattern": HEX_COLOR.pattern})]
Icon = Annotated[str, PlainValidator(_icon), WithJsonSchema({
    "type": "string", "pattern": SLUG.pattern,
    "description": "an icon of the Lucide set: `deckgen icons WORD` lists them"})]


def _field_value(value: Any) -> int | float | str | dict[str, str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _text(value)


def _source_shorthand(value: Any) -> Any:
    """`source: https://…` or `source: {fr: https://…, en: …}` mean `source: {url: …}`."""
    if isinstance(value, str):
        return {"url": value}
    if isinstance(value, dict) and value and all(isinstance(k, str) and LANG.match(k) for k in value):
        if not {"url", "label"} & set(value):
            return {"url": value}
    return value


FieldValue = Annotated[
    int | float | str | dict[str, str], PlainValidator(_field_value), WithJsonSchema(TEXT_SCHEMA)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeckInfo(Strict):
    title: Title
    subtitle: Text | None = None
    lang: Lang = Field("en", description="BCP 47 tag (fr, en, fr-CA): hyphenation and typography follow it")
    author: Text | None = None
    theme: FileName | None = Field(None, description="a built-in theme name or a path to a theme file")


class Family(Strict):
    id: Slug
    name: Name
    color: Color = Field("#555555", description='"#RRGGBB", quoted')
    description: Text | None = None
    image: FileName | None = Field(None, description="an image file (PNG, JPEG or SVG), relative to the deck")
    icon: Icon | None = Field(None, description="an icon by name (Lucide): rocket, leaf, users…")


class Source(Strict):
    url: Url
    label: Text | None = None


class Card(Strict):
    id: Slug | None = Field(None, description="a unique slug; derived from the title when absent")
    family: str | None = Field(None, description="the id of one of the deck's families")
    title: Title
    summary: Text | None = Field(None, description="one or two sentences, on the front")
    body: Text | None = Field(None, description="a paragraph for the back; **bold** and *italic* work")
    source: Annotated[
        Source | None, BeforeValidator(_source_shorthand, json_schema_input_type=Url | Source | None)
    ] = Field(
        None, description="a URL, a map of language to URL, or {url: …, label: …}"
    )
    copies: Copies = Field(1, description="how many of this card to print: a whole number, 1 or more")
    tags: list[Slug] = Field(default_factory=list)
    image: FileName | None = Field(None, description="an image file (PNG, JPEG or SVG), relative to the deck")
    icon: Icon | None = Field(None, description="an icon by name (Lucide): rocket, leaf, users…")
    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="custom fields, usable in theme templates as {name}",
        json_schema_extra={"propertyNames": {"pattern": r"^[A-Za-z][A-Za-z0-9_]*$"}},
    )


class TableRef(Strict):
    """Cards or families read from a spreadsheet, `cards: {from: trends.csv}`: one row each, columns by header."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: TableName = Field(alias="from", description="a .csv or .xlsx file, relative to the deck, or an http(s) "
                             "URL of one: a Google Sheets link as the browser shows it is read as CSV (as XLSX, "
                             "the whole workbook, when `sheet` is given)",
                             examples=["trends.csv", "https://docs.google.com/spreadsheets/d/ID/edit#gid=0"])
    sheet: str | None = Field(None, description="the .xlsx sheet to read (default: the first; 'families' for families)")
    encoding: str | None = Field(None, description="the CSV's encoding (default: detected, UTF-8 or Windows-1252)")
    delimiter: str | None = Field(None, description="the CSV's separator (default: detected among ; , tab |)")

    @model_validator(mode="after")
    def _check(self) -> TableRef:

        if not self.from_.lower().startswith(URL_SCHEMES) and \
                not self.from_.lower().endswith((".csv", ".tsv", ".txt", ".xlsx", ".xlsm")):
            raise Invalid(f"not a spreadsheet: {self.from_!r}", "a .csv or .xlsx file")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise Invalid(f"unknown encoding {self.encoding!r}", "e.g. utf-8, cp1252") from None
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise Invalid(f"a delimiter is one character, not {self.delimiter!r}", "e.g. ';' or ','")
        return self


def _table_loaded(value: Any) -> Any:
    if isinstance(value, dict) and "from" in value:
        raise ValueError("{from: …} is read by deckgen.deck.source.load_deck, which replaces it by the rows")
    return value


class Deck(Strict):
    deck: DeckInfo
    families: Annotated[list[Family], BeforeValidator(_table_loaded, json_schema_input_type=list[Family] | TableRef)
                        ] = Field(default_factory=list)
    cards: Annotated[list[Card], BeforeValidator(_table_loaded, json_schema_input_type=list[Card] | TableRef)
                     ] = Field(min_length=1)
    outputs: dict[Slug, dict[str, Any]] = Field(
        default_factory=dict, description="the files `deckgen make` writes, by name: each target takes build's "
        "options (profile, paper, duplex…) and lang, theme, only, output, handout, legend")


def slugify(text: str) -> str:
    """A slug from a title: "Micro-Écoles !" -> "micro-ecoles"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "card"


def first_text(value: str | dict[str, str], lang: str) -> str:
    """The text in `lang` if there is one, else the first text: for ids and messages."""
    if isinstance(value, str):
        return value
    return value.get(lang) or next(iter(value.values()))


def card_ids(deck: Deck) -> list[str]:
    """Each card's id: its own, or one derived from its title."""
    return [c.id or slugify(first_text(c.title, deck.deck.lang)) for c in deck.cards]


Loc = tuple[str | int, ...]
FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# What a theme template may name besides a card's custom fields (see build.card_context).
RESERVED_FIELDS = {"deck", "id", "number", "total", "title", "summary", "body", "family", "source", "tags", "image",
                   "icon"}


