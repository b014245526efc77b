"""Fast QR-code module matrices, identical to what ``qrcode`` produces.

``qrcode.QRCode(...).make(fit=True)`` picks the mask by building the full matrix
eight times and scoring each with the pure-Python ``qrcode.util.lost_point``.
Here the codewords are built once and the function patterns / data positions of
each version are cached.  Every candidate matrix is a single Python int (bit
``row * (n + 1) + col``; the extra column is an always-light guard so that
shifts never join two rows), so each penalty rule is a handful of big-int shifts,
ANDs and ``int.bit_count`` calls.  The segmenting, version choice, codewords and
penalty replicate qrcode exactly (see ``tests/design/test_qr.py``), including its
quirk of scoring candidates with format and version areas left light. The rectangles of ``qr_rects``
come from the same int by shifts and carries, then counted in ints holding one byte per module.

The API: ``qr_matrix(data, level)`` gives the code as rows of booleans (for a writer that draws modules);
``qr_rects(data, level)`` gives its dark modules merged into rectangles, packed, as cards draw them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import accumulate, compress
from operator import itemgetter
from typing import Any

from qrcode import base, util

Matrix = tuple[tuple[bool, ...], ...]

__all__ = ["Matrix", "qr_matrix", "qr_rects"]

# qrcode's error-correction constants: L=1, M=0, Q=3, H=2.
_LEVELS: dict[str, int] = {"L": 1, "M": 0, "Q": 3, "H": 2}
_BITS01 = bytes.maketrans(b"01", b"\x00\x01")

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _EXP[_i + 255] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D


def _gf_mul(a: int, b: int) -> int:
    return _EXP[_LOG[a] + _LOG[b]] if a and b else 0


@cache
def _rs_table(ec_count: int) -> tuple[int, ...]:
    """For each feedback byte f, the generator's low coefficients times f packed as a big-endian int."""
    gen = [1]
    for i in range(ec_count):  # gen *= (x - alpha^i)
        gen = [a ^ _gf_mul(b, _EXP[i]) for a, b in zip(gen + [0], [0] + gen, strict=True)]
    logs = [_LOG[g] if g else -1 for g in gen[1:]]
    rows = [0]  # f = 0
    for f in range(1, 256):
        lf = _LOG[f]
        rows.append(int.from_bytes(bytes([_EXP[lf + lg] if lg >= 0 else 0 for lg in logs]), "big"))
    return tuple(rows)


def _rs_remainder(data: bytes, ec_count: int) -> bytes:
    table, shift, mask = _rs_table(ec_count), 8 * (ec_count - 1), (1 << 8 * ec_count) - 1
    rem = 0
    for byte in data:
        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> shift)]
    return rem.to_bytes(ec_count, "big")


def _chunk_bits(chunk: util.QRData) -> tuple[int, int]:
    """The payload of one segment as (value, bit length), as ``QRData.write`` emits it."""
    data: bytes = chunk.data
    value = length = 0
    if chunk.mode == util.MODE_NUMBER:
        for i in range(0, len(data), 3):
            part = data[i : i + 3]
            width = util.NUMBER_LENGTH[len(part)]
            value, length = (value << width) | int(part), length + width
    elif chunk.mode == util.MODE_ALPHA_NUM:
        for i in range(0, len(data), 2):
            part = data[i : i + 2]
            if len(part) == 2:
                pair = util.ALPHA_NUM.find(part[:1]) * 45 + util.ALPHA_NUM.find(part[1:])
                value, length = (value << 11) | pair, length + 11
            else:
                value, length = (value << 6) | util.ALPHA_NUM.find(part), length + 6
    else:
        value, length = int.from_bytes(data, "big"), 8 * len(data)
    return value, length


def _fit(data: str, ec: int) -> tuple[list[tuple[Any, int, int, int]], int, Any]:
    """(segments as (mode, count, payload, bits), the smallest version holding them, its length-field sizes),
    exactly as qrcode's best_fit."""
    chunks = [(c.mode, len(c), *_chunk_bits(c)) for c in util.optimal_data_chunks(data, minimum=20)]
    limits = util.BIT_LIMIT_TABLE[ec]
    version = 1
    while True:  # the length-field width depends on the version: iterate like QRCode.best_fit
        sizes = util.mode_sizes_for_version(version)
        needed = sum(4 + sizes[mode] + bits for mode, _, _, bits in chunks)
        version = bisect_left(limits, needed, version)
        if version > 40:
            level = next(k for k, v in _LEVELS.items() if v == ec)
            raise ValueError(
                f"data too long for a QR code at level {level}: needs {needed} bits, version 40 holds {limits[40]}"
            )
        if util.mode_sizes_for_version(version) is sizes:
            return chunks, version, sizes


@lru_cache(maxsize=4096)
def qr_modules(data: str, level: str = "M") -> int:
    """The side of the code for ``data`` in modules (no quiet zone), as ``qr_rects`` makes it, without drawing it
    (what checking a card needs). ``ValueError`` as ``qr_rects``."""
    if level not in _LEVELS:
        raise ValueError(f"unknown QR error-correction level {level!r}; expected one of L, M, Q, H")
    return 17 + 4 * _fit(data, _LEVELS[level])[1]


def _encode(data: str, ec: int) -> tuple[int, bytes]:
    """(version, interleaved data + EC codewords) exactly as qrcode's best_fit + create_data."""
    chunks, version, sizes = _fit(data, ec)
    limits = util.BIT_LIMIT_TABLE[ec]
    value = length = 0
    for mode, count, payload, bits in chunks:
        width = sizes[mode]
        value = (((value << 4 | mode) << width | (count & ((1 << width) - 1))) << bits) | payload
        length += 4 + width + bits
    blocks = base.rs_blocks(version, ec)
    bit_limit = limits[version]
    term = min(bit_limit - length, 4) + (-(length + min(bit_limit - length, 4))) % 8
    value, length = value << term, length + term
    buf = value.to_bytes(length // 8, "big") + b"\xec\x11" * ((bit_limit - length) // 16 + 1)
    buf = buf[: bit_limit // 8]
    data_blocks: list[bytes] = []
    ec_blocks: list[bytes] = []
    offset = 0
    for block in blocks:
        data_blocks.append(buf[offset : offset + block.data_count])
        ec_blocks.append(_rs_remainder(data_blocks[-1], block.total_count - block.data_count))
        offset += block.data_count
    return version, bytes(_interleaving(version, ec)(b"".join(data_blocks + ec_blocks)))


@cache
def _interleaving(version: int, ec: int) -> Callable[[bytes], tuple[int, ...]]:
    """Takes the data blocks then the EC blocks, joined, in the order the code holds them: each group's blocks
    read column by column (the first byte of every block, then the second…), as qrcode's create_data."""
    blocks = base.rs_blocks(version, ec)
    order: list[int] = []
    start = 0
    for sizes in ([b.data_count for b in blocks], [b.total_count - b.data_count for b in blocks]):
        starts = list(accumulate(sizes, initial=start))
        for i in range(max(sizes)):
            order.extend(first + i for first, size in zip(starts, sizes, strict=False) if i < size)
        start = starts[-1]
    return itemgetter(*order)


Grid = list[list[bool | None]]  # a module: dark, light, or None for a data module


def _finders(grid: Grid, n: int) -> None:
    """The three finder patterns with their separators."""
    for row, col in ((0, 0), (n - 7, 0), (0, n - 7)):
        for r in range(max(row - 1, 0), min(row + 8, n)):
            for c in range(max(col - 1, 0), min(col + 8, n)):
                dr, dc = r - row, c - col
                grid[r][c] = (
                    (0 <= dr <= 6 and dc in (0, 6))
                    or (0 <= dc <= 6 and dr in (0, 6))
                    or (2 <= dr <= 4 and 2 <= dc <= 4)
                )


def _alignment_and_timing(grid: Grid, n: int, version: int) -> None:
    centres = util.pattern_position(version)
    for row in centres:
        for col in centres:
            if grid[row][col] is None:
                for r in range(-2, 3):
                    for c in range(-2, 3):
                        grid[row + r][col + c] = max(abs(r), abs(c)) != 1
    for i in range(8, n - 8):
        if grid[i][6] is None:
            grid[i][6] = i % 2 == 0
        if grid[6][i] is None:
            grid[6][i] = i % 2 == 0


def _data_order(grid: Grid, n: int) -> list[tuple[int, int]]:
    """The data modules in the order QRCode.map_data walks them: column pairs, zigzag, skipping timing."""
    order: list[tuple[int, int]] = []
    row, inc = n - 1, -1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < n:
            order.extend((row, c) for c in (col, col - 1) if grid[row][c] is None)
            row += inc
        row -= inc
        inc = -inc
    return order


class _Template:
    """Per-version geometry, everything as bit positions ``row * (n + 1) + col``."""

    def __init__(self, version: int) -> None:
        n = version * 4 + 17
        w = n + 1
        self.n, self.width, self.total = n, w, n * w
        grid: Grid = [[None] * n for _ in range(n)]
        _finders(grid, n)
        _alignment_and_timing(grid, n, version)
        # Format info: bit i goes to fmt_cells[i] (both copies); light while scoring, as in qrcode.
        self.fmt_cells = [
            ((i if i < 6 else i + 1 if i < 8 else n - 15 + i), 8, 8, (n - i - 1 if i < 8 else 15 - i - 1 + (i < 9)))
            for i in range(15)
        ]
        self.fixed_dark = 1 << ((n - 8) * w + 8)
        for r1, c1, r2, c2 in self.fmt_cells:
            grid[r1][c1] = grid[r2][c2] = False
        grid[n - 8][8] = False
        self.version_bits = self._version_area(grid, version) if version >= 7 else 0
        self.func_dark = self._pack(r * w + c for r in range(n) for c in range(n) if grid[r][c])
        order = _data_order(grid, n)
        # Index into the MSB-first binary string of the matrix int.
        self.str_index = [self.total - 1 - (r * w + c) for r, c in order]
        self.masks = [self._pack(r * w + c for r, c in order if fn(r, c)) for fn in map(util.mask_func, range(8))]
        # The format information's dark modules, by [error-correction level][mask].
        self.format_bits = [[self._format_bits(ec, mask) for mask in range(8)] for ec in range(4)]

    def _version_area(self, grid: Grid, version: int) -> int:
        """Marks the two version-information blocks as function modules; their dark bits."""
        n, w, dark = self.n, self.width, 0
        bits = util.BCH_type_number(version)
        for i in range(18):
            a, b = i // 3, i % 3 + n - 11
            grid[a][b] = grid[b][a] = False
            if (bits >> i) & 1:
                dark |= 1 << (a * w + b) | 1 << (b * w + a)
        return dark

    def _pack(self, positions: Iterable[int]) -> int:
        """The int with exactly the given bit positions set (linear time, unlike summing powers of 2)."""
        chars = bytearray(b"0" * self.total)
        for pos in positions:
            chars[self.total - 1 - pos] = 49
        return int(chars, 2)

    def data_bits(self, codewords: bytes) -> int:
        """The unmasked data modules; remainder bits stay light."""
        chars = bytearray(b"0" * self.total)
        bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b").encode().translate(_BITS01)
        for idx in compress(self.str_index, bits):
            chars[idx] = 49
        return int(chars, 2)

    def _format_bits(self, ec: int, mask: int) -> int:
        bits, w, out = util.BCH_type_info((ec << 3) | mask), self.width, self.fixed_dark
        for i, (r1, c1, r2, c2) in enumerate(self.fmt_cells):
            if (bits >> i) & 1:
                out |= 1 << (r1 * w + c1) | 1 << (r2 * w + c2)
        return out


_template = cache(_Template)


@cache
def _all_cells(n: int) -> int:
    """Every module of an n×n matrix (row stride n + 1)."""
    return sum(((1 << n) - 1) << (r * (n + 1)) for r in range(n))


@cache
def _neighbours(n: int, step: int) -> int:
    """The modules of an n×n matrix whose neighbour ``step`` bits on (the next column: 1; row: n + 1) is one too."""
    cells = _all_cells(n)
    return cells & (cells >> step)


def _penalty(dark: int, n: int) -> int:
    """qrcode's ``util.lost_point`` for an n×n matrix packed with row stride n + 1 (guard column light)."""
    w = n + 1
    light = _all_cells(n) ^ dark
    score = 0
    same = []
    for step in (1, w):  # along rows, then along columns
        eq = ~(dark ^ (dark >> step)) & _neighbours(n, step)  # module k and its neighbour: one colour
        same.append(eq)
        # Rule 1: each run of L >= 5 same-coloured modules costs L - 2 = (#5-windows) + 2.
        three = eq & (eq >> step)
        five = three & (three >> 2 * step)
        score += five.bit_count() + 2 * (five & ~(eq << step)).bit_count()
        # Rule 3: 40 per 10111010000 or 00001011101 window (dd, ll: modules k and k + 1 both dark / both light).
        dd, ll = dark & eq, light & eq
        core = (light >> step) & (dark >> 4 * step) & (light >> 5 * step) & (dark >> 6 * step) & (light >> 9 * step)
        left = dark & (dd >> 2 * step) & (ll >> 7 * step) & (light >> 10 * step)
        right = light & (ll >> 2 * step) & (dd >> 7 * step) & (dark >> 10 * step)
        score += 40 * (core & (left | right)).bit_count()
    # Rule 2: 3 per 2×2 same-coloured block (overlapping blocks all count).
    across, down = same
    score += 3 * (across & (across >> w) & down).bit_count()
    # Rule 4: 10 per full 5 % deviation from 50 % dark (same float arithmetic as qrcode).
    percent = float(dark.bit_count()) / (n**2)
    return score + int(abs(percent * 100 - 50) / 5) * 10


def _symbol(data: str, level: str) -> tuple[int, int]:
    """(n, the final n×n symbol packed with row stride n + 1), as qrcode with ``fit=True`` and auto mask."""
    if level not in _LEVELS:
        raise ValueError(f"unknown QR error-correction level {level!r}; expected one of L, M, Q, H")
    ec = _LEVELS[level]
    version, codewords = _encode(data, ec)
    tpl = _template(version)
    base_bits = tpl.data_bits(codewords)
    candidates = [tpl.func_dark | (base_bits ^ mask) for mask in tpl.masks]
    scores = [_penalty(c, tpl.n) for c in candidates]
    best = scores.index(min(scores))  # first minimum, as qrcode's best_mask_pattern
    return tpl.n, candidates[best] | tpl.format_bits[ec][best] | tpl.version_bits


@lru_cache(maxsize=4096)
def qr_matrix(data: str, level: str = "M") -> Matrix:
    """The QR code for ``data`` (no quiet zone), identical to ``qrcode`` with ``fit=True`` and auto mask.

    Smallest version holding ``data`` at error-correction ``level`` (L, M, Q or H), mask chosen by
    qrcode's penalty rule. Raises ``ValueError`` for an unknown level or data too long for version 40.
    """
    n, bits = _symbol(data, level)
    w = n + 1
    flat = format(bits, f"0{n * w}b")[::-1].encode().translate(_BITS01)
    return tuple(tuple(map(bool, flat[r * w : r * w + n])) for r in range(n))


def _lanes(bits: int, total: int) -> int:
    """``bits`` spread to one byte per module: byte ``p`` of the result (little-endian) is bit ``p`` (0 or 1)."""
    return int.from_bytes(format(bits, f"0{total}b").encode().translate(_BITS01), "big")


@cache
def _lane_constants(n: int) -> tuple[int, int, int]:
    """Per size, one byte per module: (1 everywhere, column + 1, row)."""
    w = n + 1
    cells = range(n * w)
    return (int.from_bytes(bytes(1 for _ in cells), "little"),
            int.from_bytes(bytes(p % w + 1 for p in cells), "little"),
            int.from_bytes(bytes(p // w for p in cells), "little"))


def _run_ends(dark: int, w: int) -> tuple[int, int]:
    """The last module of each dark run (a row's maximal dark stretch) that starts a rectangle, and of each that
    extends the rectangle above: a run does when the row above has a run with exactly its columns, i.e. the two
    rows agree on the run's modules and on the light module either side of it."""
    starts, ends = dark & ~(dark << 1), dark & ~(dark >> 1)
    diff = dark ^ (dark << w)  # where a module differs from the one above
    bad = (diff & dark) | (starts & (diff << 1)) | (ends & (diff >> 1))  # in a run, or beside it: flagged in it
    # Adding a run's flagged modules to it carries past its last module: one bit after each run holding any.
    new = ((dark + bad) & ~dark) >> 1
    return new, ends & ~new


@lru_cache(maxsize=1024)
def qr_rects(data: str, level: str = "M") -> tuple[int, bytes]:
    """``(n, rects)``: the code's size in modules and its dark modules merged into rectangles (a run of dark
    modules equal to one on the row above extends it), packed four bytes per rectangle (col, row, width,
    height), ordered by row then column — compact enough to keep one per card of a big deck.
    Read it back with ``struct.iter_unpack("4B", rects)``."""
    n, bits = _symbol(data, level)
    w, total = n + 1, n * (n + 1)
    new, more = _run_ends(bits, w)
    # No per-module Python loop: big ints with one byte per module (no count reaches 255), each rectangle's
    # numbers counted at its first run's last module as sums of 0/1 layers.
    dark, first, extends = _lanes(bits, total), _lanes(new, total), _lanes(more, total)
    width = height = 0
    layer, k = first, 0
    while layer:  # the first runs' last modules with k more dark modules to their left: width > k
        width, k = width + layer, k + 1
        layer &= dark << 8 * k
    layer, k = first, 0
    while layer:  # ... with k runs below extending the rectangle: height > k
        height, k = height + layer, k + 1
        layer &= extends >> 8 * k * w
    ones, col1, row = _lane_constants(n)
    others = (ones - first) * 255  # 0xFF in every other module's byte: those bytes are deleted
    fields = [(f | others).to_bytes(total, "little").translate(None, b"\xff")
              for f in (col1 - width, row, width, height)]
    out = bytearray(4 * len(fields[0]))
    for i, field in enumerate(fields):
        out[i::4] = field
    return n, bytes(out)
