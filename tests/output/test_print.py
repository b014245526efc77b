"""Print production, end to end: the files `deckgen build --profile …`, `--pdfx` and `deckgen calibrate` write."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import MICRO, MM, build, decode_qr_pages, localized, normal, text_chunks
from PIL import Image

from deckgen.cli.main import main
from deckgen.output.pdfx import problems, rgb_operators
from deckgen.sheets.fold import fold_plan

A4 = (210 * MM, 297 * MM)
BAND = (0x38, 0x46, 0x66)  # the first family's colour: the front band of card 1

TINY = """\
deck: {title: Tiny deck, lang: en}
families:
  - {id: red, name: Red family, color: "#C0392B"}
cards:
  - {id: alpha, family: red, title: Alpha, summary: The first card., body: The first body., source: "https://example.org/alpha"}
  - {id: beta, family: red, title: Beta, summary: The second card., body: Its body., copies: 2, source: "https://example.org/beta"}
"""


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    deck = folder / "tiny.yaml"
    deck.write_text(TINY, encoding="utf-8")
    for name, card in (("tarot", "tarot"), ("poker-us", "poker-us")):
        (folder / f"{name}.yaml").write_text(f"extends: classic\ncard: {card}\n", encoding="utf-8")
    return deck


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """The reference deck built once per profile for the whole session."""
    cache: dict[tuple[str, ...], Path] = {}

    def get(*args: str) -> Path:
        if args not in cache:
            tmp = tmp_path_factory.mktemp("made")
            name = "out" if "png" in args else "out.pdf"
            cache[args] = build(tmp, *args, name=name)
        return cache[args]

    return get


def cards(micro_data) -> list[dict]:
    return micro_data["cards"]


def box_mm(box) -> list[float]:
    return [float(v) / MM for v in box]


def operators(pdf: pikepdf.Pdf, page: int) -> list[tuple[list, str]]:
    return [(list(ops), str(op)) for ops, op in pikepdf.parse_content_stream(pdf.pages[page])]


# ---------------------------------------------------------------- shop


def test_shop_pages_are_card_plus_bleed_with_trim_and_bleed_boxes(made, micro_data):
    with pikepdf.open(made("--profile", "shop")) as pdf:
        assert len(pdf.pages) == 2 * len(cards(micro_data))
        for page in pdf.pages:
            assert box_mm(page.obj.MediaBox) == pytest.approx([0, 0, 69, 94], abs=0.05)
            assert box_mm(page.obj.BleedBox) == pytest.approx([0, 0, 69, 94], abs=0.05)
            assert box_mm(page.obj.TrimBox) == pytest.approx([3, 3, 66, 91], abs=0.05)
        # no marks: no crop-mark hairline (the cards' icons are stroked, at their own widths)
        assert not any(op == "w" and float(args[0]) == 0.25 for args, op in operators(pdf, 0) + operators(pdf, 1))
    pages = text_chunks(made("--profile", "shop"))
    for i, card in enumerate(cards(micro_data)[:3]):  # front 1, back 1, front 2, …
        front, back = ("".join(c.text for c in pages[2 * i + k]) for k in (0, 1))
        assert normal(localized(card["summary"])) in normal(front)
        assert normal(localized(card["body"])) in normal(back)


def test_shop_fronts_first_order_and_bleed_option(tmp_path, tiny):
    out = build(tmp_path, "--profile", "shop", "--order", "fronts-first", "--bleed", "0.125in", deck=tiny)
    pages = text_chunks(out)
    texts = [normal("".join(c.text for c in page)) for page in pages]
    assert len(texts) == 6  # beta has two copies
    assert [("Thefirstcard." in t, "Thesecondcard." in t, "body." in t) for t in texts] == [
        (True, False, False), (False, True, False), (False, True, False),
        (False, False, True), (False, False, True), (False, False, True)]
    with pikepdf.open(out) as pdf:
        trim = box_mm(pdf.pages[0].obj.TrimBox)
        assert trim == pytest.approx([3.175, 3.175, 66.175, 91.175], abs=0.05)


# ---------------------------------------------------------------- png


@pytest.mark.parametrize("args, px", [
    ((), (815, 1110)),
    (("--bleed", "0.125in", "--theme", "poker-us"), (825, 1125)),
    (("--theme", "tarot"), (898, 1488)),
    (("--service", "mpc"), (822, 1122)),
    (("--service", "tgc"), (825, 1125)),
])
def test_png_pixel_sizes(tmp_path, tiny, args, px):
    args = tuple(str(tiny.parent / f"{a}.yaml") if a in ("tarot", "poker-us") else a for a in args)
    out = build(tmp_path, "--profile", "png", *args, deck=tiny, name="png")
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == ["001-alpha-back.png", "001-alpha-front.png", "002-beta-back.png", "002-beta-copy2-back.png",
                     "002-beta-copy2-front.png", "002-beta-front.png"]
    for name in names:
        with Image.open(out / name) as im:
            assert im.size == px and im.mode == "RGB"
            assert im.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_png_service_refuses_another_card_size(tmp_path, tiny, capsys):
    code = main(["build", str(tiny), "--service", "mpc", "--theme", str(tiny.parent / "tarot.yaml"),
                 "-o", str(tmp_path / "png")])
    assert code == 2 and "MakePlayingCards prints 63.5×88.9 mm cards" in capsys.readouterr().err
    assert not (tmp_path / "png").exists()


def test_png_rebuild_is_identical_and_only_our_stale_images_go(tmp_path, tiny, capsys):
    out = build(tmp_path, "--profile", "png", deck=tiny, name="png")
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    ours = sorted(n for n in first if n.endswith(".png"))
    assert (out / ".deckgen-files").read_text().splitlines()[1:] == ours  # the manifest: what deckgen wrote
    (out / "009-holiday-front.png").write_bytes(b"the user's photo, named like ours")
    (out / "notes.txt").write_text("mine")
    build(tmp_path, "--profile", "png", deck=tiny, name="png")
    again = {p.name: p.read_bytes() for p in out.iterdir()}
    assert again.pop("notes.txt") == b"mine" and again.pop("009-holiday-front.png").startswith(b"the user's")
    assert again == first  # byte-identical, manifest included
    first_card = ours[0].split("-")[1]
    build(tmp_path, "--profile", "png", "--exclude", f"id={first_card}", deck=tiny, name="png")
    left = {p.name for p in out.iterdir()}
    assert not any(f"-{first_card}-" in n for n in left)  # the card left the deck: its images go
    assert "009-holiday-front.png" in left and "notes.txt" in left


def test_a_png_folder_without_a_manifest_is_never_cleaned(tmp_path, tiny, capsys):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "001-holiday-front.png").write_bytes(b"a photo")
    build(tmp_path, "--profile", "png", deck=tiny, name="photos")
    assert (out / "001-holiday-front.png").read_bytes() == b"a photo"
    err = capsys.readouterr().err
    assert "1 image named like deckgen's left as they are (001-holiday-front.png)" in err


# ---------------------------------------------------------------- bleed is artwork


def _is_band(pixel, tol=12) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(pixel[:3], BAND, strict=True))


def test_art_reaches_the_bleed_edge_in_shop_and_png(made):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(made("--profile", "shop")))
    dpi = 150
    img = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    px = img.load()
    w, _ = img.size
    bleed, band_bottom = round(3 / 25.4 * dpi), round((3 + 37) / 25.4 * dpi)
    strip = [(x, y) for x in range(w) for y in range(bleed)]  # the whole top bleed strip
    strip += [(x, y) for y in range(band_bottom - 2) for x in (*range(bleed), *range(w - bleed, w))]
    assert all(_is_band(px[p]) for p in strip), "white or other pixels in the bleed beside the band"
    png = next(made("--profile", "png").glob("001-*-front.png"))
    with Image.open(png) as im:
        rgb = im.convert("RGB")
        assert all(_is_band(rgb.getpixel((x, y))) for x in range(0, im.width, 7) for y in range(36))
        assert all(_is_band(rgb.getpixel((x, y))) for x in (0, 1, 2, im.width - 1) for y in range(0, 470, 5))


def test_home_bleed_with_gutters_and_the_fallback(tmp_path, capsys):
    import pypdfium2 as pdfium

    out = build(tmp_path, "--bleed", "0.8mm", name="bleed.pdf")  # the most that leaves room for the marks
    assert "warning" not in capsys.readouterr().err
    doc = pdfium.PdfDocument(str(out))
    dpi = 150
    img = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    gutter, bleed = 1.6 * MM, 0.8 * MM
    left = (A4[0] - 3 * 63 * MM - 2 * gutter) / 2
    top = (A4[1] - 3 * 88 * MM - 2 * gutter) / 2  # from the top of the page
    x_gap = left + 63 * MM  # the gutter between columns 1 and 2, beside the first row's band
    for x in (x_gap - bleed + 0.2 * MM, x_gap + 0.5 * gutter, x_gap + gutter + bleed - 0.2 * MM):
        for y in (top + 5 * MM, top + 20 * MM, top + 35 * MM):
            pixel = img.getpixel((round(x / 72 * dpi), round(y / 72 * dpi)))
            assert _is_band(pixel), (x / MM, y / MM, pixel)
    out = build(tmp_path, "--bleed", "3mm", name="fallback.pdf")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "warning: --bleed 3mm" in err and "butted" in err and "--bleed 0.8mm" in err
    assert len(pikepdf.open(out).pages) == 8  # still 9 a sheet


# ---------------------------------------------------------------- back offset and calibration


def _shift(a: list, b: list) -> set[tuple[float, float]]:
    return {(round((q.x - p.x) / MM, 3), round((q.y - p.y) / MM, 3)) for p, q in zip(a, b, strict=True)}


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_back_offset_moves_back_cards_exactly_and_nothing_else(built, tmp_path, duplex):
    base = text_chunks(built("a4", duplex))
    moved = text_chunks(build(tmp_path, "--duplex", duplex, "--back-offset=1.5,-2"))
    for i, (a, b) in enumerate(zip(base, moved, strict=True)):
        assert [c.text for c in a] == [c.text for c in b]
        bar = [k for k, c in enumerate(a) if "print at 100" in c.text or c.text.strip() == "50 mm"]
        cards = [k for k in range(len(a)) if k not in bar]
        assert bar and _shift([a[k] for k in bar], [b[k] for k in bar]) == {(0.0, 0.0)}  # the scale bar stays put
        assert _shift([a[k] for k in cards], [b[k] for k in cards]) == ({(1.5, -2.0)} if i % 2 else {(0.0, 0.0)})


def test_calibration_sheet(tmp_path, capsys):
    out = tmp_path / "cal.pdf"
    assert main(["calibrate", "-o", str(out)]) == 0
    assert "2 pages" in capsys.readouterr().out
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2
        assert box_mm(pdf.pages[1].obj.MediaBox) == pytest.approx([0, 0, 210, 297], abs=0.01)
    front, back = text_chunks(out)
    front_text = " ".join(c.text for c in front)
    assert "calibration — front" in front_text and "--back-offset X,Y" in front_text
    assert "50 mm — print at 100" in front_text  # its scale bar
    assert sum(c.text == "X (mm, right)" for c in back) == 5 and sum(c.text == "Y (mm, up)" for c in back) == 5
    zero = min((c for c in back if c.text == "0" and c.dir == (1.0, 0.0)),
               key=lambda c: abs(c.x - A4[0] / 2) + abs(c.y - A4[1] / 2 - 11 * MM))
    assert zero.x + 0.5 * zero.size * 0.55 == pytest.approx(A4[0] / 2, abs=0.4 * MM)  # X scale's 0 above the centre
    moved = tmp_path / "moved.pdf"
    assert main(["calibrate", "-o", str(moved), "--back-offset=-1,2.5"]) == 0
    mfront, mback = text_chunks(moved)
    assert _shift(front, mfront) == {(0.0, 0.0)}
    same = [c for c in back if "printed on" not in c.text]
    assert _shift(same, [c for c in mback if "printed on" not in c.text]) == {(-1.0, 2.5)}
    assert any("--back-offset -1,2.5" in c.text for c in mback)


PRINTERS = """\
office:
  paper: letter
  duplex: short
  back_offset: [1, -0.5]
atelier:
  paper: a5
"""


def test_named_printer(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "printers.yaml").write_text(PRINTERS.replace("  paper: a5\n", "  duplex: long\n"))
    assert main(["calibrate", "--printer", "office", "-o", "cal.pdf"]) == 0
    with pikepdf.open(tmp_path / "cal.pdf") as pdf:
        assert box_mm(pdf.pages[0].obj.MediaBox)[2:] == pytest.approx([215.9, 279.4], abs=0.01)
        assert str(pdf.Root.ViewerPreferences.Duplex) == "/DuplexFlipShortEdge"
    capsys.readouterr()
    assert main(["build", str(MICRO), "--printer", "office", "-o", "deck.pdf"]) == 0
    out = capsys.readouterr().out
    assert "4 Letter sheets" in out and "short-edge flip" in out and "printer office" in out
    base, moved = text_chunks(build(tmp_path, "--paper", "letter", "--duplex", "short")), text_chunks(
        tmp_path / "deck.pdf")
    cards = [k for k, c in enumerate(base[1]) if "print at 100" not in c.text and c.text.strip() != "50 mm"]
    assert _shift([base[1][k] for k in cards], [moved[1][k] for k in cards]) == {(1.0, -0.5)}  # the bar stays
    assert _shift(base[0], moved[0]) == {(0.0, 0.0)}


def test_bad_printers_file_says_file_and_line(tmp_path, capsys):
    printers = tmp_path / "p.yaml"
    printers.write_text(PRINTERS)
    assert main(["calibrate", "--printers", str(printers), "--printer", "office", "-o", str(tmp_path / "c.pdf")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{printers}:6: atelier.paper: ") and "'a4'" in err[0]
    printers.write_text(PRINTERS.replace("  paper: a5\n", "  duplex: long\n"))
    assert main(["calibrate", "--printers", str(printers), "--printer", "ofice"]) == 1
    assert "no printer named 'ofice' — did you mean 'office'?" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()


# ---------------------------------------------------------------- fold


def test_fold_pages_put_each_back_behind_its_front(made, micro_data):
    """The text inside each front slot is that card's front; inside its mirror across the fold, that card's back."""
    plan, _ = fold_plan(*A4, 63 * MM, 88 * MM)
    pages = text_chunks(made("--profile", "fold"))
    per = plan.per_sheet
    assert len(pages) == -(-len(cards(micro_data)) // per) == 8
    total = len(cards(micro_data))

    def inside(chunks, x, y, w, h):
        found = [c for c in chunks if x - 0.1 <= c.x <= x + w + 0.1 and y - 0.1 <= c.y <= y + h + 0.1]
        return normal("".join(c.text for c in found)), {c.dir for c in found}

    for p, chunks in enumerate(pages):
        for k, card in enumerate(cards(micro_data)[p * per:(p + 1) * per]):
            s = plan.fronts[k]
            front, front_dirs = inside(chunks, s.x, s.y, s.w, s.h)
            back, back_dirs = inside(chunks, s.x, A4[1] - s.y - s.h, s.w, s.h)  # folded across half height
            assert normal(localized(card["title"])) in front and f"{p * per + k + 1}/{total}" in front
            assert normal(localized(card["body"])) in back and normal(localized(card["title"])) in back
            assert front_dirs == back_dirs == {(0.0, 1.0)}  # turned alike: after the fold the back reads upright


# ---------------------------------------------------------------- colour and PDF/X


def test_cmyk_has_no_rgb_and_marks_in_registration_colour(made):
    with pikepdf.open(made("--color", "cmyk")) as pdf:
        for n, page in enumerate(pdf.pages):
            ops = operators(pdf, n)
            assert not [op for _, op in ops if op in ("rg", "RG")]
            assert not rgb_operators(page)
            fill = None
            for operands, op in ops:
                if op == "k":
                    fill = [float(v) for v in operands]
                elif op in ("Tj", "TJ"):
                    assert fill is not None and fill[:3] == [0, 0, 0], "text not in black ink only"
            spaces = page.obj.Resources.ColorSpace
            seps = [cs for cs in spaces.values() if cs[0] == pikepdf.Name.Separation]
            assert [str(cs[1]) for cs in seps] == ["/All"] and cs_is_cmyk(seps[0])
            assert any(op == "CS" for _, op in ops) and any(op == "SCN" for _, op in ops)


def cs_is_cmyk(separation) -> bool:
    return separation[2] == pikepdf.Name.DeviceCMYK


def test_pdfx_structure(made):
    path = made("--pdfx")
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.4" and problems(pdf) == []
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-1:2003" and str(info.GTS_PDFXConformance) == "PDF/X-1a:2003"
        assert str(info.Trapped) == "/False" and str(info.Title) == "Micro is Beautiful"
        assert str(info.CreationDate) == str(info.ModDate) and str(info.CreationDate).startswith("D:")
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.S) == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org" and "/DestOutputProfile" not in intent
        assert len(pdf.trailer.ID) == 2 and bytes(pdf.trailer.ID[0])
        for n, page in enumerate(pdf.pages):
            assert "/TrimBox" in page.obj and not [op for _, op in operators(pdf, n) if op in ("rg", "RG")]
        fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
        assert fonts and all("/FontFile2" in f.FontDescriptor for f in fonts)
    if shutil.which("pdfinfo"):  # .ci/run installs poppler-utils
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert "PDF subtype:    PDF/X-1:2003" in out and "ISO 15930-4" in out


def test_pdfx_rebuilds_identically_and_takes_a_condition(tmp_path, made, monkeypatch):
    again = build(tmp_path, "--pdfx", name="again.pdf")
    assert again.read_bytes() == made("--pdfx").read_bytes()
    us = build(tmp_path, "--pdfx", "--condition", "gracol", "--bleed", "0.125in", name="us.pdf")
    with pikepdf.open(us) as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "CGATS TR 006"
        assert box_mm(pdf.pages[0].obj.MediaBox)[2:] == pytest.approx([63 + 6.35, 88 + 6.35], abs=0.05)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = build(tmp_path, "--pdfx", name="dated.pdf")
    assert str(pikepdf.open(dated).docinfo.ModDate) == "D:20231114221320Z"


# ---------------------------------------------------------------- QR codes in every profile


def _urls(cards_: list[dict]) -> list[str]:
    return [localized(c["source"]["url"]) for c in cards_]


@pytest.mark.parametrize("args", [("--profile", "shop"), ("--pdfx",)])
def test_every_qr_decodes_in_shop_and_pdfx(made, micro_data, args):
    found = decode_qr_pages(made(*args), [2 * i + 1 for i in range(len(cards(micro_data)))])
    assert [[c.text for c in codes] for codes in found] == [[u] for u in _urls(cards(micro_data))]


def test_every_qr_decodes_in_png(made, micro_data):
    import zxingcpp

    folder = made("--profile", "png")
    for i, url in enumerate(_urls(cards(micro_data)), 1):
        (back,) = folder.glob(f"{i:03d}-*-back.png")
        with Image.open(back) as im:
            assert [c.text for c in zxingcpp.read_barcodes(im.convert("L"))] == [url]


def test_every_qr_decodes_in_fold(made, micro_data):
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(str(made("--profile", "fold")))
    per = 4
    for p in range(len(doc)):
        half = doc[p].render(scale=300 / 72, grayscale=True, crop=(0, 0, 0, A4[1] / 2)).to_pil()  # backs only
        codes = sorted(c.text for c in zxingcpp.read_barcodes(half, formats=zxingcpp.BarcodeFormat.QRCode))
        assert codes == sorted(_urls(cards(micro_data)[p * per:(p + 1) * per]))
    doc.close()


# ---------------------------------------------------------------- quantities and names


def test_copies_and_decks_in_every_profile(tmp_path, tiny):
    def texts(path: Path) -> str:
        return " ".join(c.text for page in text_chunks(path) for c in page)

    home = texts(build(tmp_path, "--decks", "2", deck=tiny, name="home.pdf"))
    assert home.count("Beta") == 8 and home.count("2/2") == 4 and home.count("1/2") == 2  # 2 decks × (1 + 2 copies)
    shop = build(tmp_path, "--profile", "shop", "--decks", "3", deck=tiny, name="shop.pdf")
    assert len(pikepdf.open(shop).pages) == 18
    fold = texts(build(tmp_path, "--profile", "fold", deck=tiny, name="fold.pdf"))
    assert fold.count("2/2") == 2 and fold.count("Beta") == 4
    png = build(tmp_path, "--profile", "png", "--decks", "2", deck=tiny, name="png")
    assert len(list(png.glob("*.png"))) == 12 and (png / "002-beta-copy4-back.png").is_file()


def test_default_output_names(tmp_path, tiny, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    runs = ((), ("--profile", "shop"), ("--profile", "png"), ("--profile", "fold"), ("--pdfx",),
            ("--pdfx", "--profile", "home"), ("--service", "mpc"), ("--service", "tgc"), ("--color", "cmyk"))
    for args in runs:
        assert main(["build", str(tiny), *args]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-cmyk.pdf", "tiny-fold.pdf", "tiny-home-pdfx.pdf", "tiny-mpc", "tiny-pdfx.pdf", "tiny-png",
        "tiny-shop.pdf", "tiny-tgc", "tiny.pdf"]  # one name each: no output overwrites another
    assert len(list((tmp_path / "tiny-png").glob("*.png"))) == 6  # the service builds removed none of these
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(runs) and lines[2].startswith(
        "tiny-png/: 2 cards + 1 copy = 3 cards as 6 PNG images of 815×1110 px")


@pytest.mark.parametrize("args, words", [
    (["--profile", "shop", "--service", "mpc"], "--service applies to --profile png"),
    (["--pdfx", "--color", "rgb"], "--pdfx is CMYK only"),
    (["--printers", "p.yaml"], "add --printer"),
])
def test_usage_errors_exit_2(tmp_path, capsys, args, words):
    assert main(["build", str(MICRO), "-o", str(tmp_path / "x.pdf"), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].startswith("deckgen build: error:")
    assert not (tmp_path / "x.pdf").exists()


def test_negative_offset_needs_the_equals_form(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", str(MICRO), "--back-offset", "-1,2"])
    assert exc.value.code == 2
    assert "--back-offset" in capsys.readouterr().err


def test_readme_names_a_profile_for_each_printer():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Which profile for which printer", 1)[1].split("\n## ", 1)[0]
    for printer in ("with duplex", "without duplex", "print shop", "makeplayingcards", "the game crafter",
                    "drivethrucards"):
        assert printer in section.lower(), printer
    assert section.count("deckgen build") >= 5


def test_cmyk_image_has_a_hard_mask_not_transparency(tmp_path):
    """A PNG with alpha: CMYK with a colour-key mask in PDF/X (no soft mask), a soft mask in RGB files."""
    from PIL import ImageDraw

    dot = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    ImageDraw.Draw(dot).ellipse((4, 4, 36, 36), fill=(200, 30, 60, 255))
    dot.save(tmp_path / "dot.png")
    (tmp_path / "theme.yaml").write_text('extends: classic\nfront:\n  pic: {type: image, when: image, x: 45mm, '
                                         'y: 14mm, w: 14mm, h: 14mm, src: "{image}"}\n')
    deck = tmp_path / "deck.yaml"
    deck.write_text('deck: {title: Dot, theme: theme.yaml}\ncards:\n  - {title: One, image: dot.png}\n')

    def images(pdf: pikepdf.Pdf) -> list:
        return [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]

    with pikepdf.open(build(tmp_path, "--pdfx", deck=deck, name="x.pdf")) as pdf:
        (image,) = images(pdf)
        assert image.ColorSpace == pikepdf.Name.DeviceCMYK and "/SMask" not in image and len(image.Mask) == 8
        assert problems(pdf) == []
    with pikepdf.open(build(tmp_path, "--profile", "shop", deck=deck, name="rgb.pdf")) as pdf:
        masked = [o for o in images(pdf) if "/SMask" in o]
        assert len(masked) == 1 and masked[0].ColorSpace == pikepdf.Name.DeviceRGB


def test_printers_file_in_the_user_config_folder(tmp_path, monkeypatch):
    from deckgen.errors import DeckError
    from deckgen.pipeline.printers import load_printer

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with pytest.raises(DeckError, match="no printers file") as exc:
        load_printer("office")
    assert "config/deckgen/printers.yaml" in exc.value.problems[0].hint
    (tmp_path / "config" / "deckgen").mkdir(parents=True)
    (tmp_path / "config" / "deckgen" / "printers.yaml").write_text("office: {back_offset: '0.5,-1'}\n")
    office = load_printer("office")
    assert office.back_offset == pytest.approx((0.5 * MM, -1 * MM)) and office.paper is None


def test_pdfx_checker_catches_what_breaks_the_standard(built):
    with pikepdf.open(built()) as pdf:  # an ordinary RGB home file
        found = " | ".join(problems(pdf))
    for words in ("RGB colour", "no TrimBox", "no GTS_PDFXVersion", "GTS_PDFX output intent"):
        assert words in found


@pytest.mark.parametrize("paper, direction", [("a4", (1.0, 0.0)), ("letter", (0.0, 1.0))])
def test_every_home_page_has_its_scale_bar_in_a_margin(built, paper, direction):
    w, h = {"a4": A4, "letter": (215.9 * MM, 279.4 * MM)}[paper]
    left, bottom = (w - 3 * 63 * MM) / 2, (h - 3 * 88 * MM) / 2
    for chunks in text_chunks(built(paper)):
        (label,) = [c for c in chunks if c.text.startswith("50 mm — print at 100")]
        assert label.dir == direction  # Letter's 7.7 mm above and below are too narrow: turned, at the side
        if paper == "a4":
            assert 5 * MM < label.y < bottom
        else:
            assert 5 * MM < label.x < left
