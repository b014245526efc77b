"""Colour differences (pure): CIEDE2000 (CIE 142-2001) and the hue angle between two CIELAB colours."""

from __future__ import annotations

import math

Lab = tuple[float, float, float]


def hue_angle(lab: Lab) -> float:
    """CIELAB hue angle h_ab in degrees, 0–360."""
    return math.degrees(math.atan2(lab[2], lab[1])) % 360


def hue_difference(a: Lab, b: Lab) -> float:
    """The smaller angle between two colours' hues, in degrees (0–180)."""
    d = abs(hue_angle(a) - hue_angle(b)) % 360
    return min(d, 360 - d)


def _prime(lab: Lab, g: float) -> tuple[float, float, float]:
    a = lab[1] * (1 + g)
    c = math.hypot(a, lab[2])
    h = math.degrees(math.atan2(lab[2], a)) % 360 if c else 0.0
    return lab[0], c, h


def delta_e2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1)."""
    c_mean = (math.hypot(lab1[1], lab1[2]) + math.hypot(lab2[1], lab2[2])) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    l1, c1, h1 = _prime(lab1, g)
    l2, c2, h2 = _prime(lab2, g)
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_m, c_m = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_m = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_m = (h1 + h2) / 2
    else:
        h_m = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_m - 30)) + 0.24 * math.cos(math.radians(2 * h_m))
         + 0.32 * math.cos(math.radians(3 * h_m + 6)) - 0.20 * math.cos(math.radians(4 * h_m - 63)))
    s_l = 1 + 0.015 * (l_m - 50) ** 2 / math.sqrt(20 + (l_m - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_m, 1 + 0.015 * c_m * t
    r_t = (-2 * math.sqrt(c_m**7 / (c_m**7 + 25**7))
           * math.sin(math.radians(60 * math.exp(-(((h_m - 275) / 25) ** 2)))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))
