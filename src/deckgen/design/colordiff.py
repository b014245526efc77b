"""Hue angles of CIELAB colours (pure); their CIEDE2000 distance is design.colorscience.ciede2000."""

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

