"""reportlab writes a character beyond U+FFFF (an emoji) into a font's ToUnicode map as five hex digits
(`<1F680>`), which is not UTF-16: text extraction, search and screen readers then read another character.
`install()` makes reportlab write such characters as UTF-16 surrogate pairs (`<D83DDE80>`); every other
entry, hence every PDF without such characters, stays byte for byte the same."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import ttfonts

_ORIGINAL = ttfonts.makeToUnicodeCMap


def utf16_hex(code: int) -> str:
    """The UTF-16BE code units of a code point, in hex: 0041, D83DDE80."""
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    text: str = _ORIGINAL(fontname, subset)
    if all(code <= 0xFFFF for code in subset):
        return text
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            text = text.replace(f"\n<{i:02X}> <{code:04X}>\n", f"\n<{i:02X}> <{utf16_hex(code)}>\n", 1)
    return text


def install() -> None:
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
