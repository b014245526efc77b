"""SVG images, icons by name and inline icons, read back from the PDFs that `deckgen build` writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import GOOD
from reportlab.lib.rl_accel import fp_str

from deckgen.cli.main import main
from deckgen.design.color import rgb_to_cmyk

DRAWING = Path(__file__).parents[1] / "deck" / "data" / "drawing.svg"
THEME = """\
extends: classic
front:
  picture: {type: image, src: "{image}", x: 4mm, y: 41mm, w: 100% - 8mm, h: 20mm}
  summary: {y: 62mm, h: 100% - 72mm}
"""


def make_deck(folder: Path, text: str = GOOD, theme: str | None = THEME, image: str | None = "drawing.svg") -> Path:
    if theme:
        (folder / "theme.yaml").write_text(theme, encoding="utf-8")
        text = text.replace("  lang: fr\n", "  lang: fr\n  theme: theme.yaml\n")
    if image:
        shutil.copy(DRAWING, folder / "drawing.svg")
        summary = "    summary: Un résumé court.\n"
        text = text.replace(summary, f"{summary}    image: {image}\n")
    deck = folder / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


def run(deck: Path, capsys, *extra: str, out: str = "out.pdf") -> tuple[int, str, Path]:
    path = deck.parent / out
    code = main(["build", str(deck), "-o", str(path), *extra])
    return code, capsys.readouterr().err, path


def streams(pdf: pikepdf.Pdf, page: int = 0) -> str:
    """A page's content with the content of the forms it draws (card sides drawn more than once)."""
    p = pdf.pages[page]
    out = [p.Contents.read_bytes().decode("latin-1")] if "/Contents" in p else []
    todo = list(p.Resources.get("/XObject", {}).values())
    while todo:
        x = todo.pop()
        if x.Subtype == "/Form":
            out.append(x.read_bytes().decode("latin-1"))
            todo += list(x.get("/Resources", {}).get("/XObject", {}).values())
    return "\n".join(out)


def images(pdf: pikepdf.Pdf, page: int = 0) -> list[tuple[int, int]]:
    found, todo = [], list(pdf.pages[page].Resources.get("/XObject", {}).values())
    while todo:
        x = todo.pop()
        if x.Subtype == "/Image":
            found.append((int(x.Width), int(x.Height)))
        else:
            todo += list(x.get("/Resources", {}).get("/XObject", {}).values())
    return found


# -- SVG images ------------------------------------------------------------------------------------------------

def test_an_svg_image_is_drawn_as_paths(tmp_path, capsys):
    code, err, out = run(make_deck(tmp_path), capsys, "--profile", "shop")
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        content = streams(pdf)
        assert images(pdf) == [(16, 8)]  # only the bitmap the SVG embeds; the rest are vectors
    assert ".894118 .341176 .180392 rg" in content  # the frame's #E4572E, as a fill colour
    assert len(re.findall(r" c\b", content)) >= 20  # its curves


def test_svg_colours_are_converted_to_cmyk(tmp_path, capsys):
    code, err, out = run(make_deck(tmp_path), capsys, "--profile", "shop", "--color", "cmyk")
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        content = streams(pdf)
    cmyk = rgb_to_cmyk((0xE4 / 255, 0x57 / 255, 0x2E / 255))
    assert fp_str(*cmyk) + " k" in content  # the frame's #E4572E, converted as every other colour
    assert not re.search(r"\brg\b|\bRG\b", content)  # no RGB colour left


def test_svg_transparency_is_refused_for_pdfx_at_its_line(tmp_path, capsys):
    deck = make_deck(tmp_path)
    svg = tmp_path / "drawing.svg"
    svg.write_text(svg.read_text().replace('fill="gold"', 'fill="gold" opacity="0.5"'), encoding="utf-8")
    line = next(i for i, t in enumerate(svg.read_text().splitlines(), 1) if 'opacity="0.5"' in t)
    code, err, out = run(deck, capsys, "--pdfx", out="x.pdf")
    assert code == 1 and not out.exists()
    assert re.search(rf"drawing\.svg:{line}: .*PDF/X-1a", err), err
    code, err, _ = run(deck, capsys)  # an ordinary PDF may have transparency
    assert code == 0, err


@pytest.mark.parametrize("body, words", [
    ('<image href="file:///etc/passwd" width="4" height="4"/>', "may not read other files"),
    ('<text x="1" y="5"><textPath href="#p">Hi</textPath></text>', "text on a path"),
])
def test_a_refused_svg_names_its_file_and_line_and_writes_nothing(tmp_path, capsys, body, words):
    deck = make_deck(tmp_path)
    (tmp_path / "drawing.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n\n{body}\n'
                                          "</svg>", encoding="utf-8")
    code, err, out = run(deck, capsys)
    assert code == 1 and not out.exists()
    assert re.search(r"drawing\.svg:3: cards\[0\]\.image: .*" + re.escape(words), err), err
    assert "Traceback" not in err


# -- icons by name ---------------------------------------------------------------------------------------------

ICON_DECK = GOOD.replace('    color: "#E4572E"\n', '    color: "#E4572E"\n    icon: rocket\n')


def test_an_unknown_icon_is_an_error_at_its_line_with_a_suggestion(tmp_path, capsys):
    deck = make_deck(tmp_path, ICON_DECK.replace("icon: rocket", "icon: rokcet"), theme=None, image=None)
    code, err, out = run(deck, capsys)
    assert code == 1 and not out.exists()
    assert "deck.yaml:8: families[0].icon: unknown icon 'rokcet' — did you mean 'rocket'" in err


def _paths_in(pdf_path: Path, page: int, box: tuple[float, float, float, float]) -> int:
    """How many path objects lie inside the box (x0, y0, x1, y1 in points) of a page, forms included."""
    doc = pdfium.PdfDocument(pdf_path)
    x0, y0, x1, y1 = box
    n = 0
    for obj in doc[page].get_objects(max_depth=8):
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            n += left >= x0 - 0.5 and bottom >= y0 - 0.5 and right <= x1 + 0.5 and top <= y1 + 0.5
    return n


def test_the_family_icon_is_where_the_theme_puts_it(tmp_path, capsys):
    theme = ('extends: classic\nfront:\n'
             '  badge: {type: icon, icon: "{family.icon}", x: 40mm, y: 50mm, w: 10mm, h: 10mm}\n')
    code, err, out = run(make_deck(tmp_path, ICON_DECK, theme=theme, image=None), capsys, "--profile", "shop")
    assert code == 0, err
    mm = 72 / 25.4
    bleed = 3 * mm  # shop pages: the card inside 3 mm of bleed; y from the page's bottom
    box = (bleed + 40 * mm, bleed + (88 - 60) * mm, bleed + 50 * mm, bleed + (88 - 50) * mm)
    assert _paths_in(out, 0, box) == 4  # rocket: four paths
    assert _paths_in(out, 2, box) == 4  # the second card, same family
    with pikepdf.open(out) as pdf:
        assert images(pdf) == []


# -- inline icons ------------------------------------------------------------------------------------------------

def _word_x(pdf: Path, word: str) -> float:
    doc = pdfium.PdfDocument(pdf)
    text = doc[0].get_textpage()
    all_text = text.get_text_range()
    i = all_text.index(word)
    return text.get_charbox(i)[0]


def test_an_inline_icon_takes_room_and_shifts_the_words_after_it(tmp_path, capsys):
    plain = make_deck(tmp_path, GOOD.replace("Un résumé court.", "Lancer la fusée demain."), theme=None, image=None)
    code, err, before = run(plain, capsys, "--profile", "shop", out="plain.pdf")
    assert code == 0, err
    iconic = make_deck(tmp_path, GOOD.replace("Un résumé court.", '"Lancer :rocket: la fusée demain."'),
                       theme=None, image=None)
    code, err, after = run(iconic, capsys, "--profile", "shop", out="icon.pdf")
    assert code == 0, err
    shift = _word_x(after, "la fusée") - _word_x(before, "la fusée")
    size = 10.5  # classic's summary size
    assert shift == pytest.approx(size + 2.7, abs=1.5)  # one em for the icon and a space after it
    with pikepdf.open(after) as pdf:
        assert images(pdf) == []


def test_a_colon_word_that_is_no_icon_stays_text_and_the_escape_prints_the_name(tmp_path, capsys):
    deck = make_deck(tmp_path, GOOD.replace("Un résumé court.", "'À 10:30:45, :pasuneicone: et ::rocket:'"),
                     theme=None, image=None)
    code, err, out = run(deck, capsys, "--profile", "shop")
    assert code == 0, err
    text = pdfium.PdfDocument(out)[0].get_textpage().get_text_range()
    assert ":pasuneicone:" in text and ":rocket:" in text and "10:30:45" in text


def test_icons_command_lists_matching_names(capsys):
    assert main(["icons", "rocket"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "rocket" and "Lucide" in out


def test_rebuilds_are_byte_identical(tmp_path, capsys):
    deck = make_deck(tmp_path, ICON_DECK.replace("Un résumé court.", '"Go :rocket: now"'))
    code, err, first = run(deck, capsys, out="a.pdf")
    assert code == 0, err
    code, err, second = run(deck, capsys, out="b.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_the_handout_draws_inline_icons_too(tmp_path, capsys):
    deck = make_deck(tmp_path, GOOD.replace("Un résumé court.", '"Lancer :rocket: la fusée"'), theme=None, image=None)
    out = tmp_path / "handout.pdf"
    assert main(["handout", str(deck), "-o", str(out)]) == 0, capsys.readouterr().err
    page = pdfium.PdfDocument(out)[0]
    assert ":rocket:" not in page.get_textpage().get_text_range()
    rocket = [o for o in page.get_objects(max_depth=8) if o.type == pdfium.raw.FPDF_PAGEOBJ_PATH
              and (o.get_bounds()[2] - o.get_bounds()[0]) < 12]  # the icon's four small paths
    assert len(rocket) >= 4
