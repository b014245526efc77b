"""Family colours read back: close pairs warned about with both families' lines, the --colors table, and
readable(X) strokes drawn dark enough (3:1 on white) in the PDF's content stream."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from deckgen.cli.main import main
from deckgen.design.color import contrast_ratio

DECK = """\
deck:
  title: Couleurs
  theme: {theme}
families:
  - id: ocean
    name: Océan
    color: "#1B4965"
  - id: soleil
    name: Soleil
    color: "#FFE066"
  - id: finance
    name: Finance
    color: "#264653"
cards:
  - {{title: Un, family: ocean}}
  - {{title: Deux, family: soleil}}
  - {{title: Trois, family: finance}}
"""
THEME = """\
extends: classic
front:
  outline: {type: rect, x: 4mm, y: 45mm, w: 20mm, h: 8mm, stroke: "readable({family.color})", stroke_width: 0.8pt}
"""


def _deck(tmp_path: Path, theme: str = "classic") -> Path:
    (tmp_path / "outlined.yaml").write_text(THEME, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(theme=theme), encoding="utf-8")
    return deck


def test_close_family_colours_are_a_warning_naming_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_deck(tmp_path))]) == 0
    (warning,) = [line for line in capsys.readouterr().err.splitlines() if "too close" in line]
    assert warning.startswith("warning: ")
    assert re.search(r"deck\.yaml:13: families\[2\]\.color: 'finance' #264653 is too close to 'ocean' #1B4965 "
                     r"\(line 7\) to tell apart: CIEDE2000 6\.2 \(below 12\), CIEDE2000 \d\.\d under deuteranopia "
                     r"\(below 8\), CIEDE2000 \d\.\d under protanopia \(below 8\) — ", warning), warning


def test_colors_prints_every_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_deck(tmp_path)), "--colors"]) == 0
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if line.split()[:2] == ["family", "family"])
    rows = [line.split() for line in out[start + 1:start + 4]]
    assert [r[:2] for r in rows] == [["ocean", "soleil"], ["ocean", "finance"], ["soleil", "finance"]]
    assert rows[1][2] == "6.2*" and not rows[0][2].endswith("*")
    assert float(rows[0][5]) > 50  # ΔL*: navy and yellow stay apart in greyscale


def test_greyscale_warnings_only_for_a_greyscale_theme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = _deck(tmp_path)
    deck.write_text(deck.read_text(encoding="utf-8").replace("#FFE066", "#D1495B").replace("#264653", "#2A9D8F"),
                    encoding="utf-8")  # red and teal: far apart in colour, of the same lightness
    (tmp_path / "grey.yaml").write_text("extends: classic\ngreyscale: true\n", encoding="utf-8")
    assert main(["check", str(deck)]) == 0
    assert "too close" not in capsys.readouterr().err
    assert main(["check", str(deck), "--theme", str(tmp_path / "grey.yaml")]) == 0
    err = capsys.readouterr().err
    assert re.search(r"'finance' #2A9D8F is too close to 'soleil' #D1495B \(line 10\) to tell apart: "
                     r"\d\.\d in greyscale, L\* \d\.\d apart \(below 8\)", err), err


def _stroke_colours(pdf: Path) -> set[tuple[float, float, float]]:
    found = set()
    with pikepdf.open(pdf) as doc:
        streams = [page.obj for page in doc.pages]
        streams += [x for page in doc.pages for x in page.Resources.get("/XObject", {}).values()]
        for stream in streams:
            for operands, op in pikepdf.parse_content_stream(stream):
                if str(op) == "RG":
                    found.add(tuple(round(float(v), 3) for v in operands))  # type: ignore[arg-type]
    return found


def test_readable_darkens_a_light_outline_to_3_to_1(tmp_path: Path) -> None:
    deck = _deck(tmp_path, theme="outlined.yaml")
    assert main(["build", str(deck), "-o", str(tmp_path / "out.pdf"), "--quiet"]) == 0
    strokes = _stroke_colours(tmp_path / "out.pdf")
    yellow = (1.0, round(0xE0 / 255, 3), round(0x66 / 255, 3))
    assert yellow not in strokes
    darkened = [c for c in strokes if c[0] > c[1] > c[2] > 0.2]  # the yellow's hue, darker
    assert darkened, strokes
    for c in darkened:
        assert 3.0 <= contrast_ratio(c, (1.0, 1.0, 1.0)) < 3.1
    navy = (round(0x1B / 255, 3), round(0x49 / 255, 3), round(0x65 / 255, 3))
    assert navy in strokes  # dark enough already: unchanged


@pytest.mark.parametrize("theme", ["classic", "editorial", "ink-saver", "workshop"])
def test_builtin_themes_name_the_family_on_both_sides_at_7_5_pt(theme: str) -> None:
    from conftest import MICRO

    from deckgen.design.ops import TextOp
    from deckgen.pipeline.prepare import Options, prepare

    prep = prepare(MICRO, Options(theme=theme, lang="fr"))
    for card in prep.cards:
        name = card.context["family"]["name"]
        for side in ("front", "back"):
            lines = [(" ".join(r.text for r in op.runs), op.size) for op in getattr(card, side).ops
                     if isinstance(op, TextOp)]
            text = " ".join(t for t, _ in lines).casefold()  # a theme may set it in capitals (workshop)
            plain = text.replace("\u00a0", " ").replace("\u202f", " ")  # French no-break spaces
            words = " ".join(name.casefold().split())
            assert words in " ".join(plain.split()), (card.id, side)
            sizes = {size for t, size in lines
                     if t and " ".join(t.casefold().replace("\u00a0", " ").replace("\u202f", " ").split()) in words}
            assert sizes and min(sizes) >= 7.5, (card.id, side, sizes)
