"""The one error type for user mistakes: it carries FILE:LINE, where, what and a hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in the user's input, printed as `FILE:LINE: where: what — hint`."""

    what: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    hint: str | None = None
    card: int | None = None  # the deck card it is about (its index), for check's count; not printed

    def __str__(self) -> str:
        head = ""
        if self.file:
            head = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        where = f"{shorten(self.where)}: " if self.where else ""
        hint = f" — {shorten(self.hint)}" if self.hint else ""
        return " ".join(f"{head}{where}{shorten(self.what, 400)}{hint}".splitlines())  # one problem, one line


def shorten(text: str, most: int = 200) -> str:
    """A part of a message as it may be printed: a user's 5 MB word shows its start and its length."""
    if len(text) <= most:
        return text
    return f"{text[:most - 40]}… ({len(text):,} characters)"


class DeckError(Exception):
    """A problem with the user's deck, theme or options (exit code 1), never a bug."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file (in the order the files first appear) and line; a problem without a line
    (an empty file…) first in its file."""
    unique = list(dict.fromkeys(problems))
    files = list(dict.fromkeys(p.file for p in unique))
    return sorted(unique, key=lambda p: (files.index(p.file), p.line or 0))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt key or name, or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def count(n: int, one: str, many: str | None = None) -> str:
    """"1 card", "2 cards", "1 family" (count(1, "family", "families")): numbers in summary lines."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


class UsageError(Exception):
    """Options that contradict each other or do not apply (exit code 2), e.g. --service with --profile shop."""


class WriteError(Exception):
    """An output that cannot be written (a folder that is a file, no permission, disk full): exit code 1,
    printed as `error: PATH: cannot write: reason`."""

    def __init__(self, path: object, exc: OSError):
        self.path, self.reason = path, exc.strerror or str(exc)
        super().__init__(f"{path}: cannot write: {self.reason}")
