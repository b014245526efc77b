"""Draw parsed SVG art with reportlab: vector paths in the page's content stream, embedded bitmaps as images.

Colours go through the writer's ink, so CMYK and PDF/X files convert them like every other colour; the art
is fitted in its box by the theme's `fit` (contain: whole, centred; cover: fills the box, cropped) and
clipped to its viewBox, as an SVG viewer clips to the viewport.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any, Protocol

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from deckgen.deck.svg.parse import Art, Bitmap, Shape

RGB = tuple[float, float, float]
_OPS = {(True, False): "f", (False, True): "S", (True, True): "B"}


class Ink(Protocol):
    cmyk: bool

    def fill(self, rgb: RGB) -> None: ...
    def stroke(self, rgb: RGB) -> None: ...
    def image(self, path: Any) -> tuple[ImageReader, Any]: ...


def path_literal(codes: str, coords: tuple[float, ...]) -> str:
    """PDF path operators for a path's codes and coordinates (m, l, c, h)."""
    out, i = [], 0
    for code in codes:
        if code == "Z":
            out.append("h")
            continue
        n = 6 if code == "C" else 2
        out.append(f"{fp_str(*coords[i:i + n])} {'c' if code == 'C' else 'm' if code == 'M' else 'l'}")
        i += n
    return " ".join(out)


def place(art: Art, x: float, y: float, w: float, h: float, fit: str) -> tuple[float, float, float, float, float]:
    """(scale, left, bottom, width, height) of the art's viewBox drawn in the box (x, y, w, h)."""
    _, _, vw, vh = art.view
    s = min(w / vw, h / vh) if fit == "contain" else max(w / vw, h / vh)
    return s, x + (w - vw * s) / 2, y + (h - vh * s) / 2, vw * s, vh * s


def draw_art(canvas: Canvas, art: Art, box: tuple[float, float, float, float], fit: str, ink: Ink,
             images: dict[str, tuple[ImageReader, Any]]) -> None:
    """The art in the box (x, y, w, h: PDF coordinates, y up); currentColor must be resolved already."""
    x, y, w, h = box
    s, left, bottom, dw, dh = place(art, x, y, w, h, fit)
    vx, vy = art.view[:2]
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(max(x, left), max(y, bottom), min(w, dw), min(h, dh))
    canvas.clipPath(clip, stroke=0, fill=0)
    canvas.transform(s, 0, 0, -s, left - vx * s, bottom + dh + vy * s)  # the viewBox, y down
    for item in art.items:
        canvas.saveState()
        canvas.transform(*item.matrix)
        if isinstance(item, Shape):
            _shape(canvas, item, ink)
        else:
            _bitmap(canvas, item, ink, images)
        canvas.restoreState()
    canvas.restoreState()


def _shape(canvas: Canvas, shape: Shape, ink: Ink) -> None:
    fill, stroke = isinstance(shape.fill, tuple), isinstance(shape.stroke, tuple)
    if isinstance(shape.fill, tuple):
        ink.fill(shape.fill)
        _alpha(canvas.setFillAlpha, shape.fill_alpha)
    if isinstance(shape.stroke, tuple):
        ink.stroke(shape.stroke)
        _alpha(canvas.setStrokeAlpha, shape.stroke_alpha)
        canvas.setLineWidth(shape.width)
        canvas.setLineCap(shape.cap)
        canvas.setLineJoin(shape.join)
        canvas.setMiterLimit(shape.miter)
        if shape.dash:
            canvas.setDash(list(shape.dash), shape.dash_offset)
    if not (fill or stroke):
        return
    op = _OPS[(fill, stroke)] + ("*" if shape.even_odd and fill else "")
    canvas.addLiteral(f"{path_literal(shape.codes, shape.coords)} {op}")


def _alpha(setter: Callable[[float], None], alpha: float) -> None:
    if alpha < 1:
        setter(alpha)


def _bitmap(canvas: Canvas, bitmap: Bitmap, ink: Ink, images: dict[str, tuple[ImageReader, Any]]) -> None:
    key = "svg:" + hashlib.sha1(bitmap.data).hexdigest()
    if key not in images:
        images[key] = ink.image(io.BytesIO(bitmap.data)) if ink.cmyk else (ImageReader(io.BytesIO(bitmap.data)),
                                                                           "auto")
    reader, mask = images[key]
    iw, ih = reader.getSize()
    if bitmap.fit == "fill":
        w, h = bitmap.w, bitmap.h
    else:
        pick = min if bitmap.fit == "contain" else max
        scale = pick(bitmap.w / iw, bitmap.h / ih)
        w, h = iw * scale, ih * scale
    if bitmap.fit == "cover":
        clip = canvas.beginPath()
        clip.rect(bitmap.x, bitmap.y, bitmap.w, bitmap.h)
        canvas.clipPath(clip, stroke=0, fill=0)
    if bitmap.alpha < 1:
        canvas.setFillAlpha(bitmap.alpha)
    left, top = bitmap.x + (bitmap.w - w) / 2, bitmap.y + (bitmap.h - h) / 2
    canvas.transform(1, 0, 0, -1, left, top + h)  # images are drawn y up: turn the y-down space back
    canvas.drawImage(reader, 0, 0, w, h, mask=mask)
