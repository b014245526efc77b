"""SVG -> vector art as plain data (pure): filled and stroked paths, embedded bitmaps, nothing drawn yet.

The subset icon sets and drawing programs write: paths, basic shapes, groups, `<use>` of an element or a
`<symbol>` of the same file, transforms, fill and stroke with their caps, joins, dashes and rules, opacity
and `currentColor` (the colour the theme gives), and text as glyph outlines from the theme's fonts (text.py).
Everything else that would change the drawing is refused with its line (gradients, clipping, masks, filters,
markers, at-rules in style sheets, text on a path, scripts), and so is any reference to another file or to the
network: an SVG draws only what is inside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from deckgen.deck.svg.bitmap import data_uri, pixel_size
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
from deckgen.deck.svg.style import (
    CAPS,
    CURRENT,
    JOINS,
    REFUSED_PROPS,
    RGB,
    Paint,
    cascade,
    keyword,
    length,
    number,
    opacity,
    own,
    paint,
    view_box,
)
from deckgen.deck.svg.text import MAX_CHARS, OUTLINES, TextFonts, text_chars, text_paths
from deckgen.deck.svg.xmlsafe import Node, SvgError, read_svg_xml

MAX_ITEMS = 50_000  # shapes after <use> is expanded: a file of 20 uses of 20 uses… is refused, not drawn
_CONTAINERS = {"g", "a"}
_NOT_DRAWN = {"style", "defs", "title", "desc", "metadata", "symbol", "linearGradient", "radialGradient", "pattern",
              "clipPath", "mask", "marker", "filter", "animate", "animateTransform", "animateMotion", "set",
              "view", "cursor"}
_REFUSED = {
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


def parse_svg(data: bytes, *, current: RGB | None = None, fonts: TextFonts | None = None) -> Art:
    """The art an SVG file draws; SvgError (with the line) for anything refused or malformed.
    `current` replaces currentColor at once (None: keep it, for the theme to colour); `fonts` draw its text
    (None: text is refused)."""
    root = read_svg_xml(data)
    if root.tag != "svg":
        raise SvgError(root.line, f"not an SVG image: the document is <{root.tag or 'unknown'}>",
                       "an SVG file starts with <svg xmlns=\"http://www.w3.org/2000/svg\" …>")
    view = view_box(root)
    apply_sheets(root)
    builder = _Builder(root, view, fonts)
    props = {"fill": "black", "stroke": "none", "color": CURRENT}
    for child in root.children:
        builder.walk(child, cascade(root, props), IDENTITY, opacity(root, "opacity"), frozenset())
    art = Art(view, tuple(builder.items), builder.transparency)
    return recolor(art, current) if current is not None else art


def recolor(art: Art, rgb: RGB) -> Art:
    """The art with currentColor painted `rgb`."""
    if not art.uses_current:
        return art
    items = tuple(replace(i, fill=rgb if i.fill == CURRENT else i.fill, stroke=rgb if i.stroke == CURRENT else i.stroke)
                  if isinstance(i, Shape) else i for i in art.items)
    return Art(art.view, items, art.transparency)


class _Builder:
    """Walks the tree, expanding <use>, and collects the items drawn."""

    def __init__(self, root: Node, view: tuple[float, float, float, float], fonts: TextFonts | None) -> None:
        self.ids: dict[str, Node] = {}
        self.fonts = fonts
        self.chars = 0  # of text, drawn so far
        self._index(root)
        self.view = view
        self.items: list[Item] = []
        self.transparency = 0
        self.visits = 0
        self.draw: dict[str, Callable[[Node, dict[str, str], Matrix, float], None]] = {
            "path": self._path, "rect": self._rect, "circle": self._circle, "ellipse": self._ellipse,
            "line": self._line, "polyline": self._poly, "polygon": self._poly, "image": self._image,
            "text": self._text}

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
        for key, what in REFUSED_PROPS.items():
            value = own(node, key)
            if value is not None and value.strip().lower() not in ("none", "normal", ""):
                raise SvgError(node.line, f"{what} ({key}) are not supported", "remove the effect or flatten it")
        if (own(node, "display") or "").strip() == "none":
            return
        props = cascade(node, parent)
        if "transform" in node.attrs:
            try:
                ctm = multiply(ctm, parse_transform(node.attrs["transform"]))
            except GeometryError as exc:
                raise SvgError(node.line, f"transform: {exc}", "see the SVG transform syntax") from None
        alpha *= opacity(node, "opacity")
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
        x, y = length(node, node.attrs.get("x"), self.view[2]), length(node, node.attrs.get("y"), self.view[3])
        ctm = multiply(ctm, (1, 0, 0, 1, x, y))
        if target.tag == "symbol":
            ctm = multiply(ctm, self._symbol_matrix(node, target))
            props = cascade(target, props)
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
        w = length(use, use.attrs.get("width"), self.view[2], self.view[2])
        h = length(use, use.attrs.get("height"), self.view[3], self.view[3])
        if vw <= 0 or vh <= 0:
            return (0, 0, 0, 0, 0, 0)
        s = min(w / vw, h / vh)
        return (s, 0, 0, s, (w - vw * s) / 2 - vx * s, (h - vh * s) / 2 - vy * s)

    def _add(self, node: Node, path: tuple[str, tuple[float, ...]], props: Mapping[str, str], ctm: Matrix,
             alpha: float, fill: bool = True) -> None:
        codes, coords = path
        if not codes or props.get("visibility", "visible") in ("hidden", "collapse"):
            return
        fill_paint, fa = paint(node, "fill", props) if fill else (None, 1.0)
        stroke_paint, sa = paint(node, "stroke", props)
        fa *= alpha * opacity(node, "fill-opacity", props)
        sa *= alpha * opacity(node, "stroke-opacity", props)
        width = length(node, props.get("stroke-width"), math.hypot(*self.view[2:]) / math.sqrt(2), 1.0)
        fill_paint = fill_paint if fa > 0 else None
        stroke_paint = stroke_paint if sa > 0 and width > 0 else None
        if fill_paint is None and stroke_paint is None:
            return
        if (fill_paint is not None and fa < 1) or (stroke_paint is not None and sa < 1):
            self.transparency = self.transparency or node.line
        dash, offset = self._dash(node, props)
        self.items.append(Shape(
            codes, coords, ctm, fill_paint, stroke_paint, width,
            keyword(node, props, "stroke-linecap", CAPS, "butt"),
            keyword(node, props, "stroke-linejoin", JOINS, "miter"),
            max(1.0, number(node, props.get("stroke-miterlimit", "4"))),
            props.get("fill-rule", "nonzero").strip() == "evenodd", dash, offset, min(fa, 1.0), min(sa, 1.0)))
        if len(self.items) > MAX_ITEMS:
            raise SvgError(node.line, f"more than {MAX_ITEMS:,} shapes", "simplify the drawing")

    def _dash(self, node: Node, props: Mapping[str, str]) -> tuple[tuple[float, ...], float]:
        raw = props.get("stroke-dasharray", "none").strip()
        if raw in ("none", ""):
            return (), 0.0
        ref = math.hypot(*self.view[2:]) / math.sqrt(2)
        dash = [length(node, v, ref) for v in raw.replace(",", " ").split()]
        if any(d < 0 for d in dash):
            raise SvgError(node.line, f"stroke-dasharray with a negative length: {raw!r}", "use lengths of 0 or more")
        if sum(dash) <= 0:
            return (), 0.0
        dash = dash * 2 if len(dash) % 2 else dash
        return tuple(dash), length(node, props.get("stroke-dashoffset"), ref)

    def _path(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        try:
            path = parse_path(node.attrs.get("d", ""))
        except GeometryError as exc:
            raise SvgError(node.line, f"bad path data: {exc}", "open the file in an SVG editor and save it again") \
                from None
        self._add(node, path, props, ctm, alpha)

    def _rect(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, vw, vh = node.attrs, self.view[2], self.view[3]
        w, h = length(node, a.get("width"), vw), length(node, a.get("height"), vh)
        if w <= 0 or h <= 0:
            return
        rx_raw, ry_raw = a.get("rx"), a.get("ry")
        rx = length(node, rx_raw, vw) if rx_raw not in (None, "auto") else None
        ry = length(node, ry_raw, vh) if ry_raw not in (None, "auto") else None
        rx, ry = (rx if rx is not None else ry or 0.0), (ry if ry is not None else rx or 0.0)
        self._add(node, rect_path(length(node, a.get("x"), vw), length(node, a.get("y"), vh), w, h, rx, ry),
                  props, ctm, alpha)

    def _circle(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        r = length(node, a.get("r"), math.hypot(vw, vh) / math.sqrt(2))
        if r > 0:
            self._add(node, ellipse_path(length(node, a.get("cx"), vw), length(node, a.get("cy"), vh), r, r),
                      props, ctm, alpha)

    def _ellipse(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        rx, ry = length(node, a.get("rx"), vw), length(node, a.get("ry"), vh)
        rx, ry = (rx or ry, ry or rx) if "auto" in (a.get("rx"), a.get("ry")) else (rx, ry)
        if rx > 0 and ry > 0:
            self._add(node, ellipse_path(length(node, a.get("cx"), vw), length(node, a.get("cy"), vh), rx, ry),
                      props, ctm, alpha)

    def _line(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        a, (vw, vh) = node.attrs, self.view[2:]
        coords = (length(node, a.get("x1"), vw), length(node, a.get("y1"), vh),
                  length(node, a.get("x2"), vw), length(node, a.get("y2"), vh))
        self._add(node, ("ML", coords), props, ctm, alpha, fill=False)

    def _poly(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        try:
            points = numbers(node.attrs.get("points", ""))
        except GeometryError as exc:
            raise SvgError(node.line, f"bad points: {exc}", "pairs of numbers: x,y x,y …") from None
        self._add(node, poly_path(points, node.tag == "polygon"), props, ctm, alpha)

    def _text(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        if self.fonts is None:
            raise SvgError(node.line, "SVG text is not supported here", OUTLINES)
        chars = text_chars(node, props, self.view)
        self.chars += len(chars)
        if self.chars > MAX_CHARS:
            raise SvgError(node.line, f"more than {MAX_CHARS:,} characters of text", "convert the text to paths, "
                                                                                     "or write less of it")
        for part, part_props, path in text_paths(chars, self.fonts):  # glyphs are drawn to be filled nonzero
            self._add(part, path, {**part_props, "fill-rule": "nonzero"}, ctm, alpha)

    def _image(self, node: Node, props: dict[str, str], ctm: Matrix, alpha: float) -> None:
        data = data_uri(node)
        a, (vw, vh) = node.attrs, self.view[2:]
        w, h = length(node, a.get("width"), vw), length(node, a.get("height"), vh)
        if "width" not in a or "height" not in a:
            w, h = pixel_size(node, data, w if "width" in a else None, h if "height" in a else None)
        if w <= 0 or h <= 0 or props.get("visibility", "visible") in ("hidden", "collapse") or alpha <= 0:
            return
        if alpha < 1:
            self.transparency = self.transparency or node.line
        par = a.get("preserveAspectRatio", "").split()
        fit = "fill" if par[:1] == ["none"] else "cover" if par[-1:] == ["slice"] else "contain"
        self.items.append(Bitmap(data, length(node, a.get("x"), vw), length(node, a.get("y"), vh), w, h,
                                 ctm, fit, alpha))


def art_to_row(art: Art) -> tuple[object, ...]:
    """The art as nested tuples of numbers, strings and bytes (what `marshal` packs); `art_from_row` reverses it."""
    items = tuple((0, *(getattr(i, f) for f in Shape.__slots__)) if isinstance(i, Shape)
                  else (1, *(getattr(i, f) for f in Bitmap.__slots__)) for i in art.items)
    return (art.view, items, art.transparency)


def art_from_row(row: Any) -> Art:
    view, items, transparency = row
    return Art(view, tuple(Shape(*i[1:]) if i[0] == 0 else Bitmap(*i[1:]) for i in items), transparency)
