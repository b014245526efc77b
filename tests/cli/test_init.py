"""`deckgen init`: a starter deck and theme that build as they are, and the trainer section's spreadsheet, which
imports and builds in both its languages as the README writes it; nothing existing is ever replaced."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import normal, text_chunks

from deckgen.cli.main import main


def _text(pdf: Path) -> str:
    return normal("".join(c.text for page in text_chunks(pdf) for c in page))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("init") / "workshop"
    assert main(["init", str(ws)]) == 0
    return ws


def test_init_then_build_prints_the_starter_decks_texts(folder: Path, tmp_path: Path, capsys) -> None:
    deck = yaml.safe_load((folder / "deck.yaml").read_text(encoding="utf-8"))
    assert deck["deck"]["theme"] == "my-theme.yaml"
    capsys.readouterr()
    out = tmp_path / "deck.pdf"
    assert main(["build", str(folder / "deck.yaml"), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err and captured.err == ""
    assert f"{len(deck['cards'])} cards on 1 A4 sheet" in captured.out
    text = _text(out)
    for card in deck["cards"]:
        for key in ("title", "summary", "body"):
            assert normal(card[key]).replace("'", "’") in text, f"{card['title']}: {key} missing from the PDF"
    assert normal(deck["deck"]["title"]) in text
    assert normal(deck["families"][1]["name"]) in text


def test_init_writes_the_same_bytes_every_time(folder: Path, tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "again")]) == 0
    for name in ("deck.yaml", "my-theme.yaml", "trends.xlsx"):
        assert (tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes(), name
    with zipfile.ZipFile(folder / "trends.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert core.count("2024-01-01T00:00:00Z") == 2  # created and modified: not the clock


def test_init_never_replaces_a_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "my-theme.yaml").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'my-theme.yaml'}: the file exists already" in err
    assert "Traceback" not in err
    assert (tmp_path / "my-theme.yaml").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-theme.yaml"]  # nothing else written


def test_init_into_a_missing_parent_is_an_error_with_a_hint(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "no" / "such")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'no'}: no such folder" in err and "mkdir -p" in err
    assert list(tmp_path.iterdir()) == []


def test_the_trainer_section_works_as_written(folder: Path, monkeypatch, capsys) -> None:
    """The README's trainer commands, in the folder `init` made (all but --links, which needs the network)."""
    monkeypatch.chdir(folder)
    assert main(["import", "trends.xlsx", "-o", "atelier.yaml", "--title", "Micro is Beautiful", "--lang", "fr",
                 "--link"]) == 0
    assert "10 cards, 5 families from trends.xlsx (sheet 'Cartes')" in capsys.readouterr().out
    assert main(["check", "atelier.yaml"]) == 0
    out = capsys.readouterr().out
    assert "OK — 10 cards, 5 families, theme classic, language fr" in out
    assert "OK — 10 cards, 5 families, theme classic, language en" in out
    assert main(["build", "atelier.yaml", "--only", "tag=atelier-1", "--lang", "en"]) == 0
    text = _text(folder / "atelier.pdf")
    assert normal("Personalization") in text and normal("Micro-publishing, maxi marketing") in text
    assert normal("Personnalisation") not in text  # French title
    assert normal("The long tail") not in text  # an atelier-2 card
    assert main(["build", "atelier.yaml", "--only", "family=edition", "--renumber", "--legend",
                 "-o", "edition.pdf"]) == 0
    assert "3 cards + 1 legend card = 4 cards on 1 A4 sheet" in capsys.readouterr().out
    assert main(["handout", "atelier.yaml", "--only", "tag=atelier-1", "--lang", "en", "-o", "handout.pdf"]) == 0
    assert normal("Micro-publishing") in _text(folder / "handout.pdf")
