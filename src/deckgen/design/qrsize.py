"""How big a URL's QR modules print at a given code size and error-correction level (pure).

A code's size on the card is fixed by the theme, so a longer URL only makes its modules smaller; under
0.6 mm a phone at arm's length starts to miss them. `module_warning` says so, with the longest URL that
would keep the modules at that size.
"""

from __future__ import annotations

from qrcode import util

from deckgen.qr import qr_rects

LEVELS = ("L", "M", "Q", "H")
MIN_MODULE_MM = 0.6
_EC = {"L": 1, "M": 0, "Q": 3, "H": 2}  # qrcode's constants


def modules(data: str, level: str = "M") -> int:
    """The code's width in modules (without the quiet zone)."""
    return qr_rects(data, level)[0]


def byte_capacity(version: int, level: str) -> int:
    """Characters of a URL (byte mode, one chunk) that a code of `version` holds at `level`."""
    bits: int = util.BIT_LIMIT_TABLE[_EC[level]][version]
    return (bits - 4 - (8 if version < 10 else 16)) // 8


def modules_at_most(data: str, level: str = "M") -> int | None:
    """The width in modules of a code holding `data` as one byte segment, or None past version 40: never less
    than the code's own (`qr_modules`), for qrcode splits a numeric or alphanumeric run out of the bytes only from
    20 characters on, where it saves more bits than the extra segment's header costs."""
    size = len(data.encode("utf-8"))
    version = next((v for v in range(1, 41) if byte_capacity(v, level) >= size), None)
    return None if version is None else 17 + 4 * version


def longest_fitting(size_mm: float, level: str, min_module_mm: float = MIN_MODULE_MM) -> int:
    """The longest URL (in characters, byte mode) whose modules stay >= `min_module_mm` at `size_mm`."""
    version = min(40, (int(size_mm / min_module_mm + 1e-9) - 17) // 4)
    return byte_capacity(version, level) if version >= 1 else 0


def module_warning(url: str, size_mm: float, level: str = "M", min_module_mm: float = MIN_MODULE_MM,
                   n: int | None = None) -> str | None:
    """A warning when `url`'s modules (`n` of them across, computed if not given) print under `min_module_mm`
    in a `size_mm` code, else None."""
    module = size_mm / (n or modules(url, level))
    if module >= min_module_mm - 1e-9:
        return None
    fits = longest_fitting(size_mm, level, min_module_mm)
    return (f"QR code modules of {module:.2f} mm (a {len(url)}-character URL in a {size_mm:g} mm code at level "
            f"{level}), under {min_module_mm:g} mm: phones may miss it — use a link of at most {fits} characters"
            + (", or ec: L in the theme" if level != "L" else ""))
