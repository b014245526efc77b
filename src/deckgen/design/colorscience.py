"""Colour science for telling family colours apart (pure): sRGB -> CIELAB (D65), CIEDE2000, colour-vision
deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1.0) and the least darkening of a colour
that reaches a contrast ratio against its background.

Colours are sRGB triples with components from 0 to 1, as everywhere in deckgen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from deckgen.design.color import contrast_ratio, luminance

RGB = tuple[float, float, float]
Lab = tuple[float, float, float]
Matrix = tuple[RGB, RGB, RGB]

# sRGB (IEC 61966-2-1) linear RGB -> CIE XYZ, and the D65 reference white (Y = 1).
_TO_XYZ: Matrix = ((0.4124564, 0.3575761, 0.1804375),
                   (0.2126729, 0.7151522, 0.0721750),
                   (0.0193339, 0.1191920, 0.9503041))
_WHITE = (0.95047, 1.0, 1.08883)

# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color Vision
# Deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0; they act on linear RGB.
VISION: dict[str, Matrix | None] = {
    "normal": None,
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
}
# Below these CIEDE2000 distances two family colours are too close to tell apart at a glance.
TOO_CLOSE = {"normal": 12.0, "deuteranopia": 8.0, "protanopia": 8.0}


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _apply(m: Matrix, v: RGB) -> RGB:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def simulate(rgb: RGB, vision: str) -> RGB:
    """The sRGB colour as seen with `vision` ("normal", "deuteranopia", "protanopia")."""
    m = VISION[vision]
    if m is None:
        return rgb
    r, g, b = _apply(m, (_linear(rgb[0]), _linear(rgb[1]), _linear(rgb[2])))
    return (_gamma(r), _gamma(g), _gamma(b))


def lab(rgb: RGB) -> Lab:
    """CIE L*a*b* (D65) of an sRGB colour."""
    x, y, z = _apply(_TO_XYZ, (_linear(rgb[0]), _linear(rgb[1]), _linear(rgb[2])))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x / _WHITE[0]), f(y / _WHITE[1]), f(z / _WHITE[2])
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def _hue(b: float, a: float) -> float:
    return 0.0 if a == 0 and b == 0 else math.degrees(math.atan2(b, a)) % 360


def _mean_hue(h1: float, h2: float, both: bool) -> float:
    """h̄′ of CIEDE2000: the mean of two hues across the 0°/360° cut (their sum when a chroma is zero)."""
    if not both:
        return h1 + h2
    if abs(h1 - h2) <= 180:
        return (h1 + h2) / 2
    return (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """ΔE00 between two CIELAB colours (kL = kC = kH = 1), as in Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = _hue(b1, a1p), _hue(b2, a2p)
    both = c1p * c2p != 0
    dh = 0.0 if not both else h2p - h1p - 360 if h2p - h1p > 180 else h2p - h1p + 360 if h2p - h1p < -180 \
        else h2p - h1p
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar, hp_bar = (l1 + l2) / 2, (c1p + c2p) / 2, _mean_hue(h1p, h2p, both)
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30)) + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6)) - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = (-2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((hp_bar - 275) / 25) ** 2)))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def distance(a: RGB, b: RGB, vision: str = "normal") -> float:
    """ΔE00 between two sRGB colours as seen with `vision`."""
    return ciede2000(lab(simulate(a, vision)), lab(simulate(b, vision)))


# --------------------------------------------------------------------------- contrast

def _to_byte(v: float) -> int:
    return round(min(max(v, 0.0), 1.0) * 255)


@lru_cache(maxsize=1024)  # "readable(X)": asked for every card side
def readable(rgb: RGB, background: RGB = (1.0, 1.0, 1.0), ratio: float = 3.0) -> RGB:
    """`rgb` darkened just enough to reach `ratio` against a lighter `background` (3:1 for thin marks and
    outlines, WCAG 1.4.11): its linear light scaled down, which keeps its hue and saturation. A colour that
    already reaches it, or a background darker than the colour, is returned unchanged. The result is on
    the 8-bit grid (what a "#RRGGBB" says), checked to reach the ratio there too."""
    if contrast_ratio(rgb, background) >= ratio or luminance(background) < luminance(rgb):
        return rgb
    lin = [_linear(c) for c in rgb]
    lo, hi = 0.0, 1.0  # invariant: scaling by lo reaches the ratio, by hi does not
    for _ in range(40):
        mid = (lo + hi) / 2
        if contrast_ratio(tuple(_gamma(c * mid) for c in lin), background) >= ratio:  # type: ignore[arg-type]
            lo = mid
        else:
            hi = mid
    code = [_to_byte(_gamma(c * lo)) for c in lin]
    while contrast_ratio(_from_bytes(code), background) < ratio and any(code):
        code = [max(0, c - 1) for c in code]  # rounding up on the 8-bit grid lost a little contrast
    return _from_bytes(code)


def _from_bytes(code: Sequence[int]) -> RGB:
    return (code[0] / 255, code[1] / 255, code[2] / 255)


# --------------------------------------------------------------------------- a palette

@dataclass(frozen=True)
class Pair:
    """Two colours of a palette (indices into it) and how far apart they are."""

    first: int
    second: int
    normal: float  # ΔE00
    deuteranopia: float
    protanopia: float
    lightness: float  # |ΔL*|: what is left of the difference in greyscale printing

    def too_close(self) -> list[str]:
        """The visions ("normal", "deuteranopia", "protanopia") in which the two are too close to tell apart."""
        return [v for v, limit in TOO_CLOSE.items() if getattr(self, v) < limit]


def pairs(colors: Sequence[RGB]) -> list[Pair]:
    """Every pair of a palette, in order (0-1, 0-2, …, 1-2, …)."""
    labs = {v: [lab(simulate(c, v)) for c in colors] for v in TOO_CLOSE}
    return [Pair(i, j, ciede2000(labs["normal"][i], labs["normal"][j]),
                 ciede2000(labs["deuteranopia"][i], labs["deuteranopia"][j]),
                 ciede2000(labs["protanopia"][i], labs["protanopia"][j]),
                 abs(labs["normal"][i][0] - labs["normal"][j][0]))
            for i, j in combinations(range(len(colors)), 2)]
