"""`deckgen make`: the deck's `outputs:` built into a folder, read back; up-to-date targets skipped by content."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from deckgen.cli.main import main

MM = 72 / 25.4
DECK = """\
deck:
  title: {fr: Jeu test, en: Test deck}
  lang: fr
  theme: mine.yaml
families:
  - id: edition
    name: {fr: Édition, en: Publishing}
    color: "#E4572E"
cards:
  - id: one
    family: edition
    title: {fr: Premier, en: First}
    summary: {fr: Un résumé court., en: A short summary.}
    source: https://example.org/one
  - id: two
    family: edition
    title: {fr: Deuxième, en: Second}
outputs:
  fr:
    output: deck-fr.pdf
  en:
    lang: en
    paper: letter
    output: deck-en.pdf
  handout:
    handout: true
  shop:
    profile: shop
    theme: other.yaml
"""
MINE = 'extends: classic\nfront:\n  title: {size: 18pt}\n'
OTHER = 'extends: classic\ncolors: {ink: "#111111"}\n'


def kit(folder: Path, deck: str = DECK) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.yaml").write_text(MINE, encoding="utf-8")
    (folder / "other.yaml").write_text(OTHER, encoding="utf-8")
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    return folder / "deck.yaml"


def make(capsys, deck: Path, *args: str) -> dict[str, str]:
    """Run make into the deck's out/ folder; {target: "built" or "up to date"} from its summary."""
    assert main(["make", str(deck), "-d", str(deck.parent / "out"), *args]) == 0
    out = capsys.readouterr().out
    return {m.group(1): "up to date" if m.group(2).endswith("up to date") else "built"
            for m in re.finditer(r"^([a-z0-9-]+): (.*)$", out, re.M) if m.group(1) != "make"}


def pdf(path: Path) -> tuple[list[tuple[float, float]], str]:
    doc = pdfium.PdfDocument(path)
    try:
        sizes = [tuple(round(v / MM) for v in page.get_size()) for page in doc]
        text = "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return sizes, text


def test_make_writes_every_target_then_skips_them_by_content(tmp_path, capsys):
    deck = kit(tmp_path / "kit")
    assert make(capsys, deck) == {"fr": "built", "en": "built", "handout": "built", "shop": "built"}
    out = deck.parent / "out"
    sizes, text = pdf(out / "deck-fr.pdf")
    assert set(sizes) == {(210, 297)} and "Premier" in text and "First" not in text
    sizes, text = pdf(out / "deck-en.pdf")
    assert set(sizes) == {(216, 279)} and "First" in text and "Premier" not in text
    sizes, text = pdf(out / "deck-handout.pdf")
    assert sizes == [(210, 297)] and "Premier" in text and "Deuxième" in text and "Un résumé court." in text
    sizes, _ = pdf(out / "deck-shop.pdf")
    assert sizes == [(69, 94)] * 4  # one card a page with 3 mm bleed, front and back
    state = (out / ".deckgen-make.json").read_bytes()

    assert set(make(capsys, deck).values()) == {"up to date"}
    os.utime(deck, (1, 1))  # touched, same content
    os.utime(deck.parent / "mine.yaml", None)
    assert set(make(capsys, deck).values()) == {"up to date"}
    assert (out / ".deckgen-make.json").read_bytes() == state


def test_a_changed_input_rebuilds_only_the_targets_that_read_it(tmp_path, capsys):
    deck = kit(tmp_path)
    make(capsys, deck)
    (tmp_path / "other.yaml").write_text(OTHER.replace("#111111", "#222222"), encoding="utf-8")
    assert make(capsys, deck) == {"fr": "up to date", "en": "up to date", "handout": "up to date", "shop": "built"}
    (tmp_path / "mine.yaml").write_text(MINE.replace("18pt", "17pt"), encoding="utf-8")
    assert make(capsys, deck) == {"fr": "built", "en": "built", "handout": "built", "shop": "up to date"}
    deck.write_text(DECK.replace("Premier", "Primo"), encoding="utf-8")
    assert set(make(capsys, deck).values()) == {"built"}
    assert "Primo" in pdf(tmp_path / "out" / "deck-fr.pdf")[1]
    deck.write_text(DECK.replace("paper: letter", "paper: a4"), encoding="utf-8")  # an option of one target
    assert make(capsys, deck, "fr", "en") == {"fr": "built", "en": "built"}  # the deck changed: both
    assert make(capsys, deck) == {"fr": "up to date", "en": "up to date", "handout": "built", "shop": "built"}
    assert pdf(tmp_path / "out" / "deck-en.pdf")[0][0] == (210, 297)


def test_force_and_a_deleted_or_changed_output_rebuild(tmp_path, capsys):
    deck = kit(tmp_path)
    make(capsys, deck)
    assert set(make(capsys, deck, "--force").values()) == {"built"}
    (tmp_path / "out" / "deck-en.pdf").unlink()
    (tmp_path / "out" / "deck-handout.pdf").write_bytes(b"%PDF-1.4 not ours")
    assert make(capsys, deck) == {"fr": "up to date", "en": "built", "handout": "built", "shop": "up to date"}
    assert pdf(tmp_path / "out" / "deck-handout.pdf")[0] == [(210, 297)]


def test_state_file_is_the_same_in_another_folder(tmp_path, capsys):
    states = []
    for name in ("a", "b/c"):
        deck = kit(tmp_path / name)
        make(capsys, deck, "fr", "shop")
        states.append((deck.parent / "out" / ".deckgen-make.json").read_bytes())
    assert states[0] == states[1]
    assert b"tmp" not in states[0] and b'"deck.yaml"' in states[0] and b'"other.yaml"' in states[0]


def test_unknown_target_and_a_deck_without_outputs_are_usage_errors(tmp_path, capsys):
    deck = kit(tmp_path)
    assert main(["make", str(deck), "-d", str(tmp_path / "out"), "fr", "de"]) == 2
    assert "unknown target 'de': the deck's targets are fr, en, handout, shop" in capsys.readouterr().err
    assert not (tmp_path / "out" / "deck-fr.pdf").exists()
    kit(tmp_path, DECK[:DECK.index("outputs:")])
    assert main(["make", str(deck), "-d", str(tmp_path / "out")]) == 2
    assert "has no outputs: section" in capsys.readouterr().err


@pytest.mark.parametrize("target, line, message", [
    ("  fr:\n    papr: a4\n", 20, r"outputs\.fr\.papr: unknown key 'papr' — did you mean 'paper'"),
    ("  fr:\n    paper: a5x\n", 20, r"outputs\.fr\.paper: not a paper deckgen knows: 'a5x' — one of a4, letter"),
    ("  fr:\n    pdfx: true\n    color: rgb\n", 19, r"outputs\.fr: pdfx is CMYK only: drop color rgb"),
    ("  fr:\n    only: famly=edition\n", 20, r"outputs\.fr\.only: not a selection: 'famly=edition'"),
    ("  fr:\n    output: ../x.pdf\n", 20, r"outputs\.fr\.output: not a name inside the output folder"),
    ('  fr:\n    output: "a\\0b.pdf"\n', 20, r"outputs\.fr\.output: not a file name: a path cannot hold a NUL"),
    ("  fr:\n    output: " + "x" * 300 + ".pdf\n", 20, r"outputs\.fr\.output: not a file name: a file or folder name"),
    ("  fr:\n    handout: true\n    profile: shop\n", 21, r"outputs\.fr\.profile: a handout takes no profile"),
    ("  fr:\n    theme: clasic\n", 20, r"outputs\.fr\.theme: unknown theme 'clasic' — did you mean 'classic'"),
    ("  a: {output: x.pdf}\n  b: {output: x.pdf}\n", 20, r"outputs\.b: writes x\.pdf, as target 'a' does"),
])
def test_bad_targets_are_reported_at_their_line(tmp_path, capsys, target, line, message):
    deck = kit(tmp_path, DECK[:DECK.index("outputs:")] + "outputs:\n" + target)
    assert main(["make", str(deck), "-d", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"deck\.yaml:{line}: {message}", err), err
    assert not (tmp_path / "out" / ".deckgen-make.json").exists()


def test_check_checks_each_targets_language_and_theme(tmp_path, capsys):
    deck = kit(tmp_path, DECK.replace("    theme: other.yaml", "    theme: broken.yaml"))
    (tmp_path / "broken.yaml").write_text('extends: classic\ncolors:\n  ink: "#12"\n', encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    captured = capsys.readouterr()
    assert re.search(r"broken\.yaml:3: colors\.ink: not a colour: '#12'", captured.err)
    assert "theme mine, language fr" in captured.out and "theme mine, language en" in captured.out
    deck.write_text(DECK + "  de:\n    lang: de\n", encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    captured = capsys.readouterr()
    assert "theme other, language fr" in captured.out
    assert "no 'de' text" in captured.err


def test_the_reference_deck_lists_a_workshop_kit(tmp_path, capsys):
    from conftest import MICRO

    shutil.copy(MICRO, tmp_path / "micro.yaml")
    assert main(["make", str(tmp_path / "micro.yaml"), "-d", str(tmp_path / "kit"), "home-en", "handout"]) == 0
    assert "First" not in pdf(tmp_path / "kit" / "micro-handout-fr.pdf")[1]
    assert "Personalization" in pdf(tmp_path / "kit" / "micro-en.pdf")[1]


def test_the_schema_covers_outputs():
    import json

    import jsonschema
    import yaml
    from conftest import ROOT

    validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schema" / "deck.schema.json").read_text("utf-8")))
    deck = yaml.safe_load(DECK)
    assert validator.is_valid(deck)
    for bad in ({"papr": "a4"}, {"paper": "a5x"}, {"profile": "poster"}, {"decks": 0}, {"handout": "yes"}):
        assert not validator.is_valid({**deck, "outputs": {"fr": bad}}), bad
    assert not validator.is_valid({**deck, "outputs": {"Not A Name": {}}})


def test_a_linked_spreadsheet_is_an_input(tmp_path, capsys):
    (tmp_path / "cards.csv").write_text("title,summary\nPremier,Un résumé.\nDeuxième,Un autre.\n", encoding="utf-8")
    deck = kit(tmp_path, "deck:\n  title: Tableau\n  lang: fr\ncards: {from: cards.csv}\n"
                         "outputs:\n  sheets: {output: t.pdf}\n  handout: {handout: true}\n")
    assert set(make(capsys, deck).values()) == {"built"}
    os.utime(tmp_path / "cards.csv", (1, 1))
    assert set(make(capsys, deck).values()) == {"up to date"}
    (tmp_path / "cards.csv").write_text("title,summary\nPrimo,Un résumé.\nDeuxième,Un autre.\n", encoding="utf-8")
    assert set(make(capsys, deck).values()) == {"built"}
    assert "Primo" in pdf(tmp_path / "out" / "t.pdf")[1]
    assert b'"cards.csv"' in (tmp_path / "out" / ".deckgen-make.json").read_bytes()


def test_an_online_table_is_an_input_by_its_bytes(tmp_path, capsys, monkeypatch, http_server):
    from http.server import BaseHTTPRequestHandler

    from deckgen.deck import remote

    class Table(BaseHTTPRequestHandler):
        body = "title,summary\nPremier,Un résumé.\nDeuxième,Un autre.\n".encode()

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body)

        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    remote.forget()
    url = http_server(Table).url + "/cards.csv"
    deck = kit(tmp_path / "kit", f"deck:\n  title: Tableau\n  lang: fr\ncards: {{from: '{url}'}}\n"
                                 "outputs:\n  sheets: {output: t.pdf}\n")
    def run() -> dict[str, str]:
        remote.forget()  # each make is a new process: it asks the server again (--refresh)
        return make(capsys, deck, "--allow-private", "--refresh")

    assert run() == {"sheets": "built"}
    assert run() == {"sheets": "up to date"}  # asked again: the same bytes
    Table.body = "title,summary\nPrimo,Un résumé.\nDeuxième,Un autre.\n".encode()
    assert run() == {"sheets": "built"}
    assert "Primo" in pdf(tmp_path / "kit" / "out" / "t.pdf")[1]
    remote.forget()
