"""Family colours that read apart (pure): the pairs too close to tell apart, and the table of distances.

Two family colours are too close when their CIEDE2000 distance is below 12 in normal vision or below 8
under a deuteranopia or protanopia simulation (Machado et al. 2009, severity 1.0); for a theme meant for
greyscale printing, also when their greys (CIE L* alone) are less than 8 apart in CIEDE2000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.deck.model import Family
from deckgen.design.color import hex_rgb
from deckgen.design.colorscience import TOO_CLOSE, Pair, ciede2000, lab, pairs

GREY_TOO_CLOSE = 8.0  # like a colour-vision deficiency: what is left when the colour goes
_NAMES = {"normal": "", "deuteranopia": " under deuteranopia", "protanopia": " under protanopia"}


@dataclass(frozen=True)
class Swatch:
    name: str  # the family's id
    rgb: tuple[float, float, float]
    hex: str  # as the deck writes it


def swatches(families: Sequence[Family]) -> list[Swatch]:
    return [Swatch(f.id, hex_rgb(f.color), f.color) for f in families]


@dataclass(frozen=True)
class Clash:
    """Two families (indices into the swatches) whose colours are too close, and why in words."""

    first: int
    second: int
    why: str


def grey_distance(pair: Pair, swatches: Sequence[Swatch]) -> float:
    """CIEDE2000 between the two colours printed in greyscale (their L* alone)."""
    return ciede2000((lab(swatches[pair.first].rgb)[0], 0.0, 0.0), (lab(swatches[pair.second].rgb)[0], 0.0, 0.0))


def clashes(swatches: Sequence[Swatch], greyscale: bool = False) -> list[Clash]:
    """The pairs of family colours too close to tell apart, in order (the first family's, then the second's)."""
    out = []
    for pair in pairs([s.rgb for s in swatches]):
        reasons = [f"CIEDE2000 {getattr(pair, v):.1f}{_NAMES[v]} (below {TOO_CLOSE[v]:g})" for v in pair.too_close()]
        if greyscale and (grey := grey_distance(pair, swatches)) < GREY_TOO_CLOSE:
            reasons.append(f"{grey:.1f} in greyscale, L* {pair.lightness:.1f} apart (below {GREY_TOO_CLOSE:g})")
        if reasons:
            out.append(Clash(pair.first, pair.second, ", ".join(reasons)))
    return out


def table(swatches: Sequence[Swatch], greyscale: bool = False) -> list[str]:
    """`check --colors`: one line per pair of families with the distances, too-close values marked with *."""
    width = max((len(s.name) for s in swatches), default=6)
    head = (f"{'family':<{width}}  {'family':<{width}}  {'ΔE00':>6}   {'deutan':>6}   {'protan':>6}   "
            f"{'ΔL*':>5}  {'grey':>5}")
    lines = [head]
    for pair in pairs([s.rgb for s in swatches]):
        a, b = swatches[pair.first], swatches[pair.second]
        cells = [_cell(getattr(pair, v), TOO_CLOSE[v]) for v in ("normal", "deuteranopia", "protanopia")]
        grey = grey_distance(pair, swatches)
        lines.append(f"{a.name:<{width}}  {b.name:<{width}}  {cells[0]:>7}  {cells[1]:>7}  {cells[2]:>7}  "
                     f"{pair.lightness:5.1f}  {_cell(grey, GREY_TOO_CLOSE if greyscale else 0.0):>6}".rstrip())
    return lines


def _cell(value: float, limit: float) -> str:
    return f"{value:.1f}" + ("*" if value < limit else " ")
