"""A strict XML reader for SVG files (pure): a tree of elements with their line numbers, or one refusal.

The file is read by expat with everything that could reach outside it refused before it is acted on: a
DOCTYPE with an internal subset (entity declarations: "billion laughs", external entities), any entity
reference expat would skip or fetch, processing instructions (`<?xml-stylesheet href=…?>`) and XInclude.
A DOCTYPE naming the SVG 1.1 DTD without a subset (what Illustrator writes) is read and never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XINCLUDE_NS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
MAX_BYTES = 8 * 1024 * 1024
MAX_ELEMENTS = 100_000
MAX_DEPTH = 128


class SvgError(Exception):
    """A refused or unsupported SVG: the line in the SVG file, what, and a hint."""

    def __init__(self, line: int, what: str, hint: str | None = None):
        super().__init__(what)
        self.line, self.what, self.hint = line, what, hint


@dataclass
class Node:
    """An element: its local name (None outside the SVG namespace), attributes by local name, line; its
    character data before its first child (`text`) and after its end, up to its next sibling (`tail`)."""

    tag: str | None
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an expat name written as "NS local"."""
    ns, _, local = name.rpartition(" ")
    return ns, local


def _attrs(raw: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw.items():
        ns, local = _local(key)
        if ns in ("", SVG_NS):
            out[local] = value
        elif ns == XLINK_NS and local == "href":
            out.setdefault("href", value)
        elif ns == XML_NS and local == "space":
            out["xml:space"] = value
    return out


class _Reader:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.count = 0
        p = self.parser
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.UnparsedEntityDeclHandler = self._entity
        p.ExternalEntityRefHandler = self._external
        p.SkippedEntityHandler = self._skipped
        p.ProcessingInstructionHandler = self._pi
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._chars

    @property
    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def _doctype(self, name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            raise SvgError(self.line, "a DOCTYPE with declarations (entities) is not allowed in an SVG",
                           "remove the <!DOCTYPE …[ … ]> block; SVG needs none")

    def _entity(self, name: str, *args: object) -> None:
        raise SvgError(self.line, f"entity declaration {name!r} refused", "remove the <!ENTITY …> declaration")

    def _external(self, context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise SvgError(self.line, f"external entity refused: {sysid or pubid!r}", "an SVG may not read other files")

    def _skipped(self, name: str, is_parameter: int) -> None:
        raise SvgError(self.line, f"entity reference &{name}; refused", "write the character itself")

    def _pi(self, target: str, data: str) -> None:
        raise SvgError(self.line, f"processing instruction <?{target} …?> refused",
                       "remove it (style sheets and other files are not read)")

    def _start(self, name: str, raw: dict[str, str]) -> None:
        ns, local = _local(name)
        if ns in XINCLUDE_NS:
            raise SvgError(self.line, f"XInclude <{local}> refused", "an SVG may not include other files")
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            raise SvgError(self.line, f"too many elements (more than {MAX_ELEMENTS:,}, or nested {MAX_DEPTH} deep)",
                           "simplify the drawing")
        node = Node(local if ns in ("", SVG_NS) else None, _attrs(raw), self.line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def _end(self, name: str) -> None:
        self.stack.pop()

    def _chars(self, data: str) -> None:
        if self.stack:
            node = self.stack[-1]
            (node.children[-1].tail if node.children else node.text).append(data)


def read_svg_xml(data: bytes) -> Node:
    """The root element of an SVG document (any element; the caller checks it is <svg>)."""
    if len(data) > MAX_BYTES:
        raise SvgError(0, f"file too large for an SVG image ({len(data):,} bytes, at most {MAX_BYTES:,})",
                       "simplify it, or export it as PNG")
    reader = _Reader()
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SvgError(exc.lineno, f"not well-formed XML: {expat.errors.messages[exc.code]}",
                       "open it in an SVG editor and save it again") from None
    assert reader.root is not None  # expat refuses a document without an element
    return reader.root
