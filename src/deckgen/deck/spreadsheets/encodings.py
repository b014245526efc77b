"""Which encodings a CSV may be read in, and whether a guess of Windows-1252 is safe.

A name given by the user (`--encoding`, `encoding:`) must be a text encoding: `rot13`, `base64`, `zip`…
are codecs, not encodings. Without a name, a file that is not UTF-8 is read as Windows-1252 (Excel's
Western CSV) only when the result reads as Western text; otherwise (Shift-JIS, GBK, Cyrillic…) the
encoding is not guessed: the user is asked for it, with charset-normalizer's suggestion.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

# text codecs that are not encodings of a file's text
_NOT_FILE_ENCODINGS = {"undefined", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "mbcs", "oem"}
MESS_LIMIT = 0.4  # charset-normalizer's mess ratio: Western text ≤ 0.2, mojibake of CJK or Cyrillic ≥ 0.7


def text_encoding(name: str) -> str | None:
    """The codec's canonical name when `name` is a text encoding for files, else None."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        return None
    return info.name


def reads_as_western(text: str) -> bool:
    """Whether a Windows-1252 decoding looks like Western text rather than mojibake."""
    return mess_ratio(text, 1.0) < MESS_LIMIT


def suggest(raw: bytes) -> str | None:
    """charset-normalizer's best guess of the encoding (for a hint only), or None."""
    best = from_bytes(raw[:65536]).best()
    return None if best is None else str(best.encoding)
