"""Issue 15, read back from the files: colours through the test profile, overprinting black, subset tags, IDs,
PDF/X with the profile (X-1a and X-4), back-page marks under an offset, QR warnings, handout codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import MICRO, MM, build, decode_qr_pages
from PIL import Image, ImageCms

from deckgen.cli.main import main
from deckgen.qr import qr_rects

PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common, installed by .ci/run
FAMILIES = ["384666", "DA532B", "F2A900", "3FA79A", "884299"]  # the reference deck's


@pytest.fixture(scope="module")
def profile() -> Path:
    assert PROFILE.is_file(), "install Debian's libgs-common (the test CMYK profile), as .ci/run does"
    return PROFILE


def _streams(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Object, pikepdf.Object]]:
    """(content holder, its resources) for every page and every form of a file."""
    out = [(p.obj, p.obj.Resources) for p in pdf.pages]
    out += [(o, o.get("/Resources")) for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Form]
    return out


def _fills(path: Path) -> set[tuple[float, ...]]:
    with pikepdf.open(path) as pdf:
        return {tuple(round(float(v), 3) for v in operands) for holder, _ in _streams(pdf)
                for operands, op in pikepdf.parse_content_stream(holder) if str(op) == "k"}


def _little_cms(hexa: str) -> tuple[float, ...]:
    t = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(PROFILE)), "RGB", "CMYK",
                                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    px = ImageCms.applyTransform(Image.new("RGB", (1, 1), tuple(int(hexa[i:i + 2], 16) for i in (0, 2, 4))), t)
    return tuple(round(v / 255, 3) for v in px.getpixel((0, 0)))


def test_colours_go_through_the_profile_and_neutrals_stay_black_ink(tmp_path, profile):
    fills = _fills(build(tmp_path, "--color", "cmyk", "--icc", str(profile)))
    for hexa in FAMILIES:  # every family band is littleCMS's conversion (all under the 300 % cap)
        expected = _little_cms(hexa)
        assert sum(expected) <= 3.0
        assert any(all(abs(a - b) <= 0.001 for a, b in zip(f, expected, strict=True)) for f in fills), hexa
    assert (0, 0, 0, 1) in fills  # the theme's ink: solid K, not the profile's ~C72 M68 Y67 K89
    assert all(sum(f) <= 3.0 + 1e-6 for f in fills)
    greys = [f for f in fills if max(f[:3]) - min(f[:3]) < 1e-9 and f[0] == 0]
    assert len(greys) >= 3  # ink, muted grey, white: black ink only
    assert not any(min(f[:3]) > 0.5 and f[3] > 0.8 for f in fills)  # no rich black anywhere


def test_max_ink_caps_every_colour(tmp_path, profile):
    fills = _fills(build(tmp_path, "--color", "cmyk", "--icc", str(profile), "--max-ink", "200"))
    assert max(sum(f) for f in fills) <= 2.0 + 1e-6


def _texts_with_state(path: Path) -> list[tuple[tuple[float, ...] | None, dict[str, object]]]:
    """(fill colour, overprint state) at every text-showing operator, each stream starting with overprint off."""
    found = []
    with pikepdf.open(path) as pdf:
        for holder, resources in _streams(pdf):
            states = resources.get("/ExtGState", {}) if resources is not None else {}
            fill, state = None, {"/OP": False, "/op": False, "/OPM": 0}
            for operands, op in pikepdf.parse_content_stream(holder):
                name = str(op)
                if name == "k":
                    fill = tuple(float(v) for v in operands)
                elif name == "gs":
                    gs = states[str(operands[0])]
                    state.update({k: (bool(gs[k]) if k != "/OPM" else int(gs[k])) for k in state if k in gs})
                elif name in ("Tj", "TJ", "'", '"'):
                    found.append((fill, dict(state)))
    return found


def test_solid_black_text_overprints_and_nothing_else_does(tmp_path):
    texts = _texts_with_state(build(tmp_path, "--color", "cmyk"))
    black = [s for f, s in texts if f == (0, 0, 0, 1)]
    other = [s for f, s in texts if f != (0, 0, 0, 1)]
    assert black and other
    assert all(s == {"/OP": True, "/op": True, "/OPM": 1} for s in black)
    assert not any(s["/op"] for s in other)  # white text on a band must knock out


def _tags(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return sorted({str(o.BaseFont) for o in pdf.objects
                       if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.Font})


def _id(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return bytes(pdf.trailer.ID[0])


def test_subset_tags_and_ids_come_from_content(tmp_path):
    outputs = {
        "a4": build(tmp_path, name="a4.pdf"),
        "letter": build(tmp_path, "--paper", "letter", name="letter.pdf"),
        "shop": build(tmp_path, "--profile", "shop", name="shop.pdf"),
        "cmyk": build(tmp_path, "--color", "cmyk", name="cmyk.pdf"),
        "fold": build(tmp_path, "--profile", "fold", name="fold.pdf"),
    }
    tags = _tags(outputs["a4"])
    assert len(tags) >= 3 and len({t[1:7] for t in tags}) == len(tags)  # one tag per subset
    assert not any(t.startswith("/AAAAAA+") for t in tags)
    assert len({_id(p) for p in outputs.values()}) == len(outputs)
    again = build(tmp_path, name="again.pdf")
    assert again.read_bytes() == outputs["a4"].read_bytes() and _id(again) == _id(outputs["a4"])


def _pdfinfo(path: Path) -> str:
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "install poppler-utils, as .ci/run does"
    return subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout


def test_pdfx_1a_embeds_the_profile_as_a_custom_condition(tmp_path, profile):
    out = build(tmp_path, "--pdfx", "--icc", str(profile))
    with pikepdf.open(out) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.read_bytes() == profile.read_bytes() and intent.DestOutputProfile.N == 4
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert str(intent.OutputCondition) == "Artifex CMYK SWOP Profile"
        assert pdf.pdf_version == "1.4" and str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2003"
    assert "PDF/X-1:2003" in _pdfinfo(out)


def test_pdfx_4_item_by_item(tmp_path, profile):
    """No PDF/X-4 validator here: ISO 15930-7's items that deckgen writes, one by one."""
    out = build(tmp_path, "--pdfx", "--pdfx-level", "4", "--icc", str(profile))
    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.read_bytes() == profile.read_bytes()
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-4" and "/GTS_PDFXConformance" not in info
        assert str(info.Trapped) == "/False"
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert meta["dc:title"] == str(info.Title) and meta["pdf:Trapped"] == "False"
            assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:VersionID"] == "1"
        assert all("/TrimBox" in p.obj for p in pdf.pages)
    assert "PDF/X-4" in _pdfinfo(out)
    assert build(tmp_path, "--pdfx", "--pdfx-level", "4", "--icc", str(profile), name="b.pdf").read_bytes() == \
        out.read_bytes()


@pytest.mark.parametrize("args", [["--color", "cmyk", "--icc", "/usr/share/color/icc/ghostscript/srgb.icc"],
                                  ["--pdfx", "--pdfx-level", "4"]])
def test_unusable_profiles_are_one_line_usage_errors(tmp_path, capsys, args):
    assert main(["build", str(MICRO), "-o", str(tmp_path / "x.pdf"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and ("not a CMYK output profile" in err or "give --icc" in err)
    assert not (tmp_path / "x.pdf").exists()


def _marks(path: Path) -> list[list[tuple[float, float, float, float]]]:
    """The crop marks (0.25 pt lines drawn on the page itself) of every page, in mm."""
    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            width, lines, at = None, [], None
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "w":
                    width = float(operands[0])
                elif name == "m":
                    at = tuple(float(v) / MM for v in operands)
                elif name == "l" and width == 0.25 and at is not None:
                    lines.append((*at, *(float(v) / MM for v in operands)))
            pages.append(lines)
    return pages


@pytest.mark.parametrize("offset", [(1.5, -2), (4, 4), (-4, -4), (4, -4), (0, 2), (0, -4), (-1, 0)])
def test_back_marks_move_with_the_cards_or_are_left_out(built, tmp_path, capsys, offset):
    front = _marks(built("a4", "long"))[0]
    pages = _marks(build(tmp_path, f"--back-offset={offset[0]},{offset[1]}"))
    err = capsys.readouterr().err
    for n, marks in enumerate(pages):
        if n % 2 == 0:
            assert marks == front
            continue
        for x0, y0, x1, y1 in marks:  # printable: 5 mm from every edge
            assert min(x0, x1) >= 5 - 2e-3 and max(x0, x1) <= 205 + 2e-3  # PDF numbers: 1/1000 pt
            assert min(y0, y1) >= 5 - 2e-3 and max(y0, y1) <= 292 + 2e-3
        if marks:  # with the cards: off every card, as on the front
            moved = [v for x0, y0, x1, y1 in front for v in (x0 + offset[0], y0 + offset[1], x1 + offset[0],
                                                            y1 + offset[1])]
            assert [v for m in marks for v in m] == pytest.approx(moved, abs=2e-3)
        else:
            assert err.count("crop marks would come within 5 mm") == 1  # said once
    if offset[0] == 0 and offset[1] > 0:
        assert all(pages[1::2])  # room above: the marks moved


def test_offsets_beyond_4_mm_are_refused_with_the_largest_that_works(tmp_path, capsys):
    assert main(["build", str(MICRO), "-o", str(tmp_path / "x.pdf"), "--back-offset=5,-1"]) == 2
    err = capsys.readouterr().err
    assert "largest that works is 4,-1" in err and not (tmp_path / "x.pdf").exists()


def test_check_warns_about_a_url_that_makes_small_qr_modules(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    url = "https://example.org/" + "a" * 85
    deck.write_text(f"deck:\n  title: Links\ncards:\n  - title: Long\n    source: {url}\n"
                    "  - title: Short\n    source: https://example.org/s\n", encoding="utf-8")
    assert main(["check", str(deck)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "deck.yaml:5:" in err[0] and "0.56 mm" in err[0] and "105-character" in err[0]
    assert "at most 84 characters" in err[0]


def test_check_press_warns_once_about_small_white_text_on_colour_bands(capsys):
    assert main(["check", str(MICRO), "--lang", "fr", "--press"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert all("classic.yaml" in line for line in err)
    assert [line.split(": ")[2] for line in err] == ["front.family", "front.number"]  # once each, not once a card
    assert "white text of 7.5 pt" in err[0] and "white text of 7 pt" in err[1]
    assert main(["check", str(MICRO), "--lang", "fr"]) == 0
    assert "white text" not in capsys.readouterr().err


def test_handout_codes_share_one_size_and_keep_both_quiet_zones(tmp_path):
    out = tmp_path / "handout.pdf"
    assert main(["handout", str(MICRO), "-o", str(out)]) == 0
    pages = decode_qr_pages(out, [0, 1])
    codes = [c for page in pages for c in page]
    assert len(codes) >= 8
    sides = {round(abs(c.position.top_right.x - c.position.top_left.x) / 300 * 25.4) for c in codes}
    assert len(sides) == 1  # one size, in whole mm
    for page in pages:  # one column of codes a page, top to bottom
        column = sorted(page, key=lambda c: c.position.top_left.y)
        for upper, lower in zip(column, column[1:], strict=False):
            side_px = upper.position.bottom_left.y - upper.position.top_left.y
            module = max(side_px / qr_rects(upper.text, "M")[0], side_px / qr_rects(lower.text, "M")[0])
            assert lower.position.top_left.y - upper.position.bottom_left.y >= 8 * module * 0.95
