"""Big decks: many cards, many copies, many families; and what keeps them fast and small (forms, packed ops,
binary streams, page-by-page compression, the progress bar). Timings live in benchmarks/, never here; the
10,000-card deck too (`python benchmarks/bench.py --sizes 10000`), as it takes about half a minute."""

from __future__ import annotations

import io
import math
import re

import pikepdf
import pytest
import yaml
from conftest import MICRO, build, decode_qr_pages, normal, text_chunks

from deckgen.cli.main import main
from deckgen.cli.progress import Bar
from deckgen.design.packed import PackedOps
from deckgen.output.pdf import render
from deckgen.pipeline.options import Job
from deckgen.pipeline.prepare import Options, prepare
from deckgen.pipeline.profiles.home import home_pages
from deckgen.pipeline.write import doc_info

MINIMAL_THEME = """\
card: poker
colors: {ink: "#000000"}
front:
  title: {type: text, text: "{title}", x: 4mm, y: 4mm, w: 55mm, h: 30mm, size: 14pt, min_size: 8pt}
  band: {type: rect, x: 0, y: 80mm, w: 100%, h: 8mm, fill: "{family.color}"}
back:
  qr: {type: qr, when: source, x: 4mm, y: 4mm, w: 25mm, h: 25mm}
"""


def write_deck(folder, cards: list[dict], families: list[dict] | None = None, theme: str | None = None):
    deck = {"deck": {"title": "Grand jeu", "lang": "fr"}, "cards": cards}
    if families:
        deck["families"] = families
    if theme:
        (folder / "minimal.yaml").write_text(theme, encoding="utf-8")
        deck["deck"]["theme"] = "minimal.yaml"
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def forms(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"]


def test_a_card_copied_500_times_is_drawn_once_per_side(tmp_path):
    card = {"title": "Une carte copiée", "summary": "Le même résumé : « identique ».",
            "body": "Un corps de texte assez long pour tenir sur plusieurs lignes.",
            "source": "https://example.org/copie", "copies": 500}
    out = build(tmp_path, deck=write_deck(tmp_path, [card]))
    pdf = pikepdf.open(out)
    assert len(pdf.pages) == 2 * math.ceil(500 / 9)
    assert len(forms(pdf)) == 2  # one front, one back, each a Form XObject used 500 times
    uses = sum(len(re.findall(rb"/FormXob\.\w+ Do", p.Contents.read_bytes())) for p in pdf.pages)
    assert uses == 1000
    assert out.stat().st_size < 200_000  # ~1.3 KB a card drawn out; a copy costs a reference
    last_front = page_text(out, len(pdf.pages) - 2)  # the last, partial sheet, drawn through the form
    assert last_front.count("Une carte copiée") == 500 - 9 * 55
    codes = decode_qr_pages(out, [1])[0]
    assert [c.text for c in codes] == ["https://example.org/copie"] * 9


def test_fifty_families_each_on_its_cards(tmp_path):
    families = [{"id": f"famille-{i}", "name": f"Famille {i}", "color": f"#{i * 5:02X}{255 - i * 4:02X}80"}
                for i in range(50)]
    cards = [{"title": f"Carte {i}", "family": f"famille-{i % 50}", "source": f"https://example.org/{i}"}
             for i in range(100)]
    out = build(tmp_path, deck=write_deck(tmp_path, cards, families))
    pdf = pikepdf.open(out)
    fills = set()
    for page in pdf.pages[::2]:  # fronts: each card's band in its family's colour
        for rgb in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", page.Contents.read_bytes()):
            fills.add(tuple(round(float(v), 3) for v in rgb))
    for fam in families:
        assert tuple(round(int(fam["color"][k:k + 2], 16) / 255, 3) for k in (1, 3, 5)) in fills, fam
    names = [normal(c.text) for page in text_chunks(out)[::2] for c in page]
    for fam in families:
        assert names.count(normal(fam["name"])) == 2, fam  # on both of its cards


def test_two_thousand_cards_on_every_page_in_order(tmp_path):
    cards = [{"title": f"Carte numéro {i}", "source": f"https://example.org/c/{i}"} for i in range(2000)]
    out = build(tmp_path, deck=write_deck(tmp_path, cards, theme=MINIMAL_THEME))
    assert len(pikepdf.open(out).pages) == 2 * math.ceil(2000 / 9)
    sheets = math.ceil(2000 / 9)
    for sheet in (0, sheets // 2, sheets - 1):
        titles = re.findall(r"Carte numéro (\d+)", page_text(out, 2 * sheet))
        assert [int(t) for t in titles] == list(range(9 * sheet, min(9 * sheet + 9, 2000))), sheet


def page_text(pdf, index: int) -> str:
    from pypdf import PdfReader

    return PdfReader(pdf).pages[index].extract_text()


def test_packed_ops_read_back_equal(micro_data):
    prep = prepare(MICRO, Options())
    side = prep.cards[0].back
    assert isinstance(side.ops, PackedOps)
    ops = list(side.ops)
    assert ops and list(PackedOps(ops)) == ops and PackedOps(ops).key == side.ops.key
    assert side.ops[0] == ops[0] and side.ops[-1] == ops[-1] and len(side.ops) == len(ops)


def test_streams_are_flate_only_and_reportlab_setting_restored(built):
    from reportlab import rl_config

    before = rl_config.useA85
    pdf = pikepdf.open(built())
    for page in pdf.pages:
        assert page.Contents.get("/Filter") in (pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode]))
    assert rl_config.useA85 == before


def test_progress_reports_cards_then_pages():
    seen: list[tuple[str, int, int]] = []
    prep = prepare(MICRO, Options(), progress=lambda *a: seen.append(a))
    pages = home_pages(prep, Job()).pages
    render(pages, prep.card_w, prep.card_h, prep.fonts, doc_info(prep, "long"), progress=lambda *a: seen.append(a))
    cards = [s for s in seen if s[0] == "cards"]
    drawn = [s for s in seen if s[0] == "pages"]
    assert [d for _, d, _ in cards] == list(range(1, 30)) and {t for _, _, t in cards} == {29}
    assert [d for _, d, _ in drawn] == list(range(1, len(pages) + 1))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_after_a_delay():
    quiet = io.StringIO()
    bar = Bar(stream=quiet, delay=0)
    bar("cards", 1, 10)
    bar.close()
    assert quiet.getvalue() == ""  # not a terminal
    term = FakeTerminal()
    with Bar(stream=term, delay=3600) as bar:
        bar("cards", 1, 10)
    assert term.getvalue() == ""  # a quick build shows nothing
    term = FakeTerminal()
    with Bar(stream=term, delay=0) as bar:
        bar("cards", 5, 10)
        bar("pages", 1, 4)
    assert "Laying out cards" in term.getvalue() and "Drawing pages" in term.getvalue()
    term = FakeTerminal()
    with Bar(enabled=False, stream=term, delay=0) as bar:  # --quiet
        bar("cards", 5, 10)
    assert term.getvalue() == ""


def test_quiet_build_prints_nothing(tmp_path, capsys):
    assert main(["build", str(MICRO), "-o", str(tmp_path / "q.pdf"), "--quiet"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("copies", [1, 3])
def test_copies_give_identical_bytes_on_rebuild(tmp_path, copies):
    card = {"title": "Carte", "source": "https://example.org/x", "copies": copies}
    deck = write_deck(tmp_path, [card, {"title": "Autre", "source": "https://example.org/y"}])
    a = build(tmp_path, deck=deck, name="a.pdf").read_bytes()
    b = build(tmp_path, deck=deck, name="b.pdf").read_bytes()
    assert a == b
    assert len(forms(pikepdf.open(io.BytesIO(a)))) == (2 if copies > 1 else 0)


def test_help_loads_no_heavy_module():
    """`deckgen --help` stays instant: reportlab, pydantic, PyYAML and rich load only when a command needs them."""
    import subprocess
    import sys

    code = ("import atexit, sys\n"
            "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'reportlab', 'pydantic', 'yaml', 'rich', 'PIL', 'pikepdf', 'qrcode', 'pyphen'})))\n"
            "from deckgen.cli.main import main\n"
            "main(['--help'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: deckgen" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
