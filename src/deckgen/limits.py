"""Deckgen's documented limits: far above real decks, checked before anything large is allocated, each
broken limit one clear error (README, "Limits").
"""

from __future__ import annotations

MAX_FILE_BYTES = 20_000_000  # a deck, theme, printers file or CSV
MAX_WORKBOOK_BYTES = 200_000_000  # an .xlsx once unzipped (its XML)
MAX_FONT_BYTES = 50_000_000
MAX_IMAGE_BYTES = 200_000_000
MAX_IMAGE_PIXELS = 60_000_000  # an image a deck names: 6,000 × 10,000 px (a poker card at 2,400 ppi)
MAX_OUTPUT_PIXELS = 100_000_000  # one PNG or preview image deckgen writes: an A4 page at 1,000 dpi
MAX_ROWS = 200_000  # spreadsheet rows
MAX_CELLS = 5_000_000  # rows × columns of a sheet, as its dimension (or its last cell) says
MAX_TEXT = 50_000  # characters in one text of a card (a card holds a few hundred)
MAX_FACES = 100_000  # card faces in one build: cards × copies × decks × 2 sides
MAX_CARDS = MAX_FACES // 2  # the cards of a spreadsheet: more rows are refused before they are read into cards


def over(what: str, n: int, limit: int, hint: str) -> tuple[str, str]:
    """(what, hint) of a problem: `n` is more than `limit`."""
    return f"{n:,} {what}, more than deckgen's limit of {limit:,}", hint
