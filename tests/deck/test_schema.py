"""`deckgen schema`: the committed JSON Schemas are what the command prints, and the decks and themes validate."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import GOOD, ROOT

from deckgen.cli.main import main
from deckgen.design.themes import builtin_themes

DECKS = sorted((ROOT / "decks").glob("*.yaml"))


def printed(capsys, *args: str) -> str:
    assert main(["schema", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def deck_validator():
    schema = json.loads((ROOT / "schema" / "deck.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_match_the_command(capsys):
    assert (ROOT / "schema" / "deck.schema.json").read_text(encoding="utf-8") == printed(capsys), \
        "schema/deck.schema.json is stale: deckgen schema > schema/deck.schema.json"
    assert (ROOT / "schema" / "theme.schema.json").read_text(encoding="utf-8") == printed(capsys, "--theme"), \
        "schema/theme.schema.json is stale: deckgen schema --theme > schema/theme.schema.json"


@pytest.mark.parametrize("deck", DECKS, ids=lambda p: p.name)
def test_every_deck_validates_and_names_the_schema(deck, deck_validator):
    text = deck.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/deck.schema.json\n")
    errors = list(deck_validator.iter_errors(yaml.safe_load(text)))
    assert not errors, [e.message for e in errors]


def test_input_forms_validate_and_mistakes_do_not(deck_validator):
    deck = yaml.safe_load(GOOD)
    deck["cards"][0]["source"] = {"fr": "https://example.org/fr", "en": "https://example.org/en"}
    deck["cards"][1]["title"] = {"fr": "Deux", "en": "Two"}
    deck["cards"][1]["fields"] = {"niveau": 2, "theme_note": {"fr": "x"}}
    assert deck_validator.is_valid(deck)
    for path, bad in [(("cards", 0, "sumary"), "x"), (("cards", 0, "source"), "ftp://x"),
                      (("families", 0, "color"), "red"), (("cards", 0, "id"), "Not A Slug"),
                      (("deck", "lang"), "french!"), (("cards", 0, "fields"), {"bad-name": 1}),
                      (("cards", 0, "title"), " "), (("deck", "title"), ""), (("cards", 0, "copies"), "2"),
                      (("cards", 0, "copies"), True), (("cards", 0, "copies"), 0)]:
        broken = yaml.safe_load(GOOD)
        node = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = bad
        assert not deck_validator.is_valid(broken), path


def test_builtin_themes_validate_against_the_theme_schema(capsys):
    validator = jsonschema.Draft202012Validator(json.loads(printed(capsys, "--theme")))
    for name, path in builtin_themes().items():
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not errors, (name, [e.message for e in errors])
    assert not validator.is_valid({"card": "huge"})
    assert not validator.is_valid({"front": {"t": {"type": "text", "size": "50%"}}})
    assert validator.is_valid({"extends": "classic", "front": {"title": {"size": "18pt"}}, "card": "tarot"})
