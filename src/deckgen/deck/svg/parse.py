"""SVG -> vector art as plain data (pure): filled and stroked paths, embedded bitmaps, nothing drawn yet.

The subset icon sets and drawing programs write: paths, basic shapes, groups, `<use>` of an element or a
`<symbol>` of the same file, transforms, fill and stroke with their caps, joins, dashes and rules, opacity
and `currentColor` (the colour the theme gives). Everything else that would change the drawing is refused
with its line (gradients, clipping, masks, filters, markers, CSS style sheets, text, scripts), and so is any
reference to another file or to the network: an SVG draws only what is inside it.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image, ImageColor, UnidentifiedImageError

from deckgen.deck.svg.css import apply_sheets
from deckgen.deck.svg.geometry import (
    IDENTITY,
    GeometryError,
    Matrix,
    ellipse_path,
    multiply,
    numbers,
    parse_path,
    parse_transform,
    poly_path,
    rect_path,
)
from deckgen.deck.svg.xmlsafe import Node, SvgError, read_svg_xml

RGB = tuple[float, float, float]
CURRENT = "currentColor"  # a paint that takes the colour the theme gives the image
Paint = RGB | str
MAX_ITEMS = 50_000  # shapes after <use> is expanded: a file of 20 uses of 20 uses… is refused, not drawn
_CAPS = {"butt": 0, "round": 1, "square": 2}
_JOINS = {"miter": 0, "miter-clip": 0, "arcs": 0, "round": 1, "bevel": 2}
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "em": 16.0, "ex": 8.0}
INHERITED = ("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
             "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "color", "visibility")
LOCAL = ("opacity", "display", "clip-path", "mask", "filter", "marker", "marker-start", "marker-mid",
         "marker-end", "mix-blend-mode")
_REFUSED_PROPS = {
    "clip-path": "clipping paths", "mask": "masks", "filter": "filters (blur, shadow…)", "marker": "markers",
    "marker-start": "markers", "marker-mid": "markers", "marker-end": "markers", "mix-blend-mode": "blend modes"}
_CONTAINERS = {"g", "a"}
_NOT_DRAWN = {"style", "defs", "title", "desc", "metadata", "symbol", "linearGradient", "radialGradient", "pattern",
              "clipPath", "mask", "marker", "filter", "animate", "animateTransform", "animateMotion", "set",
              "view", "cursor"}
_REFUSED = {
    "text": ("SVG text is not supported", "convert the text to paths (Inkscape: Path > Object to Path; "
                                          "Illustrator: Type > Create Outlines)"),
    "script": ("scripts are not allowed in an SVG image", "remove the <script> element"),
    "foreignObject": ("<foreignObject> (HTML inside SVG) is not supported", "remove it or convert it to paths"),
    "svg": ("a nested <svg> is not supported", "ungroup it into the outer drawing"),
    "switch": ("<switch> is not supported", "keep one of its choices"),
}


@dataclass(frozen=True, slots=True)
class Shape:
    """A path in its own user space, drawn through `matrix` (which maps it into the art's viewBox space)."""

    codes: str
    coords: tuple[float, ...]
    matrix: Matrix
    fill: Paint | None
    stroke: Paint | None
    width: float = 1.0
    cap: int = 0
    join: int = 0
    miter: float = 4.0
    even_odd: bool = False
    dash: tuple[float, ...] = ()
    dash_offset: float = 0.0
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0


@dataclass(frozen=True, slots=True)
class Bitmap:
    """An embedded PNG or JPEG, drawn in the box (x, y, w, h) of its user space: whole (`contain`),
    filling it cropped (`cover`) or stretched (`fill`), as its preserveAspectRatio says."""

    data: bytes
    x: float
    y: float
    w: float
    h: float
    matrix: Matrix
    fit: str = "contain"
    alpha: float = 1.0


Item = Shape | Bitmap


@dataclass(frozen=True, slots=True)
class Art:
    """A parsed SVG: its viewBox (x, y, w, h, y down) and what it draws, in order."""

    view: tuple[float, float, float, float]
    items: tuple[Item, ...]
    transparency: int = 0  # the line of the first partly transparent shape (0: none): PDF/X-1a refuses it

    @property
    def uses_current(self) -> bool:
        return any(isinstance(i, Shape) and CURRENT in (i.fill, i.stroke) for i in self.items)


def parse_svg(data: bytes, *, current: RGB | None = None) -> Art:
    """The art an SVG file draws; SvgError (with the line) for anything refused or malformed.
    `current` replaces currentColor at once (None: keep it, for the theme to colour)."""
    root = read_svg_xml(data)
    if root.tag != "svg":
        raise SvgError(root.line, f"not an SVG image: the document is <{root.tag or 'unknown'}>",
                       "an SVG file starts with <svg xmlns=\"http://www.w3.org/2000/svg\" …>")
    view = _view_box(root)
    apply_sheets(root)
    builder = _Builder(root, view)
    props = {"fill": "black", "stroke": "none", "color": CURRENT}
    for child in root.children:
        builder.walk(child, _cascade(root, props), IDENTITY, _alpha(root, "opacity"), frozenset())
    art = Art(view, tuple(builder.items), builder.transparency)
    return recolor(art, current) if current is not None else art


def recolor(art: Art, rgb: RGB) -> Art:
    """The art with currentColor painted `rgb`."""
    if not art.uses_current:
        return art
    items = tuple(replace(i, fill=rgb if i.fill == CURRENT else i.fill, stroke=rgb if i.stroke == CURRENT else i.stroke)
                  if isinstance(i, Shape) else i for i in art.items)
    return Art(art.view, items, art.transparency)


_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%|[A-Za-z]*)\s*")


def _length(node: Node, value: str | None, ref: float, default: float = 0.0) -> float:
    """A length in user units (px); % of `ref`."""
    if value is None or not value.strip():
        return default
    m = _LENGTH.fullmatch(value)
    if not m:
        raise SvgError(node.line, f"not a length: {value!r}", "write a number, e.g. 12 or 4.5mm")
    number, unit = float(m.group(1)), m.group(2).lower()
    if unit == "%":
        return number * ref / 100
    if unit not in _UNITS:
        raise SvgError(node.line, f"unknown unit in length {value!r}", "use px, pt, mm, cm, in or %")
    return number * _UNITS[unit]


def _view_box(root: Node) -> tuple[float, float, float, float]:
    vb = root.attrs.get("viewBox")
    if vb is not None:
        try:
            x, y, w, h = numbers(vb)
        except (GeometryError, ValueError):
            raise SvgError(root.line, f"not a viewBox: {vb!r}", "four numbers: min-x min-y width height") from None
    else:
        x = y = 0.0
        w = _length(root, root.attrs.get("width"), 0.0) if "%" not in root.attrs.get("width", "%") else 0.0
        h = _length(root, root.attrs.get("height"), 0.0) if "%" not in root.attrs.get("height", "%") else 0.0
    if not (w > 0 and h > 0 and math.isfinite(w + h + x + y)):
        raise SvgError(root.line, "the SVG has no size: no viewBox and no width and height",
                       'add viewBox="0 0 W H" to the <svg> element')
    return (x, y, w, h)


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for decl in style.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            out[name.strip().lower()] = value.replace("!important", "").strip()
    return out


def _cascade(node: Node, parent: Mapping[str, str]) -> dict[str, str]:
    """The inherited properties after this element: its presentation attributes, then its style attribute."""
    props = dict(parent)
    own = {k: v for k, v in node.attrs.items() if k in INHERITED or k in LOCAL}
    own.update(_declarations(node.attrs.get("style", "")))
    for key, value in own.items():
        if key in INHERITED and value.strip() != "inherit":
            props[key] = value.strip()
    return props


def _own(node: Node, key: str) -> str | None:
    """A non-inherited property of the element itself (style attribute first)."""
    return _declarations(node.attrs.get("style", "")).get(key, node.attrs.get(key))


def _alpha(node: Node, key: str, props: Mapping[str, str] | None = None) -> float:
    raw = props.get(key) if props is not None else _own(node, key)
    if raw is None or not raw.strip():
        return 1.0
    v = raw.strip()
    try:
        a = float(v[:-1]) / 100 if v.endswith("%") else float(v)
    except ValueError:
        raise SvgError(node.line, f"not an opacity: {key}={raw!r}", "a number from 0 to 1") from None
    return min(1.0, max(0.0, a))


def _color(node: Node, value: str) -> tuple[RGB, float]:
    try:
        c = ImageColor.getrgb(value)
    except ValueError:
        raise SvgError(node.line, f"not a colour: {value!r}", 'write e.g. "#1B4965" or a CSS colour name') from None
    return (c[0] / 255, c[1] / 255, c[2] / 255), (c[3] / 255 if len(c) > 3 else 1.0)


def _paint(node: Node, key: str, props: Mapping[str, str]) -> tuple[Paint | None, float]:
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
        return (CURRENT, 1.0) if color in (CURRENT, "currentColor") else _color(node, color)
    return _color(node, value)


class _Builder:
    """Walks the tree, expanding <use>, and collects the items drawn."""

    def __init__(self, root: Node, view: tuple[float, float, float, float]) -> None:
        self.ids: dict[str, Node] = {}
        self._index(root)
        self.view = view
        self.items: list[Item] = []
        self.transparency = 0
        self.visits = 0
        self.draw: dict[str, Callable[[Node, dict[str, str], Matrix, float], None]] = {
            "path": self._path, "rect": self._rect, "circle": self._circle, "ellipse": self._ellipse,
            "line": self._line, "polyline": self._poly, "polygon": self._poly, "image": self._image}

    def _index(self, node: Node) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            if "id" in n.attrs:
                self.ids.setdefault(n.attrs["id"], n)
            stack.extend(n.children)

    def walk(self, node: Node, parent: Mapping[str, str], ctm: Matrix, alpha: float, using: frozenset[str]) -> None:
        if node.tag is None or node.tag in _NOT_DRAWN:
            return  # an editor's own elements (sodipodi:namedview…), definitions, descriptions
        self.visits += 1
        if node.tag in _REFUSED:
            raise SvgError(node.line, *_REFUSED[node.tag])
        for key, what in _REFUSED_PROPS.items():
            value = _own(node, key)
            if value is not None and value.strip().lower() not in ("none", "normal", ""):
                raise SvgError(node.line, f"{what} ({key}) are not supported", "remove the effect or flatten it")
        if (_own(node, "display") or "").strip() == "none":
            return
        props = _cascade(node, parent)
        if "transform" in node.attrs:
            try:
                ctm = multiply(ctm, parse_transform(node.attrs["transform"]))
            except GeometryError as exc:
                raise SvgError(node.line, f"transform: {exc}", "see the SVG transform syntax") from None
        alpha *= _alpha(node, "opacity")
        if node.tag in _CONTAINERS:
            for child in node.children:
                self.walk(child, props, ctm, alpha, using)
        elif node.tag == "use":
            self._use(node, props, ctm, alpha, using)
        elif node.tag in self.draw:
            self.draw[node.tag](node, props, ctm, alpha)
        else:
            raise SvgError(node.line, f"unsupported SVG element <{node.tag}>",
                           "use paths, basic shapes, groups and <use>; convert the rest to paths")

    def _use(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float, using: frozenset[str]) -> None:
        href = node.attrs.get("href", "").strip()
        if not href.startswith("#"):
            raise SvgError(node.line, f"<use> of another file refused: {href!r}", "an SVG may only use its own parts")
        target = self.ids.get(href[1:])
        if target is None:
            raise SvgError(node.line, f"<use> of an unknown id {href!r}", "check the id")
        if href in using:
            raise SvgError(node.line, f"<use> {href!r} refers to itself", "point it at another element")
        if self.visits > MAX_ITEMS:
            raise SvgError(node.line, f"<use> {href!r}: the drawing expands to too many shapes (more than "
                                      f"{MAX_ITEMS:,})", "simplify the drawing")
        x, y = _length(node, node.attrs.get("x"), self.view[2]), _length(node, node.attrs.get("y"), self.view[3])
        ctm = multiply(ctm, (1, 0, 0, 1, x, y))
        if target.tag == "symbol":
            ctm = multiply(ctm, self._symbol_matrix(node, target))
            props = _cascade(target, props)
            for child in target.children:
                self.walk(child, props, ctm, alpha, using | {href})
        else:
            self.walk(target, props, ctm, alpha, using | {href})

    def _symbol_matrix(self, use: Node, symbol: Node) -> Matrix:
        """A symbol's viewBox fitted (centred, whole) in the <use>'s width and height (default 100 %)."""
        vb = symbol.attrs.get("viewBox")
        if vb is None:
            return IDENTITY
        try:
            vx, vy, vw, vh = numbers(vb)
        except (GeometryError, ValueError):
            raise SvgError(symbol.line, f"not a viewBox: {vb!r}", "four numbers: min-x min-y width height") from None
        w = _length(use, use.attrs.get("width"), self.view[2], self.view[2])
        h = _length(use, use.attrs.get("height"), self.view[3], self.view[3])
        if vw <= 0 or vh <= 0:
            return (0, 0, 0, 0, 0, 0)
        s = min(w / vw, h / vh)
        return (s, 0, 0, s, (w - vw * s) / 2 - vx * s, (h - vh * s) / 2 - vy * s)

    def _add(self, node: Node, path: tuple[str, tuple[float, ...]], props: Mapping[str, str], ctm: Matrix,
             alpha: float, fill: bool = True) -> None:
        codes, coords = path
        if not codes or props.get("visibility", "visible") in ("hidden", "collapse"):
            return
        fill_paint, fa = _paint(node, "fill", props) if fill else (None, 1.0)
        stroke_paint, sa = _paint(node, "stroke", props)
        fa *= alpha * _alpha(node, "fill-opacity", props)
        sa *= alpha * _alpha(node, "stroke-opacity", props)
        width = _length(node, props.get("stroke-width"), math.hypot(*self.view[2:]) / math.sqrt(2), 1.0)
        fill_paint = fill_paint if fa > 0 else None
        stroke_paint = stroke_paint if sa > 0 and width > 0 else None
        if fill_paint is None and stroke_paint is None:
            return
        if (fill_paint is not None and fa < 1) or (stroke_paint is not None and sa < 1):
            self.transparency = self.transparency or node.line
        dash, offset = self._dash(node, props)
        self.items.append(Shape(
            codes, coords, ctm, fill_paint, stroke_paint, width,
            _keyword(node, props, "stroke-linecap", _CAPS, "butt"),
            _keyword(node, props, "stroke-linejoin", _JOINS, "miter"),
            max(1.0, _number(node, props.get("stroke-miterlimit", "4"))),
            props.get("fill-rule", "nonzero").strip() == "evenodd", dash, offset, min(fa, 1.0), min(sa, 1.0)))
        if len(self.items) > MAX_ITEMS:
            raise SvgError(node.line, f"more than {MAX_ITEMS:,} shapes", "simplify the drawing")

    def _dash(self, node: Node, props: Mapping[str, str]) -> tuple[tuple[float, ...], float]:
        raw = props.get("stroke-dasharray", "none").strip()
        if raw in ("none", ""):
            return (), 0.0
        ref = math.hypot(*self.view[2:]) / math.sqrt(2)
        dash = [_length(node, v, ref) for v in raw.replace(",", " ").split()]
        if any(d < 0 for d in dash):
            raise SvgError(node.line, f"stroke-dasharray with a negative length: {raw!r}", "use lengths of 0 or more")
        if sum(dash) <= 0:
            return (), 0.0
        dash = dash * 2 if len(dash) % 2 else dash
        return tuple(dash), _length(node, props.get("stroke-dashoffset"), ref)

    def _path(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        try:
            path = parse_path(node.attrs.get("d", ""))
        except GeometryError as exc:
            raise SvgError(node.line, f"bad path data: {exc}", "open the file in an SVG editor and save it again") \
                from None
        self._add(node, path, props, ctm, alpha)

    def _rect(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, vw, vh = node.attrs, self.view[2], self.view[3]
        w, h = _length(node, a.get("width"), vw), _length(node, a.get("height"), vh)
        if w <= 0 or h <= 0:
            return
        rx_raw, ry_raw = a.get("rx"), a.get("ry")
        rx = _length(node, rx_raw, vw) if rx_raw not in (None, "auto") else None
        ry = _length(node, ry_raw, vh) if ry_raw not in (None, "auto") else None
        rx, ry = (rx if rx is not None else ry or 0.0), (ry if ry is not None else rx or 0.0)
        self._add(node, rect_path(_length(node, a.get("x"), vw), _length(node, a.get("y"), vh), w, h, rx, ry),
                  props, ctm, alpha)

    def _circle(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        r = _length(node, a.get("r"), math.hypot(vw, vh) / math.sqrt(2))
        if r > 0:
            self._add(node, ellipse_path(_length(node, a.get("cx"), vw), _length(node, a.get("cy"), vh), r, r),
                      props, ctm, alpha)

    def _ellipse(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        rx, ry = _length(node, a.get("rx"), vw), _length(node, a.get("ry"), vh)
        rx, ry = (rx or ry, ry or rx) if "auto" in (a.get("rx"), a.get("ry")) else (rx, ry)
        if rx > 0 and ry > 0:
            self._add(node, ellipse_path(_length(node, a.get("cx"), vw), _length(node, a.get("cy"), vh), rx, ry),
                      props, ctm, alpha)

    def _line(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        coords = (_length(node, a.get("x1"), vw), _length(node, a.get("y1"), vh),
                  _length(node, a.get("x2"), vw), _length(node, a.get("y2"), vh))
        self._add(node, ("ML", coords), props, ctm, alpha, fill=False)

    def _poly(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        try:
            points = numbers(node.attrs.get("points", ""))
        except GeometryError as exc:
            raise SvgError(node.line, f"bad points: {exc}", "pairs of numbers: x,y x,y …") from None
        self._add(node, poly_path(points, node.tag == "polygon"), props, ctm, alpha)

    def _image(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        data = _data_uri(node)
        a, (vw, vh) = node.attrs, self.view[2:]
        w, h = _length(node, a.get("width"), vw), _length(node, a.get("height"), vh)
        if "width" not in a or "height" not in a:
            w, h = _pixel_size(node, data, w if "width" in a else None, h if "height" in a else None)
        if w <= 0 or h <= 0 or props.get("visibility", "visible") in ("hidden", "collapse") or alpha <= 0:
            return
        if alpha < 1:
            self.transparency = self.transparency or node.line
        par = a.get("preserveAspectRatio", "").split()
        fit = "fill" if par[:1] == ["none"] else "cover" if par[-1:] == ["slice"] else "contain"
        self.items.append(Bitmap(data, _length(node, a.get("x"), vw), _length(node, a.get("y"), vh), w, h,
                                 ctm, fit, alpha))


def _keyword(node: Node, props: Mapping[str, str], key: str, table: Mapping[str, int], default: str) -> int:
    value = props.get(key, default).strip()
    if value not in table:
        raise SvgError(node.line, f"unknown {key} {value!r}", "one of " + ", ".join(table))
    return table[value]


def _number(node: Node, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise SvgError(node.line, f"not a number: {value!r}") from None


_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def _data_uri(node: Node) -> bytes:
    """The bytes of an <image>'s embedded PNG or JPEG; a reference to a file or the network is refused."""
    href = node.attrs.get("href", "").strip()
    head, comma, payload = href.partition(",")
    if not href.startswith("data:") or not comma:
        raise SvgError(node.line, f"an <image> that links to {href[:60]!r} is refused: an SVG may not read other "
                                  "files or the network", "embed the bitmap in the SVG (a data: URI)")
    if not head.endswith(";base64"):
        raise SvgError(node.line, "an <image> data: URI that is not base64", "embed it as base64")
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SvgError(node.line, "an <image> with broken base64 data", "embed the bitmap again") from None
    if not any(data.startswith(m) for m in _MAGIC):
        raise SvgError(node.line, "an <image> that is not a PNG or JPEG", "embed a PNG or JPEG bitmap")
    return data


def _pixel_size(node: Node, data: bytes, w: float | None, h: float | None) -> tuple[float, float]:
    """An <image> without width or height: its pixel size, one side from the other when only one is given."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            pw, ph = im.size
    except (UnidentifiedImageError, OSError):
        raise SvgError(node.line, "an <image> whose bitmap cannot be read", "embed a PNG or JPEG bitmap") from None
    if w is None and h is None:
        return float(pw), float(ph)
    return (w, ph * w / pw) if w is not None else (pw * (h or 0.0) / ph, h or 0.0)


def art_to_row(art: Art) -> tuple[object, ...]:
    """The art as nested tuples of numbers, strings and bytes (what `marshal` packs); `art_from_row` reverses it."""
    items = tuple((0, *(getattr(i, f) for f in Shape.__slots__)) if isinstance(i, Shape)
                  else (1, *(getattr(i, f) for f in Bitmap.__slots__)) for i in art.items)
    return (art.view, items, art.transparency)


def art_from_row(row: Any) -> Art:
    view, items, transparency = row
    return Art(view, tuple(Shape(*i[1:]) if i[0] == 0 else Bitmap(*i[1:]) for i in items), transparency)
