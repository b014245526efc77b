"""Hypothesis strategies for hostile input: strings, paths, numbers and URLs that broke deckgen once
(issue 13), mixed with ordinary text so that shrinking finds the smallest offender.

Every strategy is bounded (a few KB at most): the big inputs (a 5 MB word, a 100k-row sheet) are made
by the tests that need them, not drawn here.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\x1bc", "\x9b2J", "\x1b]8;;http://x\x1b\\"]
# characters that have broken parsers, typesetters or terminals somewhere
ODD = ["\u202e", "\u200b", "\u00ad", "\ufeff", "\u0301", "\u2028", "\u00a0", "\u202f", "\U0001f680", "é", "ß",
       "中", "ｗ", "\\", "*", "**", "{", "}", "{{", "}}", "'", '"', "«", "»", ":", "#", "&", "%", "-", "\t", "\n"]
WORDS = ["a", "micro", "http://", "www.", "...", "-", "--", " ", "  ", "\u00a0", "!", "?", ":", "*x*", "**y**"]


def _repeated(piece: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    """A piece repeated many times: the shape of catastrophic backtracking (a long run of one thing)."""
    return st.tuples(piece, st.integers(1, most)).map(lambda t: t[0] * t[1])


def hostile_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text for any field: control characters, escape sequences, markup, long runs, letters."""
    atoms = st.one_of(
        st.sampled_from(C0 + C1 + ESCAPES + ODD + WORDS),
        _repeated(st.sampled_from(WORDS + ["x", "é", "*", "'"]), 400),
        st.text(max_size=8),
    )
    return st.lists(atoms, max_size=max_size).map("".join)


def visible(text: str) -> str:
    """The text as it may appear on a terminal: no C0 (but newline and tab), DEL or C1 character."""
    return "".join(c for c in text if c in "\t\n" or not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0))


def has_control(line: str) -> bool:
    """Whether a printed line holds a character that a terminal would act on."""
    return visible(line) != line.replace("\n", "")


def hostile_path() -> st.SearchStrategy[str]:
    """A file name as a deck or theme may write it."""
    return st.one_of(
        st.sampled_from(["a\0b.png", "x" * 300 + ".png", "../outside.png", "/etc/passwd", "/dev/zero",
                         "/dev/null", ".", "", "a/" * 50 + "b.png", "C:\\x.png", "~/x.png", "fifo.png",
                         "\x1b[2J.png", "%s%n.png", "nul", "con.ttf", "x.png\n"]),
        hostile_text(6),
    )


def hostile_number() -> st.SearchStrategy[object]:
    """A value where a number is expected, in YAML-safe form (the writer turns floats into .nan/.inf)."""
    return st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, -1, 0, -0.0, 1e308, -1e308, 2**63, 10**400, 1e-320,
                         True, None, "1e999", "nan", "-0", "0x10", "1_000", "", "12pt", "-3mm", "1e6mm",
                         "100% - 1e9mm", ".inf pt", "5000x5000mm", "0x0mm", "nanxnanmm"]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(2**70), 2**70),
    )


def hostile_url() -> st.SearchStrategy[str]:
    """A value for a `source:` URL or a QR data template."""
    return st.one_of(
        st.sampled_from(["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:x", "data:text/html,x",
                         "file:///etc/passwd", "ftp://example.org/", "http://exa\tmple.org/",
                         "https://example.org/\n", "http://example.org/\0", "http://169.254.169.254/",
                         "http://[::1]/", "https://user:pw@example.org/", "http://example.org:99999/",
                         "https://" + "a" * 3000 + ".org/", "https://exämple.org/", "https://example.org/\x1b[2J",
                         "http://", "https:", "//example.org", "https://example.org/" + "%" * 50]),
        hostile_text(8).map(lambda t: "https://example.org/" + t),
    )


def hostile_value() -> st.SearchStrategy[object]:
    """Anything YAML can say where a field is expected."""
    leaf = st.one_of(hostile_text(12), hostile_number(), hostile_url(), hostile_path())
    return st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(hostile_text(3), inner, max_size=3)),
                        max_leaves=6)
