"""Hostile values in every field of a deck, a theme and a spreadsheet: `deckgen check` answers 0 or 1 with
one clean line per problem — never a traceback (exit 3), never a raw control character on the terminal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from hostile import has_control, hostile_number, hostile_text, hostile_url, hostile_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.cli.main import main

FEW = settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                        HealthCheck.too_slow])

BASE = {
    "deck": {"title": "T", "subtitle": "S", "lang": "en", "author": "A"},
    "families": [{"id": "f", "name": "F", "color": "#336699", "description": "d"}],
    "cards": [{"id": "c", "family": "f", "title": "Card", "summary": "s", "body": "b",
               "source": {"url": "https://example.org/", "label": "L"}, "copies": 1, "tags": ["t"],
               "fields": {"n": 1}}],
}
DECK_FIELDS = [("deck", k) for k in ("title", "subtitle", "lang", "author", "theme")] + \
    [("families", k) for k in ("id", "name", "color", "description", "image")] + \
    [("cards", k) for k in ("id", "family", "title", "summary", "body", "source", "copies", "tags", "fields",
                            "image")] + [("source", "url"), ("source", "label")]
THEME_KEYS = ["card", "safe", "extends", "fonts", "colors", "front", "back", "legend", "description"]
ELEMENT_KEYS = ["x", "y", "w", "h", "size", "min_size", "line_height", "max_lines", "stroke_width", "radius",
                "min_module", "text", "data", "color", "fill", "stroke", "font", "style", "align", "src"]


def run(tmp: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args])
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert code in (0, 1), (code, lines)
    assert not any(has_control(line) for line in lines), lines
    assert all("Traceback" not in line for line in lines)
    return code, lines


def write_deck(tmp: Path, values: dict[tuple[str, str], object], theme: str | None = None) -> Path:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    for (group, key), value in values.items():
        if group == "deck":
            data["deck"][key] = value
        elif group == "source":
            if isinstance(data["cards"][0].get("source"), dict):
                data["cards"][0]["source"][key] = value
        else:
            data[group][0][key] = value
    if theme is not None:
        data["deck"]["theme"] = theme
    deck = tmp / "deck.yaml"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return deck


def some_of(keys: list, values: st.SearchStrategy[object]) -> st.SearchStrategy[dict]:  # type: ignore[type-arg]
    """A few of the keys, each with its own hostile value: every key is drawn across the examples."""
    return st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({k: values for k in chosen}))


@FEW
@given(values=some_of(DECK_FIELDS, hostile_value()))
def test_any_value_in_any_deck_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     values: dict[tuple[str, str], object]) -> None:
    run(tmp_path, capsys, str(write_deck(tmp_path, values)))


@FEW
@given(key=hostile_text(6), value=hostile_text(6))
def test_unknown_keys_are_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str,
                                          value: str) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["cards"][0][key or "x"] = value
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run(tmp_path, capsys, str(deck))


@FEW
@given(url=hostile_url())
def test_any_url(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, lines = run(tmp_path, capsys, str(write_deck(tmp_path, {("source", "url"): url})))
    if not url.strip().startswith(("http://", "https://")) or any(c in url.strip() for c in "\t\n\0 \x1b"):
        assert code == 1, lines


@FEW
@given(values=some_of(THEME_KEYS, hostile_value()))
def test_any_value_in_any_theme_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    values: dict[str, object]) -> None:
    theme = {"extends": "classic", **values}
    (tmp_path / "theme.yaml").write_text(yaml.safe_dump(theme, allow_unicode=True), encoding="utf-8")
    run(tmp_path, capsys, str(write_deck(tmp_path, {}, "theme.yaml")))


@FEW
@given(kind=st.sampled_from(["text", "qr", "rect", "line", "image"]),
       values=some_of(ELEMENT_KEYS, st.one_of(hostile_number(), hostile_text(8), hostile_url())))
def test_any_value_in_any_element_key(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str,
                                      values: dict[str, object]) -> None:
    element = {"type": kind, "text": "{title}", **values}
    theme = {"extends": "classic", "front": {"probe": element}}
    (tmp_path / "theme.yaml").write_text(yaml.safe_dump(theme, allow_unicode=True), encoding="utf-8")
    run(tmp_path, capsys, str(write_deck(tmp_path, {}, "theme.yaml")))


@FEW
@given(header=st.lists(hostile_text(4), min_size=1, max_size=4),
       rows=st.lists(st.lists(hostile_text(6), min_size=1, max_size=5), max_size=4))
def test_any_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str], header: list[str],
                 rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([["title", *header], *(["x", *row] for row in rows)])
    (tmp_path / "t.csv").write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: T}\ncards: {from: t.csv}\n", encoding="utf-8")
    run(tmp_path, capsys, str(deck))
