"""What `deckgen check` says about text fit: a summary, the texts that needed their minimum size, a table."""

from __future__ import annotations

from deckgen.design.side import FitNote
from deckgen.pipeline.prepare import Prepared

EPS = 1e-6


def fit_report(prep: Prepared) -> list[tuple[str, str, FitNote]]:
    """(card id, side, fit note) of every text laid out."""
    return [(c.id, side, note) for c in prep.cards for side in ("front", "back")
            for note in getattr(c, side).fits]


def fit_lines(prep: Prepared, table: bool = False) -> list[str]:
    """Lines to print: the full table (with --fit) or the summary and the texts at their minimum size."""
    notes = fit_report(prep)
    shrunk = [n for n in notes if n[2].size < n[2].nominal - EPS]
    at_min = [n for n in shrunk if n[2].size <= n[2].min_size + EPS]
    cut = [n for n in notes if n[2].ellipsised]
    lines: list[str] = []
    if table:
        rows = [("card", "side", "element", "field", "size", "range", "")]
        for cid, side, n in notes:
            shrank = n.size < n.nominal - EPS
            flag = "cut" if n.ellipsised else "minimum" if shrank and n.size <= n.min_size + EPS else (
                "shrunk" if shrank else "")
            if n.hyphenated:
                flag = f"{flag}, hyphenated {n.hyphenated!r}".lstrip(", ")
            span = f"{n.nominal:g}–{n.min_size:g}pt" if n.min_size < n.nominal else "fixed"
            rows.append((cid, side, n.element, n.field or "-", f"{n.size:g}pt", span, flag))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        lines += deck_size_lines(prep)
    else:
        for cid, side, n in at_min:
            lines.append(f"{cid}: {side} {n.element} ({n.field or '-'}) needed its minimum size {n.size:g}pt")
    cards = len({cid for cid, _, _ in at_min})
    summary = (f"text fit: {len(notes)} texts, {len(shrunk)} shrunk, {len(at_min)} at their minimum size "
               f"({cards} card{'s' if cards != 1 else ''})")
    if cut:
        summary += f", {len(cut)} cut short"
    lines.append(summary + ("" if table else " — --fit for the table"))
    return lines


def deck_size_lines(prep: Prepared) -> list[str]:
    """One line per text element with one size across the deck: the size, and the card that set it."""
    if not prep.sizes:
        return ["one size per element: off (the theme fits each card alone: fit: card)"]
    lines = ["one size per element across the deck (the largest every card's text fits at):"]
    for (side, element), found in sorted(prep.sizes.items()):
        why = f"set by card '{found.card}'" if found.size < found.nominal - EPS else "its own size: every card fits"
        lines.append(f"  {side} {element}: {found.size:g}pt, {why}")
    return lines
