"""QR module sizes, back-page marks under an offset, PDF/X output intents and XMP (pure parts)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from deckgen.design.qrsize import LEVELS as EC_LEVELS
from deckgen.design.qrsize import longest_fitting, module_warning, modules
from deckgen.output.icc import load_profile
from deckgen.output.pdfx import LEVELS, output_intent, xmp_packet
from deckgen.sheets.backmarks import MM, OffsetError, back_marks, check_offset, moved

TEST_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def test_a_105_character_url_warns_with_the_length_that_fits() -> None:
    url = "https://example.org/" + "a" * 85
    warning = module_warning(url, 23)
    assert warning is not None and "0.56 mm" in warning and "105-character" in warning
    assert "at most 84 characters" in warning


@pytest.mark.parametrize("level", EC_LEVELS)
def test_the_length_that_fits_is_exact(level: str) -> None:
    fits = longest_fitting(23, level)
    ok, over = "https://e.org/" + "a" * (fits - 14), "https://e.org/" + "a" * (fits - 13)
    assert module_warning(ok, 23, level) is None and 23 / modules(ok, level) >= 0.6
    assert module_warning(over, 23, level) is not None and 23 / modules(over, level) < 0.6
    assert level == "H" or longest_fitting(23, level) > longest_fitting(23, "H")


def test_offsets_up_to_4_mm_and_the_largest_that_works() -> None:
    check_offset((4 * MM, -4 * MM))
    with pytest.raises(OffsetError, match=r"--back-offset 5,-1: more than 4 mm .* largest that works is 4,-1"):
        check_offset((5 * MM, -1 * MM))


def _grid() -> tuple[list, list]:
    """Poker cards 3 × 3 on A4 (butted) and a mark at each end of the left cut line."""
    x0, y0 = (210 - 189) / 2 * MM, (297 - 264) / 2 * MM
    cards = [(x0 + i * 63 * MM, y0 + j * 88 * MM, x0 + (i + 1) * 63 * MM, y0 + (j + 1) * 88 * MM)
             for i in range(3) for j in range(3)]
    marks = [(x0, y0 - 0.5 * MM, x0, y0 - 5.5 * MM), (x0 - 0.5 * MM, y0, x0 - 5.5 * MM, y0)]
    return cards, marks


@pytest.mark.parametrize("offset_mm", [(0, 0), (1.5, 0), (-1, 1), (4, 4), (-4, -4), (1.5, -2)])
def test_back_marks_stay_printable_or_are_left_out(offset_mm: tuple[float, float]) -> None:
    cards, marks = _grid()
    offset = (offset_mm[0] * MM, offset_mm[1] * MM)
    on_back = [moved(c, offset) for c in cards]
    kept = back_marks(marks, on_back, (210 * MM, 297 * MM), offset)
    if kept is None:  # the left mark (10.5 - 5.5 = 5 mm from the edge) moved left, or the bottom one down
        assert offset_mm[0] < 0 or offset_mm[1] < 0
        return
    for x0, y0, x1, y1 in kept:
        assert min(x0, x1) >= 5 * MM - 1e-6 and min(y0, y1) >= 5 * MM - 1e-6
        assert not any(min(x0, x1) < c[2] and max(x0, x1) > c[0] and min(y0, y1) < c[3] and max(y0, y1) > c[1]
                       for c in on_back)


def _cmyk_pdf() -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1, pagesize=(200, 200))
    canvas.setFillColorCMYK(0.1, 0.2, 0.3, 0)
    canvas.rect(10, 10, 100, 100, fill=1, stroke=0)
    canvas.showPage()
    return canvas.getpdfdata()


def _pdfx4(tmp_path: Path) -> Path:
    profile = load_profile(TEST_PROFILE)
    with pikepdf.open(io.BytesIO(_cmyk_pdf())) as pdf:
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(output_intent(pdf, "", "", profile))])
        level = LEVELS["4"]
        pdf.docinfo.GTS_PDFXVersion = pikepdf.String(level.version)
        pdf.docinfo.Trapped = pikepdf.Name("/False")
        meta = pikepdf.Stream(pdf, xmp_packet(title="T & co", date="D:20000101000000Z", version=level.version,
                                              producer="deckgen", seed=b"content"))
        meta.Type, meta.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(meta)
        out = tmp_path / "x4.pdf"
        pdf.save(out, force_version=level.pdf_version, deterministic_id=True)
    return out


def test_pdfx4_structure_item_by_item(tmp_path: Path) -> None:
    out = _pdfx4(tmp_path)
    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "Custom"
        assert str(intent.OutputCondition) == "Artifex CMYK SWOP Profile"
        assert intent.DestOutputProfile.read_bytes() == TEST_PROFILE.read_bytes() and intent.DestOutputProfile.N == 4
        assert "/RegistryName" not in intent  # a custom condition is not in the registry
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert meta["dc:title"] == "T & co" and meta["pdf:Trapped"] == "False"
            assert meta["xmp:CreateDate"].startswith("2000-01-01T00:00:00")
            assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:VersionID"] == "1"
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "install poppler-utils, as .ci/run does"
    assert "PDF/X-4" in subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
