"""The state of a live preview (`deckgen serve`): for one language and theme, every card side as a PNG keyed by
what it draws, the boxes a designer overlays (elements, safe zone, bleed, QR quiet zones), each card's fit
report and the problems `deckgen check` would print. A rebuild re-renders only the sides whose drawing changed;
a deck that stops building keeps its last good cards, marked stale, with the problems on top."""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PIL import Image

from deckgen.deck.languages import deck_languages
from deckgen.deck.load import read_deck
from deckgen.design.ops import Op, QrOp
from deckgen.design.side import element_box
from deckgen.design.themes import builtin_themes
from deckgen.errors import DeckError, Problem, in_file_order
from deckgen.output.pdf import render
from deckgen.output.raster import rasterise
from deckgen.pipeline.prepare import CardSides, Options, Prepared, prepare
from deckgen.pipeline.preview import drawing_stamp, face_pages, pixel_size
from deckgen.sheets.pages import DocInfo
from deckgen.units import parse_length

MM = 72 / 25.4
DPI = 110  # screen resolution: a poker card is 273 × 381 px, sharp at 2x zoom on most screens
_CARD_WHERE = re.compile(r"^cards\[(\d+)\]")
_CARD_NAMED = re.compile(r"\(card '([^']+)'")


@dataclass
class Images:
    """PNG bytes by key (a hash of what the side draws): shared by every view, old keys dropped."""

    data: dict[str, bytes] = field(default_factory=dict)

    def keep_only(self, keys: Iterable[str]) -> None:
        keep = set(keys)
        for key in [k for k in self.data if k not in keep]:
            del self.data[key]


def _box(x: float, y: float, w: float, h: float, card_h: float) -> list[float]:
    """A box in mm from the card's top-left, as the page draws it."""
    return [round(x / MM, 2), round((card_h - y - h) / MM, 2), round(w / MM, 2), round(h / MM, 2)]


def _element_boxes(prep: Prepared, side: str) -> list[dict[str, Any]]:
    elements = getattr(prep.theme.theme, side) or {}
    out = []
    for name, el in elements.items():
        if el is None:
            continue
        b = element_box(el, prep.card_w, prep.card_h)
        out.append({"name": name, "type": el.type, "box": _box(b.x, b.y, b.w, b.h, prep.card_h)})
    return out


def _quiet_zones(ops: Iterable[Op], card_h: float) -> list[list[float]]:
    out = []
    for op in ops:
        if isinstance(op, QrOp):
            quiet, side = 4 * op.module, op.modules * op.module
            out.append(_box(op.x - quiet, op.y - quiet, side + 2 * quiet, side + 2 * quiet, card_h))
    return out


def _fit(card: CardSides) -> list[dict[str, Any]]:
    rows = []
    for side in ("front", "back"):
        for n in getattr(card, side).fits:
            rows.append({"side": side, "element": n.element, "field": n.field, "size": round(n.size, 2),
                         "nominal": round(n.nominal, 2), "min": round(n.min_size, 2), "fits": n.fits,
                         "cut": n.ellipsised, "shrunk": n.size < n.nominal - 1e-6})
    return rows


def _key(stamp: str, ops: Iterable[Op]) -> str:
    return hashlib.sha1((stamp + repr(tuple(ops))).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _stamp(prep: Prepared, size: tuple[int, int]) -> str:
    """What changes a drawing without changing its ops (as previews see it), and the pixel size."""
    return repr((drawing_stamp(prep), size, prep.card_w, prep.card_h))


def _render(prep: Prepared, todo: list[tuple[str, Sequence[Op]]], size: tuple[int, int], images: Images) -> None:
    """Draw the sides not in `images` yet, in one PDF, and keep their PNGs."""
    if not todo:
        return
    pages = face_pages(prep, [ops for _, ops in todo])
    pdf = render(pages, prep.card_w, prep.card_h, prep.fonts, DocInfo(title="serve", lang=prep.lang))
    for (key, _), image in zip(todo, rasterise(pdf, size), strict=True):
        images.data[key] = _png(image)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _card_view(prep: Prepared, card: CardSides, keys: tuple[str, str], boxes: dict[str, Any]) -> dict[str, Any]:
    ctx = card.context
    fam = ctx.get("family") or {}
    return {"id": card.id, "number": ctx.get("number", card.index + 1), "title": str(ctx.get("title") or card.id),
            "family": fam.get("id") or "", "family_name": fam.get("name") or "", "color": fam.get("color") or "",
            "front": keys[0], "back": keys[1], "fit": _fit(card),
            "boxes": boxes, "quiet": {s: _quiet_zones(getattr(card, s).ops, prep.card_h) for s in ("front", "back")}}


def _problem_cards(problems: Iterable[Problem], ids: list[str]) -> dict[str, list[str]]:
    """Each problem line and the ids of the cards it concerns (by its place, `cards[3]…`, or its text)."""
    out: dict[str, list[str]] = {}
    for p in problems:
        concerned = []
        m = _CARD_WHERE.match(p.where or "")
        if m and int(m.group(1)) < len(ids):
            concerned.append(ids[int(m.group(1))])
        concerned += _CARD_NAMED.findall(p.what)
        out[str(p) if p.file else f"error: {p}"] = sorted(set(concerned))
    return out


@dataclass
class LiveView:
    """One language and theme of a deck, rebuilt on demand; `state` is what the page reads (JSON)."""

    deck: Path
    options: Options
    images: Images
    dpi: float = DPI
    state: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    fetched: list[tuple[str, str]] = field(default_factory=list)  # (URL, sha256) of the online tables read

    def rebuild(self) -> list[Path]:
        """Build again; the files the build read (to watch). A problem keeps the last good cards, stale."""
        try:
            prep = prepare(self.deck, self.options)
        except DeckError as exc:
            self._failed(exc.problems)
            return sorted({Path(p.file) for p in exc.problems if p.file and Path(p.file).is_file()} | {self.deck})
        self._built(prep)
        self.fetched = prep.loaded.fetched()
        return prep.inputs()

    def _failed(self, problems: list[Problem]) -> None:
        ids = [c["id"] for c in self.state.get("cards", [])]
        listed = _problem_cards(in_file_order(problems), ids)
        self.state = {**self.state, "ok": False, "stale": bool(ids), "built": time.strftime("%H:%M:%S"),
                      "problems": [{"line": line, "cards": cards} for line, cards in listed.items()]}
        self.version += 1

    def _built(self, prep: Prepared) -> None:
        size = pixel_size(prep.card_w, prep.card_h, self.dpi)
        stamp = _stamp(prep, size)
        boxes = {s: _element_boxes(prep, s) for s in ("front", "back")}
        todo: list[tuple[str, Sequence[Op]]] = []
        cards = []
        for card in prep.cards:
            keys = (_key(stamp, card.front.ops), _key(stamp, card.back.ops))
            todo += [(k, getattr(card, s).ops) for k, s in zip(keys, ("front", "back"), strict=True)
                     if k not in self.images.data and k not in {t[0] for t in todo}]
            cards.append(_card_view(prep, card, keys, boxes))
        _render(prep, todo, size, self.images)
        warnings = [{"line": f"warning: {w}", "cards": []} for w in prep.warnings]
        self.state = {"ok": True, "stale": False, "built": time.strftime("%H:%M:%S"), "cards": cards,
                      "title": str(prep.cards[0].context.get("deck", {}).get("title") or "") if prep.cards else "",
                      "theme": prep.theme.name, "lang": prep.lang, "count": len(prep.cards), "problems": warnings,
                      "card": [round(prep.card_w / MM, 2), round(prep.card_h / MM, 2)],
                      "safe": round(parse_length(prep.theme.theme.safe) / MM, 2),
                      "bleed": round(self.options.bleed / MM, 2), "px": list(size)}
        self.version += 1


def view_options(deck: Path, base: Options, lang: str, theme: str) -> Options:
    """The options of one view: a theme file next to the deck is named by its file name."""
    local = deck.parent / theme
    return replace(base, lang=lang, theme=str(local) if theme.endswith((".yaml", ".yml")) else theme)


def _theme_files(folder: Path) -> list[str]:
    """Theme files next to the deck: YAML files whose top level says `extends`, `front` or `back`."""
    found = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            head = path.read_text(encoding="utf-8")[:20000]
        except (OSError, UnicodeDecodeError):
            continue
        if re.search(r"^(extends|front|back):", head, re.M) and not re.search(r"^cards:", head, re.M):
            found.append(path.name)
    return found


def choices(deck: Path, options: Options) -> tuple[list[str] | None, list[str]]:
    """The languages a page may ask (the deck's, first its own) and the themes (the deck's or --theme first,
    then the built-in ones, then theme files next to the deck); no languages while the deck does not parse."""
    try:
        loaded = read_deck(deck, remote=options.remote).deck
    except DeckError:
        return None, []
    langs = deck_languages(loaded)
    own = options.theme or loaded.deck.theme or "classic"
    if options.lang and options.lang in langs:
        langs = [options.lang, *(lang for lang in langs if lang != options.lang)]
    themes = list(dict.fromkeys([own, *builtin_themes(), *_theme_files(deck.parent)]))
    return langs, themes
