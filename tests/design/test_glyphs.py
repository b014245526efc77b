"""Emoji sequences: variation selectors dropped, sequences that need shaping refused with their code points."""

from __future__ import annotations

import pytest

from deckgen.design.glyphs import unshapeable


@pytest.mark.parametrize("text", ["Go 🚀!", "✓ done, ✗ not", "≥ 3 → ±1 × 2", "café ❤️", "Größe © 2024 ™", "",
                                  "a\u200db"])  # a ZWJ between letters is not an emoji sequence
def test_single_emoji_and_symbols_pass(text: str) -> None:
    assert unshapeable(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("dev 👩‍💻 team", "'👩\\u200d💻' (U+1F469 U+200D U+1F4BB) is an emoji ZWJ sequence"),
    ("family 👨‍👩‍👧!", "'👨\\u200d👩\\u200d👧' (U+1F468 U+200D U+1F469 U+200D U+1F467) is an emoji ZWJ sequence"),
    ("made in 🇫🇷", "'🇫🇷' (U+1F1EB U+1F1F7) is a flag"),
    ("👍🏽 yes", "'👍🏽' (U+1F44D U+1F3FD) is a skin tone"),
    ("press 1️⃣", "'1\ufe0f\u20e3' (U+0031 U+FE0F U+20E3) is a keycap"),
    ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "is a flag"),
    ("🏳️‍🌈", "(U+1F3F3 U+FE0F U+200D U+1F308) is an emoji ZWJ sequence"),
])
def test_sequences_are_refused_with_their_code_points(text: str, expected: str) -> None:
    (line,) = unshapeable(text)
    assert expected in line
    assert line.endswith("which deckgen cannot draw yet")


def test_every_sequence_once_in_order() -> None:
    lines = unshapeable("🇫🇷 and 👍🏽, 🇫🇷 again")
    assert [line.split(" is ")[1] for line in lines] == ["a flag, which deckgen cannot draw yet",
                                                         "a skin tone, which deckgen cannot draw yet"]
