"""The deck format: the only definition of what a deck file may say (pydantic, unknown keys rejected)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

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


def _text(value: Any) -> str | dict[str, str]:
    """Plain text, or a map of language to text: {fr: Bonjour, en: Hello}."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        out: dict[str, str] = {}
        for lang, text in value.items():
            _lang(lang)
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                raise ValueError(f"the {lang!r} text is not a string but {type(text).__name__}")
            out[lang] = text
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
    if len(url.strip()) > QR_SAFE_LENGTH and not qr_fits(url.strip()):
        raise Invalid(qr_too_long(url.strip()), "use a shorter link")
    return url.strip()


QR_SAFE_LENGTH = 2000  # characters any URL may have and still fit a QR code at level M (byte mode holds 2,331)


def qr_fits(data: str) -> bool:
    """Whether `data` fits a QR code at level M (the cards' level)."""
    from deckgen.qr import qr_rects

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
    theme: str | None = Field(None, description="a built-in theme name or a path to a theme file")


class Family(Strict):
    id: Slug
    name: Name
    color: Color = Field("#555555", description='"#RRGGBB", quoted')
    description: Text | None = None
    image: str | None = Field(None, description="an image file, relative to the deck")


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
    image: str | None = Field(None, description="an image file, relative to the deck")
    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="custom fields, usable in theme templates as {name}",
        json_schema_extra={"propertyNames": {"pattern": r"^[A-Za-z][A-Za-z0-9_]*$"}},
    )


class TableRef(Strict):
    """Cards or families read from a spreadsheet, `cards: {from: trends.csv}`: one row each, columns by header."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", description="a .csv or .xlsx file, relative to the deck")
    sheet: str | None = Field(None, description="the .xlsx sheet to read (default: the first; 'families' for families)")
    encoding: str | None = Field(None, description="the CSV's encoding (default: detected, UTF-8 or Windows-1252)")
    delimiter: str | None = Field(None, description="the CSV's separator (default: detected among ; , tab |)")

    @model_validator(mode="after")
    def _check(self) -> TableRef:
        import codecs

        if not self.from_.lower().endswith((".csv", ".tsv", ".txt", ".xlsx", ".xlsm")):
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
        raise ValueError("{from: …} is read by deckgen.loader.load_deck, which replaces it by the rows")
    return value


class Deck(Strict):
    deck: DeckInfo
    families: Annotated[list[Family], BeforeValidator(_table_loaded, json_schema_input_type=list[Family] | TableRef)
                        ] = Field(default_factory=list)
    cards: Annotated[list[Card], BeforeValidator(_table_loaded, json_schema_input_type=list[Card] | TableRef)
                     ] = Field(min_length=1)


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
RESERVED_FIELDS = {"deck", "id", "number", "total", "title", "summary", "body", "family", "source", "tags", "image"}


# ---------------------------------------------------------------- themes

STYLES = ("regular", "bold", "italic", "bolditalic")


def _length(value: Any, percent: bool = True) -> str | float:
    from deckgen.units import parse_length

    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"not a length: {value!r}", "write e.g. 4mm, 0.125in, 9pt or 50%")
    try:
        parse_length(value, percent_of=1.0 if percent else None)
    except ValueError as exc:
        raise _split_hint(exc) from None
    return value


_UNIT = r"(?:\d+(?:\.\d+)?|\.\d+)\s*(?:mm|cm|in|pt{pct})"
_LENGTH_RX = rf"^\s*-?\s*{_UNIT}(?:\s*[-+]\s*{_UNIT})*\s*$"
LENGTH_SCHEMA = {"anyOf": [{"type": "number", "description": "points"},
                           {"type": "string", "pattern": _LENGTH_RX.format(pct="|%")}]}
SIZE_SCHEMA = {"anyOf": [{"type": "number", "description": "points"},
                         {"type": "string", "pattern": _LENGTH_RX.format(pct="")}]}

# A position or size on the card: mm, cm, in, pt, % of the card's width (x, w) or height (y, h), or a sum.
Length = Annotated[str | float, PlainValidator(_length), WithJsonSchema(LENGTH_SCHEMA)]
# An absolute length (a font size, a line width): no %.
Size = Annotated[str | float, PlainValidator(lambda v: _length(v, percent=False)), WithJsonSchema(SIZE_SCHEMA)]

ELEMENT_KEYS = {
    "text": {"text", "font", "style", "size", "min_size", "line_height", "max_lines", "align", "valign",
             "color", "uppercase", "hyphenate", "overflow"},
    "rect": {"fill", "stroke", "stroke_width", "radius", "bleed"},
    "line": {"stroke", "stroke_width"},
    "qr": {"data", "dark", "light", "min_module"},
    "image": {"src", "fit"},
}
COMMON_KEYS = {"type", "x", "y", "w", "h", "when"}
COLOR_HELP = 'a colour: "#RRGGBB", a name from colors:, a template such as "{family.color}", ' \
             '"contrast(X)" (black or white, whichever reads better on X), or none'


class Element(Strict):
    """One thing drawn on a card side, placed from the card's top-left corner."""

    type: Literal["text", "rect", "line", "qr", "image"]
    x: Length = Field(0, description="left edge, from the card's left: 4mm, 10%, 100% - 27mm")
    y: Length = Field(0, description="top edge, from the card's top")
    w: Length = Field("100%", description="width (a line: its horizontal extent)")
    h: Length = Field("100%", description="height (a line: its vertical extent; 0 for a horizontal rule)")
    when: str | None = Field(None, description="draw only when this field is not empty, e.g. source")
    text: str | None = Field(None, description="a template: {title}, {number}/{total}, {family.name}, {my_field}…")
    font: str = Field("body", description="a key of fonts: (body is built in)")
    style: Literal["regular", "bold", "italic", "bolditalic"] = "regular"
    size: Size = Field("9pt", description="the largest font size")
    min_size: Size | None = Field(None, description="the smallest size the text may shrink to (default: size)")
    line_height: float = Field(1.2, ge=0.8, le=3, strict=True, description="line spacing, times the font size")
    max_lines: int | None = Field(None, ge=1, strict=True)
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "top"
    color: str = Field("ink", description=COLOR_HELP)
    uppercase: bool = False
    hyphenate: bool = Field(True, description="hyphenate long words in the deck's language")
    overflow: Literal["error", "ellipsis"] = Field("error", description="ellipsis: cut a text that does not fit")
    fill: str | None = Field(None, description=COLOR_HELP)
    stroke: str | None = Field(None, description=COLOR_HELP)
    stroke_width: Size = "0.5pt"
    radius: Size = Field(0, description="rounded corners")
    bleed: bool = Field(False, description="run into the bleed where the shape touches the card edge")
    data: str = Field("{source.url}", description="what the QR code encodes (a template)")
    dark: str = Field("ink", description="colour of the dark modules")
    light: str | None = Field(None, description="background of the code and its quiet zone (default: paper)")
    min_module: Size = Field("0.5mm", description="refuse a code whose modules would be smaller")
    src: str | None = Field(None, description="an image: a template such as {image} or {family.image}, "
                                              "or a file next to the theme")
    fit: Literal["contain", "cover"] = Field("contain", description="contain: whole image; cover: fill and crop")

    @model_validator(mode="after")
    def _keys_match_type(self) -> Element:
        allowed = COMMON_KEYS | ELEMENT_KEYS[self.type]
        stray = sorted(set(self.model_fields_set) - allowed)
        if stray:
            raise Invalid(f"{', '.join(stray)} does not apply to a {self.type} element",
                          "its keys: " + ", ".join(sorted(allowed)))
        if self.type == "text" and self.text is None:
            raise Invalid("a text element needs 'text:'", 'a template such as "{title}"')
        if self.type == "image" and self.src is None:
            raise Invalid("an image element needs 'src:'", 'a file, or a template such as "{image}"')
        return self


def _card_schema() -> dict[str, Any]:
    from deckgen.units import CARD_PRESETS

    size = r"^\s*\d+(?:\.\d+)?\s*[x×]\s*\d+(?:\.\d+)?\s*(?:mm|cm|in|pt)\s*$"
    return {"anyOf": [{"enum": list(CARD_PRESETS)}, {"type": "string", "pattern": size}]}


CARD_SCHEMA = _card_schema()


class FontFamily(Strict):
    regular: str
    bold: str | None = None
    italic: str | None = None
    bolditalic: str | None = None


class FamilyStyle(Strict):
    colors: dict[str, Color] = Field(default_factory=dict)


class LegendStyle(Strict):
    """The elements of the legend cards (`build --legend`), with {family.name}, {family.description},
    {family.color}; without it a theme gets deckgen's own full-colour legend card."""

    front: dict[str, Element | None] = Field(default_factory=dict)
    back: dict[str, Element | None] = Field(default_factory=dict)


class Theme(Strict):
    """A card design: size, fonts, colours and the elements of each side."""

    extends: str | None = Field(None, description="a built-in theme or a theme file this one changes")
    description: str = Field("", description="one line, shown by `deckgen themes`")
    card: Annotated[str, WithJsonSchema(CARD_SCHEMA)] = Field(
        "poker", description="a preset (poker, bridge, tarot…) or WIDTHxHEIGHT, e.g. 63x88mm")
    safe: Size = Field("4mm", description="text and QR codes must stay this far inside the card's edge")
    fonts: dict[str, FontFamily] = Field(default_factory=dict)
    colors: dict[str, Color] = Field(default_factory=dict)
    families: dict[str, FamilyStyle] = Field(default_factory=dict)
    front: dict[str, Element | None] = Field(default_factory=dict)
    back: dict[str, Element | None] = Field(default_factory=dict)
    legend: LegendStyle | None = Field(None, description="the design of the legend cards (build --legend)")

    @model_validator(mode="after")
    def _card_size(self) -> Theme:
        from deckgen.units import parse_card_size

        try:
            parse_card_size(self.card)
        except ValueError as exc:
            raise _split_hint(exc) from None
        return self
