"""Images on cards and families: PNG and JPEG drawn, problems at their deck line, 300 ppi, the deck's folder."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pikepdf
import pytest
from conftest import GOOD
from PIL import Image

from deckgen.cli.main import main

THEME = """\
extends: classic
front:
  icon: {type: image, src: "{family.image}", x: 100% - 12mm, y: 14mm, w: 8mm, h: 8mm}
  picture: {type: image, src: "{image}", x: 4mm, y: 41mm, w: 100% - 8mm, h: 20mm, fit: cover}
  summary: {y: 62mm, h: 100% - 72mm}
"""


def make_deck(folder: Path, card_image: str | None = "pic.jpg", family_image: str | None = "icon.png",
              theme: str = THEME) -> Path:
    (folder / "theme.yaml").write_text(theme, encoding="utf-8")
    text = GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: theme.yaml\n")
    if family_image:
        text = text.replace('    color: "#E4572E"\n', f'    color: "#E4572E"\n    image: {family_image}\n')
    if card_image:
        summary = "    summary: Un résumé court.\n"
        text = text.replace(summary, f"{summary}    image: {card_image}\n")
    deck = folder / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


@pytest.fixture
def pictures(tmp_path):
    Image.new("RGB", (800, 300), (30, 120, 200)).save(tmp_path / "pic.jpg", quality=90)
    Image.new("RGBA", (300, 300), (200, 40, 40, 255)).save(tmp_path / "icon.png")
    return tmp_path


def run(deck: Path, capsys, *extra: str) -> tuple[int, str, Path]:
    out = deck.parent / "out.pdf"
    code = main(["build", str(deck), "-o", str(out), *extra])
    return code, capsys.readouterr().err, out


def test_png_and_jpeg_are_drawn(pictures, capsys):
    code, err, out = run(make_deck(pictures), capsys)
    assert code == 0, err
    assert "warning" not in err
    with pikepdf.open(out) as pdf:
        xobjects = pdf.pages[0].Resources.XObject
        kinds = sorted(str(x.Filter) if "/Filter" in x else "" for x in xobjects.values())
        sizes = sorted((int(x.Width), int(x.Height)) for x in xobjects.values())
    assert sizes == [(300, 300), (800, 300)]
    assert any("/DCTDecode" in k for k in kinds)  # the JPEG is embedded as JPEG


def test_cover_fills_its_box_and_is_clipped(pictures, tmp_path):
    """A 8:3 picture in a 55 × 20 mm box, fit: cover — the whole box is blue, nothing spills around it."""
    import pypdfium2 as pdfium

    from deckgen.pipeline.prepare import Options, prepare
    from deckgen.pipeline.preview import write_previews

    prep = prepare(make_deck(pictures), Options())
    write_previews(prep, tmp_path / "pv", dpi=100)
    im = Image.open(tmp_path / "pv" / "one-front.png").convert("RGB")
    px = lambda mm_x, mm_y: im.getpixel((round(mm_x / 25.4 * 100), round(mm_y / 25.4 * 100)))  # noqa: E731
    assert px(5, 42) == pytest.approx((30, 120, 200), abs=12)  # corners of the box
    assert px(58, 60) == pytest.approx((30, 120, 200), abs=12)
    assert px(31.5, 40) == (255, 255, 255)  # just above the box and below the band
    assert pdfium  # rendered by pypdfium2


def test_missing_image_is_an_error_at_its_line(pictures, capsys):
    code, err, out = run(make_deck(pictures, card_image="nope.png"), capsys)
    assert code == 1
    assert re.search(r"deck\.yaml:15: cards\[0\]\.image: image 'nope\.png' not found", err), err
    code, err, _ = run(make_deck(pictures, family_image="gone.png"), capsys)
    assert code == 1
    assert re.search(r"deck\.yaml:9: families\[0\]\.image: image 'gone\.png' not found", err), err


def test_low_resolution_warns(pictures, capsys):
    Image.new("RGB", (40, 40), (0, 0, 0)).save(pictures / "tiny.png")
    code, err, _ = run(make_deck(pictures, family_image="tiny.png"), capsys)
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, err  # once per image, not once per card
    assert re.search(r"deck\.yaml:9: families\[0\]\.image: image 'tiny\.png' prints at 127 ppi, below 300 ppi "
                     r"\(40×40 px in a 8×8 mm box\) — use 94×94 px or more", warnings[0]), warnings


def test_outside_the_deck_folder_is_refused_unless_allowed(tmp_path, capsys):
    deck_dir = tmp_path / "deck"
    deck_dir.mkdir()
    Image.new("RGB", (300, 300), (0, 0, 0)).save(tmp_path / "outside.png")
    deck = make_deck(deck_dir, card_image=None, family_image="../outside.png")
    code, err, out = run(deck, capsys)
    assert code == 1 and not out.exists()
    assert re.search(r"deck\.yaml:9: families\[0\]\.image: image '\.\./outside\.png' is outside the deck's folder "
                     r"— move it next to the deck, or build with --allow-outside", err), err
    code, err, out = run(deck, capsys, "--allow-outside")
    assert code == 0, err


def test_an_svg_without_size_and_non_images_are_refused(pictures, capsys):
    (pictures / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (pictures / "fake.png").write_text("not an image", encoding="utf-8")
    code, err, _ = run(make_deck(pictures, family_image="logo.svg"), capsys)
    assert code == 1 and re.search(r"logo\.svg:1: families\[0\]\.image: the SVG has no size", err), err
    code, err, _ = run(make_deck(pictures, family_image="fake.png"), capsys)
    assert code == 1 and "not a PNG, JPEG or SVG image: 'fake.png'" in err


def test_theme_image_is_found_next_to_the_theme(tmp_path, capsys):
    theme_dir = tmp_path / "look"
    theme_dir.mkdir()
    Image.new("RGB", (600, 600), (0, 90, 0)).save(theme_dir / "logo.png")
    (theme_dir / "theme.yaml").write_text(textwrap.dedent("""\
        extends: classic
        back:
          logo: {type: image, src: logo.png, x: 100% - 14mm, y: 4mm, w: 10mm, h: 10mm}
          ghost: {type: image, src: ghost.png, x: 0, y: 0, w: 1mm, h: 1mm}
        """), encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: look/theme.yaml\n"), encoding="utf-8")
    code, err, _ = run(deck, capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and re.search(r"look/theme\.yaml:4: back\.ghost: image 'ghost\.png' not found", lines[0])
    (theme_dir / "theme.yaml").write_text(
        (theme_dir / "theme.yaml").read_text(encoding="utf-8").replace("  ghost:", "  # ghost:"), encoding="utf-8")
    code, err, out = run(deck, capsys)
    assert code == 0, err
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages[1].Resources.XObject) == 1


def test_no_output_replaces_an_image_the_build_reads(pictures, capsys, monkeypatch):
    """`-o pic.jpg`, or previews into the folder where a card's own image is called ID-front.png: exit 2."""
    (pictures / "pic.jpg").rename(pictures / "one-front.png")
    deck = make_deck(pictures, card_image="one-front.png")
    image = (pictures / "one-front.png").read_bytes()
    monkeypatch.chdir(pictures)
    assert main(["build", "deck.yaml", "-o", "icon.png"]) == 2
    assert main(["preview", str(deck), "-o", "."]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["deckgen build: error: -o icon.png would overwrite the image icon.png, which this command reads: "
                   "choose another output",
                   "deckgen preview: error: -o . would overwrite the image one-front.png, which this command reads: "
                   "choose another output"]
    assert (pictures / "one-front.png").read_bytes() == image
    assert not list(pictures.glob("*-back.png")) and not (pictures / "contact-sheet.png").exists()


def test_images_are_checked_even_when_the_theme_does_not_draw_them(pictures, capsys):
    plain = "extends: classic\n"
    code, err, out = run(make_deck(pictures, card_image="nope.png", theme=plain), capsys)
    assert code == 1 and not out.exists()
    assert re.search(r"deck\.yaml:15: cards\[0\]\.image: image 'nope\.png' not found", err), err
    Image.new("RGB", (300, 300), (0, 0, 0)).save(pictures.parent / "outside.png")
    code, err, _ = run(make_deck(pictures, family_image="../outside.png", theme=plain), capsys)
    assert code == 1
    assert re.search(r"deck\.yaml:9: families\[0\]\.image: image '\.\./outside\.png' is outside the deck's folder",
                     err), err
    code, err, _ = run(make_deck(pictures, theme=plain), capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "shows no card or family image; 2 images of the deck will not be printed" \
        in warnings[0], err
