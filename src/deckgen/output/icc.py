"""RGB -> CMYK through an ICC output profile: littleCMS (Pillow's ImageCms), for every colour of a print file.

One `Inks` converts a file's vector colours (`cmyk`) and its bitmaps (`image`); SVG colours go through
`cmyk` too. Whatever the profile, neutrals keep the house rules: a grey is black ink only, at the K value
whose lightness through the profile matches the grey's, a near-black (text ink) is solid K 100 %, and the
total ink is capped (`max_ink`, 300 % by default with a profile). Chromatic colours are littleCMS's
conversion, relative colorimetric with black point compensation unless told otherwise, with C, M and Y
scaled down (K kept) when the sum goes over the cap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageCms, ImageFilter, ImageMath

from deckgen.design.color import CMYK, NEAR_BLACK, RGB, TOTAL_INK, cap_ink, grey_of, rgb_to_cmyk
from deckgen.presets import conditions

INTENTS = {
    "perceptual": ImageCms.Intent.PERCEPTUAL,
    "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC,
    "saturation": ImageCms.Intent.SATURATION,
    "absolute": ImageCms.Intent.ABSOLUTE_COLORIMETRIC,
}
MAX_INK_PROFILE = 300.0  # percent: what sheet-fed offset on coated paper takes (FOGRA39 is 330 %)

class ProfileError(ValueError):
    """An ICC profile deckgen cannot print with: missing, broken, or not a CMYK output profile."""


@dataclass(frozen=True)
class OutputProfile:
    """A CMYK output profile read from a file: its bytes (embedded in PDF/X) and what it says it is."""

    path: str
    data: bytes = field(repr=False)
    description: str

    @property
    def condition(self) -> str:
        """The registered printing condition this profile stands for, or "Custom"."""
        key = self.description.strip().lower()
        return next((c.name for c in conditions().values() if key in (p.lower() for p in c.profiles)), "Custom")


def load_profile(path: str | Path) -> OutputProfile:
    """The CMYK output profile in `path`; ProfileError (one line, with a hint) for anything else."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ProfileError(f"{name}: cannot read the ICC profile: {e.strerror or e}") from None
    try:
        if len(data) < 132 or int.from_bytes(data[:4], "big") != len(data):  # the header gives the size
            raise OSError("truncated")
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError):
        raise ProfileError(f"{name}: not an ICC profile (broken or another kind of file) — use the .icc "
                           "file your print shop gives") from None
    space = profile.profile.xcolor_space.strip()
    if space != "CMYK" or profile.profile.device_class != "prtr":
        kind = "output" if profile.profile.device_class == "prtr" else "display or input"
        raise ProfileError(f"{name}: a {kind} profile for {space} colour, not a CMYK output profile — ask the "
                           "print shop for its CMYK profile (FOGRA39, GRACoL, SWOP…)")
    try:
        _transform(data, "relative")
    except (OSError, ImageCms.PyCMSError):
        raise ProfileError(f"{name}: a broken CMYK profile (littleCMS cannot convert to it) — use the .icc "
                           "file your print shop gives") from None
    description = (profile.profile.profile_description or Path(path).stem).strip()
    return OutputProfile(path=name, data=data, description=description)


class Inks(Protocol):
    """How a print file's colours become CMYK: vector colours (0–1) and bitmaps."""

    def cmyk(self, rgb: RGB) -> CMYK: ...

    def image(self, im: Image.Image) -> Image.Image: ...


def inks_for(profile: OutputProfile | None, intent: str = "relative", max_ink: float | None = None) -> Inks:
    """The converter of a file: through `profile` (littleCMS), else the built-in conversion; `max_ink` in
    percent (default 300 with a profile, 240 without)."""
    if profile is None:
        return BuiltinInks(TOTAL_INK if max_ink is None else max_ink / 100)
    return IccInks(profile, intent, (MAX_INK_PROFILE if max_ink is None else max_ink) / 100)


class BuiltinInks:
    """design.color's conversion; bitmaps through a 3D table of the same function (Pillow's own leaves K empty)."""

    def __init__(self, max_ink: float = TOTAL_INK) -> None:
        self.limit = max_ink

    def cmyk(self, rgb: RGB) -> CMYK:
        return rgb_to_cmyk(rgb, self.limit)

    def image(self, im: Image.Image) -> Image.Image:
        """A CMYK copy of a bitmap: its own RGB profile (a camera's Adobe RGB, a phone's Display P3) to sRGB
        first, then the built-in conversion."""
        if im.mode == "CMYK":
            return im
        source = _rgb_profile(im)
        rgb = im.convert("RGB")
        if source is not None:
            rgb = ImageCms.applyTransform(rgb, _to_srgb(source)) or rgb
        return rgb.filter(_builtin_lut(self.limit))


@lru_cache(maxsize=4)
def _builtin_lut(limit: float) -> ImageFilter.Color3DLUT:
    return ImageFilter.Color3DLUT.generate(17, lambda r, g, b: rgb_to_cmyk((r, g, b), limit), channels=4,
                                           target_mode="CMYK")


class IccInks:
    """Colours through one CMYK output profile. Conversions are cached: a deck has few distinct colours."""

    def __init__(self, profile: OutputProfile, intent: str = "relative", max_ink: float = 3.0) -> None:
        self.profile, self.intent, self.limit = profile, intent, max_ink
        self._transform = _transform(profile.data, intent)
        self._k_ramp = _k_lightness(profile.data)
        self._cache: dict[tuple[int, int, int], CMYK] = {}

    def cmyk(self, rgb: RGB) -> CMYK:
        """CMYK (0–1, in steps of 1/1000) for an RGB colour (components 0–1)."""
        r, g, b = (round(min(1.0, max(0.0, v)) * 255) for v in rgb)
        key = (r, g, b)
        if key not in self._cache:
            self._cache[key] = self._convert(key)
        return self._cache[key]

    def _convert(self, rgb8: tuple[int, int, int]) -> CMYK:
        grey = grey_of((rgb8[0] / 255, rgb8[1] / 255, rgb8[2] / 255))
        if grey is not None:
            return (0.0, 0.0, 0.0, 1.0 if grey < NEAR_BLACK else self._k_for(grey))
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb8), self._transform)
        assert pixel is not None
        c, m, y, k = (round(v / 255, 3) for v in pixel.getpixel((0, 0)))  # type: ignore[union-attr]
        return cap_ink((c, m, y, k), self.limit)

    def _k_for(self, grey: float) -> float:
        """The black ink whose lightness through the profile is the grey's (relative to paper and K 100 %)."""
        ramp = self._k_ramp
        target = ramp[-1] + _luminance(grey) * (ramp[0] - ramp[-1])
        for i in range(1, len(ramp)):
            if ramp[i] <= target:
                lo, hi = ramp[i], ramp[i - 1]
                t = (hi - target) / (hi - lo) if hi > lo else 0.0
                return round((i - 1 + t) / (len(ramp) - 1), 3)
        return 1.0

    def image(self, im: Image.Image) -> Image.Image:
        """A CMYK copy of a bitmap through the profile, total ink capped; from the bitmap's own RGB profile when
        it has one (a camera's Adobe RGB, a phone's Display P3), else from sRGB."""
        if im.mode == "CMYK":
            return im
        source = _rgb_profile(im)
        transform = self._transform if source is None else _transform(self.profile.data, self.intent, source)
        out = ImageCms.applyTransform(im.convert("RGB"), transform)
        assert out is not None
        return cap_image_ink(out, self.limit)


def cap_image_ink(im: Image.Image, limit: float) -> Image.Image:
    """A CMYK bitmap with C, M, Y scaled down where a pixel's total ink goes over `limit` (K kept)."""
    lim = round(limit * 255)
    c, m, y, k = im.split()
    if max(a + b + d + e for a, b, d, e in _extremes(im)) <= lim:
        return im

    def scaled(band: Image.Image) -> Image.Image:
        out = ImageMath.lambda_eval(
            lambda a: a["min"](a["v"], a["v"] * a["max"](a["lim"] - a["k"], 0) / a["max"](a["cmy"], 1)),
            v=band.convert("F"), k=k.convert("F"), lim=float(lim),
            cmy=ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"], c=c.convert("F"), m=m.convert("F"),
                                      y=y.convert("F")))
        return out.convert("L")  # type: ignore[no-any-return]

    return Image.merge("CMYK", (scaled(c), scaled(m), scaled(y), k))


def _extremes(im: Image.Image) -> list[tuple[int, int, int, int]]:
    colors = im.getcolors(maxcolors=1 << 16)
    if colors is None:  # a photo: bound by the sum of the bands' maxima, the cheap upper bound
        return [tuple(hi for _, hi in im.getextrema())]  # type: ignore[misc, list-item]
    return [c for _, c in colors]  # type: ignore[misc]


def _luminance(v: float) -> float:
    """sRGB component -> linear light (relative luminance of a grey)."""
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=8)
def _transform(data: bytes, intent: str, source: bytes | None = None) -> ImageCms.ImageCmsTransform:
    """sRGB (or the RGB profile `source`) -> the output profile `data`."""
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if intent != "absolute" else ImageCms.Flags.NONE
    rgb = ImageCms.createProfile("sRGB") if source is None else ImageCms.ImageCmsProfile(io.BytesIO(source))
    return ImageCms.buildTransform(rgb, ImageCms.ImageCmsProfile(io.BytesIO(data)), "RGB", "CMYK",
                                   renderingIntent=INTENTS[intent], flags=flags)


@lru_cache(maxsize=8)
def _to_srgb(source: bytes) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(source)), ImageCms.createProfile("sRGB"),
                                   "RGB", "RGB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=8)
def _usable_rgb(source: bytes) -> bool:
    """Whether an embedded profile is an RGB profile littleCMS can convert from (else the image is taken as sRGB,
    as every viewer does with a broken tag)."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(source))
        if profile.profile.xcolor_space.strip() != "RGB":
            return False
        _to_srgb(source)
        return True
    except (OSError, ImageCms.PyCMSError):
        return False


def _rgb_profile(im: Image.Image) -> bytes | None:
    """The RGB profile a bitmap carries (a PNG's iCCP, a JPEG's APP2), if usable; None for sRGB or none."""
    source = im.info.get("icc_profile")
    return source if isinstance(source, bytes) and source and _usable_rgb(source) else None


@lru_cache(maxsize=8)
def _k_lightness(data: bytes) -> tuple[float, ...]:
    """Relative luminance (Y, 0–1) of black ink alone at K = 0, 1/255 … 1 on the profile's paper."""
    to_lab = ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(data)), ImageCms.createProfile("LAB"),
                                     "CMYK", "LAB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    lab = ImageCms.applyTransform(ramp, to_lab)
    assert lab is not None
    return tuple(_y_of_l(lab.getpixel((k, 0))[0] * 100 / 255) for k in range(256))  # type: ignore[index]


def _y_of_l(lightness: float) -> float:
    f = (lightness + 16) / 116
    return f**3 if f**3 > 0.008856 else (lightness / 903.3)
