"""SVG drawn as PDF vectors: the same picture as resvg (a reference renderer) draws, paths in the content stream."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
import resvg_py  # the reference renderer (a test dependency, MIT)
from PIL import Image, ImageChops
from reportlab.pdfgen.canvas import Canvas

from deckgen.deck.icons import icon_art, names
from deckgen.deck.svg.parse import Art, parse_svg, recolor
from deckgen.output.svg import draw_art

DRAWING = Path(__file__).parents[1] / "deck" / "data" / "drawing.svg"


class _Ink:
    cmyk = False

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas

    def fill(self, rgb):
        self.canvas.setFillColorRGB(*rgb)

    def stroke(self, rgb):
        self.canvas.setStrokeColorRGB(*rgb)


def _pdf(art: Art, w: float, h: float) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(w, h), invariant=1)
    draw_art(canvas, art, (0, 0, w, h), "contain", _Ink(canvas), {})
    canvas.save()
    return buf.getvalue()


def _differs(ours: Image.Image, ref: Image.Image) -> float:
    """The share of pixels that differ by more than anti-aliasing does."""
    diff = ImageChops.difference(ours.convert("L"), ref.convert("L"))
    return sum(1 for v in diff.get_flattened_data() if v > 100) / (diff.width * diff.height)


def _reference(svg: str, width: int) -> Image.Image:
    for key in ("width", "height"):  # resvg sizes it by width=
        svg = re.sub(rf'<svg([^>]*?)\s{key}="[^"]*"', r"<svg\1", svg, count=1)
    return Image.open(io.BytesIO(resvg_py.svg_to_bytes(svg_string=svg, width=width, background="white")))


def test_a_drawing_looks_as_resvg_draws_it():
    data = DRAWING.read_bytes()
    art = parse_svg(data)
    pdf = _pdf(art, 600, 400)
    ours = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil()
    assert _differs(ours, _reference(data.decode(), 600)) < 0.002


def test_vectors_in_the_content_stream_and_the_bitmap_as_its_only_image():
    pdf = pikepdf.open(io.BytesIO(_pdf(parse_svg(DRAWING.read_bytes()), 600, 400)))
    page = pdf.pages[0]
    content = page.Contents.read_bytes().decode("latin-1")
    assert content.count(" c ") + content.count(" c\n") >= 20  # the leaf, circle, ellipse, arc: cubic curves
    assert " f*" in content  # the frame with a hole: even-odd fill
    images = [k for k, v in page.Resources.get("/XObject", {}).items() if v.Subtype == "/Image"]
    assert len(images) == 1 and page.Resources.XObject[images[0]].Width == 16  # the embedded 16 × 8 bitmap


@pytest.mark.parametrize("name", names()[::97])
def test_icons_look_as_resvg_draws_them(name):
    art = recolor(icon_art(name), (0.0, 0.0, 0.0))
    ours = pypdfium2.PdfDocument(_pdf(art, 96, 96))[0].render(scale=1).to_pil()
    from deckgen.deck.icons import _set

    s = _set()
    attrs = " ".join(f'{k}="{v}"' for k, v in s["root"].items())
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{s["icons"][name]}</svg>'
    pdf = pikepdf.open(io.BytesIO(_pdf(art, 96, 96)))
    assert "/XObject" not in pdf.pages[0].Resources  # no image: vectors only
    assert _differs(ours, _reference(svg.replace("currentColor", "black"), 96)) < 0.002


TEXT = """\
<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     viewBox="0 0 100 50">
  <text xml:space="preserve" style="font-size:10.5833px;line-height:1.25;font-family:sans-serif;
        -inkscape-font-specification:'sans-serif, Normal';font-variant-ligatures:normal;writing-mode:lr-tb;
        text-anchor:start;fill:#000000;stroke:none" x="8" y="18"><tspan sodipodi:role="line" x="8" y="18"
        >Hello world</tspan><tspan sodipodi:role="line" style="font-weight:bold;fill:#aa0000" x="8" y="31.2"
        >Ça va ? ≥ 3 ✓</tspan></text>
  <g transform="rotate(-8 80 40)"><text x="92" y="44" text-anchor="end" font-style="italic" font-size="7"
        >«&#160;Été&#160;»</text></g>
</svg>
"""


def test_text_looks_as_resvg_draws_it_with_the_same_fonts():
    from deckgen.output.fonts import FALLBACK_FONTS, PACKAGE_FONTS, FontBook
    from deckgen.pipeline.assets import svg_fonts

    art = parse_svg(TEXT.encode(), fonts=svg_fonts(FontBook({}, [])))
    pdf = _pdf(art, 400, 200)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert not re.search(rb"T[jJ]\b", doc.pages[0].Contents.read_bytes())  # outlines: no text shown
    ours = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil()
    files = [str(p) for p in PACKAGE_FONTS.glob("NotoSans-*.ttf")] + [str(PACKAGE_FONTS / f) for f in FALLBACK_FONTS]
    ref = Image.open(io.BytesIO(resvg_py.svg_to_bytes(
        svg_string=TEXT, width=400, background="white", skip_system_fonts=True, font_files=files,
        font_family="Noto Sans", sans_serif_family="Noto Sans")))
    assert _differs(ours, ref) < 0.002
