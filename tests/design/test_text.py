"""Tests for deckgen.design.text and deckgen.design.typography, with a fake font: each character is 0.5 × size
wide (bold 0.55)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.design.ops import Run
from deckgen.design.text import Fit, Line, ellipsise, fit_text, wrap
from deckgen.design.typography import hyphenator, parse_inline, typography

NBSP = "\u00a0"
NNBSP = "\u202f"


def measure(text: str, style: str, size: float) -> float:
    return len(text) * size * (0.55 if style.startswith("bold") else 0.5)


class CountingMeasure:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, float]] = []

    def __call__(self, text: str, style: str, size: float) -> float:
        self.calls.append((text, style, size))
        return measure(text, style, size)


def texts(lines: list[Line] | tuple[Line, ...] | None) -> list[str]:
    assert lines is not None
    return ["".join(r.text for r in line.runs) for line in lines]


FR = hyphenator("fr")
FRENCH = (
    "Avez-vous remarqué combien le mot \"Micro\" a envahi notre quotidien ? Prêtez votre oreille à cette "
    "ultra-tendance hyper présente. Elle reflète très bien notre époque : les moyens de production rapides, "
    "les contraintes économiques et les besoins d'expérimentation sociale agitent notre monde ! "
    "\"Micro\" is huge ! La tendance repose sur une combinaison de nécessités : économiser, expérimenter, "
    "innover; écourter, spécialiser. Voir https://example.org/micro-tendances?x=1 et le « Micro-Blogging »!"
)


# --------------------------------------------------------------------------- wrap

def test_wrap_at_spaces() -> None:
    lines = wrap([Run("aaa bbb ccc")], 40, 10, measure)
    assert texts(lines) == ["aaa bbb", "ccc"]
    assert [line.width for line in lines or []] == [35.0, 15.0]


def test_wrap_drops_spaces_at_breaks_and_edges() -> None:
    assert texts(wrap([Run("  aaa    bbb  ")], 30, 10, measure)) == ["aaa", "bbb"]
    assert texts(wrap([Run("aa  bb")], 30, 10, measure)) == ["aa  bb"]


def test_hard_breaks_and_paragraphs() -> None:
    assert texts(wrap([Run("aaa\nbbb\n\nccc\n")], 100, 10, measure)) == ["aaa", "bbb", "", "ccc"]
    assert wrap([Run("")], 100, 10, measure) == []


def test_hyphen_break_in_compound_word() -> None:
    lines = wrap([Run("Micro-Contenus")], 40, 10, measure)
    assert texts(lines) == ["Micro-", "Contenus"]
    assert texts(wrap([Run("Micro-Contenus")], 70, 10, measure)) == ["Micro-Contenus"]
    assert wrap([Run("Micro-Contenus")], 39, 10, measure) is None  # "Contenus" alone is 40 wide
    assert texts(wrap([Run("a -- b 2-3")], 15, 10, measure)) == ["a", "--", "b", "2-3"]  # no break at those


def test_pyphen_hyphenation_adds_hyphen_and_rejoins() -> None:
    assert FR is not None
    lines = wrap([Run("consommation a")], 40, 10, measure, FR)
    assert texts(lines) == ["consom-", "mation a"]
    assert [line.width for line in lines or []] == [35.0, 40.0]  # the added "-" is measured
    assert wrap([Run("consommation a")], 34.9, 10, measure, FR) is None
    assert wrap([Run("consommation")], 40, 10, measure, FR) is None  # the last word: never hyphenated
    word = "anticonstitutionnellement"
    for width in range(40, 130, 5):
        parts = texts(wrap([Run(word + " x")], width, 10, measure, FR))
        assert all(p.endswith("-") for p in parts[:-2])
        assert "".join(p[:-1] if p.endswith("-") else p + " " for p in parts).strip() == word + " x"


def test_pyphen_hyphenation_of_styled_word_keeps_styles() -> None:
    lines = wrap(parse_inline("**consom**mation a"), 40, 10, measure, FR)
    assert lines is not None
    assert [line.runs for line in lines] == [(Run("consom-", "bold"),), (Run("mation a"),)]


def test_no_break_space_never_breaks() -> None:
    assert texts(wrap([Run(f"aaa{NBSP}bbb ccc")], 40, 10, measure)) == [f"aaa{NBSP}bbb", "ccc"]
    assert wrap([Run(f"aaa{NBSP}bbb")], 30, 10, measure) is None


def test_too_long_unbreakable_word_returns_none() -> None:
    assert wrap([Run("ok abcdefghij")], 45, 10, measure) is None
    assert texts(wrap([Run("ok abcdefghij ok")], 45, 10, measure, FR)) == ["ok abc-", "defghij", "ok"]
    assert wrap([Run("ok abcdefghi1 ok")], 45, 10, measure, FR) is None  # words with digits: never hyphenated
    assert wrap([Run("voir https://exemple.org/developpement")], 80, 10, measure, FR) is None


def test_style_changes_inside_words_and_runs_merge() -> None:
    lines = wrap(parse_inline("**Mi**cro ab") + [Run("cd")], 40, 10, measure)
    assert lines is not None
    assert [line.runs for line in lines] == [(Run("Mi", "bold"), Run("cro")), (Run("abcd"),)]
    assert lines[0].width == pytest.approx(2 * 5.5 + 3 * 5)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet="aeiouéconsmtrpl", min_size=1, max_size=16), min_size=1, max_size=20),
    width=st.floats(40, 300),
    bold=st.booleans(),
)
def test_wrap_loses_nothing_and_stays_within_width(words: list[str], width: float, bold: bool) -> None:
    style = "bold" if bold else "regular"
    lines = wrap([Run(" ".join(words), style)], width, 10, measure, FR)
    if lines is None:
        assert any(measure(w, style, 10) > width for w in words)
        return
    rebuilt = ""
    for line in texts(lines):
        rebuilt += line[:-1] if line.endswith("-") else line + " "  # words hold no "-": each one was added
    assert rebuilt.strip() == " ".join(words)
    for line in lines:
        assert line.width == pytest.approx(sum(measure(r.text, r.style, 10) for r in line.runs))
        assert line.width <= width + 1e-9


# --------------------------------------------------------------------------- fit_text

def test_fit_text_picks_largest_size_on_grid() -> None:
    runs = [Run("aaaa bbbb cccc dddd")]
    # "aaaa bbbb" is 4.5 * size wide: one line per word above 40 / 4.5 = 8.9 (4 lines > 30 pt), 2 lines below
    fit = fit_text(runs, 40, 30, 12, 6, measure, step=0.5)
    assert (fit.size, fit.fits, texts(fit.lines)) == (8.5, True, ["aaaa bbbb", "cccc dddd"])
    assert fit.leading == pytest.approx(8.5 * 1.2)
    assert fit_text(runs, 400, 100, 12, 6, measure).size == 12  # fits at once
    fit = fit_text(runs, 1000, 9.0, 10, 6.9, measure, step=0.3)  # one line: 7.6 * 1.2 > 9 >= 7.3 * 1.2
    assert fit.size == 7.3 and fit.fits


def test_fit_text_tries_exactly_min_size() -> None:
    runs = [Run("aaaa bbbb")]
    fit = fit_text(runs, 40.1, 12, 10, 8.9, measure, step=0.3)  # grid 10, 9.7, 9.4, 9.1, 8.9
    assert fit.size == 8.9 and fit.fits and texts(fit.lines) == ["aaaa bbbb"]


def test_fit_text_max_lines() -> None:
    runs = [Run("aa bb cc dd")]
    assert len(fit_text(runs, 30, 1000, 10, 4, measure).lines) == 2
    fit = fit_text(runs, 30, 1000, 10, 4, measure, max_lines=1)
    assert (fit.size, texts(fit.lines)) == (5.25, ["aa bb cc dd"])  # 11 chars * 0.5 * 5.25 <= 30


def test_fit_text_does_not_fit_at_min_size() -> None:
    runs = [Run("aaaa bbbb cccc dddd eeee")]
    fit = fit_text(runs, 30, 10, 12, 6, measure)
    assert (fit.size, fit.fits, fit.ellipsised) == (6.0, False, False)
    assert fit.lines == tuple(wrap(runs, 30, 6, measure) or ())  # the min_size attempt, not truncated
    assert len(fit.lines) == 3


def test_fit_text_unbreakable_best_effort() -> None:
    runs = [Run("ok abcdefghijklmnopqrstuvwxyz")]
    fit = fit_text(runs, 20, 100, 10, 8, measure)
    assert not fit.fits and fit.size == 8
    assert texts(fit.lines) == ["ok", "abcde", "fghij", "klmno", "pqrst", "uvwxy", "z"]
    assert all(line.width <= 20 for line in fit.lines)
    assert fit_text([Run("W")], 1, 100, 10, 8, measure).lines[0].runs == (Run("W"),)  # never loops


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=1, max_size=25),
    width=st.floats(30, 200),
    height=st.floats(10, 200),
    size=st.sampled_from([9.0, 10.0, 12.0, 14.5]),
    step=st.sampled_from([0.25, 0.5, 1.0]),
)
def test_fit_text_largest_fitting_size(words: list[str], width: float, height: float, size: float,
                                       step: float) -> None:
    runs = [Run(" ".join(words))]

    def fewest(sz: float) -> int | None:
        """The fewest lines at `sz`: each line as full as it goes (no hyphenation: optimal), None if a word is
        wider than the box."""
        lines, used = 0, None
        for w in words:
            ww = measure(w, "regular", sz)
            if ww > width + 1e-9:
                return None
            if used is not None and used + measure(" ", "regular", sz) + ww <= width + 1e-9:
                used += measure(" ", "regular", sz) + ww
            else:
                lines, used = lines + 1, ww
        return lines

    def room(sz: float) -> int:
        return int((height + 1e-6) / (sz * 1.2))

    def ok(sz: float) -> bool:  # a size fits when the fewest lines the text takes there fit the box
        n = fewest(sz)
        return n is not None and n <= room(sz)

    fit = fit_text(runs, width, height, size, 4, measure, step=step)
    if fit.fits:
        assert ok(fit.size)
        assert len(fit.lines) <= room(fit.size) and all(line.width <= width + 1e-9 for line in fit.lines)
        free = wrap(runs, width, fit.size, measure) or []
        if len(free) <= room(fit.size):  # the composer's free choice fits: it is what is set
            assert fit.lines == tuple(free)
        grid = [size - i * step for i in range(int((size - 4) / step) + 1)]
        grid += [4.0] if grid[-1] > 4 else []
        index = [round(g, 9) for g in grid].index(fit.size)  # on the grid
        largest = next(i for i, g in enumerate(grid) if ok(g))
        # the largest size that fits, or a smaller one where the composer keeps every line within its tolerance
        assert index >= largest
    else:
        assert fit.size == 4 and not ok(4)


@settings(max_examples=120, deadline=None)
@given(words=st.integers(1, 70), width=st.floats(40, 160), height=st.floats(10, 120), justify=st.booleans(),
       max_lines=st.sampled_from([None, 2, 5]))
def test_fit_text_keeps_only_what_is_asked_and_finds_the_same_size(words: int, width: float, height: float,
                                                                    justify: bool, max_lines: int | None) -> None:
    runs = parse_inline(typography(" ".join(FRENCH.split()[:words]) + " Anticonstitutionnellement", "fr"))
    args = (runs, width, height, 11, 6, measure)
    kw: dict[str, Any] = dict(hyphenate=FR, lang="fr", justify=justify, max_lines=max_lines)
    full = fit_text(*args, **kw)
    assert full.count == len(full.lines)
    counted = fit_text(*args, **kw, keep="count")
    assert counted.lines == () and counted == Fit(full.size, full.leading, (), full.fits, full.ellipsised,
                                                 full.too_wide, full.hyphenated, len(full.lines))
    sized = fit_text(*args, **kw, keep="size")
    assert (sized.size, sized.fits, sized.hyphenated) == (full.size, full.fits, full.hyphenated)
    assert sized.count in (None, len(full.lines))  # not counted at the smallest size, else counted
    assert sized.count is not None or (full.size == 6 and full.fits)
    if not full.fits:  # cut short alike, lines set or counted
        cut = ellipsise(full, width, height, measure, max_lines)
        assert ellipsise(counted, width, height, measure, max_lines) == replace(cut, lines=())
        assert cut.count == len(cut.lines)


def test_fit_text_measures_each_piece_once() -> None:
    body = typography(" ".join(FRENCH.split()[:60]), "fr")
    runs = parse_inline(body)
    counting = CountingMeasure()
    fit = fit_text(runs, 150, 120, 12, 5, counting, hyphenate=FR)
    assert fit.fits and 5 < fit.size < 12
    assert len(counting.calls) == len(set(counting.calls))  # each (text, style, size) measured once
    assert len({size for _, _, size in counting.calls}) <= 7  # bisection over the 29 sizes of the grid


# --------------------------------------------------------------------------- ellipsise

def test_ellipsise_ends_with_ellipsis_within_box() -> None:
    runs = parse_inline("Les **économies** rapides avec moins de ressources exigent de la précision")
    fit = fit_text(runs, 60, 30, 10, 8, measure)
    assert not fit.fits
    short = ellipsise(fit, 60, 30, measure)
    assert short.fits and short.ellipsised and short.size == 8
    assert len(short.lines) * short.leading <= 30
    assert texts(short.lines) == ["Les économies", "rapides avec", "moins de…"]
    assert short.lines[0] == fit.lines[0] and short.lines[0].runs == (Run("Les "), Run("économies", "bold"))
    assert all(line.width <= 60 for line in short.lines)
    assert short.lines[-1].width == measure("moins de…", "regular", 8)


def test_ellipsise_drops_words_and_characters() -> None:
    fit = Fit(10, 12, (Line((Run("aaa bbb"),), 35), Line((Run("cc-"),), 15)), False)
    assert texts(ellipsise(fit, 40, 12, measure).lines) == ["aaa bbb…"]
    assert texts(ellipsise(fit, 38, 12, measure).lines) == ["aaa…"]
    one_word = Fit(10, 12, (Line((Run("abcdefgh"),), 40), Line((Run("x"),), 5)), False)
    assert texts(ellipsise(one_word, 30, 12, measure).lines) == ["abcde…"]
    assert texts(ellipsise(one_word, 30, 100, measure, max_lines=1).lines) == ["abcde…"]


def test_ellipsise_keeps_a_fitting_text() -> None:
    fit = fit_text([Run("aa bb")], 100, 100, 10, 8, measure)
    assert ellipsise(fit, 100, 100, measure) is fit


# --------------------------------------------------------------------------- parse_inline

@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("plain", [Run("plain")]),
        ("a **b** c", [Run("a "), Run("b", "bold"), Run(" c")]),
        ("*i* x", [Run("i", "italic"), Run(" x")]),
        ("***bi***", [Run("bi", "bolditalic")]),
        ("*it **bold it** it*", [Run("it ", "italic"), Run("bold it", "bolditalic"), Run(" it", "italic")]),
        ("**b *bi* b**", [Run("b ", "bold"), Run("bi", "bolditalic"), Run(" b", "bold")]),
        ("**Mi**cro", [Run("Mi", "bold"), Run("cro")]),
        ("2 * 3 * 4", [Run("2 * 3 * 4")]),
        ("a *b", [Run("a *b")]),
        ("**b* x", [Run("*"), Run("b", "italic"), Run(" x")]),
        ("un **gras", [Run("un **gras")]),
        (r"\*pas\* *it*", [Run("*pas* "), Run("it", "italic")]),
        (r"a \ b", [Run(r"a \ b")]),
        ("R&D <b> & *x < y*", [Run("R&D <b> & "), Run("x < y", "italic")]),
        ("l1\nl2\n\n*p2*", [Run("l1\nl2\n\n"), Run("p2", "italic")]),
        ("", []),
    ],
)
def test_parse_inline(text: str, runs: list[Run]) -> None:
    assert parse_inline(text) == runs


def test_parse_inline_base_style() -> None:
    assert parse_inline("a **b**", "italic") == [Run("a ", "italic"), Run("b", "bolditalic")]
    assert parse_inline("a *b*", "bold") == [Run("a ", "bold"), Run("b", "bolditalic")]


@given(st.text(alphabet="ab *\\\n&<", max_size=30))
def test_parse_inline_never_loses_text(text: str) -> None:
    out = "".join(r.text for r in parse_inline(text))
    assert out.replace("*", "") == text.replace("\\*", "").replace("*", "")
    assert all(r.text for r in parse_inline(text))


# --------------------------------------------------------------------------- typography

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Bonjour : le « Micro » !', f"Bonjour{NBSP}: le «{NNBSP}Micro{NNBSP}»{NNBSP}!"),
        ('Bonjour: le "Micro"!', f"Bonjour{NBSP}: le «{NNBSP}Micro{NNBSP}»{NNBSP}!"),
        ("le «Micro» ; oui", f"le «{NNBSP}Micro{NNBSP}»{NNBSP}; oui"),
        ("Quoi?! Vraiment !?", f"Quoi{NNBSP}?! Vraiment{NNBSP}!?"),
        ("Voir https://x.org/a?b=1 ou www.x.org: ok", f"Voir https://x.org/a?b=1 ou www.x.org{NBSP}: ok"),
        ("À 12:30, Ch. 3:2 et mailto:a@b.fr", "À 12:30, Ch. 3:2 et mailto:a@b.fr"),
        ("l'économie d'abord...", "l’économie d’abord…"),
        ("espace\u202f!", f"espace{NNBSP}!"),
        ("espace\u00a0!", f"espace{NNBSP}!"),
        ("« Vraiment ? »", f"«{NNBSP}Vraiment{NNBSP}?{NNBSP}»"),
        ("**Attention!** fin", f"**Attention{NNBSP}!** fin"),
        ("Note :\nligne", f"Note{NBSP}:\nligne"),
        ("'quoted' 1'2", "'quoted' 1'2"),
    ],
)
def test_typography_french(text: str, expected: str) -> None:
    assert typography(text, "fr") == expected
    assert typography(text, "fr-CA") == expected


def test_typography_english_and_others() -> None:
    assert typography('He said "micro" isn\'t huge...', "en") == "He said “micro” isn’t huge…"
    assert typography('a "b', "en-GB") == 'a "b'
    assert typography('Er sagt "Mikro": ja!', "de") == 'Er sagt "Mikro": ja!'
    assert typography("a\u202f?", "de") == f"a{NNBSP}?"  # as written: deckgen never breaks there


@given(st.text(alphabet='ab1 :;!?«»"\'.*/\u00a0\u202f\nh', max_size=40), st.sampled_from(["fr", "en", "de"]))
def test_typography_idempotent(text: str, lang: str) -> None:
    once = typography(text, lang)
    assert typography(once, lang) == once


@given(st.sampled_from(["https://x.org/a:b?c!d", "http://a.b/c'd...e", "www.ex.org/p?q=1"]))
def test_typography_leaves_urls_alone(url: str) -> None:
    assert typography(f"voir {url} ici", "fr") == f"voir {url} ici"


# --------------------------------------------------------------------------- hyphenator

def test_hyphenator() -> None:
    assert FR is not None and hyphenator("fr") is FR and hyphenator("fr-FR") is not None
    assert hyphenator("xx") is None
    assert FR("consommation") == [6, 8]
    assert FR("Micro") == [] and FR("micros") == [2]  # fewer than 6 letters: never; 2 before, 3 after
    assert FR("«\u00a0consommation\u00a0»") == [8, 10]
    assert FR("COVID19consommation") == [] and FR("https://consommation.org") == []
    assert FR("a@consommation") == [] and FR("consommation.") == [6, 8]
    for p in FR("anticonstitutionnellement"):
        assert 2 <= p <= len("anticonstitutionnellement") - 3
    en = hyphenator("en")
    assert en is not None and en("hyphenation") == [2, 6]


# --------------------------------------------------------------------------- French line starts and ends

FRENCH_RUNS = parse_inline(typography(FRENCH, "fr"))


@settings(max_examples=200, deadline=None)
@given(width=st.floats(20, 400), hyphenate=st.booleans())
def test_french_lines_never_start_or_end_with_bad_punctuation(width: float, hyphenate: bool) -> None:
    lines = wrap(FRENCH_RUNS, width, 10, measure, FR if hyphenate else None)
    if lines is None:  # the URL or a long word is wider than the box
        return
    for line in texts(lines):
        assert line and line[0] not in ":;!?»" and line[-1] != "«"
        assert line[0] != " " and line[-1] != " "


def test_french_punctuation_would_break_without_typography() -> None:
    plain = [Run(FRENCH)]
    starts = {line[0] for w in range(20, 400, 5) for line in texts(wrap(plain, w, 10, measure) or [])}
    assert starts & set(":;!?»")  # the property above is not vacuous


def test_a_word_wider_than_the_box_is_named_when_nothing_fits() -> None:
    long_word = fit_text([Run("a " + "x" * 40 + " b")], 50, 100, 10, 7, measure)  # 40 × 3.5 pt > 50 pt
    assert not long_word.fits and long_word.too_wide == "x" * 40
    many_lines = fit_text([Run("mot " * 200)], 50, 30, 10, 7, measure)  # short words, too many of them
    assert not many_lines.fits and many_lines.too_wide is None
