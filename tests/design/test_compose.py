"""The paragraph composer (design/compose.py) and its language rules (design/paragraphs.py), one rule at a time,
with a fake font: each character is 0.5 × size wide, so at size 10 a box 100 wide holds 20 characters."""

from __future__ import annotations

import math

import pytest

from deckgen.design.compose import MAX_HYPHENS, TOLERANCE, Paragraph, _compose, compose, fewest_lines
from deckgen.design.ops import Run
from deckgen.design.paragraphs import _tokens, paragraphs
from deckgen.design.text import Line, fit_text, wrap
from deckgen.design.typography import hyphenator, parse_inline, typography

FR = hyphenator("fr")
EN = hyphenator("en")


def measure(text: str, style: str, size: float) -> float:
    return len(text) * 0.5 * size


def lines(text: str, chars: int, hyphenate: bool = True, lang: str = "fr", justify: bool = False) -> list[str]:
    """The text set `chars` characters wide."""
    found = wrap([Run(text)], chars * 5, 10, measure, FR if hyphenate and lang == "fr" else EN if hyphenate else None,
                 lang, justify)
    assert found is not None
    return texts(found)


def texts(found: list[Line] | tuple[Line, ...]) -> list[str]:
    return ["".join(r.text for r in line.runs) for line in found]


def greedy(text: str, chars: int) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= chars:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def raggedness(found: list[str], chars: int) -> float:
    return sum((chars - len(line)) ** 2 for line in found[:-1])


def test_total_fit_chooses_the_breaks_of_the_whole_paragraph_together() -> None:
    text = "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp qqq rrr sss ttt uu"
    assert greedy(text, 20)[-1] == "uu"  # filling each line leaves one word alone at the end
    composed = lines(text, 20)
    assert len(composed) == len(greedy(text, 20)) and " ".join(composed) == text
    assert composed[-1] == "ttt uu" and min(len(line) for line in composed[:-1]) >= 15  # an earlier break moved


def test_hyphenation_is_a_last_choice_not_a_default() -> None:
    text = "Rapidité, réactivité et expérience instantanée sont devenues des signes de débrouillardise"
    assert not any(line.endswith("-") for line in lines(text, 30))  # greedy filling hyphenates here


def test_only_words_of_seven_letters_and_three_each_side() -> None:
    for chars in range(14, 30):
        for line in lines("la maison expérimentale des consommateurs du monde", chars)[:-1]:
            if line.endswith("-"):
                head = line.split()[-1][:-1]
                assert len(head) >= 3
        assert "mai-" not in "".join(lines("la maison est belle et grande ici", chars))  # six letters: never
    parts = lines("les consommateurs sont là", 10)
    assert any(p.endswith("-") for p in parts)
    word_parts = [p for p in parts if p.endswith("-")]
    for p in word_parts:
        assert len(p.split()[-1]) - 1 >= 3


def test_never_the_last_word_of_a_paragraph() -> None:
    for chars in range(8, 30):
        found = wrap([Run("il faut travailler ensemble pour transformer\nles organisations")], chars * 5, 10, measure,
                     FR, "fr")
        if found is None:  # "organisations" (13) or "transformer" (11) is wider than the box: never split
            assert chars < 13
            continue
        got = texts(found)
        assert not got[-1].startswith(("sations", "tions", "nisations"))
        assert "organisations" in got[-1]
        assert any(line.endswith("transformer") for line in got)  # the last word of the first paragraph too


def test_at_most_two_hyphenated_lines_in_a_row() -> None:
    text = ("anticonstitutionnellement extraordinairement incompréhensiblement particulièrement "
            "professionnellement indépendamment internationalement fin")
    for chars in range(10, 26):
        got = lines(text, chars)
        run = longest = 0
        for line in got:
            run = run + 1 if line.endswith("-") else 0
            longest = max(longest, run)
        assert longest <= 2, got


def test_compounds_break_only_at_their_own_hyphen() -> None:
    assert lines("Le rendez-vous est pris demain matin", 12)[:2] == ["Le rendez-", "vous est"]
    for chars in range(7, 20):
        for line in lines("un rendez-vous fixé demain ou après-demain matin", chars):
            assert not line.endswith(("ren-", "ap-", "rendez-v-", "-de-"))


@pytest.mark.parametrize(("text", "together"), [
    ("il a lu E. F. Schumacher hier soir", "E. F. Schumacher"),
    ("une surface de 15 m² seulement ici", "15 m²"),
    ("ils ont levé 42 millions cette année", "42 millions"),
    ("elle a déménagé vers New York hier", "New York"),
    ("nous irons à Paris demain matin", "à Paris"),
    ("pour les détails voir p. 12", "p. 12"),
])
def test_no_break_between_words_that_belong_together(text: str, together: str) -> None:
    left, right = together.rsplit(" ", 1)
    for chars in range(max(len(w) for w in text.split() + [together]), len(text)):
        found = lines(text, chars)
        for a, b in zip(found, found[1:], strict=False):
            assert not (a.endswith(left) and b.startswith(right)), (chars, found)


def test_french_no_break_spaces_never_break_and_narrow_ones_are_kept() -> None:
    text = typography("Vraiment ? Oui : le « Micro » gagne ; enfin !", "fr")
    assert "\u202f?" in text and "\u00a0:" in text and "«\u202fMicro\u202f»" in text
    for chars in range(10, 40):
        found = wrap([Run(text)], chars * 5, 10, measure, FR, "fr")
        if found is None:
            continue
        for line in texts(found):
            assert line[0] not in "?:;!»" and not line.endswith("«")


def test_a_last_line_of_two_words_when_the_paragraph_allows() -> None:
    text = "Un texte de quelques mots qui se termine par mot"
    for chars in (11, 12, 17, 23):
        assert greedy(text, chars)[-1] == "mot"
        assert len(lines(text, chars)[-1].split()) >= 2


def test_forced_line_breaks_and_empty_paragraphs() -> None:
    assert lines("aaa bbb\nccc\n\nddd\n", 40) == ["aaa bbb", "ccc", "", "ddd"]


def test_justified_lines_fill_the_box_but_the_last() -> None:
    found = wrap([Run("aaa bb cccc dd eee ffff gg hhh iiii jj kkk")], 100, 10, measure, None, "fr", True)
    assert found is not None and len(found) > 2
    for line in found[:-1]:
        assert line.width == pytest.approx(100) and line.spacing > 0
    assert found[-1].spacing == 0 and found[-1].width < 100


def test_fit_text_sets_no_more_lines_than_fit_and_never_splits_worse_than_greedy() -> None:
    text = "Les contraintes économiques et les besoins d’expérimentation sociale agitent notre monde aujourd’hui"
    fit = fit_text([Run(text)], 100, 48, 10, 6, measure, hyphenate=FR, lang="fr")
    assert fit.fits and len(fit.lines) * fit.leading <= 48 + 1e-6
    assert all(line.width <= 100 + 1e-9 for line in fit.lines)


def test_a_title_word_too_wide_is_hyphenated_as_a_last_resort_and_named() -> None:
    fit = fit_text([Run("Désintermédiation")], 60, 100, 12, 10, measure, last_resort=FR, lang="fr")
    assert fit.fits and fit.hyphenated == "Désintermédiation"
    assert texts(fit.lines)[0].endswith("-") and all(line.width <= 60 for line in fit.lines)
    assert fit_text([Run("Désintermédiation")], 60, 100, 12, 10, measure).too_wide == "Désintermédiation"


def test_no_feasible_break_falls_back_to_cutting_where_it_must() -> None:
    fit = fit_text([Run("a " + "x" * 40 + " b")], 50, 100, 10, 7, measure)
    assert not fit.fits and "".join(texts(fit.lines)).replace(" ", "") == "a" + "x" * 40 + "b"
    assert all(line.width <= 50 + 1e-9 for line in fit.lines)


def test_fewest_lines_is_a_lower_bound_of_the_composed_lines() -> None:
    unit = lambda t, s: len(t) * 0.5  # noqa: E731
    text = "Avez-vous remarqué combien le mot Micro a envahi notre quotidien et nos conversations"
    (p,) = paragraphs([Run(text)], unit, FR, "fr")
    assert isinstance(p, Paragraph)
    for chars in range(14, 40):
        least = fewest_lines(p, chars * 0.5)
        breaks = compose(p, chars * 0.5)
        assert least is not None and breaks is not None and len(breaks) >= least
        assert compose(p, chars * 0.5, max_lines=least, tolerance=math.inf, max_hyphens=99) is not None


def test_the_fast_ragged_right_composer_makes_the_general_ones_choices() -> None:
    unit = lambda t, s: sum(0.3 + (ord(c) % 7) * 0.06 for c in t) * (1.1 if s == "bold" else 1.0)  # noqa: E731
    texts_ = ["Avez-vous remarqué combien le mot Micro a envahi notre quotidien et nos conversations ?",
              "Les consommateurs anticonstitutionnellement extraordinaires à Paris, p. 12 : 15 m² de rendez-vous "
              "incompréhensiblement professionnels, aaa bb cccc dd eee ffff gg hhh iiii jj kkk",
              "**Désintermédiation** et *réindustrialisation* internationale des coopératives agricoles"]
    for text in texts_:
        for p in paragraphs(parse_inline(text), unit, FR, "fr"):
            for chars in range(6, 60, 3):
                for tolerance, hyphens in ((TOLERANCE, MAX_HYPHENS), (math.inf, MAX_HYPHENS), (TOLERANCE, 99)):
                    general = _compose(p, chars * 0.5, False, None, hyphens, tolerance)
                    assert compose(p, chars * 0.5, max_hyphens=hyphens, tolerance=tolerance) == general


@pytest.mark.parametrize("text", ["", " ", "\n", "a", " a  b\t c ", "aaa bbb\nccc\n\nddd\n", "\n\n a \n",
                                  "x\t\ty \n  \nz", "l’île « ici » ; là\u00a0!"])
def test_a_text_in_one_style_is_read_as_runs_of_several_styles_are(text: str) -> None:
    assert _tokens([Run(text, "bold")]) == _tokens([Run("", "italic"), Run(text, "bold")])  # the second: word by word
