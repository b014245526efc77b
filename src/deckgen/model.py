"""The deck format: the only definition of what a deck file may say (pydantic, unknown keys rejected)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, model_validator

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
HEX_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


def _lang(value: Any) -> str:
    if not isinstance(value, str) or not LANG.match(value):
        raise ValueError(f"not a language tag: {value!r} (BCP 47, e.g. fr, en, fr-CA)")
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


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url.strip():
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url.strip()


def _url(value: Any) -> str | dict[str, str]:
    text = _text(value)
    if isinstance(text, dict):
        return {lang: _check_url(u) for lang, u in text.items()}
    return _check_url(text)


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise ValueError(f"not a slug: {value!r} (lowercase letters, digits and single hyphens)")
    return value


def _color(value: Any) -> str:
    if not isinstance(value, str) or not HEX_COLOR.match(value.strip()):
        raise ValueError(f"not a colour: {value!r} (write \"#RRGGBB\", e.g. \"#E4572E\", in quotes)")
    return value.strip()


Text = Annotated[str | dict[str, str], PlainValidator(_text, json_schema_input_type=str | dict[str, str])]
Url = Annotated[str | dict[str, str], PlainValidator(_url, json_schema_input_type=str | dict[str, str])]
Slug = Annotated[str, PlainValidator(_slug, json_schema_input_type=str)]
Lang = Annotated[str, PlainValidator(_lang, json_schema_input_type=str)]
Color = Annotated[str, PlainValidator(_color, json_schema_input_type=str)]


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
    int | float | str | dict[str, str],
    PlainValidator(_field_value, json_schema_input_type=int | float | str | dict[str, str]),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeckInfo(Strict):
    title: Text
    subtitle: Text | None = None
    lang: Lang = "en"
    author: Text | None = None
    theme: str | None = Field(None, description="a built-in theme name or a path to a theme file")


class Family(Strict):
    id: Slug
    name: Text
    color: Color = "#555555"
    description: Text | None = None
    image: str | None = Field(None, description="an image file, relative to the deck")


class Source(Strict):
    url: Url
    label: Text | None = None


class Card(Strict):
    id: Slug | None = None
    family: str | None = None
    title: Text
    summary: Text | None = None
    body: Text | None = None
    source: Annotated[Source | None, BeforeValidator(_source_shorthand)] = Field(
        None, description="a URL, a map of language to URL, or {url: …, label: …}"
    )
    copies: int = Field(1, ge=1, le=10_000)
    tags: list[Slug] = Field(default_factory=list)
    image: str | None = Field(None, description="an image file, relative to the deck")
    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="custom fields, usable in theme templates as {name}"
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
            raise ValueError(f"not a spreadsheet: {self.from_!r} (a .csv or .xlsx file)")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ValueError(f"unknown encoding {self.encoding!r} (e.g. utf-8, cp1252)") from None
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ValueError(f"a delimiter is one character, not {self.delimiter!r}")
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


def cross_check(deck: Deck) -> list[tuple[Loc, str, str | None]]:
    """Problems that span several parts of a deck: (location, what, hint)."""
    from deckgen.errors import did_you_mean

    problems: list[tuple[Loc, str, str | None]] = []
    seen_fam: set[str] = set()
    for i, fam in enumerate(deck.families):
        if fam.id in seen_fam:
            problems.append((("families", i, "id"), f"duplicate family id {fam.id!r}", None))
        seen_fam.add(fam.id)
    seen: dict[str, int] = {}
    for i, (card, cid) in enumerate(zip(deck.cards, card_ids(deck), strict=True)):
        loc: Loc = ("cards", i, "id") if card.id else ("cards", i, "title")
        if cid in seen:
            problems.append((loc, f"duplicate card id {cid!r}", f"cards[{seen[cid]}] has it already; set a unique id"))
        seen.setdefault(cid, i)
        if card.family is not None and card.family not in seen_fam:
            if deck.families:
                hint = did_you_mean(card.family, seen_fam) or "families: " + ", ".join(sorted(seen_fam))
            else:
                hint = "the deck has no families: list them under 'families:'"
            problems.append((("cards", i, "family"), f"unknown family {card.family!r}", hint))
        elif card.family is None and deck.families:
            problems.append((("cards", i), "no family", "every card names one when the deck has families"))
    return problems


# ---------------------------------------------------------------- themes

STYLES = ("regular", "bold", "italic", "bolditalic")


def _length(value: Any) -> str | float:
    from deckgen.units import parse_length

    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"not a length: {value!r} (write e.g. 4mm, 0.125in, 9pt or 50%)")
    parse_length(value, percent_of=1.0)
    return value


Length = Annotated[str | float, PlainValidator(_length, json_schema_input_type=str | float)]

ELEMENT_KEYS = {
    "text": {"text", "font", "style", "size", "min_size", "line_height", "max_lines", "align", "valign",
             "color", "uppercase", "hyphenate", "overflow"},
    "rect": {"fill", "stroke", "stroke_width", "radius", "bleed"},
    "line": {"stroke", "stroke_width"},
    "qr": {"data", "dark", "light", "min_module"},
    "image": {"src", "fit"},
}
COMMON_KEYS = {"type", "x", "y", "w", "h", "when"}


class Element(Strict):
    """One thing drawn on a card side, placed from the card's top-left corner."""

    type: Literal["text", "rect", "line", "qr", "image"]
    x: Length = 0
    y: Length = 0
    w: Length = "100%"
    h: Length = "100%"
    when: str | None = Field(None, description="draw only when this field is not empty, e.g. source")
    text: str | None = Field(None, description="a template: {title}, {number}/{total}, {family.name}…")
    font: str = "body"
    style: Literal["regular", "bold", "italic", "bolditalic"] = "regular"
    size: Length = "9pt"
    min_size: Length | None = None
    line_height: float = Field(1.2, ge=0.8, le=3)
    max_lines: int | None = Field(None, ge=1)
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "top"
    color: str = "ink"
    uppercase: bool = False
    hyphenate: bool = True
    overflow: Literal["error", "ellipsis"] = "error"
    fill: str | None = None
    stroke: str | None = None
    stroke_width: Length = "0.5pt"
    radius: Length = 0
    bleed: bool = Field(False, description="run into the bleed where the shape touches the card edge")
    data: str = "{source.url}"
    dark: str = "ink"
    light: str | None = None
    min_module: Length = "0.5mm"
    src: str | None = None
    fit: Literal["contain", "cover"] = "contain"

    @model_validator(mode="after")
    def _keys_match_type(self) -> Element:
        allowed = COMMON_KEYS | ELEMENT_KEYS[self.type]
        stray = sorted(set(self.model_fields_set) - allowed)
        if stray:
            raise ValueError(f"{', '.join(stray)} does not apply to a {self.type} element")
        if self.type == "text" and self.text is None:
            raise ValueError("a text element needs 'text:' (a template such as \"{title}\")")
        if self.type == "image" and self.src is None:
            raise ValueError("an image element needs 'src:' (a file, or a template such as \"{image}\")")
        return self


class FontFamily(Strict):
    regular: str
    bold: str | None = None
    italic: str | None = None
    bolditalic: str | None = None


class FamilyStyle(Strict):
    colors: dict[str, Color] = Field(default_factory=dict)


class Theme(Strict):
    """A card design: size, fonts, colours and the elements of each side."""

    extends: str | None = None
    description: str = ""
    card: str = Field("poker", description="a preset (poker, bridge, tarot…) or WIDTHxHEIGHT, e.g. 63x88mm")
    safe: Length = "4mm"
    fonts: dict[str, FontFamily] = Field(default_factory=dict)
    colors: dict[str, Color] = Field(default_factory=dict)
    families: dict[str, FamilyStyle] = Field(default_factory=dict)
    front: dict[str, Element | None] = Field(default_factory=dict)
    back: dict[str, Element | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _card_size(self) -> Theme:
        from deckgen.units import parse_card_size

        parse_card_size(self.card)
        return self
