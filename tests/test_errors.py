"""Bad input: one clear FILE:LINE line per problem, exit 1, no traceback, and the output left untouched."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deckgen.cli import main

GOOD = """\
deck:
  title: Test deck
  lang: fr
families:
  - id: edition
    name: Édition
    color: "#E4572E"
cards:
  - id: one
    family: edition
    title: Premier
    summary: Un résumé court.
    body: Un corps de texte.
    source: https://example.org/one
  - title: Deuxième carte
    family: edition
    source: {url: "https://example.org/two", label: Exemple}
"""


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
                        r"deck\.yaml:15: cards\[0\]\.copies: input should be greater than or equal to 1"),
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
    "emoji": (GOOD.replace("    title: Premier", "    title: Premier 🚀"),
              r"deck\.yaml:11: cards\[0\]\.title: the font has no glyph for '🚀' \(U\+1F680\)"),
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
    from deckgen.loader import load_deck

    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: No}\ncards:\n  - title: 2024-05-01\n  - {title: On, summary: Off, copies: 2}\n",
                    encoding="utf-8")
    loaded = load_deck(deck).deck
    assert loaded.deck.title == "No"
    assert [c.title for c in loaded.cards] == ["2024-05-01", "On"]
    assert loaded.cards[1].summary == "Off" and loaded.cards[1].copies == 2
