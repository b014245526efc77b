"""Card faces -> PNG images at an exact pixel size (pypdfium2), one face at a time, spread over worker processes.

The faces are drawn in fixed chunks of `CHUNK` pages (one small PDF each, made by the same renderer as the
print files), and each page is rasterised with pypdfium2, encoded and written before the next: memory holds
one chunk's PDF and one bitmap per process, whatever the size of the deck. The chunks do not depend on the
number of jobs, so neither do the bytes. Fronts may also come back as small thumbnails (contact sheets).
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from deckgen.files import StagedFolder
from deckgen.output.fonts import FontBook
from deckgen.output.manifest import NAME as MANIFEST
from deckgen.output.manifest import manifest_bytes, stale
from deckgen.output.pdf import render
from deckgen.sheets.pages import DocInfo, PageSpec
from deckgen.workers import Progress, run

CHUNK = 16  # faces drawn into one PDF: enough to share its fonts, small enough to keep memory flat
OUR_NAMES = re.compile(r"^\d{3,}-[a-z0-9-]+-(front|back)\.png$")  # what `png_names` makes


@dataclass(frozen=True)
class Faces:
    """How to draw and write the faces (what every worker is given once)."""

    card_w: float
    card_h: float
    fonts: FontBook
    info: DocInfo
    px: tuple[int, int]  # every page is drawn onto exactly this many pixels
    dpi: float | None = None  # noted in the PNG file (pHYs); None: not noted
    compress: int = 3  # zlib level of the PNG files: 6 costs 60 % more time for 3 % fewer bytes
    durable: bool = True  # each file flushed to the disk (print files; previews need not)
    thumb: tuple[int, int] | None = None  # the size of the thumbnails that fronts come back as; None: none


@dataclass(frozen=True)
class Chunk:
    pages: tuple[PageSpec, ...]
    dests: tuple[str, ...]  # the file each page is written to
    thumbs: tuple[bool, ...]  # which pages come back as thumbnails


Thumb = tuple[int, int, bytes]  # width, height, RGB bytes zlib-compressed (5,000 fronts for a contact sheet: 8 MB)
_state: tuple[Faces, FontBook] | None = None


def _setup(faces: Faces) -> None:
    global _state
    _state = (faces, faces.fonts)


def draw_chunk(chunk: Chunk) -> list[Thumb | None]:
    """Draw, rasterise, encode and write the chunk's pages one at a time; the thumbnails asked for."""
    assert _state is not None, "draw_chunk runs after _setup"
    faces, fonts = _state
    pdf = render(chunk.pages, faces.card_w, faces.card_h, fonts, faces.info)
    out: list[Thumb | None] = []
    for image, dest, thumb in zip(rasterise(pdf, faces.px), chunk.dests, chunk.thumbs, strict=True):
        _write(Path(dest), encode(image, faces.dpi, faces.compress), faces.durable)
        out.append(_thumb(image, faces.thumb) if thumb and faces.thumb else None)
    return out


def encode(image: Image.Image, dpi: float | None, compress: int) -> bytes:
    buf = io.BytesIO()
    if dpi is None:
        image.save(buf, format="PNG", compress_level=compress)
    else:
        image.save(buf, format="PNG", dpi=(dpi, dpi), compress_level=compress)
    return buf.getvalue()


def _thumb(image: Image.Image, size: tuple[int, int]) -> Thumb:
    small = image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
    return small.width, small.height, zlib.compress(small.tobytes(), 1)


def thumb_image(thumb: Thumb) -> Image.Image:
    w, h, data = thumb
    return Image.frombytes("RGB", (w, h), zlib.decompress(data))


def _write(path: Path, data: bytes, durable: bool) -> None:
    with open(path, "wb") as f:
        f.write(data)
        if durable:
            f.flush()
            os.fsync(f.fileno())


def rasterise(pdf: bytes, size: tuple[int, int]) -> Iterator[Image.Image]:
    """Each page of `pdf` drawn onto exactly `size` pixels (RGB), one at a time: no rounding up as
    page.render() does, and only one bitmap alive."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    w, h = size
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = pdfium.PdfBitmap.new_native(w, h, raw.FPDFBitmap_BGR, rev_byteorder=True)
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, w, h)
            # start and size in device pixels: the page is mapped onto exactly this rectangle
            raw.FPDF_RenderPageBitmap(bitmap, page, 0, 0, w, h, 0, raw.FPDF_ANNOT | raw.FPDF_REVERSE_BYTE_ORDER)
            image = bitmap.to_pil().convert("RGB")
            page.close()
            bitmap.close()
            yield image
    finally:
        doc.close()


def chunks(pages: Sequence[PageSpec], dests: Sequence[str], thumbs: Sequence[bool]) -> list[Chunk]:
    return [Chunk(tuple(pages[k:k + CHUNK]), tuple(dests[k:k + CHUNK]), tuple(thumbs[k:k + CHUNK]))
            for k in range(0, len(dests), CHUNK)]


def draw_faces(faces: Faces, pages: Sequence[PageSpec], dests: Sequence[Path], jobs: int,
               thumbs: Sequence[bool] | None = None, progress: Progress | None = None) -> Iterator[Thumb | None]:
    """Write pages[i] as the PNG file dests[i], on `jobs` processes; yields, in page order, each page's
    thumbnail (or None: not asked for in `thumbs`). `progress("images", done, total)` as they come."""
    wanted = list(thumbs) if thumbs is not None else [False] * len(dests)
    tasks = chunks(pages, [str(d) for d in dests], wanted)
    try:
        for result in run(draw_chunk, tasks, jobs, setup=(_setup, faces), preload=[__name__], progress=progress,
                          stage="images", items=len(dests), weight=len):
            yield from result
    finally:
        global _state
        _state = None


def commit_images(staged: StagedFolder, names: Sequence[str]) -> tuple[int, list[str]]:
    """Move the staged images `names` into their folder with its new manifest, and remove the images the old
    manifest lists that this build no longer makes (a card removed from the deck must not be uploaded by
    mistake). A folder without a manifest is never cleaned: (removed, names that look like ours, left)."""
    looks_ours = [p.name for p in staged.folder.iterdir() if OUR_NAMES.match(p.name)]
    remove, strays = stale(staged.folder, names, looks_ours)
    listed = {p.name for p in remove}
    staged.path(MANIFEST).write_bytes(manifest_bytes(names))
    return staged.commit([*names, MANIFEST], listed.__contains__), strays
