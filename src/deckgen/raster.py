"""PDF pages -> PNG images at an exact pixel size (pypdfium2), and a folder of them written safely."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from deckgen.build import write_atomic
from deckgen.profiles import DPI

OUR_NAMES = re.compile(r"^\d{3,}-[a-z0-9-]+-(front|back)\.png$")  # what `png_names` makes


def render_pngs(pdf: bytes, px: tuple[int, int]) -> list[bytes]:
    """Each page drawn onto exactly px[0] × px[1] pixels (RGB, 300 dpi noted in the file)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    w, h = px
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for page in doc:
            bitmap = pdfium.PdfBitmap.new_native(w, h, c.FPDFBitmap_BGR, rev_byteorder=True)
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, w, h)
            # start and size in device pixels: the page is mapped onto exactly this rectangle
            c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, w, h, 0, c.FPDF_ANNOT | c.FPDF_REVERSE_BYTE_ORDER)
            image = bitmap.to_pil()
            buf = io.BytesIO()
            image.convert("RGB").save(buf, format="PNG", dpi=(DPI, DPI))
            out.append(buf.getvalue())
            page.close()
    finally:
        doc.close()
    return out


def write_folder(folder: Path, files: Sequence[tuple[str, bytes]]) -> int:
    """Write each file atomically into `folder`; remove images of ours that this build no longer makes
    (a card removed from the deck must not be uploaded by mistake). Returns how many were removed."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    keep = {name for name, _ in files}
    for name, data in files:
        write_atomic(folder / name, data)
    stale = [p for p in folder.iterdir() if p.is_file() and OUR_NAMES.match(p.name) and p.name not in keep]
    for p in stale:
        p.unlink()
    return len(stale)
