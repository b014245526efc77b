"""Themes: every built-in theme builds the reference deck well; extends chains; card sizes; YAML-only edits."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pikepdf
import pytest
from conftest import GOOD, MICRO, MM, assert_every_text, build, decode_qr_pages, localized, normal, text_chunks

from deckgen.cli.main import main
from deckgen.design.ops import TextOp
from deckgen.design.themes import builtin_themes
from deckgen.errors import DeckError
from deckgen.pipeline.prepare import Options, prepare
from deckgen.units import parse_card_size

THEMES = sorted(builtin_themes())


@pytest.fixture(scope="module")
def theme_pdfs(tmp_path_factory):
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            cache[name] = build(tmp_path_factory.mktemp(name), "--theme", name)
        return cache[name]

    return get


def test_themes_lists_name_and_description(capsys):
    assert main(["themes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 3 and len(lines) == len(THEMES)
    for line, name in zip(lines, THEMES, strict=True):
        m = re.fullmatch(r"(\S+)  (\S.+)", line)
        assert m and m.group(1) == name, line
    assert {"classic", "editorial", "ink-saver"} <= set(THEMES)


@pytest.mark.parametrize("theme", THEMES)
def test_builtin_theme_builds_reference_deck_with_every_text_and_qr(theme, theme_pdfs, micro_data):
    pdf = theme_pdfs(theme)
    pages = text_chunks(pdf)
    assert_every_text(pdf, micro_data, f"{theme}: ")
    cards = micro_data["cards"]
    found = decode_qr_pages(pdf, list(range(1, len(pages), 2)))  # the back pages only
    decoded = sorted(code.text for codes in found for code in codes)
    assert decoded == sorted(localized(c["source"]["url"]) for c in cards)


@pytest.mark.parametrize("theme", THEMES)
def test_french_typography_on_the_extracted_lines(theme, theme_pdfs):
    from pypdf import PdfReader

    lines = [line.strip() for page in PdfReader(theme_pdfs(theme)).pages
             for line in page.extract_text().splitlines() if line.strip()]
    assert len(lines) > 300
    bad = [line for line in lines if line[0] in ":;!?»" or line[-1] == "«"]
    assert not bad, bad
    assert sum(" :" in line or "\u00a0:" in line for line in lines) >= 10  # the rule had work to do


def test_ink_saver_has_no_large_solid_area():
    """No filled shape bigger than a small mark (QR modules aside) in the ink-saving theme, legend cards too."""
    prep = prepare(MICRO, Options(theme="ink-saver", legend=True))
    from deckgen.design.ops import RectOp

    assert sum(c.id.startswith("legend-") for c in prep.cards) == 5
    for card in prep.cards:
        for side in (card.front, card.back):
            for op in side.ops:
                if isinstance(op, RectOp) and op.fill is not None and op.fill != (1.0, 1.0, 1.0):
                    assert op.w * op.h <= (3 * MM) ** 2, op


def test_themes_look_clearly_different():
    """Different fonts or different filled areas: no two built-in themes draw the same card."""
    looks = {}
    for name in THEMES:
        prep = prepare(MICRO, Options(theme=name, only=()))
        card = prep.cards[0]
        fonts = tuple(sorted(str(p.name) for p in prep.fonts.files_used()))
        looks[name] = (fonts, tuple(type(op).__name__ for op in card.front.ops))
    assert len(set(looks.values())) == len(looks)
    assert any("Serif" in f for f in looks["editorial"][0])


# ---------------------------------------------------------------- extends

def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def deck_with(folder: Path, theme: str | None = None, text: str = GOOD) -> Path:
    if theme:
        text = text.replace("  lang: fr\n", f"  lang: fr\n  theme: {theme}\n")
    return write(folder, "deck.yaml", text)


def test_extends_changes_only_what_it_says(tmp_path):
    write(tmp_path, "child.yaml", """\
        extends: classic
        colors: {ink: "#000000"}
        front:
          title: {size: 18pt}
          footer: null
        """)
    write(tmp_path, "grandchild.yaml", """\
        extends: child.yaml
        description: three levels
        back:
          body: {min_size: 6.5pt}
        """)
    prep = prepare(deck_with(tmp_path, "grandchild.yaml"), Options())
    theme = prep.theme.theme
    assert theme.description == "three levels" and theme.colors["ink"] == "#000000"
    assert theme.colors["muted"] == builtin_themes_colors()["muted"]  # inherited from classic
    assert theme.front["title"].size == "18pt" and theme.front["title"].font == "title"  # one key changed
    assert "footer" not in theme.front
    assert theme.back["body"].min_size == "6.5pt" and theme.back["body"].size == "8.5pt"
    assert [p.name for p in prep.theme.paths] == ["grandchild.yaml", "child.yaml", "classic.yaml"]
    title = next(op for op in prep.cards[0].front.ops if isinstance(op, TextOp) and op.runs[0].text == "Premier")
    assert title.size == 18


def builtin_themes_colors() -> dict:
    import yaml

    return yaml.safe_load(builtin_themes()["classic"].read_text(encoding="utf-8"))["colors"]


def test_extends_cycle_is_reported_with_file_and_line(tmp_path, capsys):
    write(tmp_path, "a.yaml", "description: a\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "# b\n\nextends: a.yaml\n")
    code = main(["check", str(deck_with(tmp_path, "a.yaml"))])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"b\.yaml:3: extends: themes extend each other in a cycle: .*a\.yaml -> .*b\.yaml -> "
                     r".*a\.yaml", err), err


def test_missing_parent_is_reported_with_file_and_line(tmp_path, capsys):
    write(tmp_path, "child.yaml", "description: x\nextends: nothere.yaml\n")
    write(tmp_path, "typo.yaml", "extends: clasic\n")
    assert main(["check", str(deck_with(tmp_path, "child.yaml"))]) == 1
    assert re.search(r"child\.yaml:2: extends: theme file 'nothere\.yaml' not found", capsys.readouterr().err)
    assert main(["check", str(deck_with(tmp_path, "typo.yaml"))]) == 1
    assert re.search(r"typo\.yaml:1: extends: unknown theme 'clasic' — did you mean 'classic'\?",
                     capsys.readouterr().err)


def test_problem_in_a_parent_theme_names_the_parent_file(tmp_path, capsys):
    write(tmp_path, "parent.yaml", 'extends: classic\ncolors:\n  ink: "#12"\n')
    write(tmp_path, "child.yaml", "extends: parent.yaml\nfront:\n  title: {size: 18pt}\n")
    assert main(["check", str(deck_with(tmp_path, "child.yaml"))]) == 1
    assert re.search(r"parent\.yaml:3: colors\.ink: not a colour: '#12'", capsys.readouterr().err)


def test_unknown_font_file_and_colour_are_theme_lines(tmp_path, capsys):
    write(tmp_path, "t.yaml", """\
        extends: classic
        fonts:
          title: {regular: Missing-Bold.ttf}
        front:
          number: {color: plum}
        """)
    assert main(["check", str(deck_with(tmp_path, "t.yaml"))]) == 1
    err = capsys.readouterr().err
    assert re.search(r"t\.yaml:3: fonts\.title\.regular: font file 'Missing-Bold\.ttf' not found", err), err


def test_unknown_colour_is_reported_once_at_its_element(tmp_path, capsys):
    write(tmp_path, "t.yaml", "extends: classic\nfront:\n  number: {color: plum}\n")
    assert main(["check", str(deck_with(tmp_path, "t.yaml"))]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and re.match(r".*t\.yaml:3: front\.number\.color: unknown colour 'plum'", lines[0]), lines


# ---------------------------------------------------------------- card sizes

@pytest.mark.parametrize("preset,mm", [
    ("poker", (63, 88)), ("poker-us", (63.5, 88.9)), ("bridge", (57, 89)), ("tarot", (70, 120)),
    ("mini-euro", (44, 68)), ("mini-us", (41, 63)), ("square", (70, 70)), ("a7", (74, 105)),
    ("a6", (105, 148)), ("business", (85, 55)), ("63x88mm", (63, 88)), ("2.5x3.5in", (63.5, 88.9)),
])
def test_card_sizes(preset, mm):
    w, h = parse_card_size(preset)
    assert (w / MM, h / MM) == pytest.approx(mm)


def test_tarot_theme_builds_the_reference_deck(tmp_path):
    theme = write(tmp_path, "tarot.yaml", "extends: classic\ncard: tarot\n")
    pdf = build(tmp_path, "--theme", str(theme))
    with pikepdf.open(pdf) as doc:
        per_sheet = 4  # 70 × 120 mm: 2 × 2 on A4 (three across would leave no margin)
        assert len(doc.pages) == 2 * -(-29 // per_sheet)
    prep = prepare(MICRO, Options(theme=str(theme)))
    assert (prep.card_w / MM, prep.card_h / MM) == pytest.approx((70, 120))
    summary = [op for op in prep.cards[0].front.ops if isinstance(op, TextOp)][-2]
    assert summary.size == 13  # classic's variant for tall cards: larger type, and room enough not to shrink it


def test_business_card_theme_in_percent(tmp_path):
    """A landscape theme written in % and sums: boxes follow the card, backs still land behind fronts."""
    theme = write(tmp_path, "biz.yaml", """\
        card: business
        front:
          band: {type: rect, w: 35%, h: 100%, fill: "{family.color}"}
          title: {type: text, text: "{title}", x: 35% + 4mm, y: 4mm, w: 65% - 8mm, h: 50% - 4mm, size: 14pt,
                  min_size: 9pt, valign: bottom}
          summary: {type: text, text: "{summary}", x: 35% + 4mm, y: 50% + 2mm, w: 65% - 8mm, h: 50% - 6mm,
                    size: 8pt, min_size: 6pt}
        back:
          qr: {type: qr, when: source, x: 100% - 27mm, y: 4mm, w: 23mm, h: 23mm}
          body: {type: text, text: "{body}", x: 4mm, y: 4mm, w: 100% - 35mm, h: 100% - 8mm, size: 8pt}
        """)
    deck = deck_with(tmp_path)
    prep = prepare(deck, Options(theme=str(theme)))
    title = next(op for op in prep.cards[0].front.ops if isinstance(op, TextOp))
    assert title.x == pytest.approx(0.35 * 85 * MM + 4 * MM)
    out = build(tmp_path, "--theme", str(theme), deck=deck)
    chunks = text_chunks(out)
    assert any(normal(c.text) == "Premier" for c in chunks[0])
    assert sorted(c.text for c in decode_qr_pages(out, [1])[0]) == ["https://example.org/one",
                                                                     "https://example.org/two"]


# ---------------------------------------------------------------- what a designer does with YAML only

def test_move_qr_to_front_add_field_and_family_icon_by_yaml_only(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 300), (200, 40, 40)).save(tmp_path / "edition.png")
    text = GOOD.replace('    color: "#E4572E"\n', '    color: "#E4572E"\n    image: edition.png\n').replace(
        "    summary: Un résumé court.\n", "    summary: Un résumé court.\n    fields: {niveau: 2}\n")
    deck = deck_with(tmp_path, "mine.yaml", text)
    write(tmp_path, "mine.yaml", """\
        extends: classic
        fonts:
          title: {regular: NotoSerif-Bold.ttf}
        colors: {muted: "#335577"}
        front:
          icon: {type: image, src: "{family.image}", x: 100% - 12mm, y: 14mm, w: 8mm, h: 8mm}
          level: {type: text, when: niveau, text: "Niveau {niveau}", x: 4mm, y: 100% - 13mm, w: 30mm, h: 4mm,
                  size: 7pt}
          summary: {h: 100% - 77mm}
          qr: {type: qr, when: source, x: 4mm, y: 100% - 36mm, w: 23mm, h: 23mm}
        back:
          qr: null
        """)
    out = build(tmp_path, deck=deck)
    chunks = text_chunks(out)
    front = normal("".join(c.text for c in chunks[0]))
    assert "Niveau2" in front and front.count("Niveau") == 1  # the second card has no niveau
    assert sorted(c.text for c in decode_qr_pages(out, [0])[0]) == ["https://example.org/one",
                                                                     "https://example.org/two"]
    assert decode_qr_pages(out, [1], dpi=150)[0] == []
    with pikepdf.open(out) as pdf:
        front_images = list(pdf.pages[0].Resources.XObject.keys())
        fonts = {str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()}
    assert len(front_images) == 1
    assert any("NotoSerif-Bold" in f for f in fonts)


def test_custom_field_errors(tmp_path, capsys):
    text = GOOD.replace("    summary: Un résumé court.\n", "    summary: Un résumé court.\n    fields: {title: x}\n")
    assert main(["check", str(deck_with(tmp_path, text=text))]) == 1
    assert re.search(r"deck\.yaml:13: cards\[0\]\.fields\.title: 'title' is a built-in field",
                     capsys.readouterr().err)
    text = GOOD.replace("    title: Premier", "    title: Premier\n    niveau: 2")
    assert main(["check", str(deck_with(tmp_path, text=text))]) == 1
    assert "unknown key 'niveau'" in capsys.readouterr().err


def test_theme_field_no_card_defines_is_an_error(tmp_path):
    write(tmp_path, "t.yaml", 'extends: classic\nfront:\n  level: {type: text, text: "{niveau}"}\n')
    with pytest.raises(DeckError) as exc:
        prepare(deck_with(tmp_path, "t.yaml"), Options())
    assert any(p.line == 3 and "unknown field {niveau}" in p.what for p in exc.value.problems)
