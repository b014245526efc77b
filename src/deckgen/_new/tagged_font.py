"""A reportlab TrueType font whose subsets are tagged from their content (see pdfids.subset_tag)."""

from __future__ import annotations

import hashlib
from typing import Any

from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap  # type: ignore[import-untyped]

from deckgen._new.pdfids import retag, subset_tag


class TaggedTTFont(TTFont):  # type: ignore[misc]
    """TTFont whose subsets are named `TAG+Font` with TAG derived from the font file and the subset's
    characters, instead of reportlab's `AAAAAA`, `AAAAAB`… that every font of every file shares."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._digest = hashlib.sha256(self.face._ttf_data).digest()

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for internal, subset in zip(names, subsets, strict=True):
            font = fonts[internal]
            old = font.BaseFont
            new = retag(old, subset_tag(self._digest, subset))
            font.BaseFont = new
            doc.idToObject["fontDescriptor:" + old]["FontName"] = pdfdoc.PDFName(new)
            doc.idToObject["toUnicodeCMap:" + old].content = makeToUnicodeCMap(new, subset)
