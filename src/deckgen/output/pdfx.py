"""PDF/X from a CMYK PDF made by output/pdf.py: the parts reportlab cannot write (pikepdf).

PDF/X-1a:2003 (ISO 15930-4, the default) names a registered printing condition (no ICC profile needed), or,
with `--icc`, a "Custom" one (or the registered name the profile stands for) with the profile embedded as
DestOutputProfile. PDF/X-4 (ISO 15930-7:2010) always embeds the profile, is PDF 1.6, allows transparency, and
identifies itself in XMP metadata (pdfxid:GTS_PDFXVersion) that agrees with the information dictionary.
Both get the info keys (GTS_PDFXVersion, Trapped, Title, dates), a TrimBox on every page, and a file ID
computed from the content, so that the same input still gives the same bytes. `problems()` checks a file
against the rules deckgen can break. `with_overprint_states` gives every CMYK file the two graphics states
its solid black text and rules switch overprint with.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from deckgen.output.icc import OutputProfile
from deckgen.presets import conditions

if TYPE_CHECKING:  # pikepdf (~0.1 s to import) is imported by the functions that use it: an RGB PDF never does
    import pikepdf

REGISTRY = "http://www.color.org"
PRODUCER = "deckgen (reportlab, pikepdf)"
OVERPRINT_ON, OVERPRINT_OFF = "/DGop1 gs", "/DGop0 gs"  # the content-stream side of with_overprint_states
@dataclass(frozen=True)
class Level:
    version: str  # GTS_PDFXVersion
    conformance: str | None  # GTS_PDFXConformance (X-1a only)
    pdf_version: str
    transparency: bool


LEVELS = {
    "1a": Level("PDF/X-1:2003", "PDF/X-1a:2003", "1.4", transparency=False),
    "4": Level("PDF/X-4", None, "1.6", transparency=True),
}
RGB_OPERATORS = {"rg", "RG"}
_DEFAULT_DATE = "D:20000101000000Z"  # reportlab's invariant date, when SOURCE_DATE_EPOCH is not set


def pdf_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(int(epoch)))
    return _DEFAULT_DATE


def make_pdfx(data: bytes, *, title: str, condition: str = "FOGRA39", profile: OutputProfile | None = None,
              level: str = "1a") -> bytes:
    """The PDF/X version (`level` "1a" or "4") of a CMYK PDF; raises ValueError if the input breaks a rule."""
    import pikepdf
    spec = LEVELS[level]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if "/TrimBox" not in page.obj and "/ArtBox" not in page.obj:
                page.obj.TrimBox = page.obj.MediaBox
        intent = output_intent(pdf, condition, conditions()[condition].description, profile)
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        if "/Metadata" in pdf.Root:  # X-1a: no XMP (it would have to repeat every key below); X-4: ours
            del pdf.Root.Metadata
        date = pdf_date()
        info = pdf.docinfo
        info.Title = pikepdf.String(title or "Untitled")
        info.CreationDate = pikepdf.String(date)
        info.ModDate = pikepdf.String(date)
        info.Producer = pikepdf.String(PRODUCER)
        info.Trapped = pikepdf.Name("/False")
        info.GTS_PDFXVersion = pikepdf.String(spec.version)
        if spec.conformance:
            info.GTS_PDFXConformance = pikepdf.String(spec.conformance)
        if level == "4":
            _add_xmp(pdf, title or "Untitled", date, spec.version, data)
        found = problems(pdf, transparency=spec.transparency)
        if found:
            raise ValueError("; ".join(found))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 force_version=spec.pdf_version, compress_streams=True)
    return out.getvalue()


def _add_xmp(pdf: pikepdf.Pdf, title: str, date: str, version: str, seed: bytes) -> None:
    import pikepdf
    meta = pikepdf.Stream(pdf, xmp_packet(title=title, date=date, version=version, producer=PRODUCER, seed=seed))
    meta.Type, meta.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(meta)


def output_intent(pdf: pikepdf.Pdf, condition: str, description: str,
                  profile: OutputProfile | None) -> pikepdf.Dictionary:
    """A GTS_PDFX output intent: the registered `condition`, or the profile's own ("Custom") with it embedded.

    `description` is the registered condition's text, used when no profile is given."""
    import pikepdf
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX)
    if profile is None:
        intent.OutputConditionIdentifier = pikepdf.String(condition)
        intent.OutputCondition = pikepdf.String(description)
        intent.RegistryName = pikepdf.String(REGISTRY)
        intent.Info = pikepdf.String(description)
        return intent
    stream = pikepdf.Stream(pdf, profile.data)
    stream.N = 4
    intent.DestOutputProfile = pdf.make_indirect(stream)
    intent.OutputConditionIdentifier = pikepdf.String(profile.condition)
    intent.OutputCondition = pikepdf.String(profile.description)
    intent.Info = pikepdf.String(profile.description)
    if profile.condition != "Custom":
        intent.RegistryName = pikepdf.String(REGISTRY)
    return intent


def xmp_date(pdf_date: str) -> str:
    """`D:20000101000000Z` -> `2000-01-01T00:00:00Z`."""
    d = pdf_date[2:]
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}Z"


def xmp_packet(*, title: str, date: str, version: str, producer: str, seed: bytes) -> bytes:
    """XMP metadata for PDF/X-4: title, dates, Trapped and the PDF/X version as in the information
    dictionary, and document/version IDs derived from `seed` (the content), so a rebuild is identical."""
    digest = hashlib.sha256(seed).hexdigest()
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    when = xmp_date(date)
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <xmp:CreatorTool>{escape(producer)}</xmp:CreatorTool>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def with_overprint_states(data: bytes) -> bytes:
    """A CMYK PDF whose pages and forms can switch overprint: /DGop1 (OP and op true, overprint mode 1: only the
    inks a black letter uses are laid over the band beneath) and /DGop0 (off). ID from the content."""
    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        states = pdf.make_indirect(pikepdf.Dictionary(
            DGop1=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1),
            DGop0=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False, op=False)))
        holders = [page.obj for page in pdf.pages] + [
            o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Form]
        for holder in holders:
            resources = holder.get("/Resources")
            if resources is None:
                holder.Resources = resources = pikepdf.Dictionary()
            ext = resources.get("/ExtGState")
            if ext is None:
                resources.ExtGState = states
            else:
                ext.DGop1, ext.DGop0 = states.DGop1, states.DGop0
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 compress_streams=True)
    return out.getvalue()


def problems(pdf: pikepdf.Pdf, transparency: bool = False) -> list[str]:
    """What breaks PDF/X in an open file: RGB or ICC colour, transparency (unless allowed: X-4), unembedded
    fonts, missing TrimBox, boxes outside each other, missing keys or output intent. Empty when it conforms."""
    import pikepdf
    found = _document_problems(pdf)
    for n, page in enumerate(pdf.pages, 1):
        found += _page_problems(page, n)
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            found += _object_problems(obj, transparency)
    return list(dict.fromkeys(found))


def _document_problems(pdf: pikepdf.Pdf) -> list[str]:
    """The document information keys and the output intent."""
    import pikepdf
    info = pdf.docinfo
    found = [f"no {key[1:]} in the document information"
             for key in ("/Title", "/CreationDate", "/ModDate", "/GTS_PDFXVersion", "/Trapped") if key not in info]
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        found.append("Trapped must be True or False")
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == pikepdf.Name.GTS_PDFX]
    if len(intents) != 1:
        found.append("exactly one GTS_PDFX output intent is required")
    return found


def _page_problems(page: pikepdf.Page, n: int) -> list[str]:
    """A page's boxes (TrimBox within BleedBox within MediaBox) and its colours."""
    found = []
    media = [float(v) for v in page.obj.MediaBox]
    trim = page.obj.get("/TrimBox") or page.obj.get("/ArtBox")
    outer = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
    if trim is None:
        found.append(f"page {n}: no TrimBox")
    elif not (_inside([float(v) for v in trim], outer) and _inside(outer, media)):
        found.append(f"page {n}: TrimBox must lie within BleedBox, and BleedBox within MediaBox")
    if rgb_operators(page):
        found.append(f"page {n}: RGB colour")
    return found


def _object_problems(obj: pikepdf.Object, transparency: bool) -> list[str]:
    """A form's colours, an image's colour space and soft mask, an opacity, a font's embedding."""
    import pikepdf
    found = []
    if obj.get("/Subtype") == pikepdf.Name.Form and rgb_operators(obj):
        found.append("RGB colour in a form")
    if obj.get("/Subtype") == pikepdf.Name.Image and (
            obj.get("/ColorSpace") not in (pikepdf.Name.DeviceCMYK, pikepdf.Name.DeviceGray)
            or (not transparency and obj.get("/SMask") not in (None, pikepdf.Name("/None")))):
        found.append("an image that is not CMYK or grey, or has a soft mask (transparency)")
    if not transparency and obj.get("/Type") == pikepdf.Name.ExtGState and any(
            float(obj.get(k, 1)) < 1 for k in ("/CA", "/ca")):
        found.append("transparency (an opacity below 1)")
    if obj.get("/Type") == pikepdf.Name.Font and obj.get("/Subtype") != pikepdf.Name.Type0:
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"font {obj.get('/BaseFont')} is not embedded")
    return found


def rgb_operators(content: pikepdf.Page | pikepdf.Object) -> list[str]:
    """The RGB colour operators of a page or form: rg, RG, or a DeviceRGB/CalRGB colour space set by cs/CS."""
    import pikepdf
    out = []
    for instruction in pikepdf.parse_content_stream(content):
        operands, op = instruction.operands, str(instruction.operator)
        if op in RGB_OPERATORS or (op in ("cs", "CS") and operands and str(operands[0]) in ("/DeviceRGB",
                                                                                            "/CalRGB")):
            out.append(op)
    return out


def _inside(inner: list[float], outer: list[float]) -> bool:
    eps = 1e-3
    return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps and inner[2] <= outer[2] + eps
            and inner[3] <= outer[3] + eps)
