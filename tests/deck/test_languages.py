"""Languages: --lang builds one language only, missing translations fail naming card and field, --fallback,
and `check` checks every language the deck uses, fit included."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import MICRO, build, decode_qr_pages, normal, text_chunks

from deckgen.cli.main import main
from deckgen.deck.languages import deck_languages, text_in
from deckgen.deck.load import load_deck
from deckgen.pipeline.prepare import Options, prepare


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    pdf = build(tmp_path_factory.mktemp("en"), "--lang", "en")
    return pdf, normal("".join(c.text for page in text_chunks(pdf) for c in page))


def test_lang_en_has_every_english_text_and_no_french_one(english, micro_data):
    _, text = english
    fams = {f["id"]: f for f in micro_data["families"]}
    french = []
    for card in micro_data["cards"]:
        for key in ("title", "summary", "body"):
            assert normal(card[key]["en"]) in text, f"{card['id']}.{key}: English text missing"
            if key != "title":
                french.append(card[key]["fr"])
        assert normal(card["source"]["label"]["en"]) in text
        assert normal(fams[card["family"]]["name"]["en"]) in text
    for fam in fams.values():
        french.append(fam["name"]["fr"])
    for card in micro_data["cards"]:
        french += [card["source"]["label"]["fr"]]
        fr, en = normal(card["title"]["fr"]), normal(card["title"]["en"])
        if fr != en and fr not in normal(" ".join(c["title"]["en"] for c in micro_data["cards"])):
            french.append(card["title"]["fr"])
    leaked = [t for t in french if normal(t) in text]
    assert not leaked, f"French text in the English deck: {leaked[:3]}"
    assert "Wikipédia" not in text and "«" not in text


def test_lang_en_qr_codes_open_the_english_sources(english, micro_data):
    pdf, _ = english
    first_sheet = micro_data["cards"][:9]
    codes = decode_qr_pages(pdf, [1])[0]
    expected = sorted(c["source"]["url"]["en"] if isinstance(c["source"]["url"], dict) else c["source"]["url"]
                      for c in first_sheet)
    assert sorted(code.text for code in codes) == expected
    assert "https://en.wikipedia.org/wiki/Long_tail" in expected  # a card with a per-language source


def test_text_in_matches_primary_language_and_fallback():
    value = {"fr": "Bonjour", "en-GB": "Hello"}
    assert text_in(value, "en", None) == "Hello"
    assert text_in(value, "fr-CA", None) == "Bonjour"
    assert text_in(value, "de", "fr") == "Bonjour"
    with pytest.raises(LookupError):
        text_in(value, "de", None)
    assert deck_languages(load_deck(MICRO).deck) == ["fr", "en"]


def test_a_source_without_the_language_built_stays_the_cards_source(tmp_path):
    deck = write(tmp_path, """\
        deck: {title: T, lang: fr}
        cards:
          - title: {fr: Un, en: One}
            source: {url: {fr: "https://fr.example.org/un"}, label: {fr: Exemple, en: Example}}
          - title: {fr: Deux, en: Two}
            source: {fr: "https://fr.example.org/deux", en: "https://en.example.org/two"}
    """)
    urls = [c.context["source"]["url"] for c in prepare(deck, Options(lang="en")).cards]
    assert urls == ["https://fr.example.org/un", "https://en.example.org/two"]


DECK = """\
deck:
  title: {fr: Atelier, en: Workshop}
  lang: fr
families:
  - id: edition
    name: {fr: Édition, en: Publishing}
    color: "#E4572E"
cards:
  - id: un
    family: edition
    title: {fr: Premier, en: First}
    summary: {fr: Un résumé court., en: A short summary.}
  - id: deux
    family: edition
    title: {fr: Deuxième carte}
    summary: {fr: Deuxième résumé., en: Second summary.}
"""


def write(tmp_path, text: str):
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent(text), encoding="utf-8")
    return deck


def test_missing_translation_fails_naming_card_and_field(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = write(tmp_path, DECK)
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"OLD")
    assert main(["build", str(deck), "--lang", "en", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["deck.yaml:15: cards[1].title.en: no 'en' text (card 'deux') — it has fr; add its 'en' text, "
                   "or build with --fallback fr"]
    assert out.read_bytes() == b"OLD"
    assert main(["build", str(deck), "--lang", "en", "--fallback", "fr", "-o", str(out)]) == 0
    text = normal("".join(c.text for page in text_chunks(out) for c in page))
    assert normal("Deuxième carte") in text and normal("Second summary.") in text and "Premier" not in text


def test_a_language_the_deck_does_not_have_is_one_line(capsys):
    assert main(["check", str(MICRO), "--lang", "de"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "the deck has no 'de' text — its languages: fr, en" in err[0]
    assert err[1:] == []
    assert main(["check", str(MICRO), "--lang", "de", "--fallback", "en"]) == 0


def test_check_covers_every_language_fit_included(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(MICRO)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"OK — 29 cards, 5 families, theme classic, language fr$", out, re.M)
    assert re.search(r"OK — 29 cards, 5 families, theme classic, language en$", out, re.M)
    long_en = DECK.replace("{fr: Deuxième carte}", "{fr: Deuxième carte, en: Second card}").replace(
        "en: A short summary.", "en: " + "A translation that runs much longer than the original. " * 12)
    deck = write(tmp_path, long_en)
    assert main(["check", str(deck)]) == 1
    captured = capsys.readouterr()
    assert re.search(r"^deck\.yaml:12: cards\[0\]\.summary\.en: text does not fit", captured.err, re.M)
    assert "deck.yaml: 1 problem in language en" in captured.err
    assert "language fr" in captured.out
    assert main(["check", str(deck), "--lang", "fr"]) == 0


def test_typography_follows_the_language_built(tmp_path):
    text = {"fr": "Vraiment ? Oui : « micro »", "en": 'Really? Yes: "micro"'}
    deck = write(tmp_path, f"""\
        deck: {{title: T, lang: fr}}
        cards:
          - title: {{fr: "{text['fr']}", en: '{text['en']}'}}
    """)
    runs = {}
    for lang in ("fr", "en"):
        prep = prepare(deck, Options(lang=lang))
        runs[lang] = "".join(r.text for op in prep.cards[0].front.ops if hasattr(op, "runs") for r in op.runs)
    # narrow no-break spaces before ? and inside « » (Noto Sans has the glyph), a no-break space before :
    assert "Vraiment\u202f?" in runs["fr"] and "Oui\u00a0:" in runs["fr"] and "«\u202fmicro\u202f»" in runs["fr"]
    assert "“micro”" in runs["en"] and "\u00a0" not in runs["en"] and "\u202f" not in runs["en"]
