"""Subsets of a deck: `--only family=edition`, `--exclude tag=atelier-1`, `--only id=a,b` (commas: any of)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.deck.model import Deck
from deckgen.errors import DeckError, Problem, did_you_mean

KEYS = ("id", "family", "tag")


@dataclass(frozen=True)
class Expr:
    key: str
    values: tuple[str, ...]
    text: str

    def matches(self, cid: str, family: str | None, tags: Sequence[str]) -> bool:
        if self.key == "id":
            return cid in self.values
        if self.key == "family":
            return family in self.values
        return any(t in self.values for t in tags)


def parse_expr(text: str) -> Expr:
    """`key=v1,v2` with key id, family or tag; ValueError with a hint otherwise."""
    key, sep, rest = text.partition("=")
    key = key.strip()
    values = tuple(v.strip() for v in rest.split(",") if v.strip())
    if not sep or key not in KEYS or not values:
        hint = did_you_mean(key, KEYS) if sep and key not in KEYS else None
        raise ValueError(f"not a selection: {text!r} (write id=…, family=… or tag=…, commas for any of"
                         + (f"; {hint}" if hint else "") + ")")
    return Expr(key, values, text)


def select(deck: Deck, ids: Sequence[str], only: Sequence[Expr], exclude: Sequence[Expr]) -> list[int]:
    """Indices of the cards that every --only expression and no --exclude expression selects."""
    rows = [(cid, card.family, card.tags) for cid, card in zip(ids, deck.cards, strict=True)]
    problems = []
    for flag, exprs in (("--only", only), ("--exclude", exclude)):
        for expr in exprs:
            for value in expr.values:
                single = Expr(expr.key, (value,), expr.text)
                if not any(single.matches(*row) for row in rows):
                    problems.append(_nothing(flag, expr.key, value, deck, ids))
    if problems:
        raise DeckError(problems)
    chosen = [i for i, row in enumerate(rows)
              if all(e.matches(*row) for e in only) and not any(e.matches(*row) for e in exclude)]
    if not chosen:
        what = " ".join([*(f"--only {e.text}" for e in only), *(f"--exclude {e.text}" for e in exclude)])
        raise DeckError(Problem(f"{what} together select no card", hint="loosen the selection"))
    return chosen


def _nothing(flag: str, key: str, value: str, deck: Deck, ids: Sequence[str]) -> Problem:
    if key == "id":
        existing = list(ids)
    elif key == "family":
        existing = [f.id for f in deck.families]
    else:
        existing = sorted({t for c in deck.cards for t in c.tags})
    close = did_you_mean(value, existing)
    listing = ", ".join(existing[:30]) + (", …" if len(existing) > 30 else "") if existing else "none"
    plural = "families" if key == "family" else key + "s"
    return Problem(f"{flag} {key}={value} selects no card",
                   hint=close or f"the deck's {plural}: {listing}")
