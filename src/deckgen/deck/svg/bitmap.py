"""Bitmaps embedded in an SVG (pure): the bytes of a `data:` PNG or JPEG, and its size in pixels; a bitmap
that is a link to another file or to the network is refused at its line."""

from __future__ import annotations

import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

from deckgen.deck.svg.xmlsafe import Node, SvgError

_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def data_uri(node: Node) -> bytes:
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


def pixel_size(node: Node, data: bytes, w: float | None, h: float | None) -> tuple[float, float]:
    """An <image> without width or height: its pixel size, one side from the other when only one is given."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            pw, ph = im.size
    except (UnidentifiedImageError, OSError):
        raise SvgError(node.line, "an <image> whose bitmap cannot be read", "embed a PNG or JPEG bitmap") from None
    if w is None and h is None:
        return float(pw), float(ph)
    return (w, ph * w / pw) if w is not None else (pw * (h or 0.0) / ph, h or 0.0)
