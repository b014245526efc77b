"""The theme format: card size, fonts, colours and the elements drawn on each side (pydantic)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator

from deckgen.deck.model import Color, FileName, Invalid, Strict, _split_hint
from deckgen.presets import card_sizes
from deckgen.units import MM, parse_card_size, parse_length

# ---------------------------------------------------------------- themes

STYLES = ("regular", "bold", "italic", "bolditalic")


MAX_LENGTH = 2000 * MM  # 2 m: more than any card or sheet, far less than what breaks the arithmetic


def _length(value: Any, percent: bool = True, sign: int | None = None) -> str | float:
    """A length as written, once checked: it parses, it is finite and within ±2 m; `sign` 0: not negative
    (a width, a margin), 1: more than 0 (a font size, a QR module)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"not a length: {value!r}", "write e.g. 4mm, 0.125in, 9pt or 50%")
    try:
        points = parse_length(value, percent_of=1.0 if percent else None)
    except OverflowError:
        points = math.inf
    except ValueError as exc:
        raise _split_hint(exc) from None
    if not math.isfinite(points) or abs(points) > MAX_LENGTH:
        raise Invalid(f"not a usable length: {value!r}", f"a finite length, within {MAX_LENGTH / MM:.0f} mm")
    if sign == 0 and points < 0:
        raise Invalid(f"must not be negative: {value!r}", "write e.g. 0, 0.5mm or 4mm")
    if sign == 1 and points <= 0:
        raise Invalid(f"must be more than 0: {value!r}", "write e.g. 0.5mm or 9pt")
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
Size = Annotated[str | float, PlainValidator(lambda v: _length(v, percent=False, sign=0)),
                 WithJsonSchema(SIZE_SCHEMA)]
# A font size, a QR module: more than 0.
Positive = Annotated[str | float, PlainValidator(lambda v: _length(v, percent=False, sign=1)),
                     WithJsonSchema(SIZE_SCHEMA)]

ELEMENT_KEYS = {
    "text": {"text", "font", "style", "size", "min_size", "line_height", "max_lines", "align", "valign",
             "color", "uppercase", "hyphenate", "overflow"},
    "rect": {"fill", "stroke", "stroke_width", "radius", "bleed"},
    "line": {"stroke", "stroke_width"},
    "qr": {"data", "dark", "light", "min_module", "ec"},
    "image": {"src", "fit", "color"},
    "icon": {"icon", "color"},
}
COMMON_KEYS = {"type", "x", "y", "w", "h", "when", "below", "above", "gap"}
COLOR_HELP = 'a colour: "#RRGGBB", a name from colors:, a template such as "{family.color}", ' \
             '"contrast(X)" (black or white, whichever reads better on X), "readable(X)" (X darkened to 3:1 ' \
             'against the paper, for thin marks and outlines), or none'


class Element(Strict):
    """One thing drawn on a card side, placed from the card's top-left corner."""

    type: Literal["text", "rect", "line", "qr", "image", "icon"]
    x: Length = Field(0, description="left edge, from the card's left: 4mm, 10%, 100% - 27mm")
    y: Length = Field(0, description="top edge, from the card's top")
    w: Length = Field("100%", description="width (a line: its horizontal extent)")
    h: Length = Field("100%", description="height (a line: its vertical extent; 0 for a horizontal rule)")
    when: str | None = Field(None, description="draw only when this field is not empty, e.g. source")
    below: str | None = Field(None, description="an element before this one on the same side: the top edge follows "
                                                "the bottom of what it drew (its text lines), plus gap; the bottom "
                                                "edge stays at y + h")
    above: str | None = Field(None, description="an element before this one on the same side: the bottom edge sits "
                                                "gap above the top of what it drew; the top edge stays at y")
    gap: Length = Field(0, description="the space between this element and the one named by below: or above:")
    text: str | None = Field(None, description="a template: {title}, {number}/{total}, {family.name}, {my_field}…")
    font: str = Field("body", description="a key of fonts: (body is built in)")
    style: Literal["regular", "bold", "italic", "bolditalic"] = "regular"
    size: Positive = Field("9pt", description="the largest font size")
    min_size: Positive | None = Field(None, description="the smallest size the text may shrink to (default: size)")
    line_height: float = Field(1.2, ge=0.8, le=3, strict=True, description="line spacing, times the font size")
    max_lines: int | None = Field(None, ge=1, strict=True)
    align: Literal["left", "center", "right", "justify"] = Field(
        "left", description="justify: lines set flush on both sides (the last line of a paragraph left)")
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
    min_module: Positive = Field("0.5mm", description="refuse a code whose modules would be smaller")
    ec: Literal["L", "M", "Q", "H"] = Field("M", description="QR error correction: L 7 %, M 15 % (default), Q 25 %, "
                                            "H 30 % of the code may be lost; higher levels need more modules")
    src: FileName | None = Field(None, description="an image: a template such as {image} or {family.image}, "
                                              "or a file next to the theme")
    fit: Literal["contain", "cover"] = Field("contain", description="contain: whole image; cover: fill and crop")
    icon: str | None = Field(None, description="an icon: a name, or a template such as {icon} or {family.icon}; "
                                               '"{icon}|{family.icon}": the card\'s icon, else its family\'s')

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
        if self.type == "icon" and self.icon is None:
            raise Invalid("an icon element needs 'icon:'", 'a name, or a template such as "{family.icon}"')
        return self


def _card_schema() -> dict[str, Any]:

    size = r"^\s*\d+(?:\.\d+)?\s*[x×]\s*\d+(?:\.\d+)?\s*(?:mm|cm|in|pt)\s*$"
    return {"anyOf": [{"enum": list(card_sizes())}, {"type": "string", "pattern": size}]}


CARD_SCHEMA = _card_schema()


class FontFamily(Strict):
    regular: FileName
    bold: FileName | None = None
    italic: FileName | None = None
    bolditalic: FileName | None = None


class FamilyStyle(Strict):
    colors: dict[str, Color] = Field(default_factory=dict)


class LegendStyle(Strict):
    """The elements of the legend cards (`build --legend`), with {family.name}, {family.description},
    {family.color}; without it a theme gets deckgen's own full-colour legend card."""

    front: dict[str, Element | None] = Field(default_factory=dict)
    back: dict[str, Element | None] = Field(default_factory=dict)


class CardRule(Strict):
    """The card sizes a variant is for: every condition given must hold (63 × 88 mm is w 63mm, h 88mm)."""

    min_w: Size | None = Field(None, description="the card is at least this wide")
    max_w: Size | None = Field(None, description="the card is at most this wide")
    min_h: Size | None = Field(None, description="the card is at least this tall")
    max_h: Size | None = Field(None, description="the card is at most this tall")
    landscape: bool | None = Field(None, description="true: wider than tall; false: not (portrait or square)")

    def matches(self, card_w: float, card_h: float) -> bool:
        eps = 0.01
        limits = [(self.min_w, card_w, 1), (self.max_w, card_w, -1), (self.min_h, card_h, 1),
                  (self.max_h, card_h, -1)]
        if any(v is not None and (got - parse_length(v)) * sign < -eps for v, got, sign in limits):
            return False
        return self.landscape is None or self.landscape == (card_w > card_h + eps)


PARTIAL = {"type": "object", "description": "keys of an element, merged into the theme's element of that name "
                                            "(null removes it; a new name adds an element)"}
Partial = Annotated[dict[str, Any] | None, WithJsonSchema({"anyOf": [PARTIAL, {"type": "null"}]})]


class Variant(Strict):
    """Changes for some card sizes, merged key by key into the theme (as a theme that extends it would) when
    the card matches `when_card`; every matching variant applies, in order."""

    when_card: CardRule
    safe: Size | None = None
    colors: dict[str, Color] = Field(default_factory=dict)
    front: dict[str, Partial] = Field(default_factory=dict)
    back: dict[str, Partial] = Field(default_factory=dict)


class Theme(Strict):
    """A card design: size, fonts, colours and the elements of each side."""

    extends: FileName | None = Field(None, description="a built-in theme or a theme file this one changes")
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
    variants: list[Variant] = Field(default_factory=list, description="changes for some card sizes: the theme "
                                    "follows the card (small, landscape, large cards)")
    fit: Literal["deck", "card"] = Field("deck", description="deck: each text element has one size across the "
                                         "deck (the largest every card's text fits at); card: each card's texts "
                                         "are fitted alone")
    greyscale: bool = Field(False, description="made for greyscale printing: `check` also warns about family "
                                               "colours of too close a lightness")

    @model_validator(mode="after")
    def _card_size(self) -> Theme:

        try:
            parse_card_size(self.card)
        except ValueError as exc:
            raise _split_hint(exc) from None
        return self

    def family_colors(self, family: str | None, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The theme's colours (over `base`), with the overrides `families:` gives this family."""
        colors = {**(base or {}), **self.colors}
        if family and family in self.families:
            colors.update(self.families[family].colors)
        return colors
