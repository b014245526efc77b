"""The simple CSS of SVG `<style>` elements (pure): what Illustrator writes (`.st0{fill:#E4572E;}`).

Rules with type, class and id selectors (`path`, `.st0`, `#logo`, `path.st0`, `*`, comma lists) are applied
to the elements they select, by specificity then order, before the element's own style attribute. Any other
selector, an at-rule (`@import`, `@font-face`, `@media`) or a `url()` to anything but a part of the file is
refused with its line: a style sheet never reads another file.
"""

from __future__ import annotations

import re

from deckgen.deck.svg.xmlsafe import Node, SvgError

_SIMPLE = re.compile(r"^(\*|[A-Za-z][\w-]*)?((?:[.#][A-Za-z_][\w-]*)*)$")
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
Rule = tuple[tuple[int, int, int], tuple[str | None, frozenset[str], str | None], str]


def _selector(text: str, line: int) -> tuple[tuple[int, int, int], tuple[str | None, frozenset[str], str | None]]:
    m = _SIMPLE.match(text)
    if not text or not m:
        raise SvgError(line, f"CSS selector {text!r} is not supported",
                       "use element, .class and #id selectors, or presentation attributes")
    tag = None if m.group(1) in (None, "*") else m.group(1)
    parts = re.findall(r"([.#])([\w-]+)", m.group(2))
    classes = frozenset(name for kind, name in parts if kind == ".")
    ids = [name for kind, name in parts if kind == "#"]
    return (len(ids), len(classes), int(tag is not None)), (tag, classes, ids[0] if ids else None)


def parse_sheet(node: Node) -> list[Rule]:
    """The rules of one <style> element, refusing what could read outside the file."""
    text = re.sub(r"/\*.*?\*/", "", "".join(node.text), flags=re.S)
    text = text.replace("<![CDATA[", "").replace("]]>", "")
    if "@" in text:
        raise SvgError(node.line, "CSS at-rules (@import, @font-face, @media…) are not supported",
                       "keep plain rules such as .st0{fill:#E4572E}")
    if re.search(r"url\(\s*['\"]?(?!#)", text):
        raise SvgError(node.line, "a CSS url() that reads another file is refused", "an SVG may not read other files")
    rules: list[Rule] = []
    end = 0
    for m in _RULE.finditer(text):
        if text[end:m.start()].strip():
            break
        for sel in m.group(1).split(","):
            spec, match = _selector(sel.strip(), node.line)
            rules.append((spec, match, m.group(2)))
        end = m.end()
    if text[end:].strip():
        raise SvgError(node.line, f"CSS that cannot be read: {text[end:].strip()[:30]!r}", "check the <style> element")
    return rules


def apply_sheets(root: Node) -> None:
    """Put the declarations of the file's style sheets in front of each selected element's style attribute."""
    nodes, stack = [], [root]
    while stack:
        n = stack.pop()
        nodes.append(n)
        stack.extend(reversed(n.children))
    rules = [r for n in nodes if n.tag == "style" for r in parse_sheet(n)]
    if not rules:
        return
    ranked = sorted(enumerate(rules), key=lambda ir: (ir[1][0], ir[0]))
    for n in nodes:
        classes = set(n.attrs.get("class", "").split())
        found = [decls for _, (_, (tag, need, ident), decls) in ranked
                 if (tag is None or tag == n.tag) and need <= classes and (ident is None or ident == n.attrs.get("id"))]
        if found:
            n.attrs["style"] = ";".join([*found, n.attrs.get("style", "")])
