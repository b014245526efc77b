"""Symbols and emoji: glyphs a theme's font lacks come from deckgen's fallback fonts, measured and embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import build
from fontTools.ttLib import TTFont

from deckgen.design.theme_model import FontFamily
from deckgen.output.fonts import PACKAGE_FONTS, FontBook

DECK = """\
deck:
  title: Symboles
  lang: fr
families:
  - {id: outils, name: Outils ✓, color: "#3B4A6B"}
cards:
  - id: fusee
    family: outils
    title: "Fusée 🚀 décolle"
    summary: "Prix ≥ 3 € → ✓ oui, ✗ non, ± 2 °C, № 5, j’❤️ ça"
    body: "⚠ Attention : 1 ≤ x ≤ 2, ★★★"
"""
FALLBACKS = ("NotoSansMath-Regular", "NotoSansSymbols2-Regular", "NotoEmoji-Regular")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("symbols")
    deck = tmp / "deck.yaml"
    deck.write_text(DECK, encoding="utf-8")
    return build(tmp, deck=deck)


def _shown(pdf: Path) -> list[tuple[str, str, float]]:
    """Every string shown on the sheet (front and back): (text, font name, x on the page)."""
    from pypdf import PdfReader

    out: list[tuple[str, str, float]] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001
        if text.strip() and font is not None:
            out.append((text, str(font["/BaseFont"]), tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return out


def test_symbols_and_emoji_come_from_the_fallback_fonts(pdf: Path) -> None:
    shown = _shown(pdf)
    font_of = {ch: font for text, font, _ in shown for ch in text}
    for chars, font in (("≥→≤", "NotoSansMath-Regular"), ("✓✗★⚠❤", "NotoSansSymbols2-Regular"),
                        ("🚀", "NotoEmoji-Regular"), ("±€°№Fusée", "NotoSans")):
        for ch in chars:
            assert re.fullmatch(rf"/[A-Z]{{6}}\+{font}(-Bold|-Regular)?", font_of[ch]), (ch, font_of[ch])
    assert "\ufe0f" not in font_of  # U+FE0F is ignored: never drawn (as a box) nor extracted


def test_the_text_reads_back_with_its_symbols(pdf: Path) -> None:
    from pypdf import PdfReader

    text = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())
    assert "Fusée 🚀 décolle" in text  # the emoji's code point comes back (UTF-16 in the ToUnicode map)
    assert "≥ 3 € → ✓ oui, ✗ non, ± 2 °C, № 5, j’❤ ça" in text


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils, installed by .ci/run)")
def test_pdffonts_lists_the_fallback_fonts_embedded_and_subset(pdf: Path) -> None:
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    for font in FALLBACKS:
        (row,) = [r for r in rows if re.match(rf"[A-Z]{{6}}\+{font}\s", r)]
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, ToUnicode


def test_text_after_an_emoji_starts_where_the_emoji_ends(pdf: Path) -> None:
    """Measuring uses the fallback glyph's own advance: the next character is placed right after it."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    tp = pdfium.PdfDocument(pdf)[0].get_textpage()
    i = tp.get_text_range().index("🚀 décolle")  # no astral character before it: the same index in pdfium
    origins = []
    for k in (i, i + 2):  # pdfium counts the emoji as its two UTF-16 units
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_raw.FPDFText_GetCharOrigin(tp.raw, k, ctypes.byref(x), ctypes.byref(y))
        origins.append(x.value)
    size = pdfium_raw.FPDFText_GetFontSize(tp.raw, i)
    emoji = TTFont(PACKAGE_FONTS / "NotoEmoji-Regular.ttf")
    advance = emoji["hmtx"][emoji.getBestCmap()[0x1F680]][0] / emoji["head"].unitsPerEm * size
    assert origins[1] - origins[0] == pytest.approx(advance, abs=0.01)


def test_the_emoji_is_drawn(pdf: Path) -> None:
    """Rendered, the emoji's box holds ink (a missing glyph would leave it blank or draw an empty box)."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0]
    tp = page.get_textpage()
    x0, y0, x1, y1 = tp.get_charbox(tp.get_text_range().index("🚀"))
    scale = 300 / 72
    img = page.render(scale=scale).to_pil().convert("L")
    top, bottom = img.height - y1 * scale, img.height - y0 * scale
    box = img.crop((int(x0 * scale), int(top), int(x1 * scale) + 1, int(bottom) + 1))
    dark = sum(box.histogram()[:128])
    assert dark > 0.1 * box.width * box.height


WORKSHOP = "← ↑ → ↓ ↔ ⇒ ⇔ ≤ ≥ ± × ÷ ≈ ≠ ∞ √ − ✓ ✔ ✗ ✘ ☐ ☑ ☒ ★ ☆ ● ○ ■ □ ▲ ▼ ◆ ♥ ♦ ♣ ♠ € £ ¥ ° № ™ © ® § ‰ ½ ⚠ ⚡ " \
           "☀ ☁ ☎ ✉ ✂ ✏ ⌛ ⏰ ♻ ⚙ ☺ ♪ ❤ ① ② ❶ ➜ 🚀 😀 👍 💡 📌 🎯 🔥 ✅ ❌"


@pytest.mark.parametrize("font", ["body", "serif"])
@pytest.mark.parametrize("style", ["regular", "bold", "italic", "bolditalic"])
def test_the_shipped_fonts_cover_workshop_symbols(font: str, style: str) -> None:
    serif = FontFamily(regular="NotoSerif-Regular.ttf", bold="NotoSerif-Bold.ttf", italic="NotoSerif-Italic.ttf",
                       bolditalic="NotoSerif-BoldItalic.ttf")
    assert FontBook({"serif": serif}, []).missing(WORKSHOP, font, style) == ""


def test_widths_are_the_fallback_glyphs(tmp_path: Path) -> None:
    fonts = FontBook({}, [])
    sym2 = TTFont(PACKAGE_FONTS / "NotoSansSymbols2-Regular.ttf")
    check = sym2["hmtx"][sym2.getBestCmap()[0x2713]][0] / 1000
    assert fonts.width("✓", "body", "regular", 10) == pytest.approx(10 * check)
    assert fonts.width("a✓b", "body", "bold", 10) == pytest.approx(
        fonts.width("a", "body", "bold", 10) + 10 * check + fonts.width("b", "body", "bold", 10))
    assert fonts.width("❤\ufe0f", "body", "regular", 10) == fonts.width("❤", "body", "regular", 10)
    assert fonts.missing("✓ 🚀 ≥ ❤\ufe0f", "body", "regular") == ""
    assert fonts.missing("東 ✓ 京", "body", "regular") == "東京"


def test_a_deck_without_symbols_embeds_no_fallback_font(tmp_path: Path) -> None:
    deck = tmp_path / "plain.yaml"
    deck.write_text(DECK.replace("Fusée 🚀 décolle", "Fusée").replace(" ✓", "").split("    summary")[0],
                    encoding="utf-8")
    fonts = {font for _, font, _ in _shown(build(tmp_path, deck=deck))}
    assert fonts and not any(f in font for f in FALLBACKS for font in fonts)


def test_emoji_sequences_are_refused_with_a_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deckgen.cli.main import main

    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.replace("Fusée 🚀 décolle", "Équipe 👩‍💻 et 👍🏽"), encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    err = capsys.readouterr().err
    assert textwrap.dedent("""\
        deck.yaml:9: cards[0].title: '👩\\u200d💻' (U+1F469 U+200D U+1F4BB) is an emoji ZWJ sequence, which deckgen \
cannot draw yet; '👍🏽' (U+1F44D U+1F3FD) is a skin tone, which deckgen cannot draw yet (card 'fusee', front title) \
— write single emoji""") in err


def test_the_fallback_fonts_subsets_are_tagged_from_their_content(pdf: Path, tmp_path: Path) -> None:
    """Tags such as `IQLWDO+NotoEmoji-Regular` come from the font file and the subset's characters (issue 15),
    not reportlab's AAAAAA, AAAAAB… counter: another deck with the same symbols keeps the symbol fonts' tags."""
    tags = {font.split("+")[1]: font.split("+")[0] for _, font, _ in _shown(pdf)}
    assert all(f in tags for f in FALLBACKS) and len(set(tags.values())) == len(tags), tags
    assert not any(tag.startswith("/AAAA") for tag in tags.values()), tags
    other = tmp_path / "deck.yaml"
    other.write_text(DECK.replace("Fusée", "Navette").replace("Symboles", "Autres"), encoding="utf-8")
    again = {font.split("+")[1]: font.split("+")[0] for _, font, _ in _shown(build(tmp_path, deck=other))}
    assert again["NotoEmoji-Regular"] == tags["NotoEmoji-Regular"]  # same emoji, same subset, same tag
    assert again["NotoSansMath-Regular"] == tags["NotoSansMath-Regular"]
