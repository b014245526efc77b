"""Laid-out card sides kept compactly between checking and drawing: a 10,000-card deck holds them all."""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any, overload

from deckgen.deck.svg.parse import art_from_row, art_to_row
from deckgen.design.ops import ArtOp, ImageOp, LineOp, Op, QrOp, RectOp, Run, TextOp

_KINDS: tuple[type, ...] = (RectOp, LineOp, TextOp, QrOp, ImageOp, ArtOp)
_FIELDS = [tuple(f.name for f in fields(kind)) for kind in _KINDS]
_TEXT = _KINDS.index(TextOp)
_ART = _KINDS.index(ArtOp)


class PackedOps(Sequence[Op]):
    """Ops as one marshal string, about half the memory of the objects; read back as equal ops."""

    __slots__ = ("_data", "_len")

    def __init__(self, ops: Iterable[Op]) -> None:
        rows = [_row(op) for op in ops]
        self._data, self._len = marshal.dumps(rows), len(rows)

    def __len__(self) -> int:
        return self._len

    @property
    def key(self) -> bytes:
        """Equal for equal ops: a side drawn many times (copies, a back without card fields) is found by it."""
        return self._data

    def __iter__(self) -> Iterator[Op]:
        return map(_unrow, marshal.loads(self._data))

    @overload
    def __getitem__(self, index: int) -> Op: ...
    @overload
    def __getitem__(self, index: slice) -> list[Op]: ...
    def __getitem__(self, index: int | slice) -> Op | list[Op]:
        return list(self)[index]


def _row(op: Op) -> tuple[Any, ...]:
    if isinstance(op, TextOp):
        return (_TEXT, op.x, op.y, tuple((r.text, r.style) for r in op.runs), op.font, op.size, op.color)
    if isinstance(op, ArtOp):
        return (_ART, art_to_row(op.art), op.x, op.y, op.w, op.h, op.fit, op.source)
    kind = _KINDS.index(type(op))
    return (kind, *[getattr(op, name) for name in _FIELDS[kind]])


def _unrow(row: tuple[Any, ...]) -> Op:
    if row[0] == _TEXT:
        return TextOp(row[1], row[2], tuple(Run(text, style) for text, style in row[3]), *row[4:])
    if row[0] == _ART:
        return ArtOp(art_from_row(row[1]), *row[2:])
    op: Op = _KINDS[row[0]](*row[1:])
    return op


def pack(ops: Sequence[Op]) -> Sequence[Op]:
    """`ops`, packed (read-only from now on)."""
    return ops if isinstance(ops, PackedOps) else PackedOps(ops)
