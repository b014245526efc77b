"""Colours (pure): RGB -> CMYK without an ICC profile, and contrast helpers for text on a colour.

The old device formula printed `1 − R` as cyan: right for ideal inks, but process cyan also absorbs green
and blue, and magenta absorbs blue, so hues drifted (teal printed blue-petrol, purple plum). Here the
chromatic part is solved by the classical density masking equations: the densities the colour needs in
red, green and blue light are written as a mix of the three inks' own densities, taken from the ISO 12647-2
characterisation of offset on coated paper (paper, C, M, Y solids in CIELAB, public reference values), and
each ink's share is turned into a dot area by the Yule–Nielsen relation. Greys are black ink only (at the K
that prints their lightness) and near-black text K 100 %; black ink replaces the grey part of C, M and Y
only as far as the ink cap needs it, so dark colours keep their hue. With a profile, output/icc.py converts
instead, with the same neutral rules. `benchmarks/color_report.py` measures how far the built-in conversion
lands from a conversion through a profile.
"""

from __future__ import annotations

import math
from functools import lru_cache

from deckgen.design.ops import BLACK, WHITE

RGB = tuple[float, float, float]
CMYK = tuple[float, float, float, float]
Vec = tuple[float, float, float]

TOTAL_INK = 2.4  # C + M + Y + K at most without a profile (240 %, what DriveThruCards asks for)
NEUTRAL = 20 / 255  # channels this close together make a grey: printed with black ink only
NEAR_BLACK = 0.15  # a grey darker than this is text black: printed as solid K, crisp on press
YULE_NIELSEN = 1.5  # light scattering in paper: dots print darker than their area
SOLID = 0.99  # a dot area this close to 1 prints as the solid
K_YULE_NIELSEN = 2.0  # black's finer screen of a grey spreads more
# ISO 12647-2 (coated paper, type 1/2) solids, CIELAB D50: the inks a generic press prints with
PAPER_LAB = (95.0, 0.0, -2.0)
K_LAB = (16.0, 0.0, 0.0)
INK_LAB = {"c": (55.0, -37.0, -50.0), "m": (48.0, 74.0, -3.0), "y": (89.0, -5.0, 93.0)}
_D50 = (0.9642, 1.0, 0.8249)
_XYZ_D50_TO_SRGB = (  # linear sRGB from D50 XYZ (the ICC sRGB profile's matrix, inverted)
    (3.1338561, -1.6168667, -0.4906146),
    (-0.9787684, 1.9161415, 0.0334540),
    (0.0719453, -0.2289914, 1.4052427),
)


def lab_to_xyz(lab: Vec) -> Vec:
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def inv(f: float) -> float:
        return f**3 if f**3 > 216 / 24389 else (116 * f - 16) * 27 / 24389

    return (_D50[0] * inv(fx), _D50[1] * inv(fy), _D50[2] * inv(fz))


def _linear_rgb(xyz: Vec) -> Vec:
    m = _XYZ_D50_TO_SRGB
    return tuple(sum(m[i][j] * xyz[j] for j in range(3)) for i in range(3))  # type: ignore[return-value]


def _density(lab: Vec) -> Vec:
    """Red, green and blue densities of a print relative to the paper (how much of each light it takes)."""
    ink, paper = _linear_rgb(lab_to_xyz(lab)), _linear_rgb(lab_to_xyz(PAPER_LAB))
    return tuple(-math.log10(max(i / p, 1e-3)) for i, p in zip(ink, paper, strict=True))  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _unmixing() -> tuple[Vec, Vec, Vec]:
    """The inverse of the 3 × 3 matrix whose columns are the C, M, Y solids' R, G, B densities."""
    cols = [_density(INK_LAB[k]) for k in "cmy"]
    a = [[cols[j][i] for j in range(3)] for i in range(3)]
    det = (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
           + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]))
    inv = [[(a[(j + 1) % 3][(i + 1) % 3] * a[(j + 2) % 3][(i + 2) % 3]
             - a[(j + 1) % 3][(i + 2) % 3] * a[(j + 2) % 3][(i + 1) % 3]) / det for j in range(3)] for i in range(3)]
    return tuple(tuple(row) for row in inv)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _solid_density() -> Vec:
    """Each ink's density in the light it is meant to take (cyan in red, magenta in green, yellow in blue)."""
    return tuple(_density(INK_LAB[k])[i] for i, k in enumerate("cmy"))  # type: ignore[return-value]


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _dots(rgb: RGB) -> Vec:
    """C, M, Y dot areas (0–1) printing an RGB colour with the three inks alone."""
    need = tuple(-math.log10(max(_linear(v), 1e-4)) for v in rgb)
    shares = [max(0.0, sum(row[j] * need[j] for j in range(3))) for row in _unmixing()]
    out = []
    for share, solid in zip(shares, _solid_density(), strict=True):
        # Yule–Nielsen (n = 1.5): a dot area a prints density −n·log10(1 − a·(1 − 10^(−Ds/n))); solved for a
        out.append(min(1.0, (1 - 10 ** (-share * solid / YULE_NIELSEN)) / (1 - 10 ** (-solid / YULE_NIELSEN))))
    return out[0], out[1], out[2]


def grey_k(grey: float) -> float:
    """The black ink (0–1) printing a grey (0 black – 1 white) at its lightness between paper and solid K."""
    k_solid = lab_to_xyz(K_LAB)[1] / lab_to_xyz(PAPER_LAB)[1]
    target = k_solid + _linear(grey) * (1 - k_solid)
    n = K_YULE_NIELSEN
    return round(float((1 - target ** (1 / n)) / (1 - k_solid ** (1 / n))), 3)


def rgb_to_cmyk(rgb: RGB, total_ink: float = TOTAL_INK) -> CMYK:
    """CMYK (0–1, in steps of 1/1000) for an RGB colour (components 0–1) without a profile.

    Greys are black ink only (near-black: K 100 %); a chromatic colour is printed with C, M and Y, and
    where they would go over the ink cap their common grey part becomes black ink (each 1 % taken from all
    three is 1 % of K), then C, M and Y are scaled down if that is not enough.
    """
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
    grey = grey_of((r, g, b))
    if grey is not None:
        return (0.0, 0.0, 0.0, 1.0 if grey < NEAR_BLACK else grey_k(grey))
    c, m, y = (1.0 if v > SOLID else v for v in _dots((r, g, b)))  # a solid stays solid
    k = min(min(c, m, y), max(0.0, (c + m + y - total_ink) / 2))
    return cap_ink((math.floor((c - k) * 1000) / 1000, math.floor((m - k) * 1000) / 1000,
                    math.floor((y - k) * 1000) / 1000, math.ceil(k * 1000) / 1000), total_ink)


def cap_ink(cmyk: CMYK, limit: float) -> CMYK:
    """C, M and Y scaled down (K kept) so that C + M + Y + K <= limit; colours under it are unchanged."""
    c, m, y, k = cmyk
    if c + m + y + k <= limit + 1e-9:
        return cmyk
    scale = max(0.0, (limit - k) / (c + m + y))
    return (math.floor(c * scale * 1000) / 1000, math.floor(m * scale * 1000) / 1000,
            math.floor(y * scale * 1000) / 1000, k)


def grey_of(rgb: RGB) -> float | None:
    """The grey level (0 black – 1 white) of a neutral colour (printed with black ink only), None otherwise."""
    return sum(rgb) / 3 if max(rgb) - min(rgb) <= NEUTRAL else None


def total_ink(cmyk: CMYK) -> float:
    return sum(cmyk)


@lru_cache(maxsize=1024)  # one shared tuple per colour, not three floats per drawing operation
def hex_rgb(value: str) -> RGB:
    h = value.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def luminance(rgb: RGB) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=1024)  # "contrast(band)": asked for every card side
def text_on(background: RGB) -> RGB:
    """Black or white, whichever contrasts more with the background."""
    return BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) else WHITE


