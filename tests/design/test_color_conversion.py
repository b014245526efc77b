"""The built-in conversion (no profile) keeps hues: measured through the test profile by CIEDE2000."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from deckgen.design.color import rgb_to_cmyk
from deckgen.design.colordiff import hue_angle, hue_difference
from deckgen.design.colorscience import ciede2000


def _color_report() -> ModuleType:
    """benchmarks/color_report.py, loaded by path: benchmarks/ on sys.path would shadow tests' own modules
    (benchmarks/hostile.py and tests/hostile.py)."""
    spec = importlib.util.spec_from_file_location("color_report", ROOT / "benchmarks" / "color_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ROOT = Path(__file__).resolve().parents[2]
_report = _color_report()
GS_CMYK, lab_through, printed_lab = _report.GS_CMYK, _report.lab_through, _report.printed_lab

FAMILIES = ["3B4A6B", "E4572E", "F2A900", "2A9D8F", "7B2D8E"]  # the reference deck's


def test_hue_angles_wrap() -> None:
    assert hue_angle((50, 0, 10)) == pytest.approx(90)
    assert hue_difference((50, 10, -0.1), (50, 10, 0.1)) == pytest.approx(1.1459, abs=1e-3)


def test_family_colours_print_close_to_the_profile_and_keep_their_hue() -> None:
    from deckgen.output.icc import IccInks, load_profile

    assert Path(GS_CMYK).is_file(), "install Debian's libgs-common (the test CMYK profile), as .ci/run does"
    inks = IccInks(load_profile(GS_CMYK), max_ink=2.4)
    from PIL import ImageCms

    to_lab = lab_through(ImageCms.ImageCmsProfile(GS_CMYK))
    for hexa in FAMILIES:
        rgb = tuple(int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4))
        ref, got = printed_lab(inks.cmyk(rgb), to_lab), printed_lab(rgb_to_cmyk(rgb), to_lab)  # type: ignore[arg-type]
        # the old device formula: teal 16.3 ΔE00 / 39° off, purple 11.9 / 22°
        assert ciede2000(ref, got) < 10 and hue_difference(ref, got) < 15, hexa


def test_neutrals_and_the_ink_cap() -> None:
    assert rgb_to_cmyk((0, 0, 0)) == (0, 0, 0, 1.0)
    assert rgb_to_cmyk((0x1F / 255, 0x23 / 255, 0x28 / 255)) == (0, 0, 0, 1.0)
    assert rgb_to_cmyk((1, 1, 1)) == (0, 0, 0, 0)
    greys = [rgb_to_cmyk((g, g, g)) for g in (0.2, 0.5, 0.8)]
    assert all(c == m == y == 0 for c, m, y, _ in greys) and greys[0][3] > greys[1][3] > greys[2][3]
    for rgb in [(0, 0, 0.25), (0.03, 0.23, 0.3), (0.3, 0, 0.05), (0.1, 0.2, 0.1)]:
        c, m, y, k = rgb_to_cmyk(rgb)
        assert c + m + y + k <= 2.4 + 1e-9 and min(c, m, y, k) >= 0
    assert sum(rgb_to_cmyk((0.03, 0.23, 0.3), total_ink=3.0)) > 2.4
