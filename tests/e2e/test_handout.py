"""The facilitator handout and the legend cards, read back from the PDFs the CLI writes."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import MICRO, MM, build, decode_qr_pages, localized, normal, text_chunks

from deckgen.cli.main import main


def handout(tmp_path, *args: str, name: str = "handout.pdf"):
    out = tmp_path / name
    assert main(["handout", str(MICRO), "-o", str(out), *args]) == 0
    return out


def test_handout_lists_every_card_with_a_qr_code_of_its_source(tmp_path, micro_data, capsys):
    pdf = handout(tmp_path)
    assert "handout of 29 cards on" in capsys.readouterr().out
    pages = text_chunks(pdf)
    assert 2 <= len(pages) <= 6
    text = normal("".join(c.text for page in pages for c in page))
    assert normal(micro_data["deck"]["title"]) in text
    for card in micro_data["cards"]:
        assert normal(localized(card["title"])) in text, card["id"]
        assert normal(localized(card["summary"])) in text, card["id"]
    for fam in micro_data["families"]:
        assert normal(localized(fam["name"])) in text and normal(localized(fam["description"])) in text
    assert min(c.size for page in pages for c in page) >= 10, "text below 10 pt"
    codes = [code.text for page in decode_qr_pages(pdf, list(range(len(pages)))) for code in page]
    assert sorted(codes) == sorted(localized(c["source"]["url"]) for c in micro_data["cards"])


def test_handout_cards_are_grouped_by_family_in_deck_order(tmp_path, micro_data):
    pages = text_chunks(handout(tmp_path))
    flow = normal("".join(c.text for page in pages for c in page))  # reading order: page by page, top down
    names = [normal(localized(f["name"])) for f in micro_data["families"]]
    heading_at = [flow.index(n, flow.index(names[-1]) + 1) for n in names]  # after the legend at the top
    assert heading_at == sorted(heading_at)
    for card in micro_data["cards"]:
        fam = [f["id"] for f in micro_data["families"]].index(card["family"])
        at = flow.find(normal(localized(card["title"])), heading_at[fam] + len(names[fam]))
        assert heading_at[fam] < at < (heading_at[fam + 1] if fam + 1 < len(names) else len(flow)), card["id"]


def test_handout_subset_in_english_on_letter(tmp_path, micro_data):
    pdf = handout(tmp_path, "--lang", "en", "--only", "family=edition", "--paper", "letter")
    with pikepdf.open(pdf) as doc:
        assert [float(v) for v in doc.pages[0].MediaBox] == pytest.approx([0, 0, 612, 792])
        assert len(doc.pages) == 1
    text = normal("".join(c.text for page in text_chunks(pdf) for c in page))
    for card in micro_data["cards"]:
        title = normal(card["title"]["en"])
        assert (title in text) == (card["family"] == "edition"), card["id"]
    assert normal("Micro-publishing, maxi marketing") in text and normal("Foundations") not in text


def test_legend_cards_one_per_family_in_its_colour(tmp_path, micro_data, capsys):
    import pypdfium2 as pdfium

    pdf = build(tmp_path, "--legend", "--lang", "en")
    assert "34 cards" in capsys.readouterr().out
    front = text_chunks(pdf)[0]
    text = normal("".join(c.text for c in front))
    for fam in micro_data["families"]:
        assert normal(fam["name"]["en"]) in text and normal(fam["description"]["en"]) in text
    assert "1/29" in "".join(c.text for c in front)  # the first card follows the 5 legend cards, numbered as before
    doc = pdfium.PdfDocument(str(pdf))
    dpi = 30
    img = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    left, top = (210 - 3 * 63) / 2, (297 - 3 * 88) / 2
    for k, fam in enumerate(micro_data["families"]):
        col, row = k % 3, k // 3
        x = (left + col * 63 + 55) * MM / 72 * dpi  # near the right edge, low on the card: background only
        y = (top + row * 88 + 70) * MM / 72 * dpi
        want = tuple(int(fam["color"][i:i + 2], 16) for i in (1, 3, 5))
        got = img.getpixel((int(x), int(y)))
        assert all(abs(a - b) <= 6 for a, b in zip(got, want, strict=True)), (fam["id"], got, want)
    doc.close()


def test_handout_allow_overflow_cuts_with_an_ellipsis_and_warns(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    long = " ".join(["parole"] * 400)
    deck.write_text(f"deck: {{title: Long, lang: fr}}\ncards:\n  - title: Court\n    summary: Bref\n"
                    f"    body: {long}\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    assert main(["handout", str(deck), "-o", str(out)]) == 1
    assert "deck.yaml:5: cards[0].body" in capsys.readouterr().err and not out.exists()
    assert main(["handout", str(deck), "-o", str(out), "--allow-overflow"]) == 0
    err = capsys.readouterr().err
    assert "deck.yaml:5: cards[0].body: text cut short" in err and err.startswith("warning: ")
    assert normal("Court") in normal("".join(c.text for page in text_chunks(out) for c in page))


def test_legend_problem_of_the_deck_title_is_reported_at_the_deck_title(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck:\n  title: Fusée 東\nfamilies:\n  - {id: a, name: Alpha, color: '#336699'}\n"
                    "cards:\n  - {title: Un, family: a}\n", encoding="utf-8")
    assert main(["build", str(deck), "--legend", "-o", str(tmp_path / "d.pdf")]) == 1
    err = capsys.readouterr().err
    assert "deck.yaml:2: deck.title:" in err, err
    assert "families[0]" not in err, err


def test_a_long_legend_flows_onto_the_following_pages(tmp_path):
    n = 50
    fams = "".join(f"  - {{id: f{i}, name: Gx{i:02d}q, color: '#{(i * 5):02X}6699', description: "
                   f"'{'une famille de tendances assez longue ' * 3}'}}\n" for i in range(n))
    cards = "".join(f"  - {{title: Carte {i}, family: f{i}}}\n" for i in range(n))
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"deck: {{title: Atelier, lang: fr}}\nfamilies:\n{fams}cards:\n{cards}", encoding="utf-8")
    out = tmp_path / "h.pdf"
    assert main(["handout", str(deck), "-o", str(out)]) == 0
    with pikepdf.open(out) as doc:
        page_w, page_h = (float(v) for v in doc.pages[0].MediaBox[2:])
    pages = text_chunks(out)
    text = normal("".join(c.text for page in pages for c in page))
    for i in range(n):
        assert text.count(f"Gx{i:02d}q") == 2, i  # in the legend and as a heading
    content_bottom = 15 * MM + 8 * MM  # handout.MARGIN and the footer's room
    for k, page in enumerate(pages, start=1):
        for c in page:
            footer = normal(c.text) in ("Atelier", f"{k}/{len(pages)}", f"Atelier{k}/{len(pages)}")
            assert 0 <= c.x <= page_w and 0 <= c.y <= page_h, (k, c)
            assert footer or c.y > content_bottom, (k, c)  # nothing over the footer
