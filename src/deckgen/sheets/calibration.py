"""The duplex calibration sheet's targets and scales (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from deckgen.design.ops import BLACK, LineOp, Metrics, Op
from deckgen.sheets.impose import MM, Slot
from deckgen.sheets.scale_bar import GREY, Frame, keep_out, place_scale_bar, text_op
from deckgen.units import paper_name

SCALE_MM = 6  # each scale reads −6 … +6 mm
ARM = 18 * MM  # half-length of the front's cross lines: they still cross the scales 6 mm off


def calibration_points(page_w: float, page_h: float) -> list[tuple[float, float]]:
    """The centre and four points symmetric about it: the same set after either flip."""
    cx, cy = page_w / 2, page_h / 2
    dx, dy = cx - 40 * MM, cy - 50 * MM
    return [(cx, cy), (cx - dx, cy + dy), (cx + dx, cy + dy), (cx - dx, cy - dy), (cx + dx, cy - dy)]


def _lines(lines: Sequence[tuple[str, str]], x: float, top: float, max_w: float, metrics: Metrics,
           size: float = 8.5) -> tuple[list[Op], float]:
    """Text lines (style, text) from `top` down, shrunk until the widest fits `max_w`; ops and the bottom."""
    while size > 6 and max(metrics.width(t, "body", s, size) for s, t in lines) > max_w:
        size -= 0.25
    ops: list[Op] = []
    y = top
    for style, text in lines:
        big = 1.3 if style == "bold" else 1.0
        y -= size * big * 1.35
        ops.append(text_op(text, x, y, size * big, style=style))
    return ops, y - size * 0.4


def calibration_front(page_w: float, page_h: float, metrics: Metrics) -> list[Frame]:
    ops: list[Op] = []
    for px, py in calibration_points(page_w, page_h):
        ops += [LineOp(px - ARM, py, px + ARM, py, BLACK, 0.3), LineOp(px, py - ARM, px, py + ARM, BLACK, 0.3)]
    cy = page_h / 2
    text, bottom = _lines([
        ("bold", "deckgen duplex calibration — front"),
        ("regular", "1. Print this file duplex, at 100 % / actual size (never “fit to page”), flipping on the edge"),
        ("regular", "    you will use for your decks."),
        ("regular", "2. Hold the printed sheet against a window or a lamp and look at its back."),
        ("regular", "3. At the centre, read where this page’s vertical line crosses the back’s X scale, and where"),
        ("regular", "    its horizontal line crosses the Y scale: that is X,Y in millimetres."),
        ("regular", "4. Build with  --back-offset X,Y  (or save it as back_offset in printers.yaml and use "
                    "--printer)."),
        ("regular", "Corners that read differently from the centre mean the printer turns or scales the back: "
                    "use the centre."),
    ], 22 * MM, calibration_points(page_w, page_h)[1][1] - ARM - 3 * MM, page_w - 44 * MM, metrics)
    frames = [Frame(Slot(0, 0, page_w, page_h, 0), (page_w, page_h), tuple(ops + text))]
    avoid = [(px - ARM, py - ARM, px + ARM, py + ARM) for px, py in calibration_points(page_w, page_h)]
    avoid.append((22 * MM, bottom, page_w - 22 * MM, cy + ARM))
    bar = place_scale_bar(page_w, page_h, keep_out([], 0, [], avoid), metrics)
    return frames + ([bar] if bar else [])


def _signed(v: int) -> str:
    return str(v)  # hyphen-minus: the Noto fonts have no U+2212


def calibration_back(page_w: float, page_h: float, offset_mm: tuple[float, float], paper: str,
                     metrics: Metrics) -> list[Frame]:
    """Scales at every point, reading directly the X,Y to pass (X to the right, Y up, on this page)."""
    ops: list[Op] = []
    size = 4.5
    for px, py in calibration_points(page_w, page_h):
        xs, ys = py + 8 * MM, px + 8 * MM  # the X scale's baseline (a row) and the Y scale's (a column)
        ops += [LineOp(px - SCALE_MM * MM, xs, px + SCALE_MM * MM, xs, BLACK, 0.3),
                LineOp(ys, py - SCALE_MM * MM, ys, py + SCALE_MM * MM, BLACK, 0.3),
                LineOp(px - 1 * MM, py, px + 1 * MM, py, GREY, 0.3),
                LineOp(px, py - 1 * MM, px, py + 1 * MM, GREY, 0.3)]
        for half in range(-2 * SCALE_MM, 2 * SCALE_MM + 1):
            t = half / 2
            tick = 1.0 * MM if half % 2 else 1.8 * MM if half % 4 else 2.6 * MM
            ops += [LineOp(px + t * MM, xs, px + t * MM, xs + tick, BLACK, 0.25),
                    LineOp(ys, py + t * MM, ys + tick, py + t * MM, BLACK, 0.25)]
            if half % 4 == 0:
                label = _signed(half // 2)
                w = metrics.width(label, "body", "regular", size)
                ops.append(text_op(label, px + t * MM - w / 2, xs + 3.2 * MM, size))
                ops.append(text_op(label, ys + 3.2 * MM, py + t * MM - 0.35 * size, size))
        xl = "X (mm, right)"
        ops.append(text_op(xl, px - SCALE_MM * MM - 1.5 * MM - metrics.width(xl, "body", "bold", size), xs + 0.5 * MM,
                         size, style="bold"))
        ops.append(text_op("Y (mm, up)", ys - 1 * MM, py - SCALE_MM * MM - 3 * MM, size, style="bold"))
    ox, oy = (f"{v:g}" for v in offset_mm)
    text, _ = _lines([
        ("bold", "deckgen duplex calibration — back"),
        ("regular", "Scales in millimetres: X to the right, Y up, as you see this page. The grey crosses are where"),
        ("regular", "the front’s lines should fall. Read X and Y where the front’s lines cross the centre scales."),
        ("regular", f"This sheet was printed on {paper_name(paper)} with "
                    f"--back-offset {ox},{oy}: the offset to use is {ox}+X, {oy}+Y. Printed with it, the lines "
                    "cross 0."),
    ], 22 * MM, page_h / 2 - ARM - 3 * MM, page_w - 44 * MM, metrics)
    return [Frame(Slot(0, 0, page_w, page_h, 0), (page_w, page_h), tuple(ops + text))]
