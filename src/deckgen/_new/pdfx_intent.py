"""The PDF/X parts that depend on the conformance level and on an ICC profile (pikepdf).

PDF/X-1a:2003 (ISO 15930-4) names a registered printing condition, or a "Custom" one with its profile
embedded; PDF/X-4 (ISO 15930-7:2010) always embeds the profile (DestOutputProfile), is PDF 1.6, allows
transparency, and identifies itself in the XMP metadata (pdfxid:GTS_PDFXVersion), which has to agree with
the document information dictionary.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pikepdf

from deckgen._new.icc import OutputProfile

REGISTRY = "http://www.color.org"


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


def output_intent(pdf: pikepdf.Pdf, condition: str, description: str,
                  profile: OutputProfile | None) -> pikepdf.Dictionary:
    """A GTS_PDFX output intent: the registered `condition`, or the profile's own ("Custom") with it embedded.

    `description` is the registered condition's text, used when no profile is given."""
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
