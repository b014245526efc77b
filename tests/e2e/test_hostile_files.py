"""Broken and hostile files (issue 13): each is one line naming the file (and its deck line), exit 1,
nothing written — no traceback, no hang, no unbounded memory. Big inputs are made here, never committed."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from deckgen.cli.main import main

SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
          + b"]>")


def workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "title", "Card"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patched(raw: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


def check(tmp: Path, capsys: pytest.CaptureFixture[str], deck_text: str, *args: str) -> tuple[int, list[str]]:
    deck = tmp / "deck.yaml"
    deck.write_text(deck_text, encoding="utf-8")
    code = main(["check", str(deck), *args])
    out = capsys.readouterr()
    lines = [ln.replace(f"{tmp}/", "") for ln in out.err.splitlines() if ln.strip()]  # stdout: the totals
    assert "Traceback" not in out.err
    return code, lines


@pytest.mark.parametrize(("case", "says"), [
    ("malformed", "not a readable .xlsx workbook"),
    ("laughs", "not a readable .xlsx workbook"),
    ("external", "not a readable .xlsx workbook"),
    ("xfd", "1,048,576 rows, more than deckgen's limit of 200,000"),
])
def test_hostile_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, says: str) -> None:
    raw = workbook()
    change = {
        "malformed": lambda d: d[: len(d) // 2],
        "laughs": lambda d: LAUGHS + d.replace(b"<t>Card</t>", b"<t>&i;</t>"),
        "external": lambda d: b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                              + d.replace(b"<t>Card</t>", b"<t>&e;</t>"),
        "xfd": lambda d: d.replace(b'r="A2"', b'r="XFD1048576"').replace(b'<row r="2"', b'<row r="1048576"')
                          .replace(b"A1:A2", b"A1:XFD1048576"),
    }[case]
    data = patched(raw, SHEET, change)
    assert len(data) < 6000  # the 4.7 KB trick
    (tmp_path / "t.xlsx").write_bytes(data)
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: t.xlsx}\n")
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith("t.xlsx: ") and says in lines[0], lines
    assert "root:" not in lines[0]  # /etc/passwd never read into a card


def test_a_workbook_that_inflates_beyond_the_limit_is_refused_unread(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    raw = patched(workbook(), "docProps/app.xml", lambda d: d + b" " * 210_000_000)  # compresses to ~200 KB
    (tmp_path / "t.xlsx").write_bytes(raw)
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: t.xlsx}\n")
    assert code == 1 and "unzipped" in lines[0], lines


def test_rows_beyond_the_limit_are_refused(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "big.csv").write_text("title\n" + "x\n" * 200_001, encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: big.csv}\n")
    assert code == 1 and lines == ["big.csv: 200,001 rows, more than deckgen's limit of 200,000 — split the "
                                   "spreadsheet into several decks"], lines


def test_a_sheet_of_more_cards_than_a_build_may_print_is_refused_before_they_are_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """100,000 rows took 113 s and 947 MB to check: more rows than MAX_FACES / 2 cards are refused unread."""
    (tmp_path / "big.csv").write_text("title\n" + "x\n" * 50_001, encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: big.csv}\n")
    assert code == 1 and lines == ["big.csv: 100,002 card faces (50,001 rows of cards, fronts and backs), more than "
                                   "deckgen's limit of 100,000 — split the sheet into several decks, or choose "
                                   "some of its cards with --only"], lines


def test_cards_chosen_with_only_are_counted_after_the_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.limits
    import deckgen.pipeline.prepare

    for module in (deckgen.limits, deckgen.pipeline.prepare):  # a limit of 3 cards, 6 faces
        monkeypatch.setattr(module, "MAX_CARDS", 3)
        monkeypatch.setattr(module, "MAX_FACES", 6)
    (tmp_path / "t.csv").write_text("id,title,copies\na,A,1\nb,B,1\nc,C,1\nd,D,1\n", encoding="utf-8")
    deck = "deck: {title: T}\ncards: {from: t.csv}\n"
    code, lines = check(tmp_path, capsys, deck)
    assert code == 1 and lines[0].startswith("t.csv: 8 card faces (4 rows of cards"), lines
    code, lines = check(tmp_path, capsys, deck, "--only", "id=a,b,c")
    assert code == 0, lines
    (tmp_path / "t.csv").write_text("id,title,copies\na,A,2\nb,B,2\n", encoding="utf-8")  # 2 rows, 8 faces
    code, lines = check(tmp_path, capsys, deck)
    assert code == 1 and lines == ["deck.yaml: 8 card faces (the cards and their copies, fronts "
                                   "and backs), more than deckgen's limit of 6 — split the deck into several "
                                   "decks, or choose some of its cards with --only"], lines


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "-1mm", "1e400mm"])
def test_theme_numbers_out_of_range(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    (tmp_path / "theme.yaml").write_text(f"extends: classic\nsafe: 4mm\nfront:\n  title: {{size: {value}}}\n",
                                         encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n")
    assert code == 1 and len(lines) == 1 and lines[0].startswith("theme.yaml:4: front.title.size:"), lines


@pytest.mark.parametrize(("key", "value"), [("min_module", "-1mm"), ("min_module", "0mm"), ("x", ".nan"),
                                            ("w", ".inf")])
def test_qr_numbers_out_of_range(tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str) -> None:
    (tmp_path / "theme.yaml").write_text(f"extends: classic\nback:\n  qr: {{{key}: {value}}}\n", encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n")
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"theme.yaml:3: back.qr.{key}:"), lines


def test_a_negative_safe_margin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "theme.yaml").write_text("extends: classic\nsafe: -2mm\n", encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n")
    assert code == 1 and len(lines) == 1 and lines[0].startswith("theme.yaml:2: safe:"), lines


@pytest.mark.parametrize("where", ["deck: {title: T, theme: \"a\\0b.yaml\"}\ncards:\n  - title: A\n",
                                   "deck: {title: T}\ncards:\n  - title: A\n    image: \"a\\0b.png\"\n",
                                   "deck: {title: T}\ncards: {from: \"a\\0b.csv\"}\n",
                                   f"deck: {{title: T, theme: {'x' * 300}.yaml}}\ncards:\n  - title: A\n",
                                   f"deck: {{title: T}}\ncards:\n  - title: A\n    image: {'x' * 300}.png\n"])
def test_paths_that_cannot_name_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    code, lines = check(tmp_path, capsys, where)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("deck.yaml:"), lines


def test_a_truncated_font(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deckgen.output.fonts import PACKAGE_FONTS

    font = (PACKAGE_FONTS / "NotoSans-Regular.ttf").read_bytes()
    (tmp_path / "bad.ttf").write_bytes(font[:2000])
    (tmp_path / "theme.yaml").write_text("extends: classic\nfonts:\n  body: {regular: bad.ttf}\n", encoding="utf-8")
    code, lines = check(tmp_path, capsys, "deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n")
    assert code == 1 and lines[0].startswith("theme.yaml:3: fonts.body.regular:"), lines


def png_header(w: int, h: int) -> bytes:
    """A PNG that claims w × h pixels: a real header and one small compressed chunk (a few hundred bytes)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)))


@pytest.mark.parametrize(("data", "says"), [
    (png_header(50_000, 50_000), "50,000 × 50,000 px"),
    (png_header(2**31 - 1, 2**31 - 1), "px"),
    (png_header(400, 400), "cannot be read"),  # its pixels stop after a few rows
])
def test_image_bombs_and_broken_images_name_the_image(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      data: bytes, says: str) -> None:
    (tmp_path / "pic.png").write_bytes(data)
    (tmp_path / "theme.yaml").write_text("extends: classic\nfront:\n  pic: {type: image, src: '{image}'}\n",
                                         encoding="utf-8")
    deck = "deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n    image: pic.png\n"
    (tmp_path / "deck.yaml").write_text(deck, encoding="utf-8")
    code = main(["build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "out.pdf")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert err[0].startswith(f"{tmp_path}/deck.yaml:4: cards[0].image:") and says in err[0], err
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zip"])
def test_codecs_that_are_not_encodings(tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    (tmp_path / "t.csv").write_text("title\nA\n", encoding="utf-8")
    code, lines = check(tmp_path, capsys, f"deck: {{title: T}}\ncards: {{from: t.csv, encoding: {encoding}}}\n")
    assert code == 1 and len(lines) == 1 and "not a text encoding" in lines[0], lines


def test_a_shift_jis_csv_asks_for_its_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.csv").write_bytes("title,summary\n東京,日本語のテキスト\n大阪,とても短い\n".encode("shift_jis"))
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: t.csv}\n")
    assert code == 1 and len(lines) == 1 and "--encoding" in lines[0], lines
    code, lines = check(tmp_path, capsys, "deck: {title: T}\ncards: {from: t.csv, encoding: shift_jis}\n")
    assert "--encoding" not in "".join(lines) and "'い'" in "".join(lines), lines  # read right (the font lacks it)


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_only_regular_files_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "deck.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a file" in err[0], err


def test_faces_beyond_the_limit_are_refused_before_they_are_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    from conftest import MICRO

    assert main(["build", str(MICRO), "--decks", "1000000", "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: 58,000,000 card faces to print (1,000,000 × the deck's cards and copies, fronts and backs), "
                   "more than deckgen's limit of 100,000 — build fewer decks or copies a file, and print the file "
                   "again"]
    cards = "".join(f"  - title: C{i}\n    copies: 10000\n" for i in range(100))
    (tmp_path / "many.yaml").write_text("deck: {title: T}\ncards:\n" + cards, encoding="utf-8")
    assert main(["build", str(tmp_path / "many.yaml"), "-o", str(tmp_path / "y.pdf")]) == 1
    assert "2,000,000 card faces" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


def test_preview_pixels_beyond_the_limit_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "big.yaml").write_text("extends: classic\ncard: 500x500mm\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text("deck: {title: T, theme: big.yaml}\ncards:\n  - title: A\n", encoding="utf-8")
    assert main(["preview", str(tmp_path / "deck.yaml"), "--dpi", "600", "-o", str(tmp_path / "pv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pixels in each preview image (11,811 × 11,811 at 600 dpi)" in err[0], err
    assert not list((tmp_path / "pv").glob("*.png")) if (tmp_path / "pv").exists() else True


def test_spreadsheets_and_fonts_outside_the_decks_folder_need_allow_outside(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from deckgen.output.fonts import PACKAGE_FONTS

    (tmp_path / "t.csv").write_text("title\nA\n", encoding="utf-8")
    (tmp_path / "x.ttf").write_bytes((PACKAGE_FONTS / "NotoSans-Regular.ttf").read_bytes())
    (tmp_path / "d").mkdir()
    deck = tmp_path / "d" / "deck.yaml"
    deck.write_text("deck: {title: T}\ncards: {from: ../t.csv}\n", encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    assert "cards.from: spreadsheet '../t.csv' is outside the deck's folder" in capsys.readouterr().err
    assert main(["check", str(deck), "--allow-outside"]) == 0
    capsys.readouterr()
    (tmp_path / "d" / "theme.yaml").write_text("extends: classic\nfonts:\n  body: {regular: ../x.ttf}\n",
                                               encoding="utf-8")
    deck.write_text("deck: {title: T, theme: theme.yaml}\ncards:\n  - title: A\n", encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    assert "font file '../x.ttf' is outside the theme's and the deck's folders" in capsys.readouterr().err
    assert main(["check", str(deck), "--allow-outside"]) == 0
