"""PDF pages -> PNG images at an exact pixel size (pypdfium2), and a folder of them written safely."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from deckgen.files import make_folder, write_atomic
from deckgen.output.manifest import NAME as MANIFEST
from deckgen.output.manifest import manifest_bytes, stale
from deckgen.sheets.faces import DPI

OUR_NAMES = re.compile(r"^\d{3,}-[a-z0-9-]+-(front|back)\.png$")  # what `png_names` makes


def render_pngs(pdf: bytes, px: tuple[int, int]) -> list[bytes]:
    """Each page drawn onto exactly px[0] × px[1] pixels, as PNG files (RGB, 300 dpi noted in the file)."""
    out = []
    for image in rasterise(pdf, px):
        buf = io.BytesIO()
        image.save(buf, format="PNG", dpi=(DPI, DPI))
        out.append(buf.getvalue())
    return out


def rasterise(pdf: bytes, size: tuple[int, int]) -> list[Image.Image]:
    """Every page of `pdf` drawn onto exactly `size` pixels (RGB): no rounding up as page.render() does."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    w, h = size
    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in doc:
            bitmap = pdfium.PdfBitmap.new_native(w, h, raw.FPDFBitmap_BGR, rev_byteorder=True)
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, w, h)
            # start and size in device pixels: the page is mapped onto exactly this rectangle
            raw.FPDF_RenderPageBitmap(bitmap, page, 0, 0, w, h, 0, raw.FPDF_ANNOT | raw.FPDF_REVERSE_BYTE_ORDER)
            images.append(bitmap.to_pil().convert("RGB"))
            page.close()
    finally:
        doc.close()
    return images


def write_folder(folder: Path, files: Sequence[tuple[str, bytes]]) -> tuple[int, list[str]]:
    """Write each file atomically into `folder`, then its manifest; remove the images an earlier build listed
    in the manifest that this build no longer makes (a card removed from the deck must not be uploaded by
    mistake). A folder without a manifest is never cleaned: (removed, names that look like ours, left)."""
    make_folder(folder)
    keep = [name for name, _ in files]
    for name, data in files:
        write_atomic(folder / name, data)
    looks_ours = [p.name for p in folder.iterdir() if OUR_NAMES.match(p.name)]
    remove, strays = stale(folder, keep, looks_ours)
    for p in remove:
        p.unlink()
    write_atomic(folder / MANIFEST, manifest_bytes(keep), durable=False)
    return len(remove), strays
