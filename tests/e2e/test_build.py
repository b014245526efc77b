"""The PDF that `deckgen build` writes: sizes, fonts, text, QR codes, duplex geometry, rebuilds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pikepdf
import pytest
from conftest import MICRO, MM, ROOT, Chunk, assert_every_text, build, decode_qr_pages, localized, normal, text_chunks

PAPER = {"a4": (210 * MM, 297 * MM), "letter": (8.5 * 72, 11 * 72)}
CARD_W, CARD_H = 63 * MM, 88 * MM


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_sizes_and_count(built, paper):
    pdf = pikepdf.open(built(paper))
    assert len(pdf.pages) == 8  # 29 cards, 9 per sheet: 4 sheets, a front and a back page each
    w, h = PAPER[paper]
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
        assert (x0, y0) == (0, 0)
        assert x1 == pytest.approx(w, abs=0.01) and y1 == pytest.approx(h, abs=0.01)


def test_viewer_preferences_match_duplex(built):
    for duplex, expected in [("long", "/DuplexFlipLongEdge"), ("short", "/DuplexFlipShortEdge"), ("none", "/Simplex")]:
        with pikepdf.open(built("a4", duplex)) as pdf:
            prefs = pdf.Root.ViewerPreferences
            assert str(prefs.PrintScaling) == "/None"
            assert str(prefs.Duplex) == expected


def test_every_font_embedded_and_no_other(built):
    pdf = pikepdf.open(built())
    names = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
            names.add(str(obj.BaseFont))
            descriptor = obj.get("/FontDescriptor")
            assert descriptor is not None, f"{obj.BaseFont} has no descriptor"
            assert "/FontFile2" in descriptor, f"{obj.BaseFont} is not embedded"
            assert re.match(r"^/[A-Z]{6}\+", str(obj.BaseFont)), f"{obj.BaseFont} is not a subset"
    assert names, "no fonts found"
    assert all("Noto" in n for n in names), names
    assert not any("Helvetica" in n for n in names)


def test_every_text_present(built, micro_data):
    assert_every_text(built(), micro_data)


def _cards_per_sheet(micro_data) -> list[list[dict]]:
    cards = micro_data["cards"]
    return [cards[i:i + 9] for i in range(0, len(cards), 9)]


def test_every_qr_decodes_to_its_url(built, micro_data):
    pdf = built()
    sheets = _cards_per_sheet(micro_data)
    found = decode_qr_pages(pdf, [2 * i + 1 for i in range(len(sheets))])
    for cards, codes in zip(sheets, found, strict=True):
        expected = sorted(localized(c["source"]["url"]) for c in cards)
        assert sorted(code.text for code in codes) == expected
        for code in codes:
            version = code.extra["Version"] if "Version" in code.extra else None
            modules = 17 + 4 * int(version) if version else None
            p = code.position
            width_px = ((p.top_right.x - p.top_left.x) ** 2 + (p.top_right.y - p.top_left.y) ** 2) ** 0.5
            if modules:
                assert width_px / modules / 300 * 25.4 >= 0.5 - 0.02, "modules below 0.5 mm"


def _cell(x: float, y: float, paper: str) -> tuple[int, int] | None:
    """The 3×3 grid cell (col, row from the top) holding a page point; None outside every card."""
    w, h = PAPER[paper]
    left, top = (w - 3 * CARD_W) / 2, h - (h - 3 * CARD_H) / 2
    col, row = int((x - left) // CARD_W), int((top - y) // CARD_H)
    return (col, row) if 0 <= col < 3 and 0 <= row < 3 else None


def _title_centres(chunks: list[Chunk], titles: list[str]) -> dict[int, tuple[float, float]]:
    """The centre of the first line of each title: the largest text that starts the title."""
    found: dict[int, Chunk] = {}
    for k, title in enumerate(titles):
        cands = [c for c in chunks if len(normal(c.text)) >= min(5, len(normal(title)))
                 and normal(title).startswith(normal(c.text)) and c.size >= 9]
        assert cands, f"title {title!r} not found"
        found[k] = max(cands, key=lambda c: (len(normal(c.text)), c.size))
    centres = {}
    for k, c in found.items():
        half = 0.25 * c.size * len(c.text)  # about half the line's width
        dx, dy = c.dir
        centres[k] = (c.x + dx * half - dy * 0.35 * c.size, c.y + dy * half + dx * 0.35 * c.size)
    return centres


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("duplex", ["long", "short"])
def test_backs_land_behind_fronts_after_a_flip(built, micro_data, paper, duplex):
    pages = text_chunks(built(paper, duplex))
    w, h = PAPER[paper]
    for s, cards in enumerate(_cards_per_sheet(micro_data)):
        titles = [localized(c["title"]) for c in cards]
        fronts = _title_centres(pages[2 * s], titles)
        backs = _title_centres(pages[2 * s + 1], titles)
        for k, title in enumerate(titles):
            bx, by = backs[k]
            flipped = (w - bx, by) if duplex == "long" else (bx, h - by)
            front_cell = _cell(*fronts[k], paper)
            assert front_cell is not None, title
            assert _cell(*flipped, paper) == front_cell, f"{title}: back lands on {_cell(*flipped, paper)}"


def test_short_edge_backs_are_turned(built, micro_data):
    """A short-edge flip turns each back 180°: its text runs right to left on the page."""
    chunks = text_chunks(built("a4", "short"))[1]
    title = localized(micro_data["cards"][0]["title"])
    chunk = next(c for c in chunks if normal(c.text) == normal(title))
    assert chunk.dir == pytest.approx((-1.0, 0.0))
    front = next(c for c in text_chunks(built("a4", "long"))[1] if normal(c.text) == normal(title))
    assert front.dir == pytest.approx((1.0, 0.0))


def test_margins_are_clear_and_marks_present(built):
    """Nothing within 5 mm of the sheet edge; crop marks in the margins (dark pixels outside the grid)."""
    import pypdfium2 as pdfium

    for paper in ("a4", "letter"):
        doc = pdfium.PdfDocument(str(built(paper)))
        dpi = 100
        img = doc[0].render(scale=dpi / 72, grayscale=True).to_pil()
        px = img.load()
        W, H = img.size
        edge = int(5 / 25.4 * dpi) - 1
        for x in range(W):
            for y in list(range(edge)) + list(range(H - edge, H)):
                assert px[x, y] > 250, f"{paper}: ink within 5 mm of the edge at {x},{y}"
        for y in range(H):
            for x in list(range(edge)) + list(range(W - edge, W)):
                assert px[x, y] > 250, f"{paper}: ink within 5 mm of the edge at {x},{y}"
        # a vertical mark above the grid at the first cut line
        w, h = PAPER[paper]
        cut_x = int(((w - 3 * CARD_W) / 2) / 72 * dpi)
        top_margin = int(((h - 3 * CARD_H) / 2) / 72 * dpi)
        column = [px[x, y] for x in range(cut_x - 1, cut_x + 2) for y in range(edge, top_margin - 1)]
        assert min(column) < 128, f"{paper}: no crop mark above the first cut line"
        doc.close()


def test_rebuild_is_byte_identical_from_any_folder(tmp_path, monkeypatch):
    first = build(tmp_path, name="a.pdf")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    second = build(tmp_path, deck=Path(os.path.relpath(MICRO, elsewhere)), name="b.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_default_output_is_deck_name_in_current_folder(tmp_path, monkeypatch, capsys):
    from deckgen.cli.main import main

    monkeypatch.chdir(tmp_path)
    assert main(["build", str(MICRO)]) == 0
    assert (tmp_path / "micro.pdf").read_bytes()[:5] == b"%PDF-"
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "29 cards" in out[0]


def test_package_data_travels(tmp_path):
    """Fonts and themes are found from the installed package, not from the source tree's folders."""
    import deckgen.design.themes
    import deckgen.output.fonts

    assert (deckgen.output.fonts.PACKAGE_FONTS / "NotoSans-Regular.ttf").is_file()
    assert "classic" in deckgen.design.themes.builtin_themes()
    assert (ROOT / "fonts" / "OFL.txt").is_file()
