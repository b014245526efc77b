"""The facilitator handout of the prepared cards: the cards by family, each with its QR code (`deckgen handout`)."""

from __future__ import annotations

from deckgen.design.handout import Group, entries_from, handout_pages
from deckgen.output.pdf import render
from deckgen.pipeline.prepare import Prepared
from deckgen.pipeline.write import doc_info
from deckgen.sheets.impose import Slot
from deckgen.sheets.pages import PageSpec, Placed
from deckgen.units import paper_size


def handout_pdf(prep: Prepared, paper: str) -> tuple[bytes, int]:
    """The facilitator handout of the prepared cards (the cards by family, each with its QR code), and its
    number of pages."""
    pw, ph = paper_size(paper)
    contexts = [c.context for c in prep.cards if c.index >= 0]
    groups, seen = [], set()
    order = {f.id: i for i, f in enumerate(prep.loaded.deck.families)}
    for ctx in sorted(contexts, key=lambda c: order.get(c["family"]["id"], len(order))):
        fam = ctx["family"]
        if fam["id"] and fam["id"] not in seen:
            seen.add(fam["id"])
            groups.append(Group(fam["id"], fam["name"], fam["color"], fam["description"]))
    deck = contexts[0]["deck"] if contexts else {"title": "", "subtitle": ""}
    title_font = "title" if "title" in prep.fonts.families else "body"
    pages = handout_pages(entries_from(contexts), groups, title=deck["title"] or "", subtitle=deck["subtitle"] or "",
                          page_w=pw, page_h=ph, metrics=prep.fonts, lang=prep.lang, title_font=title_font)
    specs = [PageSpec(pw, ph, [Placed(Slot(0, 0, pw, ph, 0), ops)]) for ops in pages]
    return render(specs, pw, ph, prep.fonts, doc_info(prep, "none")), len(specs)
