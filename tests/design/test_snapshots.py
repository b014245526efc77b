"""Display-list snapshots: the reference deck's laid-out drawing operations as readable text, one file per
built-in theme and language, so that a change of look shows up as a reviewable diff.

When a change of look is intended, rewrite them and review the diff before committing:
    DECKGEN_UPDATE_SNAPSHOTS=1 python -m pytest tests/design/test_snapshots.py
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import MICRO

from deckgen.deck.svg.parse import Shape
from deckgen.design.ops import RGB, ArtOp, ImageOp, LineOp, Op, QrOp, RectOp, TextOp
from deckgen.design.themes import builtin_themes
from deckgen.pipeline.prepare import Options, prepare

HERE = Path(__file__).resolve().parent / "snapshots"
MM = 72 / 25.4


def _mm(v: float) -> str:
    return f"{v / MM:.2f}"


def _hex(c: RGB | None) -> str:
    return "none" if c is None else "#" + "".join(f"{round(v * 255):02X}" for v in c)


def _op(op: Op) -> str:
    if isinstance(op, TextOp):
        text = "".join(r.text if r.style == "regular" else f"[{r.style}:{r.text}]" for r in op.runs)
        return f"text {_mm(op.x)},{_mm(op.y)} {op.font} {op.size:g}pt {_hex(op.color)} {text!r}"
    if isinstance(op, RectOp):
        extra = f" stroke {_hex(op.stroke)} {op.width:g}pt" if op.stroke else ""
        extra += f" radius {_mm(op.radius)}" if op.radius else ""
        return f"rect {_mm(op.x)},{_mm(op.y)} {_mm(op.w)}x{_mm(op.h)} fill {_hex(op.fill)}{extra}"
    if isinstance(op, LineOp):
        return f"line {_mm(op.x0)},{_mm(op.y0)} -> {_mm(op.x1)},{_mm(op.y1)} {_hex(op.color)} {op.width:g}pt"
    if isinstance(op, QrOp):
        return f"qr {_mm(op.x)},{_mm(op.y)} {op.modules}x{_mm(op.module)}mm {_hex(op.dark)} {op.data}"
    if isinstance(op, ImageOp):
        return f"image {_mm(op.x)},{_mm(op.y)} {_mm(op.w)}x{_mm(op.h)} {op.fit} {Path(op.path).name}"
    if isinstance(op, ArtOp):
        paints = {_hex(p) for i in op.art.items if isinstance(i, Shape) for p in (i.fill, i.stroke)
                  if isinstance(p, tuple)}
        return (f"art {_mm(op.x)},{_mm(op.y)} {_mm(op.w)}x{_mm(op.h)} {op.fit} {Path(op.source).name} "
                f"{len(op.art.items)} items {' '.join(sorted(paints))}")
    return repr(op)


def display_list(theme: str, lang: str) -> str:
    prep = prepare(MICRO, Options(theme=theme, lang=lang))
    lines = [f"# {MICRO.name}, theme {theme}, language {lang}: card {_mm(prep.card_w)} x {_mm(prep.card_h)} mm, "
             "positions in mm from the card's bottom-left"]
    for card in prep.cards:
        for side in ("front", "back"):
            ops: Iterable[Op] = getattr(card, side).ops
            lines.append(f"\n## {card.index + 1:02d} {card.id} {side}")
            lines += [_op(op) for op in ops]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("theme", sorted(builtin_themes()))
def test_the_laid_out_deck_matches_its_snapshot(theme: str, lang: str) -> None:
    path = HERE / f"{theme}-{lang}.txt"
    got = display_list(theme, lang)
    if os.environ.get("DECKGEN_UPDATE_SNAPSHOTS"):
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}: run with DECKGEN_UPDATE_SNAPSHOTS=1 and review it"
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{path.name} changed: rerun with DECKGEN_UPDATE_SNAPSHOTS=1 and review `git diff`"
