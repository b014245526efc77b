"""Names a PDF derives from its own content (pure): font subset tags (ISO 32000-1 §9.6.4) and the file ID.

reportlab names every font's first subset `AAAAAA+Name` and, in invariant mode, gives every file the same
/ID. A subset's tag here is a digest of the font program and the characters it holds, so two different
subsets never share a tag and a rebuild keeps it; a file's ID is a digest of its bytes without the ID, so
different files differ and the same file keeps its ID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

TAG_LETTERS = 6
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\]")


def subset_tag(font_digest: bytes, codepoints: Iterable[int]) -> str:
    """Six capital letters for the subset of a font (by the digest of its file) holding `codepoints`, in order
    (their order is the subset's encoding)."""
    h = hashlib.sha256(font_digest)
    h.update(b"".join(cp.to_bytes(4, "big") for cp in codepoints))
    n = int.from_bytes(h.digest()[:8], "big")
    letters = []
    for _ in range(TAG_LETTERS):
        n, r = divmod(n, 26)
        letters.append(chr(ord("A") + r))
    return "".join(letters)


def retag(base_font: str, tag: str) -> str:
    """`AAAAAA+NotoSans-Bold` -> `TAG+NotoSans-Bold` (a name without a tag gets one)."""
    name = base_font.lstrip("/")
    if len(name) > TAG_LETTERS and name[TAG_LETTERS] == "+" and name[:TAG_LETTERS].isupper():
        name = name[TAG_LETTERS + 1:]
    return f"{tag}+{name}"


def with_content_id(pdf: bytes) -> bytes:
    """`pdf` with the trailer's /ID replaced by a digest of the file's other bytes (same length, so the cross
    reference table stays right). A file without a trailer ID is returned as it is."""
    start = pdf.rfind(b"trailer")
    found = _TRAILER_ID.search(pdf, start if start >= 0 else max(0, len(pdf) - 4096))
    if found is None:
        return pdf
    (a0, a1), (b0, b1) = found.span(1), found.span(2)
    digest = hashlib.sha256(pdf[:a0] + pdf[a1:b0] + pdf[b1:]).hexdigest()
    first = digest[: a1 - a0].ljust(a1 - a0, "0").encode()
    second = digest[: b1 - b0].ljust(b1 - b0, "0").encode()
    return pdf[:a0] + first + pdf[a1:b0] + second + pdf[b1:]
