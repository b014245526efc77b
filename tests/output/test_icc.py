"""ICC conversion: littleCMS through the test profile (Ghostscript's CMYK profile, from Debian's libgs-common)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from deckgen.output.icc import IccInks, ProfileError, cap_ink, load_profile

GS = Path("/usr/share/color/icc/ghostscript")
TEST_PROFILE = GS / "default_cmyk.icc"  # .ci/run installs libgs-common: a missing profile fails, never skips


def little_cms(rgb8: tuple[int, int, int], intent: int = ImageCms.Intent.RELATIVE_COLORIMETRIC) -> tuple[float, ...]:
    """The conversion computed here, independently: sRGB -> the test profile, black point compensation."""
    t = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(TEST_PROFILE)),
                                "RGB", "CMYK", renderingIntent=intent, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    out = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb8), t)
    return tuple(v / 255 for v in out.getpixel((0, 0)))


@pytest.fixture(scope="module")
def inks() -> IccInks:
    assert TEST_PROFILE.is_file(), "install Debian's libgs-common (the test CMYK profile), as .ci/run does"
    return IccInks(load_profile(TEST_PROFILE), max_ink=3.0)


@pytest.mark.parametrize("hexa", ["2A9D8F", "7B2D8E", "E4572E", "264653", "E9C46A", "1D3557"])
def test_chromatic_colours_are_littlecms_within_the_ink_cap(inks: IccInks, hexa: str) -> None:
    rgb8 = tuple(int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    expected = little_cms(rgb8)  # type: ignore[arg-type]
    got = inks.cmyk(tuple(v / 255 for v in rgb8))  # type: ignore[arg-type]
    assert sum(got) <= 3.0 + 1e-9
    if sum(expected) <= 3.0:
        assert got == pytest.approx(expected, abs=0.0011)
    else:  # capped: K kept, C M Y in the same proportions
        assert got[3] == pytest.approx(expected[3], abs=0.0011)
        assert got[0] / got[1] == pytest.approx(expected[0] / expected[1], rel=0.01)


def test_teal_keeps_its_hue_through_the_profile(inks: IccInks) -> None:
    c, m, y, k = inks.cmyk((0x2A / 255, 0x9D / 255, 0x8F / 255))
    assert y > 0.4 and k < 0.1  # the formula's C73 M0 Y9 K38 printed blue-petrol


def test_neutrals_are_black_ink_only(inks: IccInks) -> None:
    assert inks.cmyk((0, 0, 0)) == (0, 0, 0, 1.0)  # the profile alone: ~C72 M68 Y67 K89
    assert inks.cmyk((0x1F / 255, 0x23 / 255, 0x28 / 255)) == (0, 0, 0, 1.0)  # the themes' ink
    assert inks.cmyk((1, 1, 1)) == (0, 0, 0, 0)
    ks = [inks.cmyk((g, g, g)) for g in (0.2, 0.4, 0.6, 0.8, 0.95)]
    assert all(c == m == y == 0 for c, m, y, _ in ks)
    assert [k for *_, k in ks] == sorted((k for *_, k in ks), reverse=True)
    assert 0.4 < ks[2][3] < 0.75  # a 60 % grey is a mid-tone K, not a formula's 40 %


def test_the_ink_cap_holds_for_dark_colours() -> None:
    inks = IccInks(load_profile(TEST_PROFILE), max_ink=2.4)
    for rgb in [(0, 0, 0.25), (0.1, 0.1, 0.3), (0.3, 0, 0), (0, 0.2, 0.1)]:
        assert sum(inks.cmyk(rgb)) <= 2.4 + 1e-9
    assert cap_ink((0.5, 0.5, 0.5, 0.5), 2.4) == (0.5, 0.5, 0.5, 0.5)
    assert cap_ink((1, 1, 1, 0.6), 2.4) == (0.6, 0.6, 0.6, 0.6)


def test_bitmaps_go_through_the_profile_and_the_cap(inks: IccInks) -> None:
    im = Image.new("RGB", (3, 1))
    im.putpixel((0, 0), (0x2A, 0x9D, 0x8F))
    im.putpixel((1, 0), (0, 0, 40))
    im.putpixel((2, 0), (255, 255, 255))
    capped = IccInks(load_profile(TEST_PROFILE), max_ink=2.4).image(im)
    assert capped.mode == "CMYK"
    teal = capped.getpixel((0, 0))
    assert [v / 255 for v in teal] == pytest.approx(little_cms((0x2A, 0x9D, 0x8F)), abs=1.5 / 255)
    assert sum(capped.getpixel((1, 0))) <= round(2.4 * 255) + 3  # rounding of three scaled bands
    assert sum(little_cms((0, 0, 40))) > 2.4  # so that the cap was tested
    assert capped.getpixel((2, 0)) == (0, 0, 0, 0)


@pytest.mark.parametrize("intent", ["perceptual", "saturation", "absolute"])
def test_intents_reach_littlecms(intent: str) -> None:
    inks = IccInks(load_profile(TEST_PROFILE), intent=intent)
    assert inks.cmyk((0xE4 / 255, 0x57 / 255, 0x2E / 255))[1] > 0.6  # an orange stays mostly magenta + yellow


def test_rgb_broken_and_missing_profiles_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"srgb\.icc: a display or input profile for RGB colour, not a CMYK"):
        load_profile(GS / "srgb.icc")
    broken = tmp_path / "shop.icc"
    broken.write_bytes(TEST_PROFILE.read_bytes()[:300])
    with pytest.raises(ProfileError, match=r"shop\.icc: not an ICC profile"):
        load_profile(broken)
    with pytest.raises(ProfileError, match=r"nothere\.icc: cannot read the ICC profile"):
        load_profile(tmp_path / "nothere.icc")


def test_a_profile_says_what_it_is() -> None:
    profile = load_profile(TEST_PROFILE)
    assert profile.description == "Artifex CMYK SWOP Profile"
    assert profile.condition == "Custom"  # an approximation of SWOP, not the registered characterisation
    assert ImageCms.ImageCmsProfile(io.BytesIO(profile.data)).profile.xcolor_space.strip() == "CMYK"
