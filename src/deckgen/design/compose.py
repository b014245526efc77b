"""Total-fit line breaking (after Knuth & Plass, "Breaking paragraphs into lines", 1981). Pure.

A paragraph is a list of items: boxes (word fragments), glue (the breakable spaces) and penalties (the places
inside a word where it may break, with the hyphen drawn there). The breaks of the whole paragraph are chosen
together, minimising the sum of the lines' demerits, instead of filling each line greedily.

Ragged-right (the default): spaces keep their width; a line's badness grows with the cube of its shortfall,
so very short lines are avoided, and the last line is free. Justified: spaces stretch by half and shrink by a
third of their width. Hyphenation is a penalty, a second hyphenated line in a row costs more, a third is never
taken; a last line of a single word (a runt) costs more than a loose line.

Widths are those at size 1 (a font's widths scale with its size): a paragraph is prepared once and broken at
any width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.design.ops import Style

Piece = tuple[str, Style]

BOX, GLUE, PENALTY = 0, 1, 2
EXPLICIT, INSERTED = 1, 2  # a penalty's flag: a break after a hyphen of the text, or at an inserted hyphen

LINE_PENALTY = 10.0  # every line costs this: fewer lines are better, all else equal
HYPHEN_PENALTY = 60.0
EXPLICIT_PENALTY = 30.0
DOUBLE_HYPHEN = 6000.0  # extra demerits for two hyphenated lines in a row
RUNT = 40000.0  # extra demerits for a last line of one word, when the paragraph has more lines
RAGGED = 0.33  # ragged-right: a line short by this share of the measure has badness 100
MAX_HYPHENS = 2  # hyphenated lines in a row, at most
TOLERANCE = 800.0  # a line worse than this is not considered while a better set of breaks may exist
TIE = 1000.0  # the penalty of a break the no-break rules forbid: taken, like a line beyond the tolerance, only
# when there is no other way
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Item:
    kind: int  # BOX, GLUE or PENALTY
    pieces: tuple[Piece, ...]  # what is drawn: the text, the spaces, or the hyphen drawn when it breaks there
    width: float  # at size 1; for a penalty, the width of its hyphen
    penalty: float = 0.0
    flag: int = 0  # a penalty's: EXPLICIT or INSERTED
    word: str = ""  # a box's whole word, for messages


class Paragraph:
    """The items of a paragraph and, for each place it may break (its last item included), the running sums a
    line's width is computed from in constant time."""

    __slots__ = ("items", "cand", "w_at", "w_after", "g_at", "g_after", "pw", "pen", "flag")

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = tuple(items)
        self.cand: list[int] = []  # the item index of each break
        self.w_at: list[float] = []  # width from the start to the break, the break's glue left out
        self.w_after: list[float] = []  # width from the start to where the next line begins
        self.g_at: list[float] = []  # glue width, likewise (for justified text and runts)
        self.g_after: list[float] = []
        self.pw: list[float] = []  # a penalty's hyphen width, penalty and flag
        self.pen: list[float] = []
        self.flag: list[int] = []
        self._scan()

    def _scan(self) -> None:
        """Each break's fields, each appended on its own (a tuple of them would make work for the garbage
        collector: there are as many as spaces in the texts)."""
        cand, w_at, w_after, g_at, g_after = (self.cand.append, self.w_at.append, self.w_after.append,
                                              self.g_at.append, self.g_after.append)
        pw, pen, flag = self.pw.append, self.pen.append, self.flag.append
        items = self.items
        w = g = 0.0
        prev_box = False
        for i, it in enumerate(items):
            if it.kind == BOX:
                w += it.width
                prev_box = True
                continue
            if it.kind == GLUE:
                skip, hyphen, penalty, flagged = it.width, 0.0, 0.0, 0
            else:
                nxt = items[i + 1] if i + 1 < len(items) else None
                skip = nxt.width if nxt is not None and nxt.kind == GLUE else 0.0  # a tie: its space goes too
                hyphen, penalty, flagged = it.width, it.penalty, it.flag
            if prev_box or it.kind == PENALTY:  # a space after a box, or a penalty
                cand(i)
                w_at(w)
                w_after(w + skip)
                g_at(g)
                g_after(g + skip)
                pw(hyphen)
                pen(penalty)
                flag(flagged)
            if it.kind == GLUE:
                w += it.width
                g += it.width
            prev_box = False
        cand(len(items))  # the end
        w_at(w)
        w_after(w)
        g_at(g)
        g_after(g)
        pw(0.0)
        pen(0.0)
        flag(0)

    def natural(self, j: int, k: int) -> float:
        """The width of the line from break `j` (-1: the start) to break `k`, its hyphen included."""
        return self.w_at[k] - (self.w_after[j] if j >= 0 else 0.0) + self.pw[k]


def _badness(p: Paragraph, j: int, k: int, width: float, justify: bool) -> float | None:
    """A line's badness, or None when it cannot be set (too wide even with its spaces shrunk)."""
    natural = p.natural(j, k)
    short = width - natural
    last = k == len(p.cand) - 1
    if not justify:
        if short < -EPS:
            return None
        return 0.0 if last else 100.0 * (short / (RAGGED * width)) ** 3
    glue = p.g_at[k] - (p.g_after[j] if j >= 0 else 0.0)
    if short < -EPS:
        if -short > glue / 3 + EPS:
            return None
        return 100.0 * (-short / (glue / 3)) ** 3
    if last:
        return 0.0
    return 100.0 * (short / (glue / 2)) ** 3 if glue > 0 else 1e4


Node = tuple[float, int, int, int, object]  # total demerits, break, lines so far, hyphens in a row, previous


def compose(p: Paragraph, width: float, *, justify: bool = False, max_lines: int | None = None,
            max_hyphens: int = MAX_HYPHENS, tolerance: float = TOLERANCE) -> list[int] | None:
    """The breaks (indices into `p.cand`, the last one included) with the fewest total demerits, in at most
    `max_lines` lines; None when no set of breaks keeps every line within `width` (and, with a finite
    `tolerance`, every line but the last within it, and no break at a tie)."""
    last = len(p.cand) - 1
    if p.w_at[last] <= width + EPS:
        return [last]  # one line: the common case of titles and labels
    if justify or max_lines is not None:
        return _compose(p, width, justify, max_lines, max_hyphens, tolerance)
    return _ragged(p, width, max_hyphens, tolerance)


def _compose(p: Paragraph, width: float, justify: bool, max_lines: int | None, max_hyphens: int,
             tolerance: float) -> list[int] | None:
    """`compose` in general: justified, or in at most `max_lines` lines."""
    last = len(p.cand) - 1
    total_w = p.w_at[last]
    active: dict[tuple[int, int, int], Node] = {(-1, 0, 0): (0.0, -1, 0, 0, None)}
    shrinkable = 1.0 / 3 if justify else 0.0
    w_at, w_after, g_at, g_after, flag, pen, pw = p.w_at, p.w_after, p.g_at, p.g_after, p.flag, p.pen, p.pw
    scale = 100.0 / (RAGGED * width) ** 3
    for k in range(last + 1):
        best: dict[tuple[int, int, int], Node] = {}
        left = (total_w - w_after[k]) / width if max_lines is not None else 0.0  # the lines after, at least
        for key, node in list(active.items()):
            j = node[1]
            start, gstart = (w_after[j], g_after[j]) if j >= 0 else (0.0, 0.0)
            if w_at[k] - start - shrinkable * (g_at[k] - gstart) > width + EPS:
                del active[key]  # every later line from this break is wider still
                continue
            lines = node[2] + 1
            if max_lines is not None and lines + (int(left - EPS) + 1 if k < last else 0) > max_lines:
                continue
            if justify:
                bad = _badness(p, j, k, width, justify)
            else:  # ragged-right, inlined: the common case
                short = width - (w_at[k] - start + pw[k])
                bad = None if short < -EPS else 0.0 if k == last else scale * short * short * short
            if bad is None or (tolerance < math.inf and (bad > tolerance and k < last or pen[k] >= TIE)):
                continue
            hyph = node[3] + 1 if flag[k] == INSERTED else 0
            if hyph <= max_hyphens:
                _keep(best, p, node, k, bad, hyph, lines if max_lines is not None else 0)
        if k == last:
            return _walk(min(best.values(), key=lambda n: n[0])) if best else None
        active.update(best)
        if not active:
            return None
    return None  # pragma: no cover - the loop returns at the last break


def _ragged(p: Paragraph, width: float, max_hyphens: int, tolerance: float) -> list[int] | None:
    """`compose` for ragged-right text in any number of lines, the common case, made fast: the same choices.

    The active breaks are kept in text order, so that a line from each is shorter than from the one before:
    those too wide for break `k` are the first ones (dropped for good), those too loose the last ones (the
    scan stops at the first)."""
    w_at, w_after, pen, flag = p.w_at, p.w_after, p.pen, p.flag
    limit, scale, strict = width + EPS, 100.0 / (RAGGED * width) ** 3, tolerance < math.inf
    nodes: list[Node] = [(0.0, -1, 0, 0, None)]
    starts = [0.0]  # where the line after each node begins: w_after of its break
    for k in range(len(p.cand) - 1):
        wk = w_at[k]
        if wk - starts[0] > limit:
            cut = 1
            while cut < len(nodes) and wk - starts[cut] > limit:
                cut += 1  # every later line from these breaks is wider still
            del nodes[:cut], starts[:cut]
            if not nodes:
                return None
        if strict and pen[k] >= TIE:
            continue
        if flag[k] == INSERTED:
            found = _to_hyphen(p, k, nodes, starts, width, scale, tolerance, max_hyphens)
            nodes += found
            starts += [w_after[k]] * len(found)
        else:
            node = _to_break(p, k, nodes, starts, width, scale, tolerance)
            if node is not None:
                nodes.append(node)
                starts.append(w_after[k])
    return _to_end(p, nodes, starts, width)


def _to_break(p: Paragraph, k: int, nodes: list[Node], starts: list[float], width: float, scale: float,
              tolerance: float) -> Node | None:
    """The best way to break `k` (not an inserted hyphen: it keeps one), from the active `nodes`."""
    wk, pwk, pen2, floor, line = p.w_at[k], p.pw[k], p.pen[k] ** 2, -EPS, LINE_PENALTY
    hyphen, flag = p.flag[k], p.flag
    best_t, best = math.inf, None
    for node, start in zip(nodes, starts, strict=True):
        short = width - (wk - start + pwk)
        if short < floor:
            continue
        bad = scale * short * short * short
        if bad > tolerance:
            break  # every later line is looser still
        d = (line + bad) ** 2 + pen2
        if hyphen and node[1] >= 0 and flag[node[1]]:
            d += DOUBLE_HYPHEN
        total = node[0] + d
        if total < best_t:
            best_t, best = total, node
    return None if best is None else (best_t, k, best[2] + 1, 0, best)


def _to_hyphen(p: Paragraph, k: int, nodes: list[Node], starts: list[float], width: float, scale: float,
               tolerance: float, max_hyphens: int) -> list[Node]:
    """The best ways to break at the inserted hyphen `k`, one for each count of hyphenated lines in a row."""
    wk, pwk, pen2 = p.w_at[k], p.pw[k], p.pen[k] ** 2
    best: dict[int, tuple[float, Node]] = {}
    for node, start in zip(nodes, starts, strict=True):
        short = width - (wk - start + pwk)
        if short < -EPS:
            continue
        bad = scale * short * short * short
        if bad > tolerance:
            break
        hyph = node[3] + 1
        if hyph > max_hyphens:
            continue
        d = (LINE_PENALTY + bad) ** 2 + pen2
        if node[1] >= 0 and p.flag[node[1]]:
            d += DOUBLE_HYPHEN
        total = node[0] + d
        kept = best.get(hyph)
        if kept is None or total < kept[0]:
            best[hyph] = (total, node)
    return [(total, k, node[2] + 1, hyph, node) for hyph, (total, node) in best.items()]


def _to_end(p: Paragraph, nodes: list[Node], starts: list[float], width: float) -> list[int] | None:
    """The breaks of the best way to the end of the paragraph (its last line is free, but of a runt)."""
    last = len(p.cand) - 1
    wk, pen2 = p.w_at[last], p.pen[last] ** 2
    best_t, best = math.inf, None
    for node, start in zip(nodes, starts, strict=True):
        if wk - start > width + EPS or width - (wk - start + p.pw[last]) < -EPS:
            continue
        d = LINE_PENALTY ** 2 + pen2  # a last line has no badness
        j = node[1]
        if j >= 0 and p.g_at[last] - p.g_after[j] <= EPS:
            d += RUNT
        total = node[0] + d
        if total < best_t:
            best_t, best = total, node
    return None if best is None else _walk((best_t, last, 0, 0, best))


def _keep(best: dict[tuple[int, int, int], Node], p: Paragraph, node: Node, k: int, bad: float, hyph: int,
          lines: int) -> None:
    """The line from `node` to break `k` into `best`, if it is the best way there yet."""
    j = node[1]
    d = (LINE_PENALTY + bad) ** 2 + p.pen[k] ** 2
    if p.flag[k] and j >= 0 and p.flag[j]:
        d += DOUBLE_HYPHEN
    if k == len(p.cand) - 1 and j >= 0 and p.g_at[k] - p.g_after[j] <= EPS:
        d += RUNT
    total = node[0] + d
    nkey = (k, lines, hyph)
    if nkey not in best or total < best[nkey][0]:
        best[nkey] = (total, k, node[2] + 1, hyph, node)


def _walk(node: tuple[float, int, int, int, object]) -> list[int]:
    breaks: list[int] = []
    cur: object = node
    while isinstance(cur, tuple) and cur[1] >= 0:
        breaks.append(cur[1])
        cur = cur[4]
    return breaks[::-1]


def fewest_lines(p: Paragraph, width: float) -> int | None:
    """The fewest lines the paragraph takes (first-fit: each line as full as it goes, hyphens anywhere allowed),
    or None when some piece is wider than `width`."""
    if p.w_at[-1] <= width + EPS:
        return 1  # what the loop below finds, at once: the common case of titles and labels
    w_at, pw, limit = p.w_at, p.pw, width + EPS
    lines, j, ok, start = 0, -1, -1, 0.0  # start: where line j + 1 begins, w_after[j]
    last = len(p.cand) - 1
    k = 0
    while k <= last:
        if w_at[k] - start + pw[k] <= limit:  # natural(j, k)
            ok = k
            if k == last:
                return lines + 1
            k += 1
        elif w_at[k] - start > limit:
            if ok == j:
                return None  # not even the first piece of this line fits
            lines, j, start = lines + 1, ok, p.w_after[ok]
            k = ok + 1
        else:
            k += 1  # a hyphen that does not fit: a later break may
    return lines + 1  # pragma: no cover - the loop returns at the last break


def line_items(p: Paragraph, breaks: Sequence[int]) -> list[tuple[list[Piece], float]]:
    """The pieces of each line and its width at size 1."""
    out = []
    items = p.items
    j = -1
    for k in breaks:
        a = p.cand[j] + 1 if j >= 0 else 0
        b = p.cand[k]
        while a < b and items[a].kind != BOX:
            a += 1  # the spaces and penalties after a break are dropped
        pieces = [pc for it in items[a:b] if it.kind != PENALTY for pc in it.pieces]
        if p.pw[k] and b < len(items):
            pieces.extend(items[b].pieces)
        out.append((pieces, p.natural(j, k)))
        j = k
    return out
