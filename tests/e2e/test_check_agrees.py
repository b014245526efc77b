"""`check` lays cards out without drawing them (prepare with draw=False): a text's lines are then only counted
when an element follows it (`below:`/`above:`), else not even composed at its smallest size. Whatever it skips,
check must find what a build finds: every size, fit note, problem and warning, for texts near their boxes' limits,
cut short, hyphenated as a last resort, and followed by other texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckgen.errors import DeckError
from deckgen.pipeline.prepare import Options, Prepared, prepare

# the classic theme, and on the back a text below the body (squeezed by a long body) and one above the source
THEME = """\
extends: classic
fit: {fit}
back:
  body: {valign: middle}
  note: {type: text, text: "{title}", x: 4mm, y: 30mm, w: 100% - 8mm, h: 30mm, below: body, gap: 1mm,
         size: 9pt, min_size: 6pt, line_height: 1.1, align: justify}
  above: {type: text, text: "{title}", x: 32mm, y: 100% - 30mm, w: 100% - 36mm, h: 12mm, above: source,
          size: 7pt, min_size: 5pt, valign: bottom}
"""
WORDS = ("énergie réseau coopérative été île forêt château hôpital élève œuvre façade théâtre bâtiment déjà très "
         "après première société économie écologie mobilité sécurité qualité éducation département commune "
         "quartier rivière montagne littoral agriculture réglementation consommateur producteur").split()


def _text(n: int, start: int) -> str:
    return " ".join(WORDS[(start + 7 * i) % len(WORDS)] for i in range(n))


@pytest.fixture(scope="module", params=["deck", "card"])
def deck(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """16 cards, from short texts to texts cut short; one size per element across the deck, or each card's own."""
    folder = tmp_path_factory.mktemp("agree")
    (folder / "theme.yaml").write_text(THEME.replace("{fit}", request.param), encoding="utf-8")
    cards = [{"id": f"c{i}", "title": _text(1 + i % 9, i) if i != 5 else "Anticonstitutionnellement",
              "body": _text(8 + 6 * i, 3 * i), "source": {"url": f"https://example.org/{'x' * (i * 5)}",
                                                          "label": _text(2 + i % 4, i)}}
             for i in range(16)]
    data = {"deck": {"title": "Accord", "lang": "fr", "theme": "theme.yaml"}, "cards": cards}
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _found(prep: Prepared) -> list[object]:
    sides = [(c.id, side.issues, side.fits) for c in prep.cards for side in (c.front, c.back)]
    return [sides, prep.warnings, sorted(prep.sizes.items())]


def test_check_finds_every_size_fit_and_warning_a_build_finds(deck: Path) -> None:
    built = prepare(deck, Options(allow_overflow=True))
    checked = prepare(deck, Options(allow_overflow=True, draw=False))
    assert not checked.cards[0].back.ops and built.cards[0].back.ops  # check drew nothing
    notes = [n for c in built.cards for n in c.back.fits]
    assert {n.element for n in notes} >= {"body", "note", "above"}
    assert any(n.ellipsised for n in notes) and any(n.fits and n.size < n.nominal for n in notes)
    assert {n.ellipsised for n in notes if n.element == "note"} == {False, True}  # squeezed by some bodies
    assert _found(checked) == _found(built)


def test_check_finds_the_problems_a_build_finds(deck: Path) -> None:
    with pytest.raises(DeckError) as built:
        prepare(deck, Options())
    with pytest.raises(DeckError) as checked:
        prepare(deck, Options(draw=False))
    assert any("text does not fit" in str(p) for p in built.value.problems)
    assert [str(p) for p in checked.value.problems] == [str(p) for p in built.value.problems]
