"""Colour science against published data: CIEDE2000 (Sharma et al. 2005), CIELAB, Machado 2009, WCAG."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.design.colorscience import (
    ciede2000,
    contrast_ratio,
    distance,
    lab,
    pairs,
    readable,
    simulate,
)

DATA = Path(__file__).parent / "data" / "ciede2000-sharma2005.txt"


def _rows() -> list[list[float]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [[float(v) for v in line.split()] for line in lines if line and not line.startswith("#")]


def hexrgb(s: str) -> tuple[float, float, float]:
    return (int(s[1:3], 16) / 255, int(s[3:5], 16) / 255, int(s[5:7], 16) / 255)


def test_the_published_table_is_complete() -> None:
    assert len(_rows()) == 34


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r[0]:g},{r[1]:g},{r[2]:g}-{r[3]:g},{r[4]:g},{r[5]:g}")
def test_ciede2000_matches_sharma_2005(row: list[float]) -> None:
    l1, a1, b1, l2, a2, b2, expected = row
    assert ciede2000((l1, a1, b1), (l2, a2, b2)) == pytest.approx(expected, abs=5e-5)
    assert ciede2000((l2, a2, b2), (l1, a1, b1)) == pytest.approx(expected, abs=5e-5)  # symmetric


@pytest.mark.parametrize(("color", "expected"), [
    ("#FFFFFF", (100.0, 0.0, 0.0)),
    ("#000000", (0.0, 0.0, 0.0)),
    ("#FF0000", (53.2408, 80.0925, 67.2032)),  # sRGB primaries, D65 (Lindbloom's calculator)
    ("#00FF00", (87.7347, -86.1827, 83.1793)),
    ("#0000FF", (32.2970, 79.1875, -107.8602)),
    ("#808080", (53.5850, 0.0, 0.0)),
])
def test_srgb_to_cielab_d65(color: str, expected: tuple[float, float, float]) -> None:
    assert lab(hexrgb(color)) == pytest.approx(expected, abs=2e-3)


def test_the_issue_pair_is_too_close() -> None:
    d = distance(hexrgb("#1B4965"), hexrgb("#264653"))
    assert 5.5 < d < 7  # "CIEDE2000 ≈ 6" in issue 11
    (pair,) = pairs([hexrgb("#1B4965"), hexrgb("#264653")])
    assert pair.too_close() == ["normal", "deuteranopia", "protanopia"]


def test_red_and_green_merge_for_red_green_deficiencies() -> None:
    red, green = hexrgb("#D7263D"), hexrgb("#3E8E41")
    (pair,) = pairs([red, green])
    assert pair.normal > 40
    assert pair.deuteranopia < 15 and pair.protanopia < 20
    assert pair.deuteranopia < pair.normal / 3


def test_simulation_keeps_greys_and_white() -> None:
    for grey in ((1.0, 1.0, 1.0), (0.5, 0.5, 0.5), (0.0, 0.0, 0.0)):
        for vision in ("deuteranopia", "protanopia"):
            assert simulate(grey, vision) == pytest.approx(grey, abs=2e-3)


def test_readable_darkens_a_light_yellow_just_enough() -> None:
    white = (1.0, 1.0, 1.0)
    yellow = hexrgb("#FFE066")
    assert contrast_ratio(yellow, white) < 1.4
    dark = readable(yellow)
    assert contrast_ratio(dark, white) >= 3.0
    lighter = tuple(min(1.0, c + 1 / 255) for c in dark)  # one step lighter no longer reaches 3:1
    assert contrast_ratio(lighter, white) < 3.0  # type: ignore[arg-type]
    # the same hue: the darkening scales the linear light, so the channel ratios stay ordered the same way
    assert dark[0] > dark[1] > dark[2]
    assert abs(_hue(dark) - _hue(yellow)) < 3


def test_readable_leaves_dark_colours_alone() -> None:
    navy = hexrgb("#1B4965")
    assert readable(navy) == navy
    assert readable(hexrgb("#FFE066"), background=(0.0, 0.0, 0.0)) == hexrgb("#FFE066")


def _hue(rgb: tuple[float, float, float]) -> float:
    import colorsys
    return colorsys.rgb_to_hsv(*rgb)[0] * 360
