"""Small reversed text (pure): white type under 8 pt knocked out of a band printed with more than one ink.

On press each ink is a separate plate; plates register within ~0.1 mm, and a thin white letter cut out of
two or three inks shows coloured fringes. One-ink bands (or bigger type) survive it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from deckgen.design.ops import RGB, Op, RectOp, TextOp

CMYK = tuple[float, float, float, float]
MIN_REVERSED_SIZE = 8.0  # points
INK = 0.005  # an ink under 0.5 % prints nothing
PLATES = "CMYK"


def inks(cmyk: CMYK) -> str:
    """The plates a CMYK colour prints on, as letters ("CM", "K"…)."""
    return "".join(p for p, v in zip(PLATES, cmyk, strict=True) if v > INK)


def reversed_text(ops: Sequence[Op], to_cmyk: Callable[[RGB], CMYK],
                  min_size: float = MIN_REVERSED_SIZE) -> list[tuple[TextOp, str]]:
    """Each text under `min_size` that prints no ink, drawn on a band of more than one ink, with the band's
    inks ("CMY"). The band is the last filled rectangle drawn before the text under its first letter."""
    found: list[tuple[TextOp, str]] = []
    bands: list[RectOp] = []
    for op in ops:
        if isinstance(op, RectOp) and op.fill is not None:
            bands.append(op)
        elif isinstance(op, TextOp) and op.size < min_size and not inks(to_cmyk(op.color)):
            x, y = op.x + op.size * 0.3, op.y + op.size * 0.35  # inside the first letter
            under = next((b for b in reversed(bands) if b.x <= x <= b.x + b.w and b.y <= y <= b.y + b.h), None)
            if under is not None and under.fill is not None and len(inks(to_cmyk(under.fill))) > 1:
                found.append((op, inks(to_cmyk(under.fill))))
    return found
