"""SVG text on a card: drawn as outlines of the theme's fonts (never a base-14 font), where a reference
renderer (resvg, given the same fonts) draws it, in the colours of the output (CMYK converted)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import resvg_py
from conftest import GOOD, ROOT
from PIL import Image, ImageChops
from reportlab.lib.rl_accel import fp_str

from deckgen.cli.main import main
from deckgen.design.color import rgb_to_cmyk

MM = 72 / 25.4
DPI = 300
# the theme's image box: 55 × 20 mm at (4 mm, 41 mm) of a poker card; the SVG's viewBox has its shape
THEME = """\
extends: classic
front:
  picture: {type: image, src: "{image}", x: 4mm, y: 41mm, w: 55mm, h: 20mm}
  summary: {y: 62mm, h: 100% - 72mm}
"""
SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 110 40">
  <g transform="translate(4 0)">
    <text x="20" y="30" text-anchor="middle" font-family="Helvetica, sans-serif" font-size="28"
          fill="#1B9E77">42</text>
  </g>
  <text x="104" y="20" text-anchor="end" dominant-baseline="central" font-size="20"><tspan
        font-weight="bold" fill="#7570B3">Été</tspan></text>
</svg>
"""
BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}
BODY = [str(ROOT / "fonts" / f"NotoSans-{s}.ttf") for s in ("Regular", "Bold")]


def _deck(folder: Path, svg: str = SVG) -> Path:
    (folder / "theme.yaml").write_text(THEME, encoding="utf-8")
    (folder / "words.svg").write_text(svg, encoding="utf-8")
    text = GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: theme.yaml\n")
    text = text.replace("    summary: Un résumé court.\n", "    summary: Un résumé court.\n    image: words.svg\n")
    deck = folder / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("svgtext")
    deck = _deck(folder)
    out = {}
    for name, extra in (("rgb", []), ("cmyk", ["--color", "cmyk"])):
        out[name] = folder / f"{name}.pdf"
        assert main(["build", str(deck), "-o", str(out[name]), "--profile", "shop", *extra]) == 0
    return out


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font of the first page and of the forms it draws."""
    found, todo = [], [pdf.pages[0].Resources]
    while todo:
        res = todo.pop()
        found += list(res.get("/Font", {}).values())
        todo += [x.Resources for x in res.get("/XObject", {}).values() if x.Subtype == "/Form" and "/Resources" in x]
    return found


def _content(pdf: pikepdf.Pdf) -> str:
    out, todo = [pdf.pages[0].Contents.read_bytes()], list(pdf.pages[0].Resources.get("/XObject", {}).values())
    while todo:
        x = todo.pop()
        if x.Subtype == "/Form":
            out.append(x.read_bytes())
            todo += list(x.get("/Resources", {}).get("/XObject", {}).values())
    return b"\n".join(out).decode("latin-1")


def test_no_base14_font_and_every_font_embedded(built):
    with pikepdf.open(built["rgb"]) as pdf:
        fonts = _fonts(pdf)
        assert fonts  # the card's own text
        for font in fonts:
            name = str(font.BaseFont)[1:].split("+")[-1]
            assert name not in BASE14
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant.FontDescriptor


def _ink(image: Image.Image, rgb: tuple[int, int, int]) -> tuple[tuple[float, float, float, float], int]:
    """The bounding box (mm, in the image) and count of the pixels near a colour."""
    diff = ImageChops.difference(image.convert("RGB"), Image.new("RGB", image.size, rgb))
    near = [band.point(lambda v: 255 if v < 25 else 0) for band in diff.split()]
    mask = ImageChops.multiply(ImageChops.multiply(near[0], near[1]), near[2])
    box = mask.getbbox()
    assert box is not None
    mm = 25.4 / DPI
    return (box[0] * mm, box[1] * mm, box[2] * mm, box[3] * mm), mask.histogram()[255]


def test_the_text_is_drawn_where_and_as_resvg_draws_it_with_the_same_fonts(built):
    page = pdfium.PdfDocument(built["rgb"])[0].render(scale=DPI / 72).to_pil()
    bleed = 3  # mm: the shop profile's page is the card with 3 mm of bleed
    px = DPI / 25.4
    left, top = round((bleed + 4) * px), round((bleed + 41) * px)
    ours = page.crop((left, top, left + round(55 * px), top + round(20 * px)))
    ref = Image.open(io.BytesIO(resvg_py.svg_to_bytes(
        svg_string=SVG, width=round(55 * px), background="white", skip_system_fonts=True, font_files=BODY,
        font_family="Noto Sans", sans_serif_family="Noto Sans")))
    for color in ((0x1B, 0x9E, 0x77), (0x75, 0x70, 0xB3)):
        (box, n), (ref_box, ref_n) = _ink(ours, color), _ink(ref, color)
        assert box == pytest.approx(ref_box, abs=0.15)  # mm
        assert n == pytest.approx(ref_n, rel=0.05)  # the same glyph shapes cover as much
    green, _ = _ink(ours, (0x1B, 0x9E, 0x77))
    assert (green[0] + green[2]) / 2 == pytest.approx(12, abs=0.3)  # "42" centred on x = 24 (0.5 mm a unit)
    assert green[3] == pytest.approx(15, abs=0.1)  # on its baseline, y = 30


def test_svg_text_colours_are_converted_to_cmyk(built):
    with pikepdf.open(built["cmyk"]) as pdf:
        content = _content(pdf)
    for rgb in ((0x1B, 0x9E, 0x77), (0x75, 0x70, 0xB3)):
        assert fp_str(*rgb_to_cmyk(tuple(v / 255 for v in rgb))) + " k" in content
    assert not re.search(r"\brg\b|\bRG\b", content)


@pytest.mark.parametrize("body, words", [
    ('<text x="1" y="5"><textPath href="#p">Hi</textPath></text>', "text on a path (<textPath>) is not supported"),
    ('<text x="1" y="5" writing-mode="tb">Hi</text>', "vertical or right-to-left writing"),
    ('<text x="1" y="5">Hi \u6f22</text>', "no font has a glyph for '\u6f22' (U+6F22)"),
])
def test_unsupported_text_is_one_line_at_the_svg_line(tmp_path, capsys, body, words):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 110 40">\n\n{body}\n</svg>'
    out = tmp_path / "out.pdf"
    code = main(["build", str(_deck(tmp_path, svg)), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    lines = [line for line in err.splitlines() if "words.svg" in line]
    assert len(lines) == 1 and re.search(r"words\.svg:3: cards\[0\]\.image: .*" + re.escape(words), lines[0]), err
    assert "Traceback" not in err
