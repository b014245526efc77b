"""Built-in themes follow the card: the reference deck checks clean in every theme at every preset, in both of its
languages; rendered cards keep no blank band taller than 30 % of the card; deck titles of 60 characters fit.

The check path (prepare with draw=False) is used for the 12 presets; a few sizes are rendered at low dpi.
scripts/theme_sweep.py runs the full sweep (every size rendered) and prints the numbers.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import MICRO, ROOT

from deckgen.design.themes import builtin_themes
from deckgen.pipeline.prepare import Options, prepare
from deckgen.presets import card_sizes

_spec = importlib.util.spec_from_file_location("theme_sweep", ROOT / "scripts" / "theme_sweep.py")
assert _spec is not None and _spec.loader is not None
sweep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep)

THEMES = sorted(builtin_themes())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sized")


@pytest.mark.parametrize("card", list(card_sizes()))
@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_checks_clean_at_every_card_size(theme: str, card: str, folder: Path) -> None:
    path = sweep.sized_theme(theme, card, folder)
    for lang in ("fr", "en"):
        prep = prepare(MICRO, Options(theme=path, lang=lang, draw=False))  # raises on any fit problem
        assert len(prep.cards) == 29


@pytest.mark.parametrize("card", ["poker", "mini-us", "business", "a6"])
@pytest.mark.parametrize("theme", THEMES)
def test_no_blank_band_taller_than_30_percent(theme: str, card: str, folder: Path) -> None:
    prep = prepare(MICRO, Options(theme=sweep.sized_theme(theme, card, folder), lang="en"))
    front, back, front_card, back_card = sweep.bands(prep, dpi=30)
    assert front <= 0.30, f"{theme} {card}: front of {front_card} {front:.0%} blank"
    assert back <= 0.30, f"{theme} {card}: back of {back_card} {back:.0%} blank"


def test_blank_band_measures_rows_without_ink() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (100, 200), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 20, 90, 40), fill=(0, 0, 0))
    draw.rectangle((10, 150, 12, 151), fill=(200, 0, 0))
    assert sweep.blank_band(image, 10) == pytest.approx((150 - 41) / 200)


@pytest.mark.parametrize("card", ["poker", "mini-us"])
@pytest.mark.parametrize("theme", THEMES)
def test_60_character_deck_texts_fit(theme: str, card: str, folder: Path) -> None:
    text = "Trends Workshop 2025 — Strategy Day for the Regional Council"
    assert len(text) == 60
    deck = folder / f"long-{theme}-{card}.yaml"
    lines = MICRO.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[:8]):
        for key in ("title", "subtitle", "author"):
            if line.startswith(f"  {key}:"):
                lines[i] = f"  {key}: {text}"
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang in ("fr", "en"):
        prep = prepare(deck, Options(theme=sweep.sized_theme(theme, card, folder), lang=lang, draw=False))
        assert prep.loaded.deck.deck.title == text and len(prep.cards) == 29
