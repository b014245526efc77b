"""QA audit fixes: long URLs, bad template fields, unwritable outputs, big decks' numbers, QR quiet zones,
replaced fonts, plurals."""

from __future__ import annotations

import textwrap
from pathlib import Path

from deckgen.cli import main

ONE = """\
deck: {title: One}
families:
  - {id: solo, name: Solo, color: "#3366AA"}
cards:
  - {id: only, family: solo, title: Seule, summary: Un résumé., body: Un corps., source: https://example.org/x}
"""


def write(tmp_path: Path, text: str, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_summaries_say_1_card_1_family_1_sheet(tmp_path, capsys):
    deck = write(tmp_path, ONE)
    assert main(["check", str(deck)]) == 0
    assert "OK — 1 card, 1 family, theme" in capsys.readouterr().out
    assert main(["build", str(deck), "-o", str(tmp_path / "o.pdf")]) == 0
    assert ": 1 card on 1 A4 sheet (2 pages" in capsys.readouterr().out
    assert main(["handout", str(deck), "-o", str(tmp_path / "h.pdf")]) == 0
    assert "handout of 1 card on 1 A4 page," in capsys.readouterr().out
