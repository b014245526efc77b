"""Flow in themes: an element placed relative to another one drawn before it on the same side. Pure.

`below: title` puts the element's top edge `gap` under the bottom of what the title drew (its text lines, not
its box), while its bottom edge stays where `y + h` puts it: a one-line title pulls the body up, a three-line
title pushes it down. `above: footer` is the mirror: the bottom edge sits `gap` above the top of what the
footer drew, the top edge stays at `y`. That is for text boxes; any other element (a rule, a rectangle, an icon,
a QR code) moves whole and keeps its size. An element that drew nothing (empty text, `when:` false) takes no room:
what is below it moves up to its box's top (what is above it, down to its box's bottom).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# What each element drew, in card coordinates (points, y up): (top, bottom). An element that drew nothing has
# the empty extent (box bottom, box top): its "bottom" is its box's top, its "top" its box's bottom.
Extent = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # bottom, in card coordinates
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h


def drawn(box: Box) -> Extent:
    """The extent of an element that drew its whole box (a rectangle, a QR code, an icon)."""
    return (box.top, box.y)


def nothing(box: Box) -> Extent:
    """The extent of an element that drew nothing: the empty interval, see `Extent`."""
    return (box.y, box.top)


def text_extent(top: float, lines: int, leading: float) -> Extent:
    """The natural height of a text: its lines times their leading, from where its first line starts."""
    return (top, top - lines * leading)


def moved(box: Box, extents: Mapping[str, Extent], below: str | None, above: str | None, gap: float) -> Box:
    """A box of fixed size (a rule, a rectangle, an icon, a QR code) moved `below` or `above` another element;
    with both, `below` wins."""
    if below is not None and below in extents:
        return Box(box.x, extents[below][1] - gap - box.h, box.w, box.h)
    if above is not None and above in extents:
        return Box(box.x, extents[above][0] + gap, box.w, box.h)
    return box


def flowed(box: Box, extents: Mapping[str, Extent], below: str | None, above: str | None, gap: float) -> Box:
    """The box of an element once placed `below` or `above` another (see the module's doc); its own box
    otherwise. A box squeezed to nothing has no height, at the edge that moved: a rule (h: 0) `below: title`
    sits `gap` under the title's last line; a text squeezed so cannot fit."""
    top, bottom = box.top, box.y
    if below is not None and below in extents:
        top = extents[below][1] - gap
        bottom = min(bottom, top)
    if above is not None and above in extents:
        bottom = extents[above][0] + gap
        top = max(top, bottom) if below is None else top
    if (top, bottom) == (box.top, box.y):
        return box
    return Box(box.x, bottom, box.w, max(0.0, top - bottom))
