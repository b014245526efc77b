"""Random decks — random strings, nesting, types and Unicode — never end in a traceback.

Every outcome of the loader is a deck or a DeckError; every outcome of `deckgen check` is exit 0, or exit 1
with one `FILE:LINE: …` line per problem on stderr. Any other exception fails the test with its traceback.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from deckgen.cli.main import main
from deckgen.deck.load import load_deck
from deckgen.errors import DeckError

KEYS = ["deck", "title", "subtitle", "lang", "author", "theme", "families", "id", "name", "color", "description",
        "cards", "family", "summary", "body", "source", "url", "label", "copies", "tags", "fields", "image", "fr",
        "en", "<<"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) | TEXT
           | st.sampled_from(["https://example.org/x", "ftp://x", "#E4572E", "red", "fr", "en-GB", "classic",
                              "a-slug", "…", "🚀", "**gras** *it*", "{title}", "", " ", "0", "1e9", "10000"]))
KEY = st.sampled_from(KEYS) | TEXT
ANY = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=5),
                   max_leaves=25)


def card() -> st.SearchStrategy[dict]:
    """A card that is right in most keys and wrong in some."""
    fields = {"family": st.sampled_from(["f", "g", "nope"]) | ANY,
              "summary": TEXT | ANY, "body": TEXT | ANY,
              "source": st.sampled_from(["https://example.org/a", "https://exemple.fr/b?x=1"]) | ANY,
              "copies": st.integers(-2, 3) | ANY, "tags": st.lists(TEXT, max_size=3) | ANY,
              "fields": st.dictionaries(TEXT, TEXT | st.integers(), max_size=3) | ANY, "id": TEXT | ANY}
    return st.fixed_dictionaries({"title": TEXT | ANY}, optional=fields)


DECK = st.fixed_dictionaries(
    {"deck": st.fixed_dictionaries({"title": TEXT}, optional={"lang": st.sampled_from(["fr", "en", "xx"]) | ANY,
                                                             "subtitle": TEXT | ANY, "theme": TEXT | ANY}) | ANY,
     "cards": st.lists(card(), max_size=4) | ANY},
    optional={"families": st.just([{"id": "f", "name": "F", "color": "#123456"}, {"id": "g", "name": "G"}]) | ANY,
              "extra": ANY},
)
DOCUMENT = (DECK.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
            | ANY.map(lambda d: yaml.safe_dump(d, allow_unicode=True))
            | st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?\n ")),
                      max_size=200))
PROBLEM_LINE = re.compile(r"^(?:.+?\.ya?ml|--theme)(?::\d+)?: .|^error: .")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random")


@SETTINGS
@given(text=DOCUMENT)
@example(text="deck: &a [*a]\ncards: [{title: x}]\n")  # an alias inside itself
@example(text="deck: " + "[" * 500 + "]" * 500 + "\n")  # deeper than Python's recursion limit
@example(text="cards:\n  - title: x\n    copies: 10000\ndeck: {title: T}\n")
def test_loader_gives_a_deck_or_a_deck_error(folder: Path, text: str) -> None:
    path = folder / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_deck(path)
    except DeckError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    assert loaded.deck.cards  # a deck loads only with cards


@SETTINGS
@given(text=DOCUMENT)
@example(text=yaml.safe_dump({"deck": {"title": "T", "lang": "fr"}, "cards": [{"title": "🚀 " * 3, "body": "x"}]}))
@example(text="deck: {title: T}\ncards: [{title: x, source: 'https://exa mple.org'}]\n")
def test_check_exits_0_or_1_with_one_line_per_problem(folder: Path, text: str, capsys) -> None:
    path = folder / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["check", str(path), "--quiet"])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    problems = [line for line in err.splitlines() if not line.startswith("warning: ")]
    if code == 1:
        assert problems, "exit 1 without a problem"
    else:
        assert not problems, err
    for line in problems:
        assert PROBLEM_LINE.match(line), f"not one problem per line: {line!r}\n{err}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_are_a_deck_error(folder: Path, data: bytes) -> None:
    assume(data.strip())
    path = folder / "deck.yaml"
    path.write_bytes(data)
    with pytest.raises(DeckError):
        load_deck(path)


def test_every_printable_key_misspelt_is_one_line(tmp_path: Path, capsys) -> None:
    deck = {"deck": {"title": "T"}, "cards": [{"title": f"x{k}", k: "v"} for k in string.ascii_lowercase]}
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(deck), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 26 and all(PROBLEM_LINE.match(line) for line in lines)
