"""QA audit fixes: long URLs, bad template fields, unwritable outputs, big decks' numbers, QR quiet zones,
replaced fonts, plurals."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from deckgen.cli.main import main

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


LONG = "https://example.org/" + "a" * 2400


@pytest.mark.parametrize("command", ["check", "build", "preview", "handout"])
@pytest.mark.parametrize("form", ["plain", "mapping"])
def test_a_url_too_long_for_a_qr_code_is_a_deck_problem_at_its_line(tmp_path, capsys, command, form):
    source = LONG if form == "plain" else f"{{url: {LONG}, label: Lien}}"
    deck = write(tmp_path, "deck: {title: One}\nfamilies:\n  - {id: solo, name: Solo, color: '#3366AA'}\n"
                 f"cards:\n  - title: Seule\n    source: {source}\n    family: solo\n")
    extra = [] if command == "check" else ["-o", str(tmp_path / "out")]
    assert main([command, str(deck), *extra]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"{deck}:6: cards[0].source.url: too long for a QR code: {len(LONG)} characters, at most about 2,300 "
        "at level M — use a shorter link"], err


def test_qr_data_too_long_from_a_template_is_an_issue_not_a_crash():
    from deckgen.design.layout import layout_side
    from deckgen.design.theme_model import Element

    el = Element(type="qr", x="0mm", y="0mm", w="20mm", h="20mm", data="{source.url}{body}")
    ctx = {"source": {"url": "https://example.org/", "label": "x"}, "body": "b" * 2400}
    lay = layout_side({"qr": el}, ctx, card_w=180, card_h=250, colors={}, metrics=None, lang="en")
    assert [(i.element, i.field, i.what) for i in lay.issues] == [
        ("qr", "source.url", "too long for a QR code: 2420 characters, at most about 2,300 at level M")]
    assert lay.ops == []


BAD_TEMPLATES = {  # theme lines (after `extends: classic`) -> the message's key and text
    "color a-b": ("front:\n  number: {color: '{a-b}'}\n", "front.number.color", "not a field name: '{a-b}'"),
    "color é": ("front:\n  number: {color: '{é}'}\n", "front.number.color", "not a field name: '{é}'"),
    "color space": ("front:\n  number: {color: '{a b}'}\n", "front.number.color", "not a field name: '{a b}'"),
    "contrast": ("front:\n  number: {color: 'contrast({family.col🚀})'}\n", "front.number.color",
                 "not a field name: '{family.col🚀}'"),
    "braces left": ("front:\n  number: {color: '{{x}}'}\n", "front.number.color", "unknown colour '{{x}}'"),
    "fill group": ("front:\n  band: {fill: '{source}'}\n", "front.band.fill",
                   "'{source}' is a group of fields, not a value — use {source.url} or {source.label}"),
    "text group": ("front:\n  number: {text: 'see {source}'}\n", "front.number.text",
                   "'{source}' is a group of fields, not a value — use {source.url} or {source.label}"),
    "text family": ("front:\n  number: {text: '{family}'}\n", "front.number.text",
                    "'{family}' is a group of fields, not a value — use {family.name}"),
    "text a-b": ("front:\n  number: {text: '{a-b}'}\n", "front.number.text", "not a field name: '{a-b}'"),
    "text family.": ("front:\n  number: {text: '{family.}'}\n", "front.number.text", "not a field name: '{family.}'"),
}


@pytest.mark.parametrize("name", list(BAD_TEMPLATES))
def test_a_template_field_that_is_not_a_value_is_a_theme_problem(tmp_path, capsys, name):
    lines, where, what = BAD_TEMPLATES[name]
    theme = write(tmp_path, "extends: classic\n" + lines, "theme.yaml")
    deck = write(tmp_path, ONE)
    assert main(["check", str(deck), "--theme", str(theme)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"{theme}:3: {where}: {what}"), err


def test_literal_braces_stay_literal():
    from deckgen.design.templates import fill_template

    assert fill_template("{{x}} {number}/{total} }}", {"number": 3, "total": 9}) == "{x} 3/9 }"


def _unwritable(tmp_path: Path) -> dict[str, list[str]]:
    """Each command that writes, with an output it cannot write: a folder that is a file, a path under a file."""
    deck, afile, table = tmp_path / "deck.yaml", tmp_path / "afile", tmp_path / "t.csv"
    return {
        "preview into a file": ["preview", str(deck), "-o", str(afile)],
        "preview under a file": ["preview", str(deck), "-o", str(afile / "sub")],
        "build under a file": ["build", str(deck), "-o", str(afile / "sub.pdf")],
        "build a folder": ["build", str(deck), "-o", str(tmp_path)],
        "png into a file": ["build", str(deck), "--profile", "png", "-o", str(afile)],
        "png under a file": ["build", str(deck), "--profile", "png", "-o", str(afile / "sub")],
        "shop under a file": ["build", str(deck), "--profile", "shop", "-o", str(afile / "s.pdf")],
        "fold under a file": ["build", str(deck), "--profile", "fold", "-o", str(afile / "f.pdf")],
        "handout under a file": ["handout", str(deck), "-o", str(afile / "h.pdf")],
        "import under a file": ["import", str(table), "-o", str(afile / "d.yaml")],
        "calibrate under a file": ["calibrate", "-o", str(afile / "c.pdf")],
        "themes --copy under a file": ["themes", "--copy", "classic", str(afile / "t.yaml")],
    }


CANNOT = re.compile(r"^error: (\S+): cannot write: (Not a directory|\S*afile is a file, not a folder|Is a directory)$")


@pytest.mark.parametrize("name", list(_unwritable(Path("/nonexistent"))))
def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(tmp_path, capsys, name):
    args = _unwritable(tmp_path)[name]
    write(tmp_path, ONE)
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "t.csv").write_text("title;summary\nA;B\n", encoding="utf-8")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1 and CANNOT.match(lines[0]), err
    assert CANNOT.match(lines[0]).group(1) == args[-1]
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_watch_prints_a_preview_it_cannot_write_and_goes_on(tmp_path, capsys, monkeypatch):
    import functools

    import deckgen.cli.watch

    deck, afile = write(tmp_path, ONE), tmp_path / "afile"
    afile.write_text("x")
    once = functools.partial(deckgen.cli.watch.watch_files, iterations=0)
    monkeypatch.setattr(deckgen.cli.watch, "watch_files", once)
    assert main(["watch", str(deck), "-o", str(tmp_path / "w.pdf"), "--preview", str(afile), "-q"]) == 0
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"error: {afile}: cannot write: {afile} is a file, not a folder"], err
    assert (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF-")


def test_a_font_file_replaced_by_another_is_read_again(tmp_path):
    import os
    import shutil

    from deckgen.design.theme_model import FontFamily
    from deckgen.output.fonts import PACKAGE_FONTS, FontBook

    font = tmp_path / "Mine-Regular.ttf"
    family = {"body": FontFamily(regular=font.name)}
    text = "Hello wide world"
    sans = FontBook({}, []).width(text, "body", "regular", 10)
    serif = FontBook({"body": FontFamily(regular="NotoSerif-Regular.ttf")}, []).width(text, "body", "regular", 10)
    assert abs(sans - serif) > 1

    shutil.copyfile(PACKAGE_FONTS / "NotoSans-Regular.ttf", font)
    os.utime(font, ns=(1_000_000_000, 1_000_000_000))
    assert FontBook(family, [tmp_path]).width(text, "body", "regular", 10) == pytest.approx(sans)
    shutil.copyfile(PACKAGE_FONTS / "NotoSerif-Regular.ttf", font)  # what `watch` sees when a designer swaps it
    os.utime(font, ns=(2_000_000_000, 2_000_000_000))
    book = FontBook(family, [tmp_path])
    assert book.width(text, "body", "regular", 10) == pytest.approx(serif)
    assert book.missing("Ω", "body", "regular") == ""


@pytest.mark.parametrize("theme", ["classic", "editorial", "ink-saver"])
@pytest.mark.parametrize("number", [10000, 99999])
def test_five_digit_numbers_fit_every_builtin_theme(theme, number):
    from deckgen.design.layout import layout_side
    from deckgen.design.themes import builtin_themes, load_theme
    from deckgen.output.fonts import FontBook
    from deckgen.pipeline.prepare import BASE_COLORS
    from deckgen.units import parse_card_size, parse_length

    loaded = load_theme(theme, Path.cwd())
    t = loaded.theme
    fonts = FontBook(dict(t.fonts), [])
    card_w, card_h = parse_card_size(t.card)
    ctx = {"deck": {"title": "Deck", "subtitle": None, "author": None, "lang": "en"}, "id": "c", "number": number,
           "total": number, "title": "Title", "summary": "Summary.", "body": "Body.",
           "family": {"id": "f", "name": "Family", "color": "#3366AA", "description": "", "image": ""},
           "source": None, "tags": "", "image": ""}
    assert theme in builtin_themes()
    shown = ""
    for side in ("front", "back"):
        els = {name: el for name, el in getattr(t, side).items() if el is not None and "{number}" in (el.text or "")}
        lay = layout_side(els, ctx, card_w=card_w, card_h=card_h, colors={**BASE_COLORS, **t.colors},
                          metrics=fonts, lang="en")
        assert lay.issues == []
        for note in lay.fits:
            el = els[note.element]
            assert note.fits and not note.ellipsised
            assert note.size >= parse_length(el.min_size or el.size)
        shown += "".join(r.text for op in lay.ops for r in getattr(op, "runs", ()))
    assert str(number) in shown


def test_check_warns_when_the_qr_quiet_zone_overlaps_a_text_box(tmp_path, capsys):
    theme = write(tmp_path, "extends: classic\nfront:\n  qr: {type: qr, when: source, x: 4mm, y: 14mm, w: 20mm, "
                            "h: 20mm, data: '{source.url}'}\n", "theme.yaml")
    deck = write(tmp_path, ONE)
    assert main(["check", str(deck), "--theme", str(theme)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "quiet zone" in line]
    assert warnings == [f"warning: {theme}:3: front.qr: the QR code's quiet zone (the light margin of 4 modules "
                        f"around it) overlaps the box of text element '{name}' — move them apart or make the QR "
                        "code smaller" for name in ("family", "title")], warnings


@pytest.mark.parametrize("theme", ["classic", "editorial", "ink-saver", "workshop"])
def test_the_builtin_themes_keep_their_qr_quiet_zones_clear(tmp_path, capsys, theme):
    # the shortest URL makes the smallest code (21 modules): the widest quiet zone, 4/21 of the code's side
    deck = write(tmp_path, ONE.replace("https://example.org/x", "https://x.org"))
    assert main(["check", str(deck), "--theme", theme, "-q"]) == 0
    assert "quiet zone" not in capsys.readouterr().err


def test_a_number_box_too_small_warns_once_with_allow_overflow_as_it_is_one_problem_without(tmp_path, capsys):
    """deckgen's own text (7/29) that does not fit is the theme's box: said once, not once per card (a
    100,000-card deck printed 90,001 warnings)."""
    write(tmp_path, "extends: classic\nfront:\n  number: {w: 2mm}\n", "theme.yaml")
    cards = "".join(f"  - {{title: Carte {i}}}\n" for i in range(12))
    deck = write(tmp_path, f"deck: {{title: T, theme: theme.yaml}}\ncards:\n{cards}")
    assert main(["check", str(deck)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "front.number.w" in err and "and maybe others" in err, err
    assert main(["check", str(deck), "--allow-overflow"]) == 0
    warned = capsys.readouterr().err.strip().splitlines()
    assert len(warned) == 1 and warned[0].startswith("warning: ") and "and maybe others" in warned[0], warned


def test_check_reads_the_deck_once_whatever_its_languages(tmp_path, capsys, monkeypatch):
    """A 100,000-row spreadsheet costs seconds and hundreds of MB to read: check read it once per language
    and once more, holding two copies at a time."""
    import deckgen.deck.load
    import deckgen.pipeline.prepare

    reads = []
    real = deckgen.deck.load.read_deck

    def counting(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(deckgen.deck.load, "read_deck", counting)
    monkeypatch.setattr(deckgen.pipeline.prepare, "read_deck", counting)
    deck = write(tmp_path, "deck: {title: T, lang: fr}\ncards:\n  - {title: {fr: Une, en: One}}\n")
    assert main(["check", str(deck)]) == 0
    assert "language fr" in capsys.readouterr().out
    assert len(reads) == 1


def test_a_deck_title_too_long_for_a_footer_is_reported_once_at_its_line(tmp_path, capsys):
    """The built-in themes cut a long deck title with "…" (a warning); a theme that refuses to cut it gets one
    problem per element, at the deck's line, not one per card."""
    cards = "\n".join(f"  - {{id: c{i}, family: solo, title: Carte {i}, summary: Un résumé.}}" for i in range(6))
    deck = write(tmp_path, "deck: {title: " + "Atelier tendances " * 12 + "}\nfamilies:\n"
                 '  - {id: solo, name: Solo, color: "#3366AA"}\ncards:\n' + cards + "\n")
    assert main(["check", str(deck), "--theme", "classic"]) == 0
    warned = [line for line in capsys.readouterr().err.strip().splitlines() if "deck.title" in line]
    assert warned and all(line.startswith(f"warning: {deck}:1: deck.title: text cut short") for line in warned)
    assert len(warned) == len({re.search(r"\((\w+ [\w-]+), every card\)", w).group(1) for w in warned})
    write(tmp_path, "extends: classic\nfront:\n  footer: {overflow: error}\nback:\n  deck: {overflow: error}\n",
          "strict.yaml")
    assert main(["check", str(deck), "--theme", str(tmp_path / "strict.yaml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    problems = [line for line in err if "deck.title" in line]
    assert problems and all(line.startswith(f"{deck}:1: deck.title: ") for line in problems)
    where = [re.search(r"\((\w+ [\w-]+), every card\)", line) for line in problems]
    assert all(where) and len({m.group(1) for m in where if m}) == len(problems)  # once per element, not per card
    assert all("every card" in line and "card 'c" not in line for line in problems)
