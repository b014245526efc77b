"""Home sheets as printed: crop marks at every cut line and a scale bar on every page, read back from the PDFs.

A matrix of paper × bleed × card size, each a 10-card deck with a minimal theme (a colour band that runs into
the bleed, a title). The geometry comes from the content streams themselves (clip rectangles of the cards,
stroked segments, the scale bar's frame), not from deckgen's own planning code.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from conftest import MM, build
from PIL import Image

from deckgen.cli.main import main

PAPERS = {"a4": (210 * MM, 297 * MM), "letter": (215.9 * MM, 279.4 * MM), "a3": (297 * MM, 420 * MM)}
CARDS = {"poker": (63 * MM, 88 * MM), "mini-us": (41 * MM, 63 * MM), "bridge": (57 * MM, 89 * MM)}
EDGE = 5 * MM
SEAM = 0.3  # pt: butted cards' clip is outset this much
TOL = 0.01 * MM
Rect = tuple[float, float, float, float]
Seg = tuple[float, float, float, float]

DECK = "deck: {title: Ten, lang: en}\nfamilies:\n  - {id: red, name: Red, color: \"#C0392B\"}\ncards:\n" + "".join(
    f"  - {{id: c{i}, family: red, title: Card {i}, summary: S., body: B., source: \"https://example.org/{i}\"}}\n"
    for i in range(10))
THEME = """\
extends: classic
card: {card}
front: {{family: null, number: null, summary: null, footer: null, title: {{size: 9pt, min_size: 6pt}}}}
back: {{title: null, body: null, qr: null, source: null, deck: null}}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("marks")
    (folder / "ten.yaml").write_text(DECK, encoding="utf-8")
    for card in CARDS:
        (folder / f"{card}.yaml").write_text(THEME.format(card=card), encoding="utf-8")
    return folder


def _build(folder: Path, paper: str, card: str, bleed: str, capsys) -> tuple[Path, str]:
    out = build(folder, "--paper", paper, "--theme", str(folder / f"{card}.yaml"), "--bleed", bleed, "--decks", "4",
                deck=folder / "ten.yaml", name=f"{paper}-{card}-{bleed}.pdf")  # 40 cards: the first sheet is full
    return out, capsys.readouterr().err


# ---------------------------------------------------------------- reading the content streams


@dataclass
class Page:
    w: float
    h: float
    clips: list[Rect]  # every clip rectangle, on the page
    marks: list[tuple[Seg, float]]  # strokes outside any clip: (segment, line width)
    framed: list[tuple[Seg, float, Rect]]  # strokes inside a clip: (segment, line width, the clip)


def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)


def _at(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


PAINT = ("S", "n", "f", "f*", "F", "B", "B*", "b", "b*", "s")  # the operators that end a path


def read_page(page: pikepdf.Page) -> Page:
    reader = _PageReader(Page(float(page.mediabox[2]), float(page.mediabox[3]), [], [], []))
    for operands, op in pikepdf.parse_content_stream(page):
        reader.apply(str(op), operands)
    return reader.out


class _PageReader:
    """Follows the graphics state (CTM, line width, clip) and the path being built, operator by operator."""

    def __init__(self, out: Page) -> None:
        self.out = out
        self.ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
        self.width = 1.0
        self.clip: Rect | None = None
        self.stack: list[tuple[tuple[float, ...], float, Rect | None]] = []
        self.subpaths: list[list[tuple[float, float]]] = []
        self.rects: list[Rect] = []
        self.pending_clip = False

    def apply(self, name: str, operands) -> None:
        args = [float(v) for v in operands] if name in ("cm", "w", "m", "l", "re") else []
        if name in ("q", "Q", "cm", "w"):
            self._state(name, args)
        elif name in ("m", "l", "re"):
            self._path(name, args)
        elif name in ("W", "W*"):
            self.pending_clip = True
        elif name in PAINT:
            self._paint(name)

    def _state(self, name: str, args: list[float]) -> None:
        if name == "q":
            self.stack.append((self.ctm, self.width, self.clip))
        elif name == "Q":
            self.ctm, self.width, self.clip = self.stack.pop()
        elif name == "cm":
            self.ctm = _mul(tuple(args), self.ctm)
        else:
            self.width = args[0]

    def _path(self, name: str, args: list[float]) -> None:
        if name == "m":
            self.subpaths.append([_at(self.ctm, *args)])
        elif name == "l":
            self.subpaths[-1].append(_at(self.ctm, *args))
        else:
            x, y, w, h = args
            corners = [_at(self.ctm, x + u, y + v) for u in (0, w) for v in (0, h)]
            self.rects.append((min(p[0] for p in corners), min(p[1] for p in corners),
                               max(p[0] for p in corners), max(p[1] for p in corners)))

    def _paint(self, name: str) -> None:
        if name == "S":
            scale = math.sqrt(abs(self.ctm[0] * self.ctm[3] - self.ctm[1] * self.ctm[2]))
            for sub in self.subpaths:
                for (x0, y0), (x1, y1) in zip(sub, sub[1:], strict=False):
                    seg = (x0, y0, x1, y1)
                    if self.clip is None:
                        self.out.marks.append((seg, self.width * scale))
                    else:
                        self.out.framed.append((seg, self.width * scale, self.clip))
        if self.pending_clip and self.rects:
            self.clip = self.rects[-1]
            self.out.clips.append(self.clip)
        self.pending_clip = False
        self.subpaths, self.rects = [], []


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] - 1e-3 and b[0] < a[2] - 1e-3 and a[1] < b[3] - 1e-3 and b[1] < a[3] - 1e-3


def _box(seg: Seg) -> Rect:
    return (min(seg[0], seg[2]), min(seg[1], seg[3]), max(seg[0], seg[2]), max(seg[1], seg[3]))


def _cards(page: Page, card: tuple[float, float]) -> tuple[list[Rect], list[Rect]]:
    """The card clips (trim + bleed or seam) and the trim rectangles inside them."""
    short = min(card)
    clips = [c for c in page.clips if min(c[2] - c[0], c[3] - c[1]) >= short - TOL]
    trims = []
    for c in clips:
        w, h = c[2] - c[0], c[3] - c[1]
        # the same outset on all four sides, upright or turned
        out = next((w - cw) / 2 for cw, ch in (card, card[::-1]) if abs((w - cw) - (h - ch)) < TOL)
        trims.append((c[0] + out, c[1] + out, c[2] - out, c[3] - out))
    return clips, trims


def _distinct(values) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
    return out


def check_sheet(pdf: Path, card: tuple[float, float], bleed: float) -> int:
    """Every page: marks at both ends of every cut line (≥ 2 mm, ≤ 5 mm, 0.25 pt, clear of every card and its
    bleed), a scale bar of its stated length, nothing within 5 mm of the edge. Returns the cards on the first
    page."""
    import pypdfium2 as pdfium

    per_sheet = None
    text = pdfium.PdfDocument(str(pdf))
    with pikepdf.open(pdf) as doc:
        for number, raw in enumerate(doc.pages):
            page = read_page(raw)
            clips, trims = _cards(page, card)
            per_sheet = len(trims) if per_sheet is None else per_sheet
            for c, t in zip(clips, trims, strict=True):  # the art runs the bleed, or a hair when butted
                assert c[0] == pytest.approx(t[0] - (bleed or SEAM), abs=1e-3)
            gx0, gy0 = min(t[0] for t in trims), min(t[1] for t in trims)
            gx1, gy1 = max(t[2] for t in trims), max(t[3] for t in trims)
            marks = [seg for seg, _ in page.marks]
            assert marks and {round(w, 3) for _, w in page.marks} == {0.25}
            for seg in marks:
                length = abs(seg[2] - seg[0]) + abs(seg[3] - seg[1])
                assert 2 * MM - TOL <= length <= 5 * MM + TOL, (number, seg)
                assert not any(_overlap(_box(seg), c) for c in clips), (number, seg)
            for x in _distinct(v for t in trims for v in (t[0], t[2])):
                at = [s for s in marks if s[0] == s[2] and abs(s[0] - x) < TOL]
                assert any(min(s[1], s[3]) > gy1 for s in at), f"page {number}: no mark above x={x / MM:.2f} mm"
                assert any(max(s[1], s[3]) < gy0 for s in at), f"page {number}: no mark below x={x / MM:.2f} mm"
            for y in _distinct(v for t in trims for v in (t[1], t[3])):
                at = [s for s in marks if s[1] == s[3] and abs(s[1] - y) < TOL]
                assert any(min(s[0], s[2]) > gx1 for s in at), f"page {number}: no mark right of y={y / MM:.2f} mm"
                assert any(max(s[0], s[2]) < gx0 for s in at), f"page {number}: no mark left of y={y / MM:.2f} mm"
            frame = check_scale_bar(page, text[number].get_textpage(), clips, number)
            for r in [*clips, frame, *map(_box, marks)]:  # nothing within 5 mm of the edge
                assert r[0] >= EDGE - TOL and r[1] >= EDGE - TOL, (number, r)
                assert r[2] <= page.w - EDGE + TOL and r[3] <= page.h - EDGE + TOL, (number, r)
    text.close()
    return per_sheet or 0


def check_scale_bar(page: Page, textpage, clips: list[Rect], number: int) -> Rect:
    """The one scale bar on the page: clear of the cards, its caption ≥ 6.5 pt, its bar and end ticks as far
    apart as the caption says."""
    import pypdfium2.raw as pdfium_raw

    frames = {clip for _, _, clip in page.framed if clip not in clips}
    assert len(frames) == 1, f"page {number}: {len(frames)} scale bars"
    (frame,) = frames
    assert not any(_overlap(frame, c) for c in clips)
    caption = textpage.get_text_bounded(*frame)
    stated = re.match(r"(\d+) mm\b.*print at 100", caption)
    assert stated, f"page {number}: caption {caption!r}"
    length_mm = int(stated.group(1))
    sizes = set()
    for i in range(textpage.count_chars()):
        x0, y0, x1, y1 = textpage.get_charbox(i)
        if frame[0] <= (x0 + x1) / 2 <= frame[2] and frame[1] <= (y0 + y1) / 2 <= frame[3]:
            sizes.add(round(pdfium_raw.FPDFText_GetFontSize(textpage.raw, i), 2))
    assert sizes and min(sizes) >= 6.5, sizes
    segs = [seg for seg, _, clip in page.framed if clip == frame]
    bar = max(segs, key=lambda s: math.dist(s[:2], s[2:]))
    length = math.dist(bar[:2], bar[2:])
    assert length == pytest.approx(length_mm * MM, abs=TOL)
    ticks = [s for s in segs if s is not bar]
    assert len(ticks) == length_mm // 10 + 1
    along = [((t[0] - bar[0]) * (bar[2] - bar[0]) + (t[1] - bar[1]) * (bar[3] - bar[1])) / length for t in ticks]
    assert max(along) - min(along) == pytest.approx(length_mm * MM, abs=TOL)  # the end ticks, measured
    return frame


# ---------------------------------------------------------------- the matrix


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("card", sorted(CARDS))
def test_every_cut_line_is_marked_and_every_page_has_a_scale_bar(folder, paper, card, capsys):
    """Butted, 1.8 mm bleed (kept or refused), 3 mm, and the bleed deckgen's warning suggests."""
    butted, err = _build(folder, paper, card, "0", capsys)
    assert err == ""
    per_sheet = check_sheet(butted, CARDS[card], 0.0)
    for bleed in ("1.8", "3"):
        pdf, err = _build(folder, paper, card, bleed, capsys)
        if err:  # fell back to butted cards: the same count, and a warning that says so in one line
            assert err.count("\n") == 1 and "printing them butted" in err
            assert check_sheet(pdf, CARDS[card], 0.0) == per_sheet
        else:
            assert check_sheet(pdf, CARDS[card], float(bleed) * MM) == per_sheet
        suggested = re.search(r"--bleed ([\d.]+)mm keeps (\d+) a sheet", err)
        if suggested:
            assert int(suggested.group(2)) == per_sheet
            pdf, err = _build(folder, paper, card, suggested.group(1), capsys)
            assert err == ""  # taken as it is: bleed, gutters, marks and a scale bar
            assert check_sheet(pdf, CARDS[card], float(suggested.group(1)) * MM) == per_sheet


def test_reported_cases_now_have_marks_and_scale_bars(folder, capsys):
    """The QA audit's cases: Letter poker-us butted, A3 poker at 2.6 mm (was no vertical mark, no scale bar)."""
    (folder / "poker-us.yaml").write_text(THEME.format(card="poker-us"), encoding="utf-8")
    pdf = build(folder, "--paper", "letter", "--theme", str(folder / "poker-us.yaml"), "--decks", "4",
                deck=folder / "ten.yaml", name="letter-poker-us.pdf")
    assert check_sheet(pdf, (63.5 * MM, 88.9 * MM), 0.0) == 8  # 2×4 turned: 3×3 left 6.35 mm above and below
    capsys.readouterr()
    pdf, err = _build(folder, "a3", "poker", "2.6", capsys)
    assert "--bleed 2.1mm keeps 18" in err
    assert check_sheet(pdf, CARDS["poker"], 0.0) == 18


def test_nothing_printed_within_5_mm_of_the_edge(folder, capsys):
    """The rendered sheet, front and back, is blank in its outer 5 mm (the tightest margins of the matrix)."""
    import pypdfium2 as pdfium

    for paper, card, bleed in (("letter", "poker", "0"), ("a3", "poker", "2.1"), ("letter", "mini-us", "1.3")):
        pdf, _ = _build(folder, paper, card, bleed, capsys)
        doc = pdfium.PdfDocument(str(pdf))
        dpi = 72
        for i in (0, 1):
            img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
            w, h = img.size
            edge = int(5 / 25.4 * dpi)  # whole pixels inside the outer 5 mm
            for box in ((0, 0, w, edge), (0, h - edge, w, h), (0, 0, edge, h), (w - edge, 0, w, h)):
                assert img.crop(box).getextrema()[0] >= 250, (paper, card, bleed, i, box)
            inner = img.crop((edge + 1, edge + 1, w - edge - 1, h - edge - 1))
            assert inner.getextrema()[0] < 128  # and something is printed inside
        doc.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (.ci/run installs it)")
def test_butted_neighbours_leave_no_light_seam(tmp_path):
    """Same-colour bands of butted cards overlap by a hair: no lighter column where two cards meet. Poppler
    anti-aliases clip edges (pdfium does not): two clips meeting exactly at the cut show a seam there."""
    out = tmp_path / "seam.pdf"
    assert main(["build", str(Path(__file__).parents[2] / "decks" / "micro.yaml"), "-o", str(out), "-q"]) == 0
    with pikepdf.open(out) as doc:
        page = read_page(doc.pages[0])
    clips, trims = _cards(page, CARDS["poker"])
    first_row = sorted(c for c, t in zip(clips, trims, strict=True) if t[3] == max(u[3] for u in trims))
    assert len(first_row) == 3
    for left, right in zip(first_row, first_row[1:], strict=False):
        assert left[2] - right[0] == pytest.approx(2 * SEAM, abs=1e-3)  # each clip reaches a hair past the cut
    for dpi in (72, 100):
        y = round((page.h - first_row[0][3] + 20 * MM) * dpi / 72)  # 20 mm into the first family's band
        png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-y", str(y), "-H", "1", "-png",
                              str(out)], capture_output=True, check=True).stdout
        img = Image.open(io.BytesIO(png)).convert("RGB")
        for left in first_row[:2]:
            cut = (left[2] - SEAM) * dpi / 72
            row = [img.getpixel((x, 0)) for x in range(int(cut) - 2, int(cut) + 3)]
            assert max(abs(a - b) for p in row for a, b in zip(p, row[0], strict=True)) <= 3, (dpi, row)
