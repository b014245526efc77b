"""A newcomer's first hour: plain texts are in the deck's language, import says which language it chose and
never replaces a deck unasked, check and build count the same cards and say what they counted, options take
A4 as well as a4, outputs go where they are told or fail with a hint, and every command prints its --help."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import normal, text_chunks

from deckgen.cli.main import main

FRENCH = """\
deck:
  title: Tendances
  lang: fr
families:
  - {id: usages, name: Usages, color: "#3B4A6B"}
cards:
  - id: velo
    family: usages
    title: Le vélo en ville
    summary: Les trajets courts se font de plus en plus souvent à vélo.
  - id: cuisine
    family: usages
    title: La cuisine maison
    summary: On cuisine davantage chez soi pour manger mieux.
"""


def _text(pdf: Path) -> str:
    return normal("".join(c.text for page in text_chunks(pdf) for c in page))


def _png(w: int, h: int) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), "#3B4A6B").save(buf, "PNG")
    return buf.getvalue()


def _write(tmp: Path, text: str, name: str = "deck.yaml") -> Path:
    path = tmp / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ---------------------------------------------------------------- plain texts are in deck.lang


def test_lang_en_on_a_french_deck_of_plain_texts_fails_once(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, FRENCH)
    out = tmp_path / "en.pdf"
    assert main(["build", str(deck), "--lang", "en", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{deck}: the deck has no 'en' text — its language: fr; build --lang fr, or add --fallback fr"]
    assert not out.exists()


def test_a_plain_text_beside_translations_needs_its_own(tmp_path: Path, capsys) -> None:
    translated = FRENCH.replace("title: La cuisine maison", "title: {fr: La cuisine maison, en: Home cooking}")
    deck = _write(tmp_path, translated.replace("summary: On cuisine",
                                               "summary:\n      en: People cook more at home.\n      fr: On cuisine"))
    assert main(["build", str(deck), "--lang", "en", "-o", str(tmp_path / "en.pdf")]) == 1
    err = capsys.readouterr().err
    assert f"{deck}:9: cards[0].title.en: no 'en' text (card 'velo')" in err
    assert f"{deck}:10: cards[0].summary.en: no 'en' text (card 'velo')" in err
    assert "families[0].name.en: no 'en' text" in err  # printed on the card: a family name is a card text
    assert "deck.title" not in err and "cuisine" not in err  # the deck's own names may stay as they are


def test_fallback_builds_the_plain_texts_and_lang_fr_needs_none(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, FRENCH)
    out = tmp_path / "fb.pdf"
    assert main(["build", str(deck), "--lang", "en", "--fallback", "fr", "-o", str(out)]) == 0
    assert normal("Le vélo en ville") in _text(out)
    assert main(["build", str(deck), "--lang", "fr-CA", "-o", str(tmp_path / "ca.pdf")]) == 0
    assert main(["check", str(deck)]) == 0
    assert "language fr" in capsys.readouterr().out


# ---------------------------------------------------------------- import: the language, --force


FRENCH_CSV = """\
title;summary;family
Le vélo en ville;Les trajets courts se font de plus en plus souvent à vélo, pour le plaisir et pour la santé;usages
La cuisine maison;On cuisine davantage chez soi pour manger mieux et pour dépenser moins;usages
Les circuits courts;Des producteurs vendent leurs légumes sur les marchés et dans les paniers du quartier;usages
"""


@pytest.mark.parametrize(("header", "why"), [
    ("title;summary;family", "language fr: the cards' texts read as French"),
    ("titre;résumé;famille", "language fr: the column names are French (titre, résumé, famille)"),
])
def test_import_of_a_french_csv_is_french_and_says_why(tmp_path: Path, capsys, header: str, why: str) -> None:
    table = _write(tmp_path, FRENCH_CSV.replace("title;summary;family", header), "trends.csv")
    out = tmp_path / "deck.yaml"
    assert main(["import", str(table), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert why + " — --lang to choose another" in printed
    assert printed.rstrip().endswith("language fr")
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["deck"]["lang"] == "fr"


def test_import_says_when_it_could_not_tell(tmp_path: Path, capsys) -> None:
    table = _write(tmp_path, "title\nAlpha\nBeta\n", "names.csv")
    assert main(["import", str(table), "-o", str(tmp_path / "d.yaml")]) == 0
    assert "language en: deckgen's default, the texts do not say — --lang to choose another" in capsys.readouterr().out


def test_import_over_an_existing_deck_needs_force(tmp_path: Path, capsys) -> None:
    table = _write(tmp_path, FRENCH_CSV, "trends.csv")
    out = _write(tmp_path, "# my edited deck\n", "deck.yaml")
    assert main(["import", str(table), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out}: the file exists already — pass --force to replace it, or choose another name" in err
    assert out.read_text(encoding="utf-8") == "# my edited deck\n"
    assert main(["import", str(table), "-o", str(out), "--force"]) == 0
    assert "Le vélo en ville" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- check and build count the same cards


COUNTED = """\
deck: {title: Counted, lang: en}
families:
  - {id: a, name: Alpha, color: "#3B4A6B"}
  - {id: b, name: Beta, color: "#E4572E"}
cards:
  - {family: a, title: One, copies: 3}
  - {family: a, title: Two}
  - {family: b, title: Three, copies: 2}
"""


def test_check_and_build_count_copies_and_legend_cards_alike(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, COUNTED)
    assert main(["check", str(deck)]) == 0
    assert "OK — 3 cards + 3 copies = 6 cards, 2 families" in capsys.readouterr().out
    assert main(["build", str(deck), "--legend", "--decks", "2", "-o", str(tmp_path / "c.pdf")]) == 0
    summary = capsys.readouterr().out
    assert "(3 cards + 3 copies + 2 legend cards) × 2 decks = 16 cards on 2 A4 sheets" in summary
    assert main(["build", str(deck), "--profile", "png", "-o", str(tmp_path / "png")]) == 0
    assert "3 cards + 3 copies = 6 cards as 12 PNG images" in capsys.readouterr().out


def test_check_gives_a_total(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, COUNTED.replace("title: One, copies: 3", "title: One, copies: 0")
                  .replace("{family: a, title: Two}", "{family: z, title: Two, color: red}"))
    assert main(["check", str(deck)]) == 1
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 3  # stderr: the problems, one line each
    assert captured.out.strip().splitlines()[-1] == f"{deck}: 3 problems in 2 cards, no warnings"
    deck.write_text(COUNTED.replace("{family: a, title: Two}", "{family: a, title: Two, image: pic.png}"),
                    encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(_png(40, 40))
    assert main(["check", str(deck)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == f"{deck}: no problems, 1 warning"  # the theme draws no image


# ---------------------------------------------------------------- options and outputs


def test_choices_are_case_insensitive(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, COUNTED)
    out = tmp_path / "l.pdf"
    assert main(["build", str(deck), "--paper", "Letter", "--duplex", "SHORT", "-o", str(out)]) == 0
    assert "on 1 Letter sheet" in capsys.readouterr().out
    assert main(["build", str(deck), "--paper", "A4", "--profile", "Shop", "-o", str(out)]) == 2


def test_output_into_a_missing_folder_is_an_error_with_a_hint(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, COUNTED)
    for args in (["build", str(deck)], ["handout", str(deck)], ["preview", str(deck)],
                 ["build", str(deck), "--profile", "png"]):
        assert main([*args, "-o", str(tmp_path / "missing" / "dir" / "x")]) == 1
        err, missing = capsys.readouterr().err, tmp_path / "missing" / "dir"
        assert f"error: {missing / 'x'}: cannot write: no folder {missing} — create it first: mkdir -p {missing}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml"]


def test_a_folder_output_named_like_a_file_is_refused(tmp_path: Path, capsys) -> None:
    deck = _write(tmp_path, COUNTED)
    assert main(["build", str(deck), "--profile", "png", "-o", str(tmp_path / "z.pdf")]) == 2
    err = capsys.readouterr().err
    assert "-o z.pdf" in err or f"-o {tmp_path / 'z.pdf'}" in err
    assert "a folder of PNG images" in err
    assert main(["preview", str(deck), "-o", str(tmp_path / "p.png")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml"]


# ---------------------------------------------------------------- every command explains itself


def _commands() -> list[str]:
    from deckgen.cli.main import parser

    return list(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


@pytest.mark.parametrize("command", _commands())
def test_every_command_prints_its_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and out.startswith(f"usage: deckgen {command}")
    if command in ("build", "watch"):  # the print options' texts, as written in their table
        assert "total ink limit of CMYK colours in %" in " ".join(out.split()) and "%%" not in out
