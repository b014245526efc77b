"""pipeline/sizes.same_layout: when a card side laid out by the sizing pass, at the caps it had then, is what the
deck's final caps lay out (pure: fit notes in, a yes or no out)."""

from __future__ import annotations

from deckgen.design.side import FitNote
from deckgen.pipeline.sizes import same_layout


def note(element: str, size: float) -> FitNote:
    return FitNote(element, element, size, 7.0, True, False, 12.0)


def test_the_same_caps_lay_out_the_same():
    assert same_layout({"title": 11.0}, {"title": 11.0}, [note("title", 11.0)])
    assert same_layout({}, {}, [])


def test_a_cap_that_fell_under_the_size_found_lays_out_again():
    assert not same_layout({"title": 12.0}, {"title": 10.5}, [note("title", 11.0)])
    assert not same_layout({}, {"title": 10.5}, [note("title", 12.0)])  # no cap then: its own size


def test_a_cap_that_fell_to_or_above_the_size_found_changes_nothing():
    assert same_layout({"title": 12.0}, {"title": 10.5}, [note("title", 10.5)])
    assert same_layout({}, {"body": 9.0}, [note("title", 12.0), note("body", 8.25)])


def test_a_text_without_a_fit_note_is_laid_out_again():
    """A text that did not fit (an error, no note) or was not on the card: nothing says what it would do."""
    assert not same_layout({"title": 12.0}, {"title": 10.5}, [note("body", 8.0)])
