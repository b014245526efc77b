"""PDF/X-1a:2003 (ISO 15930-4) from a CMYK PDF made by render_pdf: the parts reportlab cannot write.

Adds the output intent naming a registered printing condition (no ICC profile needed, none shipped),
the info keys the standard asks for (GTS_PDFXVersion, GTS_PDFXConformance, Trapped, Title, dates), a
TrimBox on every page that has none, and a file ID computed from the content, so that the same input
still gives the same bytes. `problems()` checks a file against the rules deckgen can break.
"""

from __future__ import annotations

import io
import os
import time

import pikepdf

from deckgen.presets import conditions

VERSION = "PDF/X-1:2003"
CONFORMANCE = "PDF/X-1a:2003"
REGISTRY = "http://www.color.org"
RGB_OPERATORS = {"rg", "RG"}
_DEFAULT_DATE = "D:20000101000000Z"  # reportlab's invariant date, when SOURCE_DATE_EPOCH is not set


def pdf_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(int(epoch)))
    return _DEFAULT_DATE


def make_pdfx(data: bytes, *, title: str, condition: str = "FOGRA39") -> bytes:
    """The PDF/X-1a:2003 version of a CMYK PDF; raises ValueError if the input breaks a rule."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if "/TrimBox" not in page.obj and "/ArtBox" not in page.obj:
                page.obj.TrimBox = page.obj.MediaBox
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition),
            OutputCondition=pikepdf.String(conditions()[condition].description),
            RegistryName=pikepdf.String(REGISTRY),
            Info=pikepdf.String(conditions()[condition].description),
        ))])
        if "/Metadata" in pdf.Root:  # an XMP stream would have to repeat every key below: keep the Info only
            del pdf.Root.Metadata
        date = pdf_date()
        info = pdf.docinfo
        info.Title = pikepdf.String(title or "Untitled")
        info.CreationDate = pikepdf.String(date)
        info.ModDate = pikepdf.String(date)
        info.Trapped = pikepdf.Name("/False")
        info.GTS_PDFXVersion = pikepdf.String(VERSION)
        info.GTS_PDFXConformance = pikepdf.String(CONFORMANCE)
        found = problems(pdf)
        if found:
            raise ValueError("; ".join(found))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 force_version="1.4", compress_streams=True)
    return out.getvalue()


def problems(pdf: pikepdf.Pdf) -> list[str]:
    """What breaks PDF/X-1a in an open file: RGB or ICC colour, transparency, unembedded fonts, missing
    TrimBox, boxes outside each other, missing keys or output intent. Empty for a conforming file."""
    found: list[str] = []
    info = pdf.docinfo
    for key in ("/Title", "/CreationDate", "/ModDate", "/GTS_PDFXVersion", "/Trapped"):
        if key not in info:
            found.append(f"no {key[1:]} in the document information")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        found.append("Trapped must be True or False")
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == pikepdf.Name.GTS_PDFX]
    if len(intents) != 1:
        found.append("exactly one GTS_PDFX output intent is required")
    for n, page in enumerate(pdf.pages, 1):
        media = [float(v) for v in page.obj.MediaBox]
        trim = page.obj.get("/TrimBox") or page.obj.get("/ArtBox")
        outer = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
        if trim is None:
            found.append(f"page {n}: no TrimBox")
        elif not (_inside([float(v) for v in trim], outer) and _inside(outer, media)):
            found.append(f"page {n}: TrimBox must lie within BleedBox, and BleedBox within MediaBox")
        if rgb_operators(page):
            found.append(f"page {n}: RGB colour")
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        if obj.get("/Subtype") == pikepdf.Name.Form and rgb_operators(obj):
            found.append("RGB colour in a form")
        if obj.get("/Subtype") == pikepdf.Name.Image and (
                obj.get("/ColorSpace") not in (pikepdf.Name.DeviceCMYK, pikepdf.Name.DeviceGray)
                or obj.get("/SMask") not in (None, pikepdf.Name("/None"))):
            found.append("an image that is not CMYK or grey, or has a soft mask (transparency)")
        if obj.get("/Type") == pikepdf.Name.ExtGState and any(
                float(obj.get(k, 1)) < 1 for k in ("/CA", "/ca")):
            found.append("transparency (an opacity below 1)")
        if obj.get("/Type") == pikepdf.Name.Font and obj.get("/Subtype") != pikepdf.Name.Type0:
            descriptor = obj.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.append(f"font {obj.get('/BaseFont')} is not embedded")
    return list(dict.fromkeys(found))


def rgb_operators(content: pikepdf.Page | pikepdf.Object) -> list[str]:
    """The RGB colour operators of a page or form: rg, RG, or a DeviceRGB/CalRGB colour space set by cs/CS."""
    out = []
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op in RGB_OPERATORS or (op in ("cs", "CS") and operands and str(operands[0]) in ("/DeviceRGB",
                                                                                            "/CalRGB")):
            out.append(op)
    return out


def _inside(inner: list[float], outer: list[float]) -> bool:
    eps = 1e-3
    return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps and inner[2] <= outer[2] + eps
            and inner[3] <= outer[3] + eps)
