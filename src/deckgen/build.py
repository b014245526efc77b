"""The pipeline: deck file -> validated model -> laid-out card sides -> imposed pages -> PDF file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.errors import DeckError, Problem
from deckgen.fonts import FontBook
from deckgen.impose import back_slots, crop_marks, paginate, plan_sheet
from deckgen.layout import FitNote, ImageOp, Issue, SideLayout, layout_side
from deckgen.loader import LoadedDeck, LoadedTheme, load_deck, load_theme
from deckgen.model import Card, Deck, Loc, card_ids
from deckgen.packed import pack
from deckgen.render_pdf import DocInfo, PageSpec, Placed
from deckgen.units import paper_size, parse_card_size

DEFAULT_THEME = "classic"


@dataclass(frozen=True)
class Options:
    theme: str | None = None
    lang: str | None = None
    fallback: str | None = None
    allow_overflow: bool = False
    bleed: float = 0.0


@dataclass
class CardSides:
    index: int  # position in the deck's card list
    id: str
    copies: int
    front: SideLayout
    back: SideLayout


@dataclass
class Prepared:
    """Everything laid out and checked, ready to impose and draw."""

    loaded: LoadedDeck
    theme: LoadedTheme
    fonts: FontBook
    lang: str
    card_w: float
    card_h: float
    cards: list[CardSides]
    warnings: list[str] = field(default_factory=list)

    def sides(self) -> list[CardSides]:
        """Each card as many times as its copies."""
        return [c for c in self.cards for _ in range(c.copies)]


def text_in(value: str | dict[str, str] | None, lang: str, fallback: str | None) -> str | None:
    """The text of a plain or language-map value in `lang`; LookupError when that language is missing."""
    if value is None or isinstance(value, str):
        return value
    if lang in value:
        return value[lang]
    primary = lang.split("-")[0]
    for key, text in value.items():
        if key.split("-")[0] == primary:
            return text
    if fallback and fallback in value:
        return value[fallback]
    raise LookupError(", ".join(value))


def card_context(deck: Deck, card: Card, cid: str, number: int, lang: str, fallback: str | None,
                 colors: dict[str, str], index: int | None = None) -> tuple[dict[str, Any], list[tuple[Loc, str]]]:
    """The values a theme template can name, and the (location, missing language) problems."""
    missing: list[tuple[Loc, str]] = []
    if index is None:  # pass it: list.index compares pydantic models, quadratic over a big deck
        index = deck.cards.index(card)

    def t(value: Any, loc: Loc) -> str | None:
        try:
            return text_in(value, lang, fallback)
        except LookupError as exc:
            missing.append((loc, str(exc)))
            return ""

    fam = next((f for f in deck.families if f.id == card.family), None)
    fam_index = deck.families.index(fam) if fam else -1
    family = {"id": "", "name": "", "color": colors.get("accent", "#555555"), "description": ""}
    if fam is not None:
        family = {"id": fam.id, "name": t(fam.name, ("families", fam_index, "name")), "color": fam.color,
                  "description": t(fam.description, ("families", fam_index, "description")) or ""}
    source = None
    if card.source is not None:
        url = t(card.source.url, ("cards", index, "source", "url"))
        label = t(card.source.label, ("cards", index, "source", "label")) if card.source.label else None
        source = {"url": url, "label": label or _host(url or "")}
    ctx: dict[str, Any] = {
        "deck": {"title": t(deck.deck.title, ("deck", "title")),
                 "subtitle": t(deck.deck.subtitle, ("deck", "subtitle")),
                 "author": t(deck.deck.author, ("deck", "author")), "lang": lang},
        "id": cid,
        "number": number,
        "total": len(deck.cards),
        "title": t(card.title, ("cards", index, "title")),
        "summary": t(card.summary, ("cards", index, "summary")),
        "body": t(card.body, ("cards", index, "body")),
        "family": family,
        "source": source,
        "tags": ", ".join(card.tags),
        "image": card.image or "",
    }
    for key, value in card.fields.items():
        ctx.setdefault(key, t(value, ("cards", index, "fields", key)) if not isinstance(value, (int, float)) else value)
    return ctx, missing


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _field_loc(field_name: str | None, index: int, deck: Deck, card: Card) -> Loc:
    """Where in the deck file the text of a theme field comes from."""
    if not field_name:
        return ("cards", index)
    head, _, rest = field_name.partition(".")
    if head == "deck":
        return ("deck", rest)
    if head == "family":
        fam = next((i for i, f in enumerate(deck.families) if f.id == card.family), None)
        return ("families", fam, rest) if fam is not None else ("cards", index, "family")
    if head == "source":
        return ("cards", index, "source", rest) if rest == "label" and card.source and card.source.label else (
            "cards", index, "source")
    if head in Card.model_fields:
        return ("cards", index, head)
    return ("cards", index, "fields", head)


def prepare(deck_path: str | Path, opts: Options, progress: Callable[[str, int, int], None] | None = None) -> Prepared:
    """Load, lay out and check every card; raise DeckError listing every problem found.

    `progress("cards", done, total)` is called after each card (see deckgen.progress)."""
    loaded = load_deck(deck_path)
    deck, src = loaded.deck, loaded.src
    if opts.theme:
        theme = load_theme(opts.theme, Path.cwd())
    else:
        theme = load_theme(deck.deck.theme or DEFAULT_THEME, loaded.folder, src, ("deck", "theme"))
    fonts = FontBook(dict(theme.theme.fonts), [*theme.folders, loaded.folder, loaded.folder / "fonts"])
    card_w, card_h = parse_card_size(theme.theme.card)
    lang = opts.lang or deck.deck.lang
    problems: list[Problem] = []
    warnings: list[str] = []
    cards: list[CardSides] = []
    ids = card_ids(deck)
    for index, (card, cid) in enumerate(zip(deck.cards, ids, strict=True)):
        colors = dict(theme.theme.colors)
        if card.family and card.family in theme.theme.families:
            colors.update(theme.theme.families[card.family].colors)
        ctx, missing = card_context(deck, card, cid, index + 1, lang, opts.fallback, colors, index=index)
        for loc, have in missing:
            problems.append(src.problem(loc, f"no {lang!r} text (card '{cid}')",
                                        f"it has {have}; add '{lang}:' or build with --fallback"))
        sides = {}
        for side in ("front", "back"):
            lay = layout_side(getattr(theme.theme, side), ctx, card_w=card_w, card_h=card_h, colors=colors,
                              metrics=fonts, lang=lang, bleed=opts.bleed, allow_overflow=opts.allow_overflow)
            for issue in lay.issues:
                msg = _issue_message(issue, side, cid)
                loc = _field_loc(issue.field, index, deck, card)
                if issue.warning:
                    warnings.append(str(src.problem(loc, msg)))
                elif issue.field is None:
                    problems.append(theme.src.problem((side, issue.element), f"{issue.what} (card '{cid}')",
                                                      issue.hint))
                else:
                    problems.append(src.problem(loc, msg, issue.hint))
            _resolve_images(lay, loaded, problems, src, index)
            lay.ops = pack(lay.ops)
            sides[side] = lay
        cards.append(CardSides(index, cid, card.copies, sides["front"], sides["back"]))
        if progress is not None:
            progress("cards", index + 1, len(deck.cards))
    if problems:
        raise DeckError(_dedupe(problems))
    return Prepared(loaded, theme, fonts, lang, card_w, card_h, cards, warnings)


def _issue_message(issue: Issue, side: str, cid: str) -> str:
    return f"{issue.what} (card '{cid}', {side} {issue.element})"


def _resolve_images(lay: SideLayout, loaded: LoadedDeck, problems: list[Problem], src: Any, index: int) -> None:
    for i, op in enumerate(lay.ops):
        if isinstance(op, ImageOp):
            path = (loaded.folder / op.path).resolve()
            if not path.is_file():
                problems.append(src.problem(("cards", index, "image"), f"image {op.path!r} not found",
                                            f"looked for {path}"))
            else:
                lay.ops[i] = ImageOp(str(path), op.x, op.y, op.w, op.h, op.fit)


def _dedupe(problems: Sequence[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def fit_report(prep: Prepared) -> list[tuple[str, str, FitNote]]:
    return [(c.id, side, note) for c in prep.cards for side in ("front", "back")
            for note in getattr(c, side).fits]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` only by a complete new file: write a temporary file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def home_pages(prep: Prepared, paper: str, duplex: str) -> list[PageSpec]:
    """Sheets of cards, each a front page then its back page, backs placed to land behind their fronts."""
    pw, ph = paper_size(paper)
    try:
        plan = plan_sheet(pw, ph, prep.card_w, prep.card_h)
    except ValueError as exc:
        raise DeckError(Problem(str(exc), hint="choose a larger --paper or a smaller card")) from None
    backs = back_slots(plan, duplex)  # type: ignore[arg-type]
    marks = crop_marks(plan)
    items = prep.sides()
    pages: list[PageSpec] = []
    for sheet in paginate(len(items), plan.per_sheet):
        cards = [items[i] for i in sheet]
        pages.append(PageSpec(pw, ph, [Placed(plan.fronts[k], c.front.ops) for k, c in enumerate(cards)], marks))
        pages.append(PageSpec(pw, ph, [Placed(backs[k], c.back.ops) for k, c in enumerate(cards)], marks))
    return pages


def doc_info(prep: Prepared, duplex: str) -> DocInfo:
    deck = prep.loaded.deck.deck
    return DocInfo(title=text_in(deck.title, prep.lang, None) or "", lang=prep.lang, duplex=duplex,
                   author=_soft(deck.author, prep.lang), subject=_soft(deck.subtitle, prep.lang))


def _soft(value: str | dict[str, str] | None, lang: str) -> str:
    try:
        return text_in(value, lang, None) or ""
    except LookupError:
        return ""
