"""The pipeline's first half: deck file -> validated model -> every card side laid out and checked (see
produce.py for the second: imposed pages -> files)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deckgen.deck.languages import deck_languages, lang_key, lang_loc
from deckgen.deck.load import LoadedDeck, read_deck
from deckgen.deck.model import card_ids
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.select import Expr, select
from deckgen.design.layout import layout_side, outside_safe
from deckgen.design.ops import ImageOp
from deckgen.design.packed import pack
from deckgen.design.side import FitNote, Issue, LaidSide
from deckgen.design.themes import LoadedTheme, load_theme
from deckgen.errors import DeckError, Problem, in_file_order
from deckgen.limits import MAX_CARDS, MAX_FACES, over
from deckgen.output.fonts import FontBook
from deckgen.pipeline.assets import ImageCheck, check_fonts
from deckgen.pipeline.context import _field_loc, card_context
from deckgen.pipeline.legend_cards import LegendLayout, legend_cards
from deckgen.pipeline.messages import counted, element_of, family_color_warnings, missing_text, theme_loc
from deckgen.pipeline.sizes import Caps, DeckSize, SizeInputs, deck_sizes, size_caps
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


# Workers lay out a deck of PARALLEL_FROM cards or more with LAYOUT_JOBS jobs or more; they fit every text again
# (pass 1 only sizes them then): with 2 jobs, 5,000 cards took 16.9 s wall against 17.6 s for pass 1 laying out
# the cards itself, for 1.5 times the CPU, so one process does it all (more jobs share the fitting more widely).
PARALLEL_FROM = 1500
LAYOUT_JOBS = 3
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

    def image_check(self) -> ImageCheck:
        """A fresh check of the images this deck and its theme name (what a layout reads them through)."""
        return ImageCheck(self.base.loaded.folder, self.base.theme.folders, self.base.fonts, self.opts.allow_outside)


@dataclass(slots=True)  # 10,000 of them kept through pass 1 at 5,000 cards
class _Side:
    """One card side laid out, and what it had to say."""

    laid: LaidSide
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    too_small: list[tuple[tuple[str, str, bool], Problem]] = field(default_factory=list)  # once in the whole deck


@dataclass(slots=True)
class _Laid:
    """One card laid out (its texts missing in the language, then its sides), and what it had to say."""

    card: CardSides
    missing: list[Problem]
    sides: dict[str, _Side]
    images: frozenset[Path]

    @property
    def problems(self) -> list[Problem]:
        return self.missing + [p for s in self.sides.values() for p in s.problems]

    @property
    def warnings(self) -> list[str]:
        return [w for s in self.sides.values() for w in s.warnings]

    @property
    def too_small(self) -> list[tuple[tuple[str, str, bool], Problem]]:
        return [t for s in self.sides.values() for t in s.too_small]


def _setup(deck_path: str | Path, opts: Options, loaded: LoadedDeck | None = None) -> _Setup:
    loaded = loaded or read_deck(deck_path, opts.allow_outside, opts.remote,
                                 max_cards=None if opts.only or opts.exclude else MAX_CARDS)
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
    if (faces := 2 * sum(deck.cards[i].copies for i in chosen)) > MAX_FACES:  # refused before laying any out
        what, hint = over("card faces (the cards and their copies, fronts and backs)", faces, MAX_FACES,
                          "split the deck into several decks, or choose some of its cards with --only")
        raise DeckError(Problem(what, src.file, hint=hint))
    base = Prepared(loaded, theme, fonts, opts.lang or deck.deck.lang, card_w, card_h, [], warnings)
    return _Setup(base, opts, sorted({key for c in deck.cards for key in c.fields}), ids, chosen, total)


def _lay_card(su: _Setup, images: ImageCheck, position: int, index: int, caps: Caps | None = None,
              kept: Mapping[str, _Side] | None = None) -> _Laid:
    """A card laid out at the deck's sizes (or `caps`); the sides in `kept` already are."""
    deck, src, opts, lang = su.base.loaded.deck, su.base.loaded.src, su.opts, su.base.lang
    card, cid = deck.cards[index], su.ids[index]
    colors = su.base.theme.theme.family_colors(card.family, BASE_COLORS)
    number, caps = position + 1 if opts.renumber else index + 1, su.caps if caps is None else caps
    ctx, missing = card_context(deck, card, cid, number, su.total, lang, opts.fallback, colors, su.custom, index=index)
    laid = _Laid(CardSides(index, cid, card.copies, LaidSide(), LaidSide(), ctx),
                 [missing_text(src, m, lang, cid) for m in missing], {}, frozenset())
    for side in ("front", "back"):
        done = kept.get(side) if kept else None
        laid.sides[side] = done or _lay_side(su, images, index, side, ctx, caps.get(side))
        setattr(laid.card, side, laid.sides[side].laid)
    laid.images = frozenset(images.used)  # mostly none: one empty frozenset for every card
    return laid


def _lay_side(su: _Setup, images: ImageCheck, index: int, side: str, ctx: dict[str, Any],
              caps: dict[str, float] | None) -> _Side:
    deck, src, theme, opts = su.base.loaded.deck, su.base.loaded.src, su.base.theme, su.opts
    card = deck.cards[index]
    lay = layout_side(getattr(theme.theme, side), ctx, card_w=su.base.card_w, card_h=su.base.card_h,
                      colors=theme.theme.family_colors(card.family, BASE_COLORS), metrics=su.base.fonts,
                      lang=su.base.lang, bleed=opts.bleed, allow_overflow=opts.allow_overflow, draw=opts.draw,
                      press=opts.press, size_caps=caps)
    out = _Side(LaidSide())
    for issue in lay.issues:
        _issue(su, out, issue, side, index)
    ops = list(lay.ops)
    for i, op in enumerate(ops):
        if isinstance(op, ImageOp):
            loc = _field_loc(op.field, index, deck, card)
            found, bad, warn = images.resolve(op, src, loc, theme, (side, element_of(op, side, theme)))
            out.problems.extend(bad)
            out.warnings.extend(str(w) for w in warn)
            ops[i] = found or op
    # checking: nothing will be drawn (100,000 cards' ops)
    out.laid = LaidSide(pack(ops) if opts.draw else (), lay.issues, lay.fits)
    return out


def _issue(su: _Setup, laid: _Side, issue: Issue, side: str, index: int) -> None:
    """One layout issue of a card side as a problem or a warning, at the deck's or the theme's line."""
    src, theme, cid, card = su.base.loaded.src, su.base.theme, su.ids[index], su.base.loaded.deck.cards[index]
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
        laid.problems.append(theme.src.problem(theme_loc(theme, side, issue), issue.what, issue.hint))
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
    images = _worker.image_check()
    return [_lay_card(_worker, images, position, index) for position, index in cards]


@dataclass
class _Early:
    """Pass 1 (the deck's sizes) laying out each chosen card in full at the caps it has then, so that pass 2 lays
    out again only the sides whose caps were not yet the deck's final sizes (the first cards', mostly). Without
    --renumber only: a card's number and total are then the same in both passes."""

    su: _Setup
    images: ImageCheck
    kept: dict[int, tuple[_Laid, Caps]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.chosen = set(self.su.chosen)

    def __call__(self, index: int, caps: Caps) -> dict[str, Sequence[FitNote]] | None:
        if index not in self.chosen:
            return None  # pass 1 fits the texts of a card not printed alone
        laid = _lay_card(self.su, self.images, index, index, caps)
        self.kept[index] = laid, caps
        if not self.su.opts.allow_overflow and any(not i.warning for s in laid.sides.values() for i in s.laid.issues):
            return None  # a text that does not fit stops short: pass 1 fits it alone, overflow allowed, for its size
        return {side: s.laid.fits for side, s in laid.sides.items()}  # the fits pass 1 would find

    def take(self, position: int, index: int) -> _Laid:
        """The card laid out at the deck's sizes: as pass 1 did, or its sides whose caps changed laid out again."""
        laid, caps = self.kept.pop(index, (None, {}))
        if laid is None:
            return _lay_card(self.su, self.images, position, index)
        same = {side: s for side, s in laid.sides.items() if caps.get(side) == self.su.caps.get(side)}
        return laid if len(same) == len(laid.sides) else _lay_card(self.su, self.images, position, index, kept=same)


def _lay_all(su: _Setup, deck_path: str | Path, jobs: int, progress: Progress | None,
             early: _Early | None) -> Iterator[_Laid]:
    """Every chosen card laid out, in order: here (most kept from pass 1, `early`), or by `jobs` workers for a
    big deck (the same results)."""
    order = list(enumerate(su.chosen))
    if early is None and jobs >= LAYOUT_JOBS and len(order) >= PARALLEL_FROM:
        tasks = [tuple(order[k:k + CARDS_PER_TASK]) for k in range(0, len(order), CARDS_PER_TASK)]
        # workers read the tables this process read: from the cache, never asking a server again
        opts = replace(su.opts, remote=replace(su.opts.remote, offline=True))
        for laid in run(_lay_task, tasks, jobs, setup=(_start_worker, (str(deck_path), opts, su.sizes)),
                        preload=[__name__], progress=progress, stage="cards", items=len(order), weight=len):
            yield from laid
        return
    early = early or _Early(su, su.image_check())
    for position, index in order:
        yield early.take(position, index)
        if progress is not None:
            progress("cards", position + 1, len(order))


def _sizes(su: _Setup, jobs: int) -> _Early | None:
    """Pass 1: the deck's sizes (`su.sizes`, `su.caps`), and the cards it laid out on the way, unless workers will
    lay out every card (a big deck built with --jobs) or --renumber gives them other numbers."""
    opts, theme = su.opts, su.base.theme
    early = None
    if not opts.renumber and theme.theme.fit != "card" and (not opts.draw or jobs < LAYOUT_JOBS
                                                            or len(su.chosen) < PARALLEL_FROM):
        early = _Early(su, su.image_check())
    su.sizes = deck_sizes(SizeInputs(su.base.loaded.deck, theme.theme, su.base.fonts, su.base.lang, opts.fallback,
                                     su.base.card_w, su.base.card_h, su.ids, {**BASE_COLORS, **theme.theme.colors},
                                     su.custom), skip=set(su.base.loaded.invalid), lay=early)
    su.caps = size_caps(su.sizes)
    return early


def prepare(deck_path: str | Path, opts: Options, progress: Progress | None = None, jobs: int = 1,
            loaded: LoadedDeck | None = None) -> Prepared:
    """Load, lay out and check every card; raise DeckError listing every problem found, in file order.

    The cards with problems of their own are not laid out, the others are: one run reports the deck's
    structure problems and the fit and glyph problems of its valid cards together. A big deck is laid out
    by `jobs` worker processes. `progress("cards", done, total)` as cards are laid out (see cli/progress.py).
    `loaded`: the deck file already read (with `opts.allow_outside`), so that a big deck is read once."""
    su = _setup(deck_path, opts, loaded)
    deck, src, theme, lang = su.base.loaded.deck, su.base.loaded.src, su.base.theme, su.base.lang
    early = _sizes(su, jobs)
    problems: list[Problem] = []
    used: set[Path] = set()
    warnings, cards = list(su.base.warnings), []
    too_small: dict[tuple[str, str, bool], Problem] = {}  # theme elements too small for deckgen's own texts, once
    for laid in _lay_all(su, deck_path, jobs, progress, early):
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
    images = su.image_check()
    bad, warn = images.check_deck_images(deck, src, theme, set(su.base.loaded.invalid))  # also those the theme hides
    problems += bad
    warnings += [str(w) for w in warn]
    if opts.legend:
        legend, bad, said = legend_cards(deck, theme, su.base.fonts, lang, opts.fallback, [c.context for c in cards],
                                         src, LegendLayout(opts.bleed, opts.allow_overflow, opts.press))
        cards[:0] = [CardSides(-1, f"legend-{fid}", 1, front, back, ctx) for fid, ctx, front, back in legend]
        problems, warnings = problems + bad, warnings + said
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


def _issue_message(issue: Issue, side: str, cid: str) -> str:
    return f"{issue.what} (card '{cid}', {side} {issue.element})"
