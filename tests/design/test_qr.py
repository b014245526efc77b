"""Tests for deckgen.qr: identical output to the ``qrcode`` package, rectangle merging, real decoding."""

from __future__ import annotations

import string

import pytest
import qrcode
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from qrcode import util

from deckgen.design.qrsize import modules_at_most
from deckgen.qr import Matrix, _encode, _penalty, _template, qr_matrix, qr_modules

LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}

URLS = [
    "https://example.com",
    "http://a.io",
    "https://deckgen.io/t/1",
    "https://trends.deckgen.io/cards/2024/quiet-luxury?utm_source=deck&utm_medium=print",
    "https://www.example.org/en/articles/why-decks-matter-more-than-slides/",
    "https://shop.example.com/p/ABC-12345?variant=blue&size=XL&ref=card-0042",
    "https://de.wikipedia.org/wiki/M%C3%BCnchen",
    "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC%E9%83%BD",
    "https://fr.wikipedia.org/wiki/Fran%C3%A7ois_Truffaut#Biographie",
    "https://ru.wikipedia.org/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0",
    "https://zh.wikipedia.org/wiki/%E4%B8%AD%E5%8D%8E%E4%BA%BA%E6%B0%91%E5%85%B1%E5%92%8C%E5%9B%BD",
    "https://example.com/café/東京?q=größe&emoji=😀",
    "HTTPS://EXAMPLE.COM/UPPERCASE/PATH/THAT-IS-ALPHANUMERIC-ONLY/12345",
    "https://example.com/order/1234567890123456789012345678901234567890",
    "https://example.com/?" + "&".join(f"k{i}=v{i}" for i in range(30)),
    "https://example.com/long/" + "/".join(f"segment-{i:03d}" for i in range(40)),
    "https://example.com/very/long/" + "x" * 600,
    "https://maps.example.com/@48.8583701,2.2944813,17z/data=!3m1!4b1!4m6!3m5",
    "mailto:someone@example.com?subject=Trend%20deck&body=Hello%20there",
    "https://example.com/search?q=%22quoted%20phrase%22+AND+%28x%7Cy%29",
    "https://sub.domain.example.co.uk:8443/path;params?query=1#fragment",
    "https://example.com/" + "%E2%82%AC" * 25,
    "WIFI:S:deckgen-guest;T:WPA;P:correct horse battery staple;;",
    "https://t.co/AbCdEfGhIj",
    "https://example.com/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z",
    "https://x.example/" + "0123456789" * 12,
    "https://example.com/tabs\tand spaces and ~tilde~ and [brackets]",
    "https://example.com/" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3 + "/lower",
    "",
    "0",
]


def reference(data: str, level: str) -> Matrix:
    """What the qrcode package produces with automatic version and mask choice."""
    qr = qrcode.QRCode(error_correction=LEVELS[level], border=0, mask_pattern=None)
    qr.add_data(data)
    qr.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in qr.get_matrix())


def pack(matrix: list[list[bool]] | Matrix) -> int:
    """Pack a square matrix the way deckgen.qr does internally (row stride n + 1)."""
    n = len(matrix)
    return sum(1 << (r * (n + 1) + c) for r in range(n) for c in range(n) if matrix[r][c])


def cells_of(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    return [(r, c) for col, row, w, h in rects for r in range(row, row + h) for c in range(col, col + w)]


def dark_cells(matrix: Matrix) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}


# --- qr_matrix equals qrcode -------------------------------------------------------------------


@pytest.mark.parametrize("data", URLS)
def test_matches_qrcode_level_m(data: str) -> None:
    assert qr_matrix(data, "M") == reference(data, "M")


@pytest.mark.parametrize("level", "LMQH")
@pytest.mark.parametrize("data", URLS[::3])
def test_matches_qrcode_all_levels(data: str, level: str) -> None:
    assert qr_matrix(data, level) == reference(data, level)


url_strategy = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}/{path}{query}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.text(alphabet=string.ascii_letters + string.digits + "-._~/%", max_size=120),
    st.text(alphabet=string.ascii_letters + string.digits + "=&?%+", max_size=60),
)
data_strategy = st.one_of(
    st.text(alphabet=string.printable, max_size=300),
    url_strategy,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=data_strategy, level=st.sampled_from("LMQH"))
def test_matches_qrcode_hypothesis(data: str, level: str) -> None:
    assert qr_matrix(data, level) == reference(data, level)


@pytest.mark.parametrize(
    ("data", "level", "version"),
    [
        ("a" * 180, "M", 9),  # last version with small length fields
        ("a" * 181, "M", 10),  # v9 guess with 8-bit count is re-fitted with 16-bit count
        ("a" * 1000, "L", 22),  # version information blocks
        ("A" * 1542, "M", 26),  # alphanumeric, medium length field
        ("A" * 1543, "M", 27),  # alphanumeric, large length field
        ("9" * 7089, "L", 40),  # numeric mode, full version 40
        ("a" * 2953, "L", 40),  # byte mode, full version 40
    ],
)
def test_matches_qrcode_large_versions(data: str, level: str, version: int) -> None:
    ours = qr_matrix(data, level)
    assert len(ours) == 4 * version + 17
    assert ours == reference(data, level)


def test_penalty_of_every_mask_matches_lost_point() -> None:
    """Each of the 8 candidates scores exactly like qrcode's (format/version areas light)."""
    for data, level in [(URLS[3], "M"), (URLS[11], "H"), (URLS[15], "L")]:
        version, codewords = _encode(data, LEVELS[level])
        tpl = _template(version)
        data_bits = tpl.data_bits(codewords)
        qr = qrcode.QRCode(error_correction=LEVELS[level], border=0)
        qr.add_data(data)
        assert qr.best_fit() == version
        for mask in range(8):
            qr.makeImpl(True, mask)
            ours = tpl.func_dark | (data_bits ^ tpl.masks[mask])
            assert ours == pack(qr.modules), (data, level, mask)
            assert _penalty(ours, tpl.n) == util.lost_point(qr.modules)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=n, max_size=n)
    )
)
def test_penalty_matches_lost_point_on_random_matrices(matrix: list[list[bool]]) -> None:
    assert _penalty(pack(matrix), len(matrix)) == util.lost_point(matrix)


def test_mask_choice_varies() -> None:
    """Guard against a trivially-constant mask choice: the 8 masks all occur in qrcode's choices."""
    masks = set()
    for i in range(200):
        qr = qrcode.QRCode(border=0)
        qr.add_data(f"https://example.com/card/{i}")
        masks.add(qr.best_mask_pattern())
        assert qr_matrix(f"https://example.com/card/{i}") == reference(f"https://example.com/card/{i}", "M")
    assert len(masks) == 8


def test_sixty_char_url_is_version_4() -> None:
    url = "https://trends.deckgen.io/cards/quiet-luxury-autumn-2024-abc"
    assert len(url) == 60
    matrix = qr_matrix(url, "M")
    assert len(matrix) == 33 and all(len(row) == 33 for row in matrix)


def test_result_shape_types_and_cache() -> None:
    matrix = qr_matrix("https://example.com/cache", "Q")
    assert isinstance(matrix, tuple) and all(isinstance(row, tuple) for row in matrix)
    assert all(type(cell) is bool for row in matrix for cell in row)
    assert qr_matrix("https://example.com/cache", "Q") is matrix
    assert qr_matrix.cache_info().maxsize == 4096


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["X", "", "LM", "medium"])
def test_unknown_level_raises(level: str) -> None:
    with pytest.raises(ValueError, match="level"):
        qr_matrix("https://example.com", level)


@pytest.mark.parametrize(("data", "level"), [("a" * 2954, "L"), ("a" * 1274, "H"), ("9" * 7090, "L")])
def test_too_long_raises(data: str, level: str) -> None:
    with pytest.raises(ValueError, match="too long"):
        qr_matrix(data, level)


# --- dark_rects --------------------------------------------------------------------------------


def assert_exact_cover(matrix: Matrix, rects: list[tuple[int, int, int, int]]) -> None:
    covered = cells_of(rects)
    assert len(covered) == len(set(covered)), "rectangles overlap"
    assert set(covered) == dark_cells(matrix)
    assert all(w > 0 and h > 0 for _, _, w, h in rects)


def test_dark_rects_exact_cover_on_real_code() -> None:
    matrix = qr_matrix(URLS[3], "M")
    rects = dark_rects(matrix)
    assert_exact_cover(matrix, rects)
    assert len(rects) < len(dark_cells(matrix))
    assert dark_rects(matrix) == rects  # deterministic
    assert rects == sorted(rects, key=lambda rect: (rect[1], rect[0]))


def test_dark_rects_merges_identical_runs_vertically() -> None:
    matrix = (
        (True, True, False, True),
        (True, True, False, True),
        (False, True, True, True),
        (False, True, True, False),
    )
    assert dark_rects(matrix) == [(0, 0, 2, 2), (3, 0, 1, 2), (1, 2, 3, 1), (1, 3, 2, 1)]
    assert dark_rects(()) == []
    assert dark_rects(((False, False),)) == []
    assert dark_rects(((True, True, True),) * 3) == [(0, 0, 3, 3)]


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.integers(0, 25), st.integers(1, 25)).flatmap(
        lambda shape: st.lists(st.tuples(*[st.booleans()] * shape[1]), min_size=shape[0], max_size=shape[0]).map(tuple)
    )
)
def test_dark_rects_exact_cover_random(matrix: Matrix) -> None:
    assert_exact_cover(matrix, dark_rects(matrix))


# --- real decode -------------------------------------------------------------------------------


def render(matrix: Matrix, scale: int = 8, quiet: int = 4) -> Image.Image:
    size = (len(matrix) + 2 * quiet) * scale
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    for col, row, w, h in dark_rects(matrix):
        x, y = (col + quiet) * scale, (row + quiet) * scale
        draw.rectangle((x, y, x + w * scale - 1, y + h * scale - 1), fill=0)
    return img


@pytest.mark.parametrize(
    ("data", "level"),
    [(URLS[3], "L"), (URLS[3], "M"), (URLS[3], "Q"), (URLS[3], "H"), (URLS[7], "M"), (URLS[15], "M"), (URLS[16], "Q")],
)
def test_zxing_decodes_exact_text(data: str, level: str) -> None:
    results = zxingcpp.read_barcodes(render(qr_matrix(data, level)))
    assert [r.text for r in results] == [data]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode


# --- qr_rects: the packed rectangles layout keeps per card ---------------------------------------


@settings(max_examples=100, deadline=None)
@given(data=data_strategy, level=st.sampled_from("LMQH"))
def test_qr_rects_are_dark_rects_packed(data: str, level: str) -> None:
    import struct

    from deckgen.qr import qr_rects

    n, packed = qr_rects(data, level)
    matrix = qr_matrix(data, level)
    assert n == len(matrix)
    assert list(struct.iter_unpack("4B", packed)) == dark_rects(matrix)


# --- the reference merge that qr_rects is checked against ---------------------------------------


def dark_rects(matrix: Matrix) -> list[tuple[int, int, int, int]]:
    """Dark modules merged into non-overlapping rectangles ``(col, row, width, height)``.

    Horizontal runs are found per row; a run with the same column and width as a run on the row
    above extends that rectangle downwards. Ordered by top row, then column.
    """
    runs = []
    for cells in matrix:
        row, col, n = [], 0, len(cells)
        while col < n:
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < n and cells[col]:
                col += 1
            row.append((start, col - start))
        runs.append(row)
    return _merge_runs(runs)


def _merge_runs(runs: list[list[tuple[int, int]]]) -> list[tuple[int, int, int, int]]:
    """Rectangles from each row's (col, width) runs: a run equal to one on the row above extends it."""
    rects: list[list[int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (col, width) -> index in rects, for the previous row
    for row, row_runs in enumerate(runs):
        current: dict[tuple[int, int], int] = {}
        for key in row_runs:
            idx = open_runs.get(key)
            if idx is None:
                idx = len(rects)
                rects.append([key[0], row, key[1], 0])
            rects[idx][3] += 1
            current[key] = idx
        open_runs = current
    return [(c, r, w, h) for c, r, w, h in rects]


mixed_runs = st.lists(st.one_of(st.text(alphabet=string.digits, min_size=15, max_size=60),
                                st.text(alphabet=string.ascii_uppercase + " $%*+-./:", min_size=15, max_size=60),
                                st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)),
                      max_size=8).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(data_strategy, mixed_runs), level=st.sampled_from("LMQH"))
def test_byte_segment_bound_is_never_below_the_code(data: str, level: str) -> None:
    """`check` trusts modules_at_most when even that many modules print big enough: it must never be fewer
    than the code's own, whatever numeric, alphanumeric and byte runs qrcode splits the data into."""
    bound = modules_at_most(data, level)
    try:
        n = qr_modules(data, level)
    except ValueError:  # too long for any code: the bound says so too
        assert bound is None
        return
    assert bound is None or bound >= n
