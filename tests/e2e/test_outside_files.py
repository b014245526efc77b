"""One rule for every file a deck or theme reads (issue 13): images, fonts, spreadsheets and themes lie inside
the folder of the file that names them (a theme's files may also sit in the deck's folder), the package's own
data, or `fonts/` next to the deck — links resolved — unless `--allow-outside`. Built-in theme names stay
allowed anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.cli.main import main
from deckgen.output.fonts import PACKAGE_FONTS

HINT = "move it next to the deck, or build with --allow-outside"


def check(deck: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", str(deck), *extra])
    return code, capsys.readouterr().err


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/d/ (the deck's folder, the current one) and tmp/elsewhere/ (outside it), each with a theme."""
    for name in ("d", "elsewhere"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "t.yaml").write_text("extends: classic\nsafe: 4mm\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "d")
    return tmp_path


def deck(folder: Path, theme: str, extra: str = "") -> Path:
    path = folder / "deck.yaml"
    path.write_text(f"deck:\n  title: T\n  theme: {theme}\n{extra}cards:\n  - title: A\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("ref", ["../elsewhere/t.yaml", "ABS"])
def test_a_theme_file_the_deck_names_outside_its_folder_is_refused_at_its_line(
        tree: Path, ref: str, capsys: pytest.CaptureFixture[str]) -> None:
    ref = str(tree / "elsewhere" / "t.yaml") if ref == "ABS" else ref
    path = deck(tree / "d", ref)
    code, err = check(path, capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        f"deck.yaml:3: deck.theme: theme file {ref!r} is outside the deck's folder — {HINT}"]
    assert check(path, capsys, "--allow-outside")[0] == 0


def test_a_theme_inside_the_deck_folder_and_built_in_names_are_allowed(
        tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "d" / "themes").mkdir()
    (tree / "d" / "themes" / "own.yaml").write_text("extends: ../t.yaml\n", encoding="utf-8")  # the deck's folder
    for ref in ("t.yaml", "./themes/own.yaml", "classic", str(tree / "d" / "t.yaml")):
        assert check(deck(tree / "d", ref), capsys) == (0, ""), ref


@pytest.mark.parametrize("ref", ["../elsewhere/t.yaml", "ABS"])
def test_a_themes_extends_outside_its_folder_is_refused_at_the_themes_line(
        tree: Path, ref: str, capsys: pytest.CaptureFixture[str]) -> None:
    ref = str(tree / "elsewhere" / "t.yaml") if ref == "ABS" else ref
    (tree / "d" / "own.yaml").write_text(f"# my theme\nextends: {ref}\n", encoding="utf-8")
    path = deck(tree / "d", "own.yaml")
    code, err = check(path, capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        f"own.yaml:2: extends: theme file {ref!r} is outside the theme's folder — "
        "move it next to the theme, or build with --allow-outside"]
    assert check(path, capsys, "--allow-outside")[0] == 0


def test_extends_is_checked_against_the_theme_that_names_it_also_for_a_theme_given_with_dash_dash_theme(
        tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "other").mkdir()
    (tree / "other" / "t.yaml").write_text("extends: classic\n", encoding="utf-8")
    (tree / "elsewhere" / "own.yaml").write_text("extends: ../other/t.yaml\n", encoding="utf-8")
    (tree / "elsewhere" / "mine.yaml").write_text("extends: ../d/t.yaml\n", encoding="utf-8")  # the deck's folder
    path = deck(tree / "d", "classic")
    for ok in ("t.yaml", "mine.yaml"):  # the user's own choice, and a theme of the deck's folder
        assert main(["check", str(path), "--theme", str(tree / "elsewhere" / ok)]) == 0, ok
    capsys.readouterr()
    assert main(["check", str(path), "--theme", str(tree / "elsewhere" / "own.yaml")]) == 1
    assert "elsewhere/own.yaml:1: extends: theme file '../other/t.yaml' is outside the theme's folder" \
        in capsys.readouterr().err


def test_a_nul_or_overlong_name_in_extends_is_one_line(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = deck(tree / "d", "own.yaml")
    for bad, why in (('"a\\0b.yaml"', "NUL"), ("x" * 300 + ".yaml", "255")):
        (tree / "d" / "own.yaml").write_text(f"extends: {bad}\n", encoding="utf-8")
        code, err = check(path, capsys)
        assert code == 1 and err.startswith("own.yaml:1: extends: theme file ") and why in err, err


def test_links_are_resolved_for_themes_images_fonts_and_spreadsheets(
        tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link inside the deck's folder to a file outside it is outside: what counts is where the file is."""
    d, out = tree / "d", tree / "elsewhere"
    (out / "t.csv").write_text("title\nA\n", encoding="utf-8")
    (out / "x.ttf").write_bytes((PACKAGE_FONTS / "NotoSans-Regular.ttf").read_bytes())
    (out / "i.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
                               '<rect width="4" height="4"/></svg>', encoding="utf-8")
    for name in ("t.yaml", "t.csv", "x.ttf", "i.svg"):
        (d / f"link-{name}").symlink_to(out / name)
    (d / "f.yaml").write_text("extends: classic\nfonts:\n  body: {regular: link-x.ttf}\n", encoding="utf-8")
    cases = {
        "deck:\n  title: T\n  theme: link-t.yaml\ncards:\n  - title: A\n":
            "deck.yaml:3: deck.theme: theme file 'link-t.yaml' is outside the deck's folder",
        "deck: {title: T}\ncards: {from: link-t.csv}\n":
            "deck.yaml:2: cards.from: spreadsheet 'link-t.csv' is outside the deck's folder",
        "deck: {title: T, theme: f.yaml}\ncards:\n  - title: A\n":
            "f.yaml:3: fonts.body.regular: font file 'link-x.ttf' is outside the theme's and the deck's folders",
        "deck: {title: T}\ncards:\n  - title: A\n    image: link-i.svg\n":
            "deck.yaml:4: cards[0].image: image 'link-i.svg' is outside the deck's folder",
    }
    for text, message in cases.items():
        (d / "deck.yaml").write_text(text, encoding="utf-8")
        code, err = check(d / "deck.yaml", capsys)
        assert code == 1 and err.startswith(message), (message, err)
        assert check(d / "deck.yaml", capsys, "--allow-outside")[0] == 0, message


def test_a_link_to_a_file_inside_the_folder_is_inside(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tree / "d"
    (d / "sub").mkdir()
    (d / "sub" / "real.yaml").symlink_to(d / "t.yaml")
    assert check(deck(d, "sub/real.yaml"), capsys) == (0, "")
