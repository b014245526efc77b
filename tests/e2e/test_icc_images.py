"""Issue 15, whole builds: bitmaps and SVG colours go through the ICC profile (`--icc`) with the build's intent,
read back from the PDF — every image XObject CMYK, its pixels littleCMS's own conversion of the PNG's pixels,
the SVG's fill the profile's CMYK in the content stream, no RGB image left."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms, ImageDraw

from deckgen.cli.main import main
from deckgen.output.icc import INTENTS

PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common, installed by .ci/run
TEAL, ORANGE, PURPLE = (0x2A, 0x9D, 0x8F), (0xE4, 0x57, 0x2E), (0x7B, 0x2D, 0x8E)
THEME = """\
extends: classic
front:
  picture: {type: image, src: "{image}", x: 4mm, y: 41mm, w: 100% - 8mm, h: 20mm}
  badge: {type: image, src: "{family.image}", x: 4mm, y: 62mm, w: 8mm, h: 8mm}
  summary: {y: 71mm, h: 100% - 80mm}
"""
DECK = """\
deck: {title: ICC, lang: en, theme: theme.yaml}
families:
  - {id: f, name: F, color: "#3FA79A", image: teal.png}
cards:
  - {title: Photo, family: f, image: photo.png}
  - {title: Art, family: f, image: art.svg}
  - {title: Adobe RGB, family: f, image: tagged.png}
  - {title: Adobe RGB with alpha, family: f, image: tagged-alpha.png}
"""
ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")  # libgs-common too
GREEN = (0x20, 0xA0, 0x60)


def transform(intent: str, source: ImageCms.ImageCmsProfile | None = None) -> ImageCms.ImageCmsTransform:
    """sRGB (or `source`) -> the test profile, black point compensation but for absolute: computed here."""
    flags = ImageCms.Flags.NONE if intent == "absolute" else ImageCms.Flags.BLACKPOINTCOMPENSATION
    return ImageCms.buildTransform(source or ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(PROFILE)),
                                   "RGB", "CMYK", renderingIntent=INTENTS[intent], flags=flags)


def photo() -> Image.Image:
    """A photo-like RGB patch, 240 × 96 px: teal and orange blocks over a gradient between them, lighter down."""
    im = Image.new("RGB", (240, 96))
    im.putdata([tuple(round(a + (b - a) * x / 239 + (255 - a - (b - a) * x / 239) * y / 160)
                      for a, b in zip(TEAL, ORANGE, strict=True)) for y in range(96) for x in range(240)])
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 59, 47), fill=TEAL)
    draw.rectangle((180, 0, 239, 47), fill=ORANGE)
    return im


def png(im: Image.Image, **info: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", **info)
    return buf.getvalue()


def svg() -> str:
    """A purple rectangle and an embedded teal bitmap (a data: URI)."""
    data = base64.b64encode(png(Image.new("RGB", (16, 16), TEAL))).decode()
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="20" height="10" '
            f'fill="#7B2D8E"/><image x="20" y="0" width="10" height="10" href="data:image/png;base64,{data}"/></svg>')


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert PROFILE.is_file(), "install Debian's libgs-common (the test CMYK profile), as .ci/run does"
    d = tmp_path_factory.mktemp("icc")
    (d / "theme.yaml").write_text(THEME, encoding="utf-8")
    (d / "deck.yaml").write_text(DECK, encoding="utf-8")
    (d / "photo.png").write_bytes(png(photo()))
    (d / "teal.png").write_bytes(png(Image.new("RGB", (96, 96), TEAL)))
    (d / "art.svg").write_text(svg(), encoding="utf-8")
    tag = ADOBE_RGB.read_bytes()
    (d / "tagged.png").write_bytes(png(Image.new("RGB", (64, 64), GREEN), icc_profile=tag))
    alpha = Image.new("RGBA", (48, 48), (*GREEN, 255))
    alpha.paste((0, 0, 0, 0), (0, 0, 8, 8))
    (d / "tagged-alpha.png").write_bytes(png(alpha, icc_profile=tag))
    return d


BUILDS = {"cmyk": ["--color", "cmyk"], "pdfx": ["--pdfx", "--intent", "perceptual"]}


@pytest.fixture(scope="module")
def built(folder: Path) -> dict[str, Path]:
    out = {}
    for name, args in BUILDS.items():
        out[name] = folder / f"{name}.pdf"
        assert main(["build", str(folder / "deck.yaml"), "-o", str(out[name]), "--icc", str(PROFILE), *args]) == 0
    return out


def intent_of(name: str) -> str:
    args = BUILDS[name]
    return args[args.index("--intent") + 1] if "--intent" in args else "relative"


def image_xobjects(path: Path) -> list[tuple[str, Image.Image]]:
    """(colour space, decoded pixels) of every image XObject in the file."""
    with pikepdf.open(path) as pdf:
        found = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                space = obj.get("/ColorSpace")
                if isinstance(space, pikepdf.Array):  # [/ICCBased stream]: CMYK when N is 4
                    space = pikepdf.Name(f"/ICCBased{int(space[1].N)}")
                if "/Mask" in obj:  # a colour key (transparency in PDF/X-1a): the pixels as stored
                    del obj["/Mask"]
                found.append((str(space), pikepdf.PdfImage(obj).as_pil_image()))
        return found


def most_different(a: Image.Image, b: Image.Image) -> int:
    assert a.mode == b.mode == "CMYK" and a.size == b.size
    return max(abs(p - q) for p, q in zip(a.tobytes(), b.tobytes(), strict=True))


@pytest.mark.parametrize("name", BUILDS)
def test_every_bitmap_is_cmyk_and_littlecms_own_conversion_through_the_profile(built: dict[str, Path],
                                                                               name: str) -> None:
    images = image_xobjects(built[name])
    assert images and all(space in ("/DeviceCMYK", "/ICCBased4") for space, _ in images), \
        [space for space, _ in images]  # no RGB image remains
    expected = ImageCms.applyTransform(photo(), transform(intent_of(name)))
    raw = expected.tobytes()
    assert max(sum(raw[i:i + 4]) for i in range(0, len(raw), 4)) <= 3 * 255  # under the 300 % cap: nothing scaled
    photos = [im for _, im in images if im.size == expected.size]
    assert len(photos) == 1
    assert most_different(photos[0], expected) <= 2
    teal = ImageCms.applyTransform(Image.new("RGB", (1, 1), TEAL), transform(intent_of(name))).getpixel((0, 0))
    squares = [im for _, im in images if im.size in ((96, 96), (16, 16))]  # the family's and the SVG's bitmaps
    assert len(squares) == 2
    for im in squares:
        assert most_different(im, Image.new("CMYK", im.size, teal)) <= 2


def fills(path: Path) -> set[tuple[float, ...]]:
    """Every `k` (CMYK fill) of the pages and of the forms they draw."""
    with pikepdf.open(path) as pdf:
        holders = [p.obj for p in pdf.pages] + [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                                                 and o.get("/Subtype") == pikepdf.Name.Form]
        return {tuple(float(v) for v in operands) for h in holders
                for operands, op in pikepdf.parse_content_stream(h) if str(op) == "k"}


@pytest.mark.parametrize("name", BUILDS)
def test_an_svg_fill_goes_through_the_profile_with_the_builds_intent(built: dict[str, Path], name: str) -> None:
    px = ImageCms.applyTransform(Image.new("RGB", (1, 1), PURPLE), transform(intent_of(name))).getpixel((0, 0))
    expected = tuple(v / 255 for v in px)
    assert any(max(abs(a - b) for a, b in zip(f, expected, strict=True)) <= 1.5 / 255 for f in fills(built[name])), \
        (expected, sorted(fills(built[name])))


@pytest.mark.parametrize("name", BUILDS)
def test_a_bitmap_in_adobe_rgb_goes_through_its_own_profile_not_srgb(built: dict[str, Path], name: str) -> None:
    """A camera's Adobe RGB (or a phone's Display P3) photo carries its profile: its numbers are not sRGB's."""
    tagged = transform(intent_of(name), ImageCms.ImageCmsProfile(str(ADOBE_RGB)))
    green = ImageCms.applyTransform(Image.new("RGB", (1, 1), GREEN), tagged).getpixel((0, 0))
    as_srgb = ImageCms.applyTransform(Image.new("RGB", (1, 1), GREEN), transform(intent_of(name))).getpixel((0, 0))
    assert max(abs(a - b) for a, b in zip(green, as_srgb, strict=True)) > 20  # so that the test tells them apart
    images = {im.size: im for _, im in image_xobjects(built[name])}
    assert most_different(images[(64, 64)], Image.new("CMYK", (64, 64), green)) <= 2
    opaque = images[(48, 48)].crop((8, 8, 48, 48))  # the transparent corner is the colour key's
    assert most_different(opaque, Image.new("CMYK", opaque.size, green)) <= 2
