"""RGB -> CMYK for print files (pure): full under-colour removal, greys as black ink only, an ink limit.

No ICC profile is applied (none may be shipped): the conversion is the device formula with black
generation K = 1 − max(R, G, B), which keeps text and dark greys in the K plate only, and a total
ink limit of 240 % (what DriveThruCards asks for; every shop accepts less ink).
"""

from __future__ import annotations

import math
from functools import lru_cache

from deckgen.design.ops import BLACK, WHITE

RGB = tuple[float, float, float]
CMYK = tuple[float, float, float, float]

TOTAL_INK = 2.4  # C + M + Y + K at most, as a fraction (240 %)
NEUTRAL = 20 / 255  # channels this close together make a grey: printed with black ink only
NEAR_BLACK = 0.15  # a grey darker than this is text black: printed as solid K, crisp on press


def _clamp(v: float) -> float:
    return 0.0 if v < 0 else 1.0 if v > 1 else v


def rgb_to_cmyk(rgb: RGB, total_ink: float = TOTAL_INK) -> CMYK:
    """CMYK for an RGB colour (components 0–1), rounded to 1/1000 so that output stays stable.

    Black (0, 0, 0) and near-blacks such as a theme's "ink" #1F2328 are pure K (0, 0, 0, 1); near-neutral
    greys are K only; white is no ink.
    """
    r, g, b = (_clamp(c) for c in rgb)
    hi, lo = max(r, g, b), min(r, g, b)
    if hi - lo <= NEUTRAL:
        grey = (r + g + b) / 3
        return (0.0, 0.0, 0.0, 1.0 if grey < NEAR_BLACK else round(1 - grey, 3))
    k = 1 - hi
    c, m, y = ((hi - v) / hi for v in (r, g, b))  # hi > NEUTRAL here, so no division by zero
    k = round(k, 3)
    if c + m + y + k > total_ink:
        scale = max(0.0, (total_ink - k) / (c + m + y))
        return (*(math.floor(v * scale * 1000) / 1000 for v in (c, m, y)), k)  # type: ignore[return-value]
    return (round(c, 3), round(m, 3), round(y, 3), k)


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


def text_on(background: RGB) -> RGB:
    """Black or white, whichever contrasts more with the background."""
    return BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) else WHITE


