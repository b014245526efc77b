"""Legend cards (`build --legend`): one card per family, its colour, its name and its description.

A small built-in element set, placed inside the theme's card size and safe margin, drawn with the theme's
fonts; laid out by layout.layout_side like any card side.
"""

from __future__ import annotations

from deckgen.design.theme_model import Element
from deckgen.units import MM


def legend_elements(card_w: float, card_h: float, safe: float, title_font: str
                    ) -> tuple[dict[str, Element | None], dict[str, Element | None]]:
    """(front, back) elements for a card of this size (points) and safe margin."""
    w = card_w - 2 * safe
    contrast = "contrast({family.color})"

    def el(**kw: object) -> Element:
        return Element.model_validate(kw)

    name_top = 0.14 * card_h
    name_h = 0.36 * card_h - name_top
    front: dict[str, Element | None] = {
        "band": el(type="rect", x=0, y=0, w="100%", h="100%", fill="{family.color}", bleed=True),
        "name": el(type="text", text="{family.name}", x=safe, y=name_top, w=w, h=name_h, font=title_font,
                   style="bold", size="17pt", min_size="11pt", line_height=1.08, valign="bottom", hyphenate=False,
                   color=contrast),
        "rule": el(type="line", x=safe, y=0.36 * card_h + 2.5 * MM, w=min(w, 20 * MM), h=0, stroke=contrast,
                   stroke_width="1pt"),
        "description": el(type="text", text="{family.description}", x=safe, y=0.36 * card_h + 6 * MM, w=w,
                          h=card_h - safe - 6 * MM - (0.36 * card_h + 6 * MM), size="10.5pt", min_size="8pt",
                          line_height=1.25, color=contrast),
        "deck": el(type="text", text="{deck.title}", x=safe, y=card_h - safe - 4.5 * MM, w=w, h=4.5 * MM,
                   size="6pt", valign="bottom", color=contrast),
    }
    back: dict[str, Element | None] = {
        "band": el(type="rect", x=0, y=0, w="100%", h="100%", fill="{family.color}", bleed=True),
        "name": el(type="text", text="{family.name}", x=safe, y=safe, w=w, h=card_h - 2 * safe, font=title_font,
                   style="bold", size="14pt", min_size="9pt", line_height=1.1, align="center", valign="middle",
                   hyphenate=False, color=contrast),
    }
    return front, back
