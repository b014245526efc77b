"""--only / --exclude / --renumber pick exactly the expected cards."""

from __future__ import annotations

import pytest
from conftest import MICRO, build, localized, normal, text_chunks

from deckgen.cli.main import main
from deckgen.deck.select import parse_expr
from deckgen.errors import DeckError
from deckgen.pipeline.prepare import Options, prepare


def ids(*only: str, exclude: tuple[str, ...] = (), renumber: bool = False) -> list[tuple[str, int]]:
    prep = prepare(MICRO, Options(only=tuple(map(parse_expr, only)), exclude=tuple(map(parse_expr, exclude)),
                                  renumber=renumber))
    return [(c.id, c.index) for c in prep.cards]


def test_only_family(micro_data):
    expected = [c["id"] for c in micro_data["cards"] if c["family"] == "economies"]
    assert [cid for cid, _ in ids("family=economies")] == expected and len(expected) == 3


def test_commas_mean_any_of_and_several_only_must_all_hold(micro_data):
    got = [cid for cid, _ in ids("family=edition,travail", "tag=numerique")]
    expected = [c["id"] for c in micro_data["cards"]
                if c["family"] in ("edition", "travail") and "numerique" in c["tags"]]
    assert got == expected and 0 < len(got) < 10


def test_exclude(micro_data):
    got = [cid for cid, _ in ids("family=edition", exclude=("id=micro-site,micro-video",))]
    expected = [c["id"] for c in micro_data["cards"] if c["family"] == "edition"
                and c["id"] not in ("micro-site", "micro-video")]
    assert got == expected and len(got) == 4


def test_numbers_stay_those_of_the_full_deck_unless_renumber(tmp_path, micro_data):
    pdf = build(tmp_path, "--only", "family=organisation")
    text = "".join(c.text for c in text_chunks(pdf)[0])
    first = next(i for i, c in enumerate(micro_data["cards"]) if c["family"] == "organisation")
    assert f"{first + 1}/29" in text
    pdf = build(tmp_path, "--only", "family=organisation", "--renumber", name="renumbered.pdf")
    text = "".join(c.text for c in text_chunks(pdf)[0])
    assert "1/6" in text and "6/6" in text and "/29" not in text
    titles = normal(text)
    for card in micro_data["cards"]:
        if card["family"] == "organisation":
            assert normal(localized(card["title"])) in titles
        elif card["family"] == "fondements":
            assert normal(localized(card["title"])) not in titles


@pytest.mark.parametrize("expr, hint", [("family=editon", "did you mean 'edition'"), ("tag=nope", "the deck's tags:"),
                                        ("id=nothing-like-it", "the deck's ids:")])
def test_selecting_nothing_names_what_exists(expr, hint):
    with pytest.raises(DeckError) as err:
        ids(expr)
    assert hint in str(err.value)


def test_empty_intersection_is_an_error(capsys):
    assert main(["check", str(MICRO), "--only", "family=edition", "--only", "family=travail"]) == 1
    assert "together select no card" in capsys.readouterr().err


def test_bad_expression_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(MICRO), "--only", "colour=red"])
    assert exc.value.code == 2
    assert "not a selection" in capsys.readouterr().err


def test_check_reports_the_fit(tmp_path, capsys):
    """`check` names the texts that needed their minimum size; `--fit` prints the size of every text."""
    assert main(["check", str(MICRO), "--lang", "fr"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-2].startswith("text fit: 290 texts, ") and out[-2].endswith("— --fit for the table")
    assert main(["check", str(MICRO), "--lang", "fr", "--fit"]) == 0
    table = capsys.readouterr().out.strip().splitlines()
    assert table[0].split() == ["card", "side", "element", "field", "size", "range"]
    end = next(i for i, line in enumerate(table) if line.startswith("one size per element"))
    rows = [line.split() for line in table[1:end]]
    assert len(rows) == 290  # 29 cards × (front: family, number, title, summary, footer; back: 5 texts)
    sizes = [line.split() for line in table[end + 1:-2]]  # each element that may shrink: its size on every card
    assert ["front", "title:", "17pt,", "its", "own", "size:", "every", "card", "fits"] in sizes
    assert [s[:2] for s in sizes] == [["back", "body:"], ["back", "deck:"], ["back", "family:"], ["back", "source:"],
                                      ["back", "title:"], ["front", "footer:"], ["front", "summary:"],
                                      ["front", "title:"]]
    body = next(r for r in rows if r[0] == "personnalisation" and r[2] == "body")
    assert body[1] == "back" and body[4].endswith("pt") and 7 <= float(body[4][:-2]) <= 8.5
    # a theme whose body may not shrink makes the long bodies need their minimum size, and check says so
    theme = tmp_path / "tight.yaml"
    theme.write_text("extends: classic\nback:\n  body: {size: 7pt, min_size: 7pt}\n", encoding="utf-8")
    assert main(["check", str(MICRO), "--lang", "fr", "--theme", str(theme)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert not any("needed its minimum size" in line for line in lines)  # fixed 7pt: nothing shrank
    theme.write_text("extends: classic\nback:\n  body: {size: 12pt, min_size: 9pt}\n", encoding="utf-8")
    assert main(["check", str(MICRO), "--lang", "fr", "--theme", str(theme), "--allow-overflow"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.endswith("needed its minimum size 9pt") and "back body (body)" in line for line in lines)
