"""Bad input: one clear FILE:LINE line per problem, exit 1, no traceback, and the output left untouched."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import GOOD

from deckgen.cli.main import main


def run(tmp_path: Path, text: str | bytes, capsys, *extra: str, command: str = "build") -> tuple[int, str, Path]:
    deck = tmp_path / "deck.yaml"
    deck.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).encode())
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"OLD PDF")
    args = [command, str(deck), *extra] + (["-o", str(out)] if command == "build" else [])
    code = main(args)
    err = capsys.readouterr().err
    return code, err, out


def test_good_deck_builds(tmp_path, capsys):
    code, err, out = run(tmp_path, GOOD, capsys)
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-")


CASES = {
    "yaml syntax": (GOOD.replace("  title: Test deck", "  title: [Test deck"), r"deck\.yaml:\d+: YAML syntax error"),
    "missing title": (GOOD.replace("    title: Premier\n", ""),
                      r"deck\.yaml:9: cards\[0\]: missing required key 'title' — add 'title:'"),
    "missing deck title": (GOOD.replace("  title: Test deck\n", ""),
                           r"deck\.yaml:1: deck: missing required key 'title'"),
    "unknown key": (GOOD.replace("    summary: Un", "    sumary: Un"),
                    r"deck\.yaml:12: cards\[0\]\.sumary: unknown key 'sumary' — did you mean 'summary'\?"),
    "wrong type": (GOOD.replace("    title: Premier", "    title: [a, b]"),
                   r"deck\.yaml:11: cards\[0\]\.title: expected text"),
    "duplicate id": (GOOD.replace("  - title: Deuxième carte", "  - id: one\n    title: Deuxième carte"),
                     r"deck\.yaml:15: cards\[1\]\.id: duplicate card id 'one'"),
    "unknown family": (GOOD.replace("family: edition\n    title: Premier", "family: editon\n    title: Premier"),
                       r"deck\.yaml:10: cards\[0\]\.family: unknown family 'editon' — did you mean 'edition'\?"),
    "bad colour": (GOOD.replace('"#E4572E"', "red"), r"deck\.yaml:7: families\[0\]\.color: not a colour: 'red'"),
    "non-http url": (GOOD.replace("https://example.org/one", "ftp://example.org/one"),
                     r"deck\.yaml:14: cards\[0\]\.source\.url: not an http\(s\) URL: 'ftp://example.org/one'"),
    "javascript url": (GOOD.replace('"https://example.org/two"', '"javascript:alert(1)"'),
                       r"deck\.yaml:17: cards\[1\]\.source\.url: not an http\(s\) URL"),
    "negative copies": (GOOD.replace("org/one\n", "org/one\n    copies: -2\n"),
                        r"deck\.yaml:15: cards\[0\]\.copies: not a number of copies: -2 — a whole number, 1 or more"),
    "empty file": ("", r"deck\.yaml: the file is empty"),
    "not utf-8": (GOOD.replace("Édition", "\udcc9dition").encode("utf-8", "surrogateescape"),
                  r"deck\.yaml: not UTF-8 text"),
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)),
        r"deck\.yaml: the file expands to too many values \(a YAML alias bomb\?\)"),
    "duplicate key": (GOOD.replace("    summary: Un résumé court.\n", "    summary: Un.\n    summary: Deux.\n"),
                      r"deck\.yaml:13: cards\[0\]: duplicate key 'summary'"),
    "no cards": ("deck:\n  title: T\ncards: []\n", r"deck\.yaml:3: cards: the deck has no cards"),
    "card without family": (GOOD.replace("    family: edition\n    source: {url", "    source: {url"),
                            r"deck\.yaml:15: cards\[1\]: no family"),
    "text too long": (GOOD.replace("    body: Un corps de texte.", "    body: " + "Un texte beaucoup trop long. " * 60),
                      r"deck\.yaml:13: cards\[0\]\.body: text does not fit: \d+ lines at the minimum 7pt, room for "
                      r"\d+ \(card 'one', back body\)"),
    "no glyph": (GOOD.replace("    title: Premier", "    title: Premier 東"),
                 r"deck\.yaml:11: cards\[0\]\.title: no font has a glyph for '東' \(U\+6771\)"),
    "flag": (GOOD.replace("    title: Premier", "    title: Premier 🇫🇷"),
             r"deck\.yaml:11: cards\[0\]\.title: '🇫🇷' \(U\+1F1EB U\+1F1F7\) is a flag, which deckgen cannot "
             r"draw yet \(card 'one', front title\) — write single emoji"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_clear_line_and_output_untouched(tmp_path, capsys, name):
    text, pattern = CASES[name]
    code, err, out = run(tmp_path, text, capsys)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert any(re.search(pattern, line) for line in lines), err
    assert "Traceback" not in err
    assert out.read_bytes() == b"OLD PDF"


def test_every_problem_reported_not_only_the_first(tmp_path, capsys):
    text = GOOD.replace("    summary: Un", "    sumary: Un").replace('"#E4572E"', "red").replace(
        "https://example.org/one", "ftp://x")
    code, err, _ = run(tmp_path, text, capsys, command="check")
    assert code == 1
    assert len(err.strip().splitlines()) == 3, err


def test_check_reports_ok(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    assert main(["check", str(deck)]) == 0
    assert "OK" in capsys.readouterr().out


def test_allow_overflow_cuts_and_warns(tmp_path, capsys):
    text = GOOD.replace("    body: Un corps de texte.", "    body: " + "Un texte beaucoup trop long. " * 60)
    code, err, out = run(tmp_path, text, capsys, "--allow-overflow")
    assert code == 0
    assert re.search(r"warning: .*deck\.yaml:13: cards\[0\]\.body: text cut short", err), err
    assert out.read_bytes().startswith(b"%PDF-")


def test_subprocess_exit_codes_and_no_traceback(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: T}\ncards:\n  - titel: x\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "deckgen"]
    bad = subprocess.run([*cmd, "build", str(deck)], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert re.search(r"deck\.yaml:3: cards\[0\]\.titel: unknown key 'titel' — did you mean 'title'\?", bad.stderr)
    usage = subprocess.run([*cmd, "build"], capture_output=True, text=True)
    assert usage.returncode == 2
    assert subprocess.run([*cmd, "build", str(deck), "--paper", "b5"], capture_output=True).returncode == 2
    missing = subprocess.run([*cmd, "build", str(tmp_path / "nope.yaml")], capture_output=True, text=True)
    assert missing.returncode == 1 and "no such file" in missing.stderr
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("deckgen ")


def test_yaml_12_scalars_keep_french_and_dates_as_text(tmp_path):
    from deckgen.deck.load import load_deck

    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: No}\ncards:\n  - title: 2024-05-01\n  - {title: On, summary: Off, copies: 2}\n",
                    encoding="utf-8")
    loaded = load_deck(deck).deck
    assert loaded.deck.title == "No"
    assert [c.title for c in loaded.cards] == ["2024-05-01", "On"]
    assert loaded.cards[1].summary == "Off" and loaded.cards[1].copies == 2



def check_lines(tmp_path: Path, text: str, capsys, monkeypatch, command: str = "check", *extra: str
                ) -> tuple[int, list[str]]:
    """Run a command on deck.yaml from its folder, so that problems read `deck.yaml:LINE: …`."""
    monkeypatch.chdir(tmp_path)
    Path("deck.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    code = main([command, "deck.yaml", *extra])
    return code, capsys.readouterr().err.strip().splitlines()


# One deck with a problem of every stage: structure (pydantic), cross-checks, then fit and glyphs.
STAGES = """\
deck:
  title: Test deck
families:
  - id: edition
    name: Édition
    color: "#E4572E"
  - id: faded
    name: Fanée
    color: red
cards:
  - title: A
    family: edition
    source: ftp://example.org/a
  - title: A
    family: edition
  - title: Long
    family: edition
    body: LONG
  - title: Typo
    family: editon
    sumary: x
  - title: Tokyo 東
    family: faded
"""
STAGE_LINES = [
    r"deck\.yaml:9: families\[1\]\.color: not a colour: 'red' — write \"#RRGGBB\" in quotes, e\.g\. \"#E4572E\"",
    r"deck\.yaml:13: cards\[0\]\.source\.url: not an http\(s\) URL: 'ftp://example\.org/a' — "
    r"write the full address starting with https://",
    r"deck\.yaml:14: cards\[1\]\.title: duplicate card id 'a' — cards\[0\] has it already; set a unique id",
    r"deck\.yaml:18: cards\[2\]\.body: text does not fit: \d+ lines at the minimum 7pt, room for \d+ "
    r"\(card 'long', back body\) — shorten it, or lower min_size in the theme \(--allow-overflow cuts it\)",
    r"deck\.yaml:20: cards\[3\]\.family: unknown family 'editon' — did you mean 'edition'\?",
    r"deck\.yaml:21: cards\[3\]\.sumary: unknown key 'sumary' — did you mean 'summary'\?",
    *(rf"deck\.yaml:22: cards\[4\]\.title: no font has a glyph for '東' \(U\+6771\) \(card 'tokyo', {side} title\) "
      r"— remove the character, or give this element a font that has it" for side in ("front", "back")),
]


@pytest.mark.parametrize("command", ["check", "build"])
def test_one_run_reports_every_stage_in_file_order(tmp_path, capsys, monkeypatch, command):
    """Structure problems do not hide the cross-checks, which do not hide the fit and glyphs of valid cards;
    a family with a bad colour still counts (its card is not 'unknown family')."""
    (tmp_path / "deck.pdf").write_bytes(b"OLD PDF")
    text = STAGES.replace("LONG", "Un texte beaucoup trop long. " * 60)
    code, lines = check_lines(tmp_path, text, capsys, monkeypatch, command)
    assert code == 1
    assert len(lines) == len(STAGE_LINES), "\n".join(lines)
    for line, pattern in zip(lines, STAGE_LINES, strict=True):
        assert re.fullmatch(pattern, line), line
    assert (tmp_path / "deck.pdf").read_bytes() == b"OLD PDF"


def test_deck_problems_and_theme_problems_together(tmp_path, capsys, monkeypatch):
    text = GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: classik\n").replace("https://example.org/one", "ftp://x")
    code, lines = check_lines(tmp_path, text, capsys, monkeypatch)
    assert code == 1
    assert lines == ["deck.yaml:4: deck.theme: unknown theme 'classik' — did you mean 'classic'?",
                     "deck.yaml:15: cards[0].source.url: not an http(s) URL: 'ftp://x' — "
                     "write the full address starting with https://"]


LONG_WORD = "x" * 400  # no space, no hyphenation point


@pytest.mark.parametrize("old, new, expected", [
    ('"#E4572E"', "#E4572E", 'deck.yaml:7: families[0].color: no colour: an unquoted # starts a YAML comment, '
                             'so the value reads as nothing — quote it: "#E4572E"'),
    ('"#E4572E"', "'#E4572'", "deck.yaml:7: families[0].color: not a colour: '#E4572' — "
                              'write "#RRGGBB" in quotes, e.g. "#E4572E"'),
    ("org/one\n", "org/one\n    copies: 0\n",
     "deck.yaml:15: cards[0].copies: not a number of copies: 0 — a whole number, 1 or more"),
    ("org/one\n", "org/one\n    copies: true\n",
     "deck.yaml:15: cards[0].copies: not a number of copies: True — a whole number, 1 or more"),
    ("org/one\n", "org/one\n    copies: '2'\n",
     "deck.yaml:15: cards[0].copies: not a number of copies: '2' — a whole number, 1 or more"),
    ("    title: Premier", "    title: ''", "deck.yaml:11: cards[0].title: empty — write the title: it is required"),
    ("    title: Premier", "    title: '   '",
     "deck.yaml:11: cards[0].title: empty — write the title: it is required"),
    ("    title: Premier", "    title: {fr: '', en: First}",
     "deck.yaml:11: cards[0].title: the 'fr' text is empty — write the title: it is required"),
    ("  title: Test deck", "  title: ''", "deck.yaml:2: deck.title: empty — write the title: it is required"),
    ("    name: Édition", "    name: ' '",
     "deck.yaml:6: families[0].name: empty — write the family's name: it is required"),
    ("    body: Un corps de texte.", f"    body: {LONG_WORD}",
     f"deck.yaml:13: cards[0].body: text does not fit: the word '{LONG_WORD[:29]}…' (400 characters) "
     "is wider than the box, even at the minimum 7pt (card 'one', back body) — "
     "shorten the word, or break it with a space or a hyphen"),
    ("cards:\n  - id: one", "cards: {title: A}\nold:\n  - id: one",
     ["deck.yaml:8: cards: missing required key 'from' — add 'from:'",
      "deck.yaml:8: cards.title: unknown key 'title' — allowed keys: from, sheet, encoding, delimiter"]),
], ids=["unquoted colour", "bad colour", "zero copies", "bool copies", "text copies", "empty title",
        "blank title", "empty title in a language", "empty deck title", "blank family name", "word wider than box",
        "cards as a mapping"])
def test_each_problem_is_one_line_with_its_hint(tmp_path, capsys, monkeypatch, old, new, expected):
    assert old in GOOD
    code, lines = check_lines(tmp_path, GOOD.replace(old, new), capsys, monkeypatch)
    assert code == 1
    assert lines == (expected if isinstance(expected, list) else [expected])


INPUTS = {"deck.yaml": GOOD, "theme.yaml": "extends: classic\n", "t.csv": "title;summary\nA;B\n",
          "linked.yaml": "deck: {title: T}\ncards: {from: t.csv}\n"}


@pytest.mark.parametrize("args, what", [
    (["build", "deck.yaml", "-o", "deck.yaml"], "the deck file deck.yaml"),
    (["build", "deck.yaml", "--pdfx", "-o", "deck.yaml"], "the deck file deck.yaml"),
    (["build", "deck.yaml", "--profile", "png", "-o", "deck.yaml"], "the deck file deck.yaml"),
    (["build", "deck.yaml", "--theme", "theme.yaml", "-o", "theme.yaml"], "the theme file theme.yaml"),
    (["build", "linked.yaml", "-o", "./t.csv"], "the spreadsheet t.csv"),
    (["handout", "deck.yaml", "-o", "deck.yaml"], "the deck file deck.yaml"),
    (["preview", "deck.yaml", "-o", "deck.yaml"], "the deck file deck.yaml"),
    (["import", "t.csv", "-o", "t.csv"], "the spreadsheet t.csv"),
])
def test_an_output_never_replaces_an_input(tmp_path, capsys, monkeypatch, args, what):
    monkeypatch.chdir(tmp_path)
    for name, text in INPUTS.items():
        Path(name).write_text(text, encoding="utf-8")
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    out = Path(args[-1])
    assert err == [f"deckgen {args[0]}: error: -o {out} would overwrite {what}, which this command reads: "
                   "choose another output"]
    assert {name: Path(name).read_text(encoding="utf-8") for name in INPUTS} == INPUTS
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(INPUTS)


def test_a_number_box_too_small_is_one_theme_problem(tmp_path, capsys):
    """"7/29" is deckgen's text, not the deck's: a box too small for it is the theme's problem, said once."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    theme = tmp_path / "narrow.yaml"
    theme.write_text("extends: classic\nfront:\n  number: {w: 2.5mm, min_size: 7pt}\n", encoding="utf-8")
    assert main(["check", str(deck), "--theme", str(theme)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert re.match(r"^\S*narrow\.yaml:3: front\.number\.w: text does not fit: the word '1/2' .* — make the "
                    r"element wider, or its min_size smaller$", err[0]), err
