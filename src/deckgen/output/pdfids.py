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
from typing import BinaryIO

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


class ContentIdFile:
    """Writes a PDF, given in pieces, to `out` with the trailer's /ID replaced by a digest of the file's other
    bytes (same length, so the cross reference table stays right): every piece is written as it comes but the
    last, which holds the trailer, until close(). A file without a trailer ID is written as it is."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.digest, self.held = out, hashlib.sha256(), b""

    def write(self, piece: bytes) -> None:
        self.digest.update(self.held)
        self.out.write(self.held)
        self.held = piece

    def close(self) -> None:
        last = self.held
        start = last.rfind(b"trailer")
        found = _TRAILER_ID.search(last, start if start >= 0 else max(0, len(last) - 4096))
        if found is not None:
            (a0, a1), (b0, b1) = found.span(1), found.span(2)
            for part in (last[:a0], last[a1:b0], last[b1:]):
                self.digest.update(part)
            digest = self.digest.hexdigest()
            first = digest[: a1 - a0].ljust(a1 - a0, "0").encode()
            second = digest[: b1 - b0].ljust(b1 - b0, "0").encode()
            last = last[:a0] + first + last[a1:b0] + second + last[b1:]
        self.out.write(last)
        self.held = b""
