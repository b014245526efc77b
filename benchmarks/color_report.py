#!/usr/bin/env python3
"""How far the built-in CMYK conversion (no profile) lands from a conversion through an ICC profile.

usage: python benchmarks/color_report.py [--icc PROFILE.icc] [COLOUR …]

For each colour (default: the reference deck's families, the built-in themes' colours and a few strong
sRGB colours) it prints the built-in CMYK, littleCMS's CMYK through the profile (relative colorimetric,
black point compensation, the same ink cap of 240 %), and the difference between the two as printed on that
profile's press: both CMYK values are taken back to CIELAB through the profile, then compared by CIEDE2000
and by hue angle (degrees). Default profile: Ghostscript's CMYK profile from Debian's libgs-common. Numbers
are reported, never asserted (tests bound only the deck's family colours).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

from PIL import Image, ImageCms

from deckgen.design.color import rgb_to_cmyk
from deckgen.design.colordiff import hue_difference
from deckgen.design.colorscience import ciede2000
from deckgen.output.icc import IccInks, load_profile

GREY_CHROMA = 5.0  # CIELAB chroma under which a colour's hue angle means nothing
GS_CMYK = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
DEFAULT = ("3B4A6B E4572E F2A900 2A9D8F 7B2D8E 8C2F1B 5F6670 1F2328 264653 E9C46A F4A261 E76F51 1D3557 457B9D "
           "A8DADC 06D6A0 118AB2 EF476F FFD166 073B4C FF0000 00FF00 0000FF 00FFFF FF00FF FFFF00").split()


def lab_through(profile: ImageCms.ImageCmsProfile) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(profile, ImageCms.createProfile("LAB"), "CMYK", "LAB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def printed_lab(cmyk: tuple[float, ...], to_lab: ImageCms.ImageCmsTransform) -> tuple[float, float, float]:
    out = ImageCms.applyTransform(Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk)), to_lab)
    lightness, a, b = out.getpixel((0, 0))  # type: ignore[union-attr, misc]
    return lightness * 100 / 255, a - 128, b - 128


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icc", default=GS_CMYK, help="CMYK output profile (default: Ghostscript's)")
    parser.add_argument("colours", nargs="*", default=DEFAULT, help="RRGGBB colours")
    args = parser.parse_args(argv)
    profile = load_profile(Path(args.icc))
    inks = IccInks(profile, max_ink=2.4)
    to_lab = lab_through(ImageCms.ImageCmsProfile(args.icc))
    print(f"profile: {profile.description} ({args.icc})")
    print(f"{'colour':8} {'built-in C M Y K':>18} {'profile C M Y K':>18} {'ΔE00':>6} {'Δhue°':>6}")
    des, dhs = [], []
    for hexa in args.colours:
        rgb = tuple(int(hexa.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        ours, theirs = rgb_to_cmyk(rgb), inks.cmyk(rgb)  # type: ignore[arg-type]
        ref, got = printed_lab(theirs, to_lab), printed_lab(ours, to_lab)
        de = ciede2000(ref, got)
        des.append(de)
        hue = "     —"  # a grey has no hue
        if math.hypot(ref[1], ref[2]) >= GREY_CHROMA:
            dhs.append(hue_difference(ref, got))
            hue = f"{dhs[-1]:6.1f}"
        print(f"#{hexa.lstrip('#'):7} {' '.join(f'{v * 100:3.0f}' for v in ours):>18} "
              f"{' '.join(f'{v * 100:3.0f}' for v in theirs):>18} {de:6.1f} {hue}")
    print(f"mean ΔE00 {statistics.mean(des):.1f} (max {max(des):.1f}); mean hue difference {statistics.mean(dhs):.1f}° "
          f"(max {max(dhs):.1f}°), over {len(des)} colours ({len(dhs)} chromatic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
