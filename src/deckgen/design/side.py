"""What laying out a card side produces (ops, issues, fit notes) and what its parts share: element boxes,
colours, the arguments of layout_side. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deckgen.deck.model import HEX_COLOR
from deckgen.design.color import hex_rgb, text_on
from deckgen.design.colorscience import readable
from deckgen.design.flow import Box, Extent
from deckgen.design.kept import Kept
from deckgen.design.ops import RGB, WHITE, Metrics, Op
from deckgen.design.templates import fill_template, template_fields
from deckgen.design.theme_model import Element
from deckgen.units import parse_length


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with one element of one card side; `field` is the card field it shows, if any."""

    element: str
    field: str | None
    what: str
    hint: str | None = None
    warning: bool = False


@dataclass(frozen=True, slots=True)
class FitNote:
    element: str
    field: str | None
    size: float
    min_size: float
    fits: bool
    ellipsised: bool
    nominal: float = 0.0  # the element's size: the text was shrunk when size < nominal
    hyphenated: str | None = None  # a word too wide for the box, hyphenated as a last resort


@dataclass
class SideLayout:
    ops: list[Op] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    fits: list[FitNote] = field(default_factory=list)
    extents: dict[str, Extent] = field(default_factory=dict)  # what each element drew, for `below:`/`above:`


@dataclass(frozen=True)
class LaidSide:
    """A card side as the pipeline keeps it: its ops (packed: read-only), issues and fit notes."""

    ops: Sequence[Op] = ()
    issues: Sequence[Issue] = ()
    fits: Sequence[FitNote] = ()


_FUNCTION = re.compile(r"(contrast|readable)\((.+)\)")


def resolve_color(spec: str | None, colors: Mapping[str, str], ctx: Mapping[str, Any]) -> RGB | None:
    """"#hex", a theme colour name, a {template}, "none", "contrast(X)": black or white against X, or
    "readable(X)": X darkened just enough to reach 3:1 against the paper (thin marks and outlines)."""
    if spec is None:
        return None
    spec = spec.strip()
    if spec.lower() in ("", "none"):
        return None
    if spec in colors and "{" not in spec and "(" not in spec:
        return resolve_color(colors[spec], {}, ctx)  # a theme colour: the common case
    if spec[:1] == "#" and HEX_COLOR.match(spec):
        return hex_rgb(spec)
    m = _FUNCTION.fullmatch(spec)
    if m:
        base = resolve_color(m.group(2), colors, ctx)
        if m.group(1) == "contrast":
            return text_on(base if base is not None else WHITE)
        paper = resolve_color(colors["paper"], colors, ctx) if "paper" in colors else None
        return None if base is None else readable(base, paper or WHITE)
    if "{" in spec or "}" in spec:
        filled = fill_template(spec, ctx).strip()
        if "{" in filled or "}" in filled:  # "{{…}}": braces left, never a colour (and no endless recursion)
            raise KeyError(f"colour {spec!r}")
        return resolve_color(filled, colors, ctx)
    raise KeyError(f"colour {spec!r}")


_BOXES: Kept[Box] = Kept(256)


def element_box(el: Element, card_w: float, card_h: float) -> Box:
    """The element's box on a card of that size, kept by the element's id (hashing a theme element hashes every
    field of it, for each element of each card)."""
    return _BOXES.get((id(el), card_w, card_h), (el,), lambda: _box(el, card_w, card_h))


def _box(el: Element, card_w: float, card_h: float) -> Box:
    x = parse_length(el.x, card_w)
    top = parse_length(el.y, card_h)
    w = parse_length(el.w, card_w)
    h = parse_length(el.h, card_h)
    return Box(x, card_h - top - h, w, h)


def card_field(el: Element) -> str | None:
    """The card field an element shows, for messages: the first {field} of its template."""
    template = {"text": el.text, "qr": el.data, "icon": el.icon}.get(el.type, el.src)
    names = template_fields(template or "")
    return names[0] if names else None


@dataclass(frozen=True)
class SideArgs:
    """What laying out the elements of one card side reads (layout_side's arguments)."""

    elements: Mapping[str, Element | None]
    ctx: Mapping[str, Any]
    card_w: float
    card_h: float
    colors: Mapping[str, str]
    metrics: Metrics
    lang: str
    bleed: float
    allow_overflow: bool
    draw: bool
    press: bool
    size_caps: Mapping[str, float]
    sizes_only: bool
