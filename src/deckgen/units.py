"""Lengths and sizes from user input ("63mm", "0.125in", "9pt", "50%", "100% - 8mm") to PDF points, once."""

from __future__ import annotations

import re
from functools import lru_cache

from deckgen import presets

MM = 72 / 25.4
IN = 72.0
MAX_CARD = 600  # mm a side: a card larger than A2 is a poster
UNITS = {"mm": MM, "cm": 10 * MM, "in": IN, "pt": 1.0}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(mm|cm|in|pt|%)\s*$")
_TERM_RX = r"(\d+(?:\.\d+)?|\.\d+)\s*(?:mm|cm|in|pt|%)"
_SUM = re.compile(rf"^\s*-?\s*{_TERM_RX}(?:\s*[-+]\s*{_TERM_RX})+\s*$")
_TERM = re.compile(r"([-+]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*(mm|cm|in|pt|%)")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*$")



def _term(number: float, unit: str, value: object, percent_of: float | None) -> float:
    if unit == "%":
        if percent_of is None:
            raise ValueError(f"a percentage is not allowed here: {value!r}")
        return number / 100 * percent_of
    return number * UNITS[unit]


@lru_cache(maxsize=1024, typed=True)
def parse_length(value: str | float | int, percent_of: float | None = None) -> float:
    """A length in points. Numbers without unit are points; "%" needs `percent_of`.

    A sum of terms is allowed, so that a box can follow the card's size: "100% - 8mm", "50% + 2mm".
    """
    if isinstance(value, bool):
        raise ValueError(f"not a length: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    m = _LENGTH.match(text)
    if m:
        return _term(float(m.group(1)), m.group(2), value, percent_of)
    if not _SUM.match(text):
        raise ValueError(f"not a length: {value!r} (write e.g. 4mm, 0.125in, 9pt, 50% or 100% - 8mm)")
    total = 0.0
    for sign, number, unit in _TERM.findall(text):
        term = _term(float(number), unit, value, percent_of)
        total += -term if sign == "-" else term
    return total


def parse_card_size(value: str) -> tuple[float, float]:
    """A card size in points from a preset name ("poker") or "WIDTHxHEIGHT" with a unit ("63x88mm")."""
    key = value.strip().lower()
    cards = presets.card_sizes()
    if key in cards:
        w, h = cards[key]
        return w * MM, h * MM
    m = _SIZE.match(key)
    if not m:
        names = ", ".join(cards)
        raise ValueError(f"not a card size: {value!r} (a preset: {names}; or e.g. 63x88mm, 2.5x3.5in)")
    w, h, unit = float(m.group(1)), float(m.group(2)), m.group(3)
    if w <= 0 or h <= 0:
        raise ValueError(f"a card size must be positive: {value!r}")
    if max(w * UNITS[unit], h * UNITS[unit]) > MAX_CARD * MM:
        raise ValueError(f"a card size must be at most {MAX_CARD} mm a side: {value!r}")
    return w * UNITS[unit], h * UNITS[unit]


def paper_size(name: str) -> tuple[float, float]:
    return presets.papers()[name].size


def format_mm(points: float, digits: int = 2) -> str:
    """A length for messages, in mm without trailing zeros: 178.58 pt -> "63"."""
    return f"{points / MM:.{digits}f}".rstrip("0").rstrip(".")


def paper_name(paper: str) -> str:
    """"a4" -> "A4", "letter" -> "Letter": a paper as messages and sheets name it."""
    return presets.papers()[paper].name
