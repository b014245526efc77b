"""SVG properties (pure): lengths, the cascade of presentation attributes and style declarations, opacity,
colours and paints, with each refusal at its element's line."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from PIL import ImageColor

from deckgen.deck.svg.geometry import GeometryError, numbers
from deckgen.deck.svg.xmlsafe import Node, SvgError

RGB = tuple[float, float, float]
CURRENT = "currentColor"  # a paint that takes the colour the theme gives the image
Paint = RGB | str
CAPS = {"butt": 0, "round": 1, "square": 2}
JOINS = {"miter": 0, "miter-clip": 0, "arcs": 0, "round": 1, "bevel": 2}
UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "em": 16.0, "ex": 8.0}
INHERITED = ("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
             "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "color", "visibility",
             # text (see text.py)
             "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-variant-caps", "font",
             "text-anchor", "dominant-baseline", "letter-spacing", "word-spacing", "writing-mode", "direction",
             "xml:space", "white-space", "text-decoration", "baseline-shift", "alignment-baseline",
             "shape-inside")
FONT_SIZES = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0, "x-large": 24.0,
              "xx-large": 32.0, "larger": 1.2, "smaller": 1 / 1.2}  # px; larger and smaller: times the parent's
LOCAL = ("opacity", "display", "clip-path", "mask", "filter", "marker", "marker-start", "marker-mid",
         "marker-end", "mix-blend-mode")
REFUSED_PROPS = {
    "clip-path": "clipping paths", "mask": "masks", "filter": "filters (blur, shadow…)", "marker": "markers",
    "marker-start": "markers", "marker-mid": "markers", "marker-end": "markers", "mix-blend-mode": "blend modes"}


_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%|[A-Za-z]*)\s*")


def length(node: Node, value: str | None, ref: float, default: float = 0.0) -> float:
    """A length in user units (px); % of `ref`."""
    if value is None or not value.strip():
        return default
    m = _LENGTH.fullmatch(value)
    if not m:
        raise SvgError(node.line, f"not a length: {value!r}", "write a number, e.g. 12 or 4.5mm")
    number, unit = float(m.group(1)), m.group(2).lower()
    if unit == "%":
        return number * ref / 100
    if unit not in UNITS:
        raise SvgError(node.line, f"unknown unit in length {value!r}", "use px, pt, mm, cm, in or %")
    return number * UNITS[unit]


def view_box(root: Node) -> tuple[float, float, float, float]:
    vb = root.attrs.get("viewBox")
    if vb is not None:
        try:
            x, y, w, h = numbers(vb)
        except (GeometryError, ValueError):
            raise SvgError(root.line, f"not a viewBox: {vb!r}", "four numbers: min-x min-y width height") from None
    else:
        x = y = 0.0
        w = length(root, root.attrs.get("width"), 0.0) if "%" not in root.attrs.get("width", "%") else 0.0
        h = length(root, root.attrs.get("height"), 0.0) if "%" not in root.attrs.get("height", "%") else 0.0
    if not (w > 0 and h > 0 and math.isfinite(w + h + x + y)):
        raise SvgError(root.line, "the SVG has no size: no viewBox and no width and height",
                       'add viewBox="0 0 W H" to the <svg> element')
    return (x, y, w, h)


def declarations(style: str) -> dict[str, str]:
    out = {}
    for decl in style.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            out[name.strip().lower()] = value.replace("!important", "").strip()
    return out


def cascade(node: Node, parent: Mapping[str, str]) -> dict[str, str]:
    """The inherited properties after this element: its presentation attributes, then its style attribute."""
    props = dict(parent)
    own = {k: v for k, v in node.attrs.items() if k in INHERITED or k in LOCAL}
    own.update(declarations(node.attrs.get("style", "")))
    for key, value in own.items():
        if key in INHERITED and value.strip() != "inherit":
            props[key] = value.strip() if key != "font-size" else font_size(node, value, props.get("font-size"))
    return props


def font_size(node: Node, value: str, parent: str | None) -> str:
    """A font size in px (as text), relative sizes (em, %, larger) resolved against the parent's."""
    base = float(parent) if parent else FONT_SIZES["medium"]
    v = value.strip().lower()
    if v in FONT_SIZES:
        size = FONT_SIZES[v] * (base if v in ("larger", "smaller") else 1.0)
    else:
        m = _LENGTH.fullmatch(v)
        em = {"em": base, "ex": base / 2, "rem": FONT_SIZES["medium"]}.get(m.group(2)) if m else None
        size = float(m.group(1)) * em if m and em is not None else length(node, v, base)
    if not (size >= 0 and math.isfinite(size)):
        raise SvgError(node.line, f"not a font size: {value!r}", "a length of 0 or more, e.g. 12px")
    return repr(size)


def own(node: Node, key: str) -> str | None:
    """A non-inherited property of the element itself (style attribute first)."""
    return declarations(node.attrs.get("style", "")).get(key, node.attrs.get(key))


def opacity(node: Node, key: str, props: Mapping[str, str] | None = None) -> float:
    raw = props.get(key) if props is not None else own(node, key)
    if raw is None or not raw.strip():
        return 1.0
    v = raw.strip()
    try:
        a = float(v[:-1]) / 100 if v.endswith("%") else float(v)
    except ValueError:
        raise SvgError(node.line, f"not an opacity: {key}={raw!r}", "a number from 0 to 1") from None
    return min(1.0, max(0.0, a))


def parse_color(node: Node, value: str) -> tuple[RGB, float]:
    try:
        c = ImageColor.getrgb(value)
    except ValueError:
        raise SvgError(node.line, f"not a colour: {value!r}", 'write e.g. "#1B4965" or a CSS colour name') from None
    return (c[0] / 255, c[1] / 255, c[2] / 255), (c[3] / 255 if len(c) > 3 else 1.0)


def paint(node: Node, key: str, props: Mapping[str, str]) -> tuple[Paint | None, float]:
    """The fill or stroke paint and the alpha its colour carries."""
    value = props.get(key, "none").strip()
    low = value.lower()
    if low in ("none", "transparent"):
        return None, 1.0
    if low.startswith("url("):
        raise SvgError(node.line, f"{key}={value!r}: gradients and patterns are not supported",
                       "use a flat colour")
    if low == "currentcolor":
        color = props.get("color", CURRENT)
        return (CURRENT, 1.0) if color in (CURRENT, "currentColor") else parse_color(node, color)
    return parse_color(node, value)


def keyword(node: Node, props: Mapping[str, str], key: str, table: Mapping[str, int], default: str) -> int:
    value = props.get(key, default).strip()
    if value not in table:
        raise SvgError(node.line, f"unknown {key} {value!r}", "one of " + ", ".join(table))
    return table[value]


def number(node: Node, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise SvgError(node.line, f"not a number: {value!r}") from None
