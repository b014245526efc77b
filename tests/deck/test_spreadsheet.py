"""Decks from spreadsheets: Excel's French CSV, UTF-8 CSV with a BOM and .xlsx load to the same deck;
bad rows are reported with their file, row and column; `deckgen import` writes an equivalent deck file."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from pathlib import Path

import pytest
from conftest import build, normal, text_chunks

from deckgen.cli.main import main
from deckgen.deck.load import load_deck
from deckgen.deck.model import card_ids
from deckgen.deck.spreadsheets.read import read_csv_bytes, sniff_delimiter
from deckgen.errors import DeckError

HEADER = ["Titre", "title.en", "summary", "summary.en", "Famille", "source", "source_label", "tags", "copies",
          "Niveau", "source_label.en"]
ROWS = [
    ["Micro-Finance", "Microfinance", "Prêter peu, à beaucoup ; « l’argent » circule.\nDeuxième ligne.",
     "Lend little, to many.\nSecond line.", "Micro-économies", "https://fr.wikipedia.org/wiki/Microfinance",
     "Wikipédia — Microfinance", "atelier 1, Numérique", "2", "3", "Wikipedia — Microfinance"],
    ["Micro-brasseries", "Microbreweries", 'Des "bières" locales à 5 € ; œuvre collective.',
     "Local beers for €5.", "economies", "https://en.wikipedia.org/wiki/Microbrewery", "", "atelier-2", "", "", ""],
    ["Micro-contenus", "Micro-content", "Des formats **courts**, pour capter l’attention.",
     "**Short** formats that catch the eye.", "Micro-édition", "", "", "atelier-1;numerique", "1", "1", ""],
]
FAMILIES_YAML = """\
families:
  - id: edition
    name: {fr: "Micro-édition", en: "Micro-publishing"}
    color: "#E4572E"
  - id: economies
    name: {fr: "Micro-économies", en: "Micro-economies"}
    color: "#F2A900"
    description: {fr: "Petit et financé autrement.", en: "Small and funded differently."}
"""
FAMILY_ROWS = [["id", "name.fr", "name.en", "couleur", "description.fr", "description.en"],
               ["edition", "Micro-édition", "Micro-publishing", "E4572E", None, None],
               ["economies", "Micro-économies", "Micro-economies", "#F2A900", "Petit et financé autrement.",
                "Small and funded differently."]]


def french_excel_csv(rows=ROWS, header=HEADER) -> bytes:
    """What Excel (French locale) writes for "CSV (séparateur : point-virgule)": ; CRLF Windows-1252."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    return buf.getvalue().encode("cp1252")


def utf8_bom_csv(rows=ROWS, header=HEADER) -> bytes:
    """Excel's "CSV UTF-8": a BOM, commas, every field quoted (as LibreOffice can), LF line ends."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([header, *rows])
    return buf.getvalue().encode("utf-8-sig")


def workbook(path: Path, rows=ROWS, families: bool = True) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Cartes"
    ws.append(HEADER)
    for row in rows:
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])  # numbers as Excel keeps them
    if families:
        fs = wb.create_sheet("Familles")
        for row in FAMILY_ROWS:
            fs.append(row)
    wb.save(path)
    return path


def deck_file(folder: Path, table: str, families: bool = True, name: str = "deck.yaml") -> Path:
    deck = folder / name
    deck.write_text("deck: {title: Atelier, lang: fr}\n" + (FAMILIES_YAML if families else "")
                    + f"cards: {{from: {table}}}\n", encoding="utf-8")
    return deck


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages name files relative to the current folder


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    (tmp_path / "excel.csv").write_bytes(french_excel_csv())
    (tmp_path / "bom.csv").write_bytes(utf8_bom_csv())
    workbook(tmp_path / "trends.xlsx")
    return [deck_file(tmp_path, "excel.csv", name="a.yaml"), deck_file(tmp_path, "bom.csv", name="b.yaml"),
            deck_file(tmp_path, "trends.xlsx", families=False, name="c.yaml")]


def test_excel_csv_utf8_bom_csv_and_xlsx_load_to_the_same_deck(three):
    assert (three[0].parent / "excel.csv").read_bytes().count(b"\r\n") >= 4
    assert b"\xe9" in (three[0].parent / "excel.csv").read_bytes()  # é in Windows-1252
    decks = [load_deck(p).deck for p in three]
    assert decks[0] == decks[1] == decks[2]  # the .xlsx takes its families from its "Familles" sheet
    deck = decks[0]
    first = deck.cards[0]
    assert first.title == {"fr": "Micro-Finance", "en": "Microfinance"}
    assert first.summary == {"fr": "Prêter peu, à beaucoup ; « l’argent » circule.\nDeuxième ligne.",
                             "en": "Lend little, to many.\nSecond line."}
    assert first.family == "economies"  # the family's name, mapped to its id
    assert first.source.url == "https://fr.wikipedia.org/wiki/Microfinance"
    assert first.source.label == {"fr": "Wikipédia — Microfinance", "en": "Wikipedia — Microfinance"}
    assert first.tags == ["atelier-1", "numerique"] and first.copies == 2 and first.fields == {"niveau": "3"}
    assert deck.cards[1].summary["fr"] == 'Des "bières" locales à 5 € ; œuvre collective.'
    assert deck.cards[1].source.label is None and deck.cards[2].source is None
    assert card_ids(deck) == ["micro-finance", "micro-brasseries", "micro-contenus"]


def test_spreadsheet_deck_builds_in_either_language(three, tmp_path):
    for lang, title in (("fr", "Micro-brasseries"), ("en", "Microbreweries")):
        pdf = build(tmp_path, "--lang", lang, deck=three[0], name=f"{lang}.pdf")
        text = normal("".join(c.text for page in text_chunks(pdf) for c in page))
        assert normal(title) in text


def test_only_and_exclude_on_spreadsheet_tags(three):
    from deckgen.deck.select import parse_expr
    from deckgen.pipeline.prepare import Options, prepare

    prep = prepare(three[2], Options(only=(parse_expr("tag=atelier-1"),), exclude=(parse_expr("family=edition"),)))
    assert [c.id for c in prep.cards] == ["micro-finance"]
    prep = prepare(three[2], Options(only=(parse_expr("tag=atelier-1,atelier-2"),)))
    assert [c.id for c in prep.cards] == ["micro-finance", "micro-brasseries", "micro-contenus"]


def run_check(deck: Path, capsys) -> tuple[int, list[str]]:
    code = main(["check", str(deck)])
    return code, capsys.readouterr().err.strip().splitlines()


def test_bad_rows_are_reported_with_their_line_and_column(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "ftp://example.org/beer"  # the 2nd data row starts on line 5: row 1 spans lines 2-4
    rows[2][8] = "deux"
    rows.append(["", "", "A card without a title", "", "edition", "", "", "", "", ""])
    (tmp_path / "trends.csv").write_bytes(french_excel_csv(rows))
    deck = deck_file(tmp_path, "trends.csv")
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"OLD")
    assert main(["build", str(deck), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert any(re.fullmatch(r"trends\.csv:5: row 3, column \"source\": not an http\(s\) URL: "
                            r"'ftp://example\.org/beer' — write the full address starting with https://", e)
               for e in err), err
    assert any(re.fullmatch(r"trends\.csv:6: row 4, column \"copies\": not a number of copies: 'deux' — "
                            r"a whole number, 1 or more", e) for e in err), err
    assert any(re.match(r'trends\.csv:7: row 5, column "Titre": empty — every card needs a title', e) for e in err)
    assert len(err) == 3 and "Traceback" not in "".join(err)
    assert out.read_bytes() == b"OLD"


def test_bad_cell_in_a_workbook_names_sheet_row_and_column(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[2][5] = "not a url"
    workbook(tmp_path / "trends.xlsx", rows)
    code, err = run_check(deck_file(tmp_path, "trends.xlsx", families=False), capsys)
    assert code == 1
    assert err == ["trends.xlsx:4: sheet \"Cartes\", column \"source\": not an http(s) URL: 'not a url' — "
                   "write the full address starting with https://"]


def test_unknown_family_and_missing_title_column(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[0][4] = "Micro-economie"
    (tmp_path / "trends.csv").write_bytes(french_excel_csv(rows))
    code, err = run_check(deck_file(tmp_path, "trends.csv"), capsys)
    assert code == 1 and len(err) == 1
    assert re.match(r"trends\.csv:2: column \"Famille\": unknown family 'Micro-economie' — ", err[0])
    (tmp_path / "no-title.csv").write_text("name;summary\nA;B\n", encoding="utf-8")
    code, err = run_check(deck_file(tmp_path, "no-title.csv"), capsys)
    assert code == 1 and err == ['no-title.csv:1: no "title" column — the first row names the columns; '
                                 'it has "name", "summary"']


def test_forced_encoding_is_used_and_a_wrong_one_names_the_line(tmp_path, capsys):
    (tmp_path / "trends.csv").write_bytes(french_excel_csv())
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: A, lang: fr}\n" + FAMILIES_YAML
                    + "cards: {from: trends.csv, encoding: utf-8}\n", encoding="utf-8")
    code, err = run_check(deck, capsys)
    assert code == 1 and len(err) == 1
    assert re.match(r"trends\.csv:2: not utf-8 text \(byte \d+: b'\\xea'\) — save it as UTF-8", err[0])
    out = tmp_path / "imported.yaml"
    assert main(["import", str(tmp_path / "trends.csv"), "-o", str(out), "--encoding", "cp1252", "--delimiter", ";",
                 "--lang", "fr"]) == 0
    assert "Prêter peu" in out.read_text(encoding="utf-8")
    assert "encoding cp1252, separator ';'" in capsys.readouterr().out


@pytest.mark.parametrize("text, expected", [("a;b\n1;2,5\n3;4,5\n", ";"), ('a,b\n"x;y",2\n', ","),
                                            ("a\tb\n1\t2\n", "\t"), ("title\nHello, world\n", ";")])
def test_separator_is_detected(text, expected):
    assert sniff_delimiter(text) == expected


def test_excel_sep_line_and_line_numbers_of_multiline_records():
    raw = b'sep=;\r\ntitle;body\r\nA;"one\r\ntwo"\r\nB;x\r\n'
    table = read_csv_bytes(raw, "t.csv")
    assert table.delimiter == ";" and table.headers == ["title", "body"] and table.header_line == 2
    assert [(line, cells) for line, _, cells in table.rows] == [(3, ["A", "one\ntwo"]), (5, ["B", "x"])]


def test_hyperlinked_cell_gives_the_url_and_the_label(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["title", "source"])
    ws.append(["Micro-sites", "Wikipedia"])
    ws["B2"].hyperlink = "https://en.wikipedia.org/wiki/Microsite"
    wb.save(tmp_path / "links.xlsx")
    (tmp_path / "deck.yaml").write_text("deck: {title: T}\ncards: {from: links.xlsx}\n", encoding="utf-8")
    card = load_deck(tmp_path / "deck.yaml").deck.cards[0]
    assert card.source.url == "https://en.wikipedia.org/wiki/Microsite" and card.source.label == "Wikipedia"


def test_import_writes_a_deck_equal_to_the_spreadsheet(three, tmp_path, capsys):
    xlsx = tmp_path / "trends.xlsx"
    out = tmp_path / "out" / "atelier.yaml"
    out.parent.mkdir()  # deckgen writes into existing folders only
    assert main(["import", str(xlsx), "-o", str(out), "--title", "Atelier", "--lang", "fr"]) == 0
    assert re.match(r".*atelier\.yaml: 3 cards, 2 families from .*trends\.xlsx \(sheet 'Cartes'\), language fr",
                    capsys.readouterr().out)
    imported = load_deck(out).deck
    linked = load_deck(three[2]).deck
    assert card_ids(imported) == card_ids(linked)
    assert imported.families == linked.families and imported.deck == linked.deck
    assert [c.model_dump(exclude={"id"}) for c in imported.cards] == [c.model_dump(exclude={"id"}) for c in
                                                                      linked.cards]
    assert main(["import", str(xlsx), "-o", str(tmp_path / "linked.yaml"), "--link", "--lang", "fr"]) == 0
    text = (tmp_path / "linked.yaml").read_text(encoding="utf-8")
    assert "from: trends.xlsx" in text and "families" not in text.split("cards:")[0].split("deck:")[1]
    assert load_deck(tmp_path / "linked.yaml").deck.cards == linked.cards


def test_import_derives_families_and_guesses_the_language_of_plain_columns(tmp_path, capsys):
    (tmp_path / "trends.csv").write_bytes(utf8_bom_csv())
    out = tmp_path / "deck.yaml"
    assert main(["import", str(tmp_path / "trends.csv"), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "language fr: the column names are French (Titre, Famille) — --lang to choose another" in said
    deck = load_deck(out).deck
    assert deck.deck.lang == "fr"
    assert [(f.id, f.name) for f in deck.families] == [("micro-economies", "Micro-économies"),
                                                         ("economies", "economies"), ("micro-edition", "Micro-édition")]
    assert [c.family for c in deck.cards] == ["micro-economies", "economies", "micro-edition"]


def test_import_asks_for_the_language_of_plain_columns_it_cannot_tell_apart(tmp_path, capsys):
    """Plain English titles beside title.en columns: they cannot be English, and nothing says which they are."""
    rows = ["The power of the small, for the many and for the few", "A shop that is the size of a room",
            "The work of the crowd is done in the time of a coffee"]
    (tmp_path / "t.csv").write_text("title,title.en\n" + "".join(f"{r},{r}\n" for r in rows), encoding="utf-8")
    out = tmp_path / "deck.yaml"
    assert main(["import", str(tmp_path / "t.csv"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert 'the column "title" has no language, beside a column of the same field in en' in err and "--lang" in err
    assert not out.exists()
    assert main(["import", str(tmp_path / "t.csv"), "-o", str(out), "--lang", "fr"]) == 0


def test_a_deck_without_the_spreadsheet_says_where_it_looked(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent("""\
        deck: {title: T}
        cards:
          from: missing.csv
    """), encoding="utf-8")
    code, err = run_check(deck, capsys)
    assert code == 1 and len(err) == 1 and re.match(r".*deck\.yaml:3: cards\.from: no such file: missing\.csv", err[0])


@pytest.mark.parametrize("link", ["ftp://example.com/t.csv", "file:///etc/t.csv", "SFTP://host/t.xlsx"])
def test_a_table_link_of_another_scheme_is_refused_as_such(tmp_path, capsys, link):
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"deck: {{title: T}}\ncards:\n  from: {link}\n", encoding="utf-8")
    code, err = run_check(deck, capsys)
    scheme = link.split(":")[0]
    assert code == 1 and len(err) == 1 and err[0].endswith(
        f"deck.yaml:3: cards.from: only http(s) links can be read, not {scheme}: — download the table next to the "
        "deck, or give its https:// address")
    for ref, where, what in (("{from: x.pdf}", "cards", "not a spreadsheet: 'x.pdf'"),
                             ("{from: x.csv, sheet: 3}", "cards.sheet", "input should be a valid string"),
                             ("{from: x.csv, delimiter: ';;'}", "cards", "a delimiter is one character")):
        deck.write_text(f"deck: {{title: T}}\ncards: {ref}\n", encoding="utf-8")
        with pytest.raises(DeckError) as exc:
            load_deck(deck)
        assert [(p.line, p.where) for p in exc.value.problems] == [(2, where)]
        assert exc.value.problems[0].what.startswith(what)


def test_a_plain_text_column_is_in_the_decks_language(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("titre;title.en;corps\nUn;One;Corps français\nDeux;Two;\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: {fr: T, en: T}, lang: fr}\ncards: {from: t.csv}\n", encoding="utf-8")
    out = tmp_path / "en.pdf"
    assert main(["build", str(deck), "--lang", "en", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "t.csv:2: column \"corps\": no 'en' text (card 'un')" in err and not out.exists()
    assert main(["check", str(deck)]) == 1
    assert "t.csv:2: column \"corps\": no 'en' text (card 'un')" in capsys.readouterr().err
    assert main(["build", str(deck), "--lang", "en", "--fallback", "fr", "-o", str(out)]) == 0
    assert main(["build", str(deck), "-o", str(tmp_path / "fr.pdf")]) == 0
    text = normal("".join(c.text for page in text_chunks(tmp_path / "fr.pdf") for c in page))
    assert normal("Corps français") in text


def test_import_writes_language_maps_and_defaults_to_the_first_column_language(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("titre.fr;titre.en;corps\nUn;One;Corps français\n", encoding="utf-8")
    out = tmp_path / "deck.yaml"
    assert main(["import", str(tmp_path / "t.csv"), "-o", str(out)]) == 0  # no --lang: fr, the first one
    deck = load_deck(out).deck
    assert deck.deck.lang == "fr" and deck.cards[0].body == {"fr": "Corps français"}
    assert main(["build", str(out), "--lang", "en", "-o", str(tmp_path / "en.pdf")]) == 1
    assert "no 'en' text (card 'un')" in capsys.readouterr().err


def test_a_sheet_in_one_language_stays_simple(tmp_path):
    (tmp_path / "t.csv").write_text("titre;corps\nUn;Corps français\n", encoding="utf-8")
    out = tmp_path / "deck.yaml"
    assert main(["import", str(tmp_path / "t.csv"), "-o", str(out), "--lang", "fr"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "title: Un" in text and "body: Corps français" in text
    deck = tmp_path / "linked.yaml"
    deck.write_text("deck: {title: T, lang: fr}\ncards: {from: t.csv}\n", encoding="utf-8")
    assert main(["build", str(deck), "-o", str(tmp_path / "fr.pdf")]) == 0
