"""SVG text (pure): a <text> element with its <tspan>s laid out on its baselines, as glyph outlines.

The glyphs come from the theme's fonts through `TextFonts` (design/svgfonts.py): each run of characters becomes
a path, filled and stroked like any other shape, so its colours are converted like every other colour and the
PDF names no font for it (never a base-14 one). Supported: x, y, dx and dy (one length, or one per character),
text-anchor (start, middle, end) for each text chunk, dominant-baseline, font-family, font-size, font-weight,
font-style, letter-spacing, word-spacing and xml:space. Refused, with their line: text on a path, vertical or
right-to-left writing, rotated glyphs, textLength, baseline shifts, small caps and text decorations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from deckgen.deck.svg.style import cascade, length, own
from deckgen.deck.svg.xmlsafe import Node, SvgError

Glyph = tuple[float, str, tuple[float, ...]]  # advance, outline codes (M L C Z) and coordinates: in em, y up
Path = tuple[str, tuple[float, ...]]
MAX_CHARS = 20_000  # characters of text in one SVG image (a label holds a few dozen)
OUTLINES = "convert the text to paths (Inkscape: Path > Object to Path; Illustrator: Type > Create Outlines)"


class GlyphError(ValueError):
    """Characters that no font can draw: what, and a hint."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(what)
        self.what, self.hint = what, hint


class TextFonts(Protocol):
    def glyphs(self, text: str, family: str, bold: bool, italic: bool) -> list[Glyph]:
        """One glyph per character of `text`, from the font for a CSS font-family list; GlyphError for
        characters that no font has."""
        ...

    def metrics(self, family: str, bold: bool, italic: bool) -> tuple[float, float, float]:
        """(ascent, descent (negative), x-height) of that font, in em."""
        ...


@dataclass
class Char:
    ch: str
    node: Node
    props: dict[str, str]
    x: float | None = None
    y: float | None = None
    dx: float | None = None
    dy: float | None = None


_INSIDE = {"tspan", "a"}
_SKIPPED = {"title", "desc", "metadata"}
_REFUSED = {"textPath": "text on a path (<textPath>) is not supported",
            "tref": "<tref> (text from another element) is not supported",
            "altGlyph": "<altGlyph> is not supported"}
_ALLOWED = {  # property: (the values drawn as they should be, what any other value asks for)
    "writing-mode": ({"lr-tb", "lr", "horizontal-tb"}, "vertical or right-to-left writing"),
    "direction": ({"ltr"}, "right-to-left text"),
    "font-variant": ({"normal", "none"}, "font variants (small caps)"),
    "font-variant-caps": ({"normal"}, "small caps"),
    "text-decoration": ({"none"}, "text decorations (underline, strike-through)"),
    "baseline-shift": ({"baseline", "0", "0px"}, "baseline shifts (superscripts, subscripts)"),
    "alignment-baseline": ({"auto", "baseline", "alphabetic"}, "alignment-baseline"),
    "shape-inside": ({"none"}, "text flowed into a shape"),
    "font": (set(), "the font shorthand property"),
}
_BASELINES = {"auto", "alphabetic", "use-script", "no-change", "reset-size", "middle", "central", "hanging",
              "text-before-edge", "text-top", "text-after-edge", "text-bottom", "ideographic", "mathematical"}
_SPLIT = re.compile(r"[\s,]+")


def text_chars(node: Node, props: dict[str, str], view: tuple[float, float, float, float]) -> list[Char]:
    """The characters a <text> element draws, with their elements, properties and positions given."""
    chars: list[Char] = []
    _collect(node, props, view, chars)
    while chars and chars[-1].ch == " " and not _preserve(chars[-1].props):
        chars.pop()
    return chars


def text_paths(chars: list[Char], fonts: TextFonts) -> list[tuple[Node, dict[str, str], Path]]:
    """The outlines of a text's characters: (element, its properties, path in the text's user space) for each
    run of characters of one element."""
    if not chars:
        return []
    glyphs = _glyphs(chars, fonts)
    try:
        places = _layout(chars, glyphs, fonts)
    except GlyphError as exc:
        raise SvgError(chars[0].node.line, f"SVG text: {exc.what}", exc.hint) from None
    out: list[tuple[Node, dict[str, str], Path]] = []
    for start, end in _runs(chars):
        codes, coords = [], []
        for i in range(start, end):
            _, gcodes, gcoords = glyphs[i]
            (x, y), size = places[i], _size(chars[i].props)
            codes.append(gcodes)
            coords += [x + v * size if k % 2 == 0 else y - v * size for k, v in enumerate(gcoords)]
        out.append((chars[start].node, chars[start].props, ("".join(codes), tuple(coords))))
    return out


def _collect(node: Node, props: dict[str, str], view: tuple[float, float, float, float], chars: list[Char]) -> None:
    """The characters of an element and its children, in order, with white space handled as SVG says."""
    start = len(chars)
    _check(node, props)
    _add_text(node.text, node, props, chars)
    for child in node.children:
        if child.tag in _REFUSED:
            raise SvgError(child.line, _REFUSED[child.tag], OUTLINES)
        if child.tag in _INSIDE:
            if (own(child, "display") or "").strip() != "none":
                _collect(child, cascade(child, props), view, chars)
        elif child.tag is not None and child.tag not in _SKIPPED:
            raise SvgError(child.line, f"<{child.tag}> inside <text> is not supported", "use <tspan> for parts "
                                                                                        "of a text")
        _add_text(child.tail, node, props, chars)
    _positions(node, view, chars[start:])


def _check(node: Node, props: dict[str, str]) -> None:
    for key, (allowed, what) in _ALLOWED.items():
        value = props.get(key)
        if value is not None and value.strip().lower() not in allowed:
            raise SvgError(node.line, f"SVG text: {what} ({key}: {value}) is not supported", OUTLINES)
    baseline = props.get("dominant-baseline", "auto").strip().lower()
    if baseline not in _BASELINES:
        raise SvgError(node.line, f"SVG text: unknown dominant-baseline {baseline!r}",
                       "one of auto, middle, central, hanging, text-top, text-bottom")
    rotate = node.attrs.get("rotate", "").strip()
    if rotate and any(float(v) for v in _numbers(node, rotate)):
        raise SvgError(node.line, "SVG text: rotated glyphs (rotate=) are not supported", OUTLINES)
    if "textLength" in node.attrs:
        raise SvgError(node.line, "SVG text: textLength (text stretched to a length) is not supported",
                       "remove the textLength attribute, or " + OUTLINES)


def _numbers(node: Node, value: str) -> list[float]:
    try:
        return [float(v) for v in _SPLIT.split(value.strip()) if v]
    except ValueError:
        raise SvgError(node.line, f"not a list of numbers: {value!r}", "numbers separated by spaces") from None


def _preserve(props: dict[str, str]) -> bool:
    return props.get("xml:space") == "preserve" or props.get("white-space", "normal") in ("pre", "pre-wrap",
                                                                                             "break-spaces")


def _add_text(pieces: list[str], node: Node, props: dict[str, str], chars: list[Char]) -> None:
    """Character data: new lines dropped and tabs made spaces, runs of spaces collapsed into one (none at the
    start of the text); xml:space="preserve" keeps every space and makes new lines spaces."""
    text = unicodedata.normalize("NFC", "".join(pieces))
    if not text:
        return
    if _preserve(props):
        text = text.replace("\r\n", " ").translate({10: " ", 13: " ", 9: " "})
        chars.extend(Char(ch, node, props) for ch in text)
        return
    for ch in text.replace("\r", "").replace("\n", "").replace("\t", " "):
        if ch == " " and (not chars or chars[-1].ch == " "):
            continue
        chars.append(Char(ch, node, props))


def _positions(node: Node, view: tuple[float, float, float, float], chars: list[Char]) -> None:
    """x, y, dx and dy of the element: the i-th value for its i-th character, unless a child gave one."""
    for key in ("x", "y", "dx", "dy"):
        raw = node.attrs.get(key, "").strip()
        if not raw or node.tag == "a":
            continue
        ref = view[2] if key in ("x", "dx") else view[3]
        values = [length(node, v, ref) for v in _SPLIT.split(raw) if v]
        for char, value in zip(chars, values, strict=False):
            if getattr(char, key) is None:
                setattr(char, key, value)


def _size(props: dict[str, str]) -> float:
    return float(props.get("font-size", "16"))


def _font(props: dict[str, str]) -> tuple[str, bool, bool]:
    """(font-family, bold, italic) of the properties."""
    weight = props.get("font-weight", "normal").strip().lower()
    bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    italic = props.get("font-style", "normal").strip().lower().startswith(("italic", "oblique"))
    return props.get("font-family", "sans-serif"), bold, italic


def _runs(chars: list[Char]) -> list[tuple[int, int]]:
    """(start, end) of each run of characters of one element."""
    runs, start = [], 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i].node is not chars[start].node:
            runs.append((start, i))
            start = i
    return runs


def _glyphs(chars: list[Char], fonts: TextFonts) -> list[Glyph]:
    out: list[Glyph] = []
    for start, end in _runs(chars):
        text = "".join(c.ch for c in chars[start:end])
        try:
            found = fonts.glyphs(text, *_font(chars[start].props))
        except GlyphError as exc:
            raise SvgError(chars[start].node.line, f"SVG text: {exc.what}", exc.hint) from None
        out += found
    return out


def _spacing(node: Node, props: dict[str, str], key: str) -> float:
    value = props.get(key, "normal").strip().lower()
    if value in ("normal", ""):
        return 0.0
    if value.endswith("em") and not value.endswith("rem"):
        try:
            return float(value[:-2]) * _size(props)
        except ValueError:
            raise SvgError(node.line, f"not a length: {key}: {value}", "e.g. 0.1em or 2px") from None
    return length(node, value, _size(props))


def _layout(chars: list[Char], glyphs: list[Glyph], fonts: TextFonts) -> list[tuple[float, float]]:
    """Each character's pen position (its baseline's origin), each text chunk moved by its text-anchor."""
    places: list[tuple[float, float]] = []
    chunks: list[tuple[int, float]] = []  # (first character, start x)
    x = y = x_end = 0.0
    for i, c in enumerate(chars):
        x, y = (x if c.x is None else c.x) + (c.dx or 0.0), (y if c.y is None else c.y) + (c.dy or 0.0)
        if i == 0 or c.x is not None or c.y is not None:
            if chunks:
                _anchor(chars, places, chunks[-1], x_end)
            chunks.append((i, x))
        places.append((x, y + _baseline(c.props, fonts)))
        x += glyphs[i][0] * _size(c.props) + _spacing(c.node, c.props, "letter-spacing")
        if c.ch == " ":
            x += _spacing(c.node, c.props, "word-spacing")
        x_end = x
    _anchor(chars, places, chunks[-1], x_end)
    return places


def _anchor(chars: list[Char], places: list[tuple[float, float]], chunk: tuple[int, float], end: float) -> None:
    first, start = chunk
    anchor = chars[first].props.get("text-anchor", "start").strip()
    shift = {"middle": (start - end) / 2, "end": start - end}.get(anchor, 0.0)
    if shift:
        for i in range(first, len(places)):
            places[i] = (places[i][0] + shift, places[i][1])


def _baseline(props: dict[str, str], fonts: TextFonts) -> float:
    """How far down the alphabetic baseline lies from the y given, for the dominant-baseline."""
    baseline = props.get("dominant-baseline", "auto").strip().lower()
    if baseline in ("auto", "alphabetic", "use-script", "no-change", "reset-size"):
        return 0.0
    ascent, descent, x_height = fonts.metrics(*_font(props))
    em = {"middle": x_height / 2, "central": (ascent + descent) / 2, "hanging": 0.8 * ascent,
          "text-before-edge": ascent, "text-top": ascent, "mathematical": ascent / 2}
    return em.get(baseline, descent) * _size(props)
