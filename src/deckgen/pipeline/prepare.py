"""The pipeline's first half: deck file -> validated model -> every card side laid out and checked (see
produce.py for the second: imposed pages -> files)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deckgen.deck.languages import deck_languages, lang_key, lang_loc
from deckgen.deck.load import LoadedDeck, read_deck
from deckgen.deck.model import Card, Deck, Loc, card_ids
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.select import Expr, select
from deckgen.deck.source import Source
from deckgen.design.family_colors import clashes, swatches
from deckgen.design.layout import layout_side, outside_safe
from deckgen.design.legend import legend_elements
from deckgen.design.ops import ImageOp
from deckgen.design.packed import pack
from deckgen.design.side import Issue, LaidSide
from deckgen.design.theme_model import Element
from deckgen.design.themes import LoadedTheme, load_theme
from deckgen.errors import DeckError, Problem, count, in_file_order
from deckgen.output.fonts import FontBook
from deckgen.pipeline.assets import ImageCheck, check_fonts
from deckgen.pipeline.context import _field_loc, card_context
from deckgen.pipeline.sizes import DeckSize, SizeInputs, deck_sizes, size_caps
from deckgen.units import MM, parse_card_size, parse_length
from deckgen.workers import run

DEFAULT_THEME = "classic"
COMPUTED = ("number", "total")  # template fields deckgen writes, not the deck: their problems are the theme's
BASE_COLORS = {"ink": "#000000", "paper": "#FFFFFF"}  # what a theme without colors: still has
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    theme: str | None = None
    lang: str | None = None
    fallback: str | None = None
    allow_overflow: bool = False
    bleed: float = 0.0
    only: tuple[Expr, ...] = ()
    exclude: tuple[Expr, ...] = ()
    renumber: bool = False
    allow_outside: bool = False  # images, fonts, spreadsheets and themes from outside the deck's folder
    legend: bool = False  # one legend card per family before the cards
    draw: bool = True  # False: only checking — QR codes sized, not encoded; the cards come back without their ops
    press: bool = False  # for offset presses: warn about small white text on bands of several inks
    remote: Remote = ONLINE  # how tables named by URL are fetched (--allow-private, --refresh, --offline)


@dataclass
class CardSides:
    index: int  # position in the deck's card list; -1 for a legend card
    id: str
    copies: int
    front: LaidSide
    back: LaidSide
    context: dict[str, Any] = field(default_factory=dict)  # the values its templates were filled with


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
    images: list[Path] = field(default_factory=list)
    sizes: dict[tuple[str, str], DeckSize] = field(default_factory=dict)  # (side, element): one size per deck

    def inputs(self) -> list[Path]:
        """Every file this build read: the deck, its spreadsheets, its theme chain, fonts and images (what `watch`
        polls, and what no output may replace)."""
        return [self.loaded.path, *self.loaded.tables, *self.theme.paths, *self.fonts.files_used(), *self.images]

    def sides(self) -> list[CardSides]:
        """Each card as many times as its copies."""
        return [c for c in self.cards for _ in range(c.copies)]

    def counted(self, decks: int = 1) -> str:
        """What a summary counts, said the same way by check and build: "29 cards", "29 cards + 2 copies +
        5 legend cards = 36 cards", "(29 cards + 5 legend cards) × 2 decks = 68 cards"."""
        return counted(sum(c.index >= 0 for c in self.cards), sum(c.copies - 1 for c in self.cards if c.index >= 0),
                       sum(c.index < 0 for c in self.cards), decks)


def counted(cards: int, copies: int, legend: int = 0, decks: int = 1) -> str:
    """"29 cards + 2 copies + 5 legend cards = 36 cards", × N decks; just "29 cards" when that is all."""
    parts = [count(cards, "card")]
    if copies:
        parts.append(count(copies, "copy", "copies"))
    if legend:
        parts.append(count(legend, "legend card"))
    what = " + ".join(parts)
    if decks > 1:
        what = f"({what}) × {decks} decks" if len(parts) > 1 else f"{what} × {decks} decks"
    total = (cards + copies + legend) * decks
    return what if total == cards else f"{what} = {count(total, 'card')}"


# cards: fewer are laid out here, where the sizing pass's fits are kept (workers would fit again): 1,000 cards
PARALLEL_FROM = 1500  # take 5.4 s in one process, 6.7 s with two workers; 2,500 cards 17 s and 14.8 s
CARDS_PER_TASK = 50  # cards a worker lays out per task: fixed, so the results never depend on the number of jobs


@dataclass
class _Setup:
    """What laying out a card needs: the deck, its theme and fonts (`base`, with no cards yet and the theme's own
    warnings), and the cards chosen. A worker loads its own."""

    base: Prepared
    opts: Options
    custom: list[str]
    ids: list[str]
    chosen: Sequence[int]
    total: int
    sizes: dict[tuple[str, str], DeckSize] = field(default_factory=dict)  # one size per element (pass 1)
    caps: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class _Laid:
    """One card laid out, and what it had to say."""

    card: CardSides
    problems: list[Problem]
    warnings: list[str]
    too_small: list[tuple[tuple[str, str, bool], Problem]]  # (side, element, a warning): once in the whole deck
    images: set[Path]


def _setup(deck_path: str | Path, opts: Options, loaded: LoadedDeck | None = None) -> _Setup:
    loaded = loaded or read_deck(deck_path, opts.allow_outside, opts.remote)
    deck, src = loaded.deck, loaded.src
    try:
        if opts.theme:
            theme = load_theme(opts.theme, Path.cwd(), allow_outside=opts.allow_outside, deck_folder=loaded.folder)
        else:
            theme = load_theme(deck.deck.theme or DEFAULT_THEME, loaded.folder, src, ("deck", "theme"),
                               opts.allow_outside)
    except DeckError as exc:
        raise DeckError(in_file_order(loaded.problems + exc.problems)) from None
    font_dirs = [d for f in theme.folders for d in (f, f / "fonts")]
    fonts = FontBook(dict(theme.theme.fonts), [*font_dirs, loaded.folder, loaded.folder / "fonts"],
                     opts.allow_outside)
    card_w, card_h = parse_card_size(theme.theme.card)
    problems: list[Problem] = check_fonts(theme, fonts)
    if problems:
        raise DeckError(in_file_order(loaded.problems + problems))
    safe = parse_length(theme.theme.safe)
    warnings = loaded.warnings + family_color_warnings(deck, src, theme.theme.greyscale)
    warnings += [str(theme.src.problem((side, name), f"reaches into the {safe / MM:g} mm safe margin",
                                       "a trimmer may cut it; move it inward"))
                 for side in ("front", "back")
                 for name in outside_safe(getattr(theme.theme, side), card_w, card_h, safe)]
    ids = card_ids(deck)
    chosen: Sequence[int] = select(deck, ids, opts.only, opts.exclude) if opts.only or opts.exclude else range(len(ids))
    total = len(chosen) if opts.renumber else len(ids)
    if loaded.invalid:  # placeholders of cards with problems: numbered as in the file, never laid out
        chosen = [i for i in chosen if i not in loaded.invalid]
    base = Prepared(loaded, theme, fonts, opts.lang or deck.deck.lang, card_w, card_h, [], warnings)
    return _Setup(base, opts, sorted({key for c in deck.cards for key in c.fields}), ids, chosen, total)


def _lay_card(su: _Setup, images: ImageCheck, position: int, index: int) -> _Laid:
    deck, src, theme, opts, lang = su.base.loaded.deck, su.base.loaded.src, su.base.theme, su.opts, su.base.lang
    card, cid = deck.cards[index], su.ids[index]
    colors = theme.theme.family_colors(card.family, BASE_COLORS)
    number = position + 1 if opts.renumber else index + 1
    ctx, missing = card_context(deck, card, cid, number, su.total, lang, opts.fallback, colors, su.custom, index=index)
    laid = _Laid(CardSides(index, cid, card.copies, LaidSide(), LaidSide(), ctx), [], [], [], set())
    laid.problems += [_missing_text(src, m, lang, cid) for m in missing]
    for side in ("front", "back"):
        lay = layout_side(getattr(theme.theme, side), ctx, card_w=su.base.card_w, card_h=su.base.card_h, colors=colors,
                          metrics=su.base.fonts, lang=lang, bleed=opts.bleed, allow_overflow=opts.allow_overflow,
                          draw=opts.draw, press=opts.press, size_caps=su.caps.get(side))
        for issue in lay.issues:
            _issue(su, laid, issue, side, card)
        ops = list(lay.ops)
        for i, op in enumerate(ops):
            if isinstance(op, ImageOp):
                loc = _field_loc(op.field, index, deck, card)
                found, bad, warn = images.resolve(op, src, loc, theme, (side, _element_of(op, side, theme)))
                laid.problems.extend(bad)
                laid.warnings.extend(str(w) for w in warn)
                ops[i] = found or op
        # checking: nothing will be drawn (100,000 cards' ops)
        setattr(laid.card, side, LaidSide(pack(ops) if opts.draw else (), lay.issues, lay.fits))
    laid.images = set(images.used)
    return laid


def _issue(su: _Setup, laid: _Laid, issue: Issue, side: str, card: Card) -> None:
    """One layout issue of a card side as a problem or a warning, at the deck's or the theme's line."""
    src, theme, cid, index = su.base.loaded.src, su.base.theme, laid.card.id, laid.card.index
    deck_text = (issue.field or "").startswith("deck.")  # the deck's title, subtitle, author: on every card
    msg = f"{issue.what} ({side} {issue.element}, every card)" if deck_text else _issue_message(issue, side, cid)
    loc = lang_loc(src.data, _field_loc(issue.field, index, su.base.loaded.deck, card), su.base.lang, su.opts.fallback)
    if issue.warning and issue.field is None and issue.hint:  # about the theme, not a card's text
        laid.warnings.append(str(theme.src.problem((side, issue.element), issue.what, issue.hint)))
    elif issue.field in COMPUTED:  # deckgen's own text (7/29) does not fit: the theme's box is too small (once)
        at = (side, issue.element, "w")
        laid.too_small.append(((side, issue.element, issue.warning), theme.src.problem(
            at if at in theme.src.lines else at[:2], f"{issue.what} (card '{cid}', and maybe others)",
            "make the element wider, or its min_size smaller")))
    elif deck_text:  # the same on every card: reported once, at its line in the deck
        laid.too_small.append(((side, issue.element, issue.warning), src.problem(loc, msg, issue.hint)))
    elif issue.warning:
        laid.warnings.append(str(src.problem(loc, msg)))
    elif issue.field is None:  # a problem of the theme, the same for every card: reported once
        laid.problems.append(theme.src.problem(_theme_loc(theme, side, issue), issue.what, issue.hint))
    else:
        laid.problems.append(src.problem(loc, msg, issue.hint))


_worker: _Setup | None = None


def _start_worker(args: tuple[str, Options, dict[tuple[str, str], DeckSize]]) -> None:
    global _worker
    _worker = _setup(args[0], args[1])
    _worker.sizes, _worker.caps = args[2], size_caps(args[2])


def _lay_task(cards: tuple[tuple[int, int], ...]) -> list[_Laid]:
    """A worker lays out some cards (position, index) of the deck it loaded."""
    assert _worker is not None
    images = ImageCheck(_worker.base.loaded.folder, _worker.base.theme.folders, _worker.base.fonts,
                        _worker.opts.allow_outside)
    return [_lay_card(_worker, images, position, index) for position, index in cards]


def _lay_all(su: _Setup, deck_path: str | Path, jobs: int, progress: Progress | None) -> Iterator[_Laid]:
    """Every chosen card laid out, in order: here, or by `jobs` workers for a big deck (the same results)."""
    order = list(enumerate(su.chosen))
    if jobs > 1 and len(order) >= PARALLEL_FROM:
        tasks = [tuple(order[k:k + CARDS_PER_TASK]) for k in range(0, len(order), CARDS_PER_TASK)]
        # workers read the tables this process read: from the cache, never asking a server again
        opts = replace(su.opts, remote=replace(su.opts.remote, offline=True))
        for laid in run(_lay_task, tasks, jobs, setup=(_start_worker, (str(deck_path), opts, su.sizes)),
                        preload=[__name__], progress=progress, stage="cards", items=len(order), weight=len):
            yield from laid
        return
    images = ImageCheck(su.base.loaded.folder, su.base.theme.folders, su.base.fonts, su.opts.allow_outside)
    for position, index in order:
        yield _lay_card(su, images, position, index)
        if progress is not None:
            progress("cards", position + 1, len(order))


def prepare(deck_path: str | Path, opts: Options, progress: Progress | None = None, jobs: int = 1,
            loaded: LoadedDeck | None = None) -> Prepared:
    """Load, lay out and check every card; raise DeckError listing every problem found, in file order.

    The cards with problems of their own are not laid out, the others are: one run reports the deck's
    structure problems and the fit and glyph problems of its valid cards together. A big deck is laid out
    by `jobs` worker processes. `progress("cards", done, total)` as cards are laid out (see cli/progress.py).
    `loaded`: the deck file already read (with `opts.allow_outside`), so that a big deck is read once."""
    su = _setup(deck_path, opts, loaded)
    deck, src, theme, lang = su.base.loaded.deck, su.base.loaded.src, su.base.theme, su.base.lang
    su.sizes = deck_sizes(SizeInputs(deck, theme.theme, su.base.fonts, lang, opts.fallback, su.base.card_w,
                                     su.base.card_h, su.ids, {**BASE_COLORS, **theme.theme.colors}, su.custom),
                          skip=set(su.base.loaded.invalid))
    su.caps = size_caps(su.sizes)
    problems: list[Problem] = []
    warnings, cards, used = list(su.base.warnings), [], set()
    too_small: dict[tuple[str, str, bool], Problem] = {}  # theme elements too small for deckgen's own texts, once
    for laid in _lay_all(su, deck_path, jobs, progress):
        cards.append(laid.card)
        problems += laid.problems
        warnings += laid.warnings
        used |= laid.images
        for key, problem in laid.too_small:
            if key not in too_small:
                too_small[key] = problem
                if key[2]:  # a warning (--allow-overflow)
                    warnings.append(str(problem))
                else:
                    problems.append(problem)
    images = ImageCheck(su.base.loaded.folder, theme.folders, su.base.fonts, opts.allow_outside)
    bad, warn = images.check_deck_images(deck, src, theme, set(su.base.loaded.invalid))  # also those the theme hides
    problems += bad
    warnings += [str(w) for w in warn]
    if opts.legend:
        cards[:0] = _legend_cards(deck, theme, su.base.fonts, lang, opts, [c.context for c in cards], problems,
                                  warnings, src)
    if problems:
        langs = deck_languages(deck)  # plain texts are in its language, deck.lang
        if lang_key(dict.fromkeys(langs, ""), lang, opts.fallback) is None:
            fix = " or ".join(f"--lang {x}" for x in langs)
            its = "its languages" if len(langs) > 1 else "its language"
            problems = [Problem(f"the deck has no {lang!r} text", src.file,
                                hint=f"{its}: {', '.join(langs)}; build {fix}, or add --fallback {langs[0]}")]
        raise DeckError(in_file_order(su.base.loaded.problems + problems))
    if su.base.loaded.problems:
        raise DeckError(su.base.loaded.problems)
    return replace(su.base, cards=cards, warnings=list(dict.fromkeys(warnings)), images=sorted(used | images.used),
                   sizes=su.sizes)


def _missing_text(src: Source, missing: tuple[Loc, str, bool], lang: str, cid: str) -> Problem:
    """`cards[3].title.en: no 'en' text (card 'x') — it has fr; add its 'en' text, or build with --fallback fr`;
    a plain text is in the deck's language, and the hint says how to write it with its translation."""
    loc, have, plain = missing
    whose = f" (card '{cid}')" if loc[0] == "cards" else ""
    fix = f"write it as {{{have}: …, {lang}: …}}" if plain else f"add its {lang!r} text"
    hint = (f"it is in the deck's language, {have}" if plain else f"it has {have}") + (
        f"; {fix}, or build with --fallback {have.split(',')[0]}")
    return src.problem(loc, f"no {lang!r} text{whose}", hint)


def family_color_warnings(deck: Deck, src: Source, greyscale: bool) -> list[str]:
    """A warning for each pair of family colours too close to tell apart, at the second family's colour."""
    out = []
    for clash in clashes(swatches(deck.families), greyscale):
        a, b = deck.families[clash.first], deck.families[clash.second]
        first = src.problem(("families", clash.first, "color"), "")
        at = f" (line {first.line})" if first.line else ""
        out.append(str(src.problem(("families", clash.second, "color"),
                                   f"'{b.id}' {b.color} is too close to '{a.id}' {a.color}{at} to tell apart: "
                                   f"{clash.why}", "make one lighter, darker or of another hue "
                                                   "(check --colors lists every pair)")))
    return out


def _theme_loc(theme: LoadedTheme, side: str, issue: Issue) -> Loc:
    """The theme key an element's problem is about ("unknown colour 'plum'": the key that says plum)."""
    el = getattr(theme.theme, side).get(issue.element)
    m = re.search(r"'([^']+)'|\{([^}]+)\}", issue.what)
    if el is not None and m:
        name = m.group(1) or m.group(2)
        for key in sorted(el.model_fields_set):
            if name in str(getattr(el, key)):
                return (side, issue.element, key)
    return (side, issue.element)


def _element_of(op: ImageOp, side: str, theme: LoadedTheme) -> str:
    """The name of the theme's image element that drew `op`, for messages."""
    elements: dict[str, Element | None] = getattr(theme.theme, side)
    for name, el in elements.items():
        if el is not None and el.type == "image" and el.src and "{" not in el.src and el.src.strip() == op.path:
            return name
    return ""


def _legend_cards(deck: Deck, theme: LoadedTheme, fonts: FontBook, lang: str, opts: Options,
                  contexts: list[dict[str, Any]], problems: list[Problem], warnings: list[str], src: Any
                  ) -> list[CardSides]:
    """One legend card per family of the chosen cards, in the deck's family order."""

    card_w, card_h = parse_card_size(theme.theme.card)
    title_font = "title" if "title" in fonts.families else "body"
    if theme.theme.legend is not None:  # the theme's own legend design
        front_els, back_els = theme.theme.legend.front, theme.theme.legend.back
    else:
        front_els, back_els = legend_elements(card_w, card_h, parse_length(theme.theme.safe), title_font)
    used = {ctx["family"]["id"] for ctx in contexts}
    out = []
    for i, fam in enumerate(deck.families):
        if fam.id not in used:
            continue
        ctx = next(c for c in contexts if c["family"]["id"] == fam.id)
        colors = theme.theme.family_colors(fam.id)
        sides = []
        for els, side in ((front_els, "front"), (back_els, "back")):
            lay = layout_side(els, ctx, card_w=card_w, card_h=card_h, colors=colors, metrics=fonts, lang=lang,
                              bleed=opts.bleed, allow_overflow=opts.allow_overflow, press=opts.press)
            for issue in lay.issues:
                head, _, rest = (issue.field or "family.name").partition(".")
                where = lang_loc(src.data, ("deck", rest) if head == "deck" else ("families", i, rest),
                                 lang, opts.fallback)
                msg = f"{issue.what} (legend card of family '{fam.id}', {side} {issue.element})"
                if issue.warning:
                    warnings.append(str(src.problem(where, msg)))
                else:
                    problems.append(src.problem(where, msg, issue.hint))
            sides.append(LaidSide(pack(lay.ops), lay.issues, lay.fits))
        out.append(CardSides(-1, f"legend-{fam.id}", 1, sides[0], sides[1], ctx))
    return out


def _issue_message(issue: Issue, side: str, cid: str) -> str:
    return f"{issue.what} (card '{cid}', {side} {issue.element})"
