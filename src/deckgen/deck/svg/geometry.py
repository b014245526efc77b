"""SVG geometry as plain data (pure): path data, basic shapes and transforms -> moves, lines and cubic curves.

A path is `codes` (one letter a segment: M move, L line, C cubic curve, Z close) and `coords` (2 numbers for
M and L, 6 for C, none for Z), absolute, in the element's own user space; arcs and quadratic curves become
cubic curves, so a writer needs only the four operators every PDF has.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f: x' = a x + c y + e, y' = b x + d y + f
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
KAPPA = 0.5522847498307936  # a quarter circle as one cubic curve


class GeometryError(ValueError):
    pass


def multiply(p: Matrix, q: Matrix) -> Matrix:
    """p after q: the matrix that applies q first, then p."""
    a, b, c, d, e, f = p
    qa, qb, qc, qd, qe, qf = q
    return (a * qa + c * qb, b * qa + d * qb, a * qc + c * qd, b * qc + d * qd,
            a * qe + c * qf + e, b * qe + d * qf + f)


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SEP = re.compile(r"[\s,]*")


def numbers(text: str) -> list[float]:
    """The numbers of a list such as "1,2 3-4.5.5e1" (SVG's compact forms included)."""
    out, pos = [], _SEP.match(text, 0).end()  # type: ignore[union-attr]
    while pos < len(text):
        m = _NUMBER.match(text, pos)
        if not m:
            raise GeometryError(f"not a number at {text[pos:pos + 12]!r}")
        out.append(float(m.group()))
        pos = _SEP.match(text, m.end()).end()  # type: ignore[union-attr]
    return out


def _rotate(deg: float, cx: float = 0.0, cy: float = 0.0) -> Matrix:
    r = math.radians(deg)
    cos, sin = math.cos(r), math.sin(r)
    m: Matrix = (cos, sin, -sin, cos, 0.0, 0.0)
    return multiply(multiply((1, 0, 0, 1, cx, cy), m), (1, 0, 0, 1, -cx, -cy))


_TRANSFORMS: dict[str, tuple[tuple[int, ...], Callable[..., Matrix]]] = {
    "matrix": ((6,), lambda a, b, c, d, e, f: (a, b, c, d, e, f)),
    "translate": ((1, 2), lambda x, y=0.0: (1, 0, 0, 1, x, y)),
    "scale": ((1, 2), lambda x, y=None: (x, 0, 0, x if y is None else y, 0, 0)),
    "rotate": ((1, 3), _rotate),
    "skewX": ((1,), lambda a: (1, 0, math.tan(math.radians(a)), 1, 0, 0)),
    "skewY": ((1,), lambda a: (1, math.tan(math.radians(a)), 0, 1, 0, 0)),
}
_TRANSFORM = re.compile(r"\s*([A-Za-z]+)\s*\(([^)]*)\)\s*,?")


def parse_transform(text: str) -> Matrix:
    """The matrix of a transform list such as "translate(12 4) rotate(45 12 12)"."""
    m, pos, text = IDENTITY, 0, text.strip()
    while pos < len(text):
        found = _TRANSFORM.match(text, pos)
        if not found or found.group(1) not in _TRANSFORMS:
            raise GeometryError(f"not a transform: {text[pos:pos + 20]!r}")
        counts, make = _TRANSFORMS[found.group(1)]
        args = numbers(found.group(2))
        if len(args) not in counts:
            raise GeometryError(f"{found.group(1)}() takes {' or '.join(map(str, counts))} numbers, not {len(args)}")
        m = multiply(m, make(*args))
        pos = found.end()
    return m


class _Path:
    """Builds codes and coords; keeps the current point, the subpath's start and the last control point."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.coords: list[float] = []
        self.x = self.y = self.sx = self.sy = 0.0
        self.ctrl: tuple[str, float, float] | None = None  # ("C" or "Q", x, y) of the previous segment

    def move(self, x: float, y: float) -> None:
        self.codes.append("M")
        self.coords += (x, y)
        self.x, self.y, self.sx, self.sy, self.ctrl = x, y, x, y, None

    def line(self, x: float, y: float) -> None:
        self.codes.append("L")
        self.coords += (x, y)
        self.x, self.y, self.ctrl = x, y, None

    def cubic(self, x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> None:
        self.codes.append("C")
        self.coords += (x1, y1, x2, y2, x, y)
        self.x, self.y, self.ctrl = x, y, ("C", x2, y2)

    def quad(self, qx: float, qy: float, x: float, y: float) -> None:
        x0, y0 = self.x, self.y
        self.cubic(x0 + 2 / 3 * (qx - x0), y0 + 2 / 3 * (qy - y0), x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), x, y)
        self.ctrl = ("Q", qx, qy)

    def reflect(self, kind: str) -> tuple[float, float]:
        if self.ctrl is None or self.ctrl[0] != kind:
            return self.x, self.y
        return 2 * self.x - self.ctrl[1], 2 * self.y - self.ctrl[2]

    def close(self) -> None:
        self.codes.append("Z")
        self.x, self.y, self.ctrl = self.sx, self.sy, None

    def arc(self, rx: float, ry: float, angle: float, large: bool, sweep: bool, x: float, y: float) -> None:
        for seg in arc_to_cubics(self.x, self.y, rx, ry, angle, large, sweep, x, y):
            if seg is None:
                self.line(x, y)
            else:
                self.cubic(*seg)


def arc_to_cubics(x1: float, y1: float, rx: float, ry: float, angle: float, large: bool, sweep: bool,
                  x2: float, y2: float) -> list[tuple[float, float, float, float, float, float] | None]:
    """An elliptical arc (SVG's endpoint form) as cubic curves of at most 90° each; [None] for a straight line."""
    if (x1, y1) == (x2, y2):
        return []
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return [None]
    phi = math.radians(angle % 360)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    px, py = cos * dx + sin * dy, -sin * dx + cos * dy
    scale = (px / rx) ** 2 + (py / ry) ** 2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    num = rx * rx * ry * ry - rx * rx * py * py - ry * ry * px * px
    coef = math.sqrt(max(0.0, num / (rx * rx * py * py + ry * ry * px * px)))
    if large == sweep:
        coef = -coef
    cxp, cyp = coef * rx * py / ry, -coef * ry * px / rx
    cx, cy = cos * cxp - sin * cyp + (x1 + x2) / 2, sin * cxp + cos * cyp + (y1 + y2) / 2
    t1 = math.atan2((py - cyp) / ry, (px - cxp) / rx)
    dt = math.atan2((-py - cyp) / ry, (-px - cxp) / rx) - t1
    if sweep and dt < 0:
        dt += 2 * math.pi
    elif not sweep and dt > 0:
        dt -= 2 * math.pi
    n = max(1, math.ceil(abs(dt) / (math.pi / 2) - 1e-9))
    step = dt / n
    k = 4 / 3 * math.tan(step / 4)

    def point(t: float) -> tuple[float, float, float, float]:
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        tx, ty = -rx * math.sin(t), ry * math.cos(t)  # the tangent
        return (cx + cos * ex - sin * ey, cy + sin * ex + cos * ey, cos * tx - sin * ty, sin * tx + cos * ty)

    out: list[tuple[float, float, float, float, float, float] | None] = []
    for i in range(n):
        ax, ay, adx, ady = point(t1 + i * step)
        bx, by, bdx, bdy = point(t1 + (i + 1) * step)
        if i == n - 1:
            bx, by = x2, y2
        out.append((ax + k * adx, ay + k * ady, bx - k * bdx, by - k * bdy, bx, by))
    return out


_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
_COMMAND = re.compile(r"[\s,]*([MmLlHhVvCcSsQqTtAaZz])")
_FLAG = re.compile(r"[\s,]*([01])")
_ARG = re.compile(r"[\s,]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


def _args(d: str, pos: int, cmd: str) -> tuple[list[float], int] | None:
    """One group of arguments for `cmd` at `pos`, or None when no number follows."""
    out: list[float] = []
    for i in range(_ARGS[cmd.upper()]):
        m = (_FLAG if cmd in "Aa" and i in (3, 4) else _ARG).match(d, pos)
        if not m:
            if i == 0:
                return None
            raise GeometryError(f"{cmd} needs {_ARGS[cmd.upper()]} numbers (at character {pos + 1})")
        out.append(float(m.group(1)))
        pos = m.end()
    return out, pos


def _apply(p: _Path, cmd: str, a: list[float]) -> None:
    """One segment; relative commands are made absolute first."""
    up = cmd.upper()
    if cmd != up:
        if up in ("H", "V"):
            a[0] += p.x if up == "H" else p.y
        elif up == "A":
            a[5], a[6] = a[5] + p.x, a[6] + p.y
        else:
            a = [v + (p.x if i % 2 == 0 else p.y) for i, v in enumerate(a)]
    if up == "M":
        p.move(*a)
    elif up in "LHV":
        p.line(a[0] if up != "V" else p.x, a[-1] if up != "H" else p.y)
    elif up == "C":
        p.cubic(*a)
    elif up == "S":
        p.cubic(*p.reflect("C"), *a)
    elif up == "Q":
        p.quad(*a)
    elif up == "T":
        p.quad(*p.reflect("Q"), *a)
    else:
        p.arc(a[0], a[1], a[2], bool(a[3]), bool(a[4]), a[5], a[6])


def parse_path(d: str) -> tuple[str, tuple[float, ...]]:
    """SVG path data -> (codes, coords). Malformed data is refused (SVG viewers draw up to the mistake)."""
    p, pos, end = _Path(), 0, len(d.rstrip())
    while pos < end:
        m = _COMMAND.match(d, pos)
        if not m:
            raise GeometryError(f"unexpected {d[pos:pos + 12].strip()!r} at character {pos + 1}")
        cmd, pos = m.group(1), m.end()
        if not p.codes and cmd not in "Mm":
            raise GeometryError("path data must start with M")
        if cmd in "Zz":
            p.close()
            continue
        first = True
        while (got := _args(d, pos, cmd)) is not None:
            args, pos = got
            _apply(p, cmd, args)
            if first and cmd in "Mm":
                cmd = "l" if cmd == "m" else "L"  # numbers after a move are lines
            first = False
        if first:
            raise GeometryError(f"{cmd} without numbers at character {pos + 1}")
    return "".join(p.codes), tuple(p.coords)


def rect_path(x: float, y: float, w: float, h: float, rx: float, ry: float) -> tuple[str, tuple[float, ...]]:
    """A rectangle, with rounded corners when rx and ry are above 0 (each at most half the side)."""
    rx, ry = min(rx, w / 2), min(ry, h / 2)
    if rx <= 0 or ry <= 0:
        return "MLLLZ", (x, y, x + w, y, x + w, y + h, x, y + h)
    kx, ky = rx * (1 - KAPPA), ry * (1 - KAPPA)
    r, b = x + w, y + h
    return "MLCLCLCLCZ", (
        x + rx, y, r - rx, y, r - kx, y, r, y + ky, r, y + ry, r, b - ry, r, b - ky, r - kx, b, r - rx, b,
        x + rx, b, x + kx, b, x, b - ky, x, b - ry, x, y + ry, x, y + ky, x + kx, y, x + rx, y)


def ellipse_path(cx: float, cy: float, rx: float, ry: float) -> tuple[str, tuple[float, ...]]:
    kx, ky = rx * KAPPA, ry * KAPPA
    return "MCCCCZ", (
        cx + rx, cy, cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry, cx - kx, cy + ry, cx - rx, cy + ky,
        cx - rx, cy, cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry, cx + kx, cy - ry, cx + rx, cy - ky,
        cx + rx, cy)


def poly_path(points: list[float], closed: bool) -> tuple[str, tuple[float, ...]]:
    """A polyline or polygon from its "points" numbers (an odd last number is dropped, as SVG says)."""
    n = len(points) // 2
    if n == 0:
        return "", ()
    return "M" + "L" * (n - 1) + ("Z" if closed else ""), tuple(points[:2 * n])


def bounds(codes: str, coords: tuple[float, ...], m: Matrix) -> tuple[float, float, float, float] | None:
    """The box around a path's points (control points included) after the matrix: enough to tell what shows."""
    if not coords:
        return None
    a, b, c, d, e, f = m
    xs = [a * coords[i] + c * coords[i + 1] + e for i in range(0, len(coords), 2)]
    ys = [b * coords[i] + d * coords[i + 1] + f for i in range(0, len(coords), 2)]
    return min(xs), min(ys), max(xs), max(ys)
