"""The pipeline's first half: deck file -> validated model -> every card side laid out and checked (see
produce.py for the second: imposed pages -> files)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from deckgen.deck.languages import deck_languages, lang_key, lang_loc, source_url, text_in
from deckgen.deck.load import LoadedDeck, read_deck
from deckgen.deck.model import Card, Deck, Loc, card_ids
from deckgen.deck.select import Expr, select
from deckgen.deck.source import Source
from deckgen.design.family_colors import clashes, swatches
from deckgen.design.layout import FitNote, Issue, SideLayout, layout_side, outside_safe
from deckgen.design.legend import legend_elements
from deckgen.design.ops import ImageOp
from deckgen.design.packed import pack
from deckgen.design.themes import LoadedTheme, load_theme
from deckgen.errors import DeckError, Problem, count, in_file_order
from deckgen.output.fonts import FontBook
from deckgen.pipeline.assets import ImageCheck, check_fonts
from deckgen.units import MM, parse_card_size, parse_length

DEFAULT_THEME = "classic"
COMPUTED = ("number", "total")  # template fields deckgen writes, not the deck: their problems are the theme's
BASE_COLORS = {"ink": "#000000", "paper": "#FFFFFF"}  # what a theme without colors: still has


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
    allow_outside: bool = False  # images from outside the deck's folder
    legend: bool = False  # one legend card per family before the cards
    press: bool = False  # for offset presses: warn about small white text on bands of several inks


@dataclass
class CardSides:
    index: int  # position in the deck's card list; -1 for a legend card
    id: str
    copies: int
    front: SideLayout
    back: SideLayout
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


def card_context(deck: Deck, card: Card, cid: str, number: int, total: int, lang: str, fallback: str | None,
                 colors: dict[str, str], custom: Sequence[str] = (), index: int | None = None
                 ) -> tuple[dict[str, Any], list[tuple[Loc, str, bool]]]:
    """The values a theme template can name, and the missing texts: (location, the languages the value has,
    whether it is a plain text)."""
    missing: list[tuple[Loc, str, bool]] = []
    if index is None:  # pass it: list.index compares pydantic models, quadratic over a big deck
        index = deck.cards.index(card)

    def t(value: Any, loc: Loc, plain: str | None = deck.deck.lang) -> str | None:
        """A text in `lang`; a plain card text is in the deck's language, a plain deck title in every one."""
        try:
            return text_in(value, lang, fallback, plain)
        except LookupError as exc:
            missing.append((loc + (lang,), str(exc), isinstance(value, str)))
            return ""

    fam = next((f for f in deck.families if f.id == card.family), None)
    fam_index = deck.families.index(fam) if fam else -1
    family = {"id": "", "name": "", "color": colors.get("accent", "#555555"), "description": "", "image": "",
              "icon": ""}
    if fam is not None:
        family = {"id": fam.id, "name": t(fam.name, ("families", fam_index, "name")), "color": fam.color,
                  "description": t(fam.description, ("families", fam_index, "description")) or "",
                  "image": fam.image or "", "icon": fam.icon or ""}
    source = None
    if card.source is not None:
        url = source_url(card.source.url, lang, fallback, deck.deck.lang)
        label = t(card.source.label, ("cards", index, "source", "label")) if card.source.label else None
        source = {"url": url, "label": label or _host(url or "")}
    ctx: dict[str, Any] = {
        "deck": {"title": t(deck.deck.title, ("deck", "title"), None),
                 "subtitle": t(deck.deck.subtitle, ("deck", "subtitle"), None),
                 "author": t(deck.deck.author, ("deck", "author"), None), "lang": lang},
        "id": cid,
        "number": number,
        "total": total,
        "title": t(card.title, ("cards", index, "title")),
        "summary": t(card.summary, ("cards", index, "summary")),
        "body": t(card.body, ("cards", index, "body")),
        "family": family,
        "source": source,
        "tags": ", ".join(card.tags),
        "image": card.image or "",
        "icon": card.icon or "",
    }
    for key, value in card.fields.items():
        # a custom field may be a code or a name: plain, it serves every language (as a plain custom column does)
        ctx.setdefault(key, t(value, ("cards", index, "fields", key), None) if not isinstance(value, (int, float))
                       else value)
    for key in custom:  # a field some other card defines is empty here, not unknown
        ctx.setdefault(key, None)
    return ctx, missing


def _host(url: str) -> str:

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
        if rest == "url":  # the line of the URL, whether written `source: URL` or `source: {url: URL}`
            return ("cards", index, "source", "url")
        return ("cards", index, "source", rest) if rest == "label" and card.source and card.source.label else (
            "cards", index, "source")
    if head in Card.model_fields:
        return ("cards", index, head)
    if head in card.fields:
        return ("cards", index, "fields", head)
    return ("cards", index)  # {number}, {total}, {tags}: the card itself


def prepare(deck_path: str | Path, opts: Options, progress: Callable[[str, int, int], None] | None = None) -> Prepared:
    """Load, lay out and check every card; raise DeckError listing every problem found, in file order.

    The cards with problems of their own are not laid out, the others are: one run reports the deck's
    structure problems and the fit and glyph problems of its valid cards together.
    `progress("cards", done, total)` is called after each card (see deckgen.cli.progress)."""
    loaded = read_deck(deck_path, opts.allow_outside)
    deck, src = loaded.deck, loaded.src
    deck_problems = loaded.problems
    try:
        if opts.theme:
            theme = load_theme(opts.theme, Path.cwd())
        else:
            theme = load_theme(deck.deck.theme or DEFAULT_THEME, loaded.folder, src, ("deck", "theme"))
    except DeckError as exc:
        raise DeckError(in_file_order(deck_problems + exc.problems)) from None
    font_dirs = [d for f in theme.folders for d in (f, f / "fonts")]
    fonts = FontBook(dict(theme.theme.fonts), [*font_dirs, loaded.folder, loaded.folder / "fonts"],
                     opts.allow_outside)
    card_w, card_h = parse_card_size(theme.theme.card)
    lang = opts.lang or deck.deck.lang
    problems: list[Problem] = check_fonts(theme, fonts)
    if problems:
        raise DeckError(in_file_order(deck_problems + problems))
    warnings: list[str] = family_color_warnings(deck, src, theme.theme.greyscale)
    too_small: set[tuple[str, str]] = set()  # theme elements too small for deckgen's own texts, reported once
    safe = parse_length(theme.theme.safe)
    for side in ("front", "back"):
        for name in outside_safe(getattr(theme.theme, side), card_w, card_h, safe):
            warnings.append(str(theme.src.problem((side, name), f"reaches into the {safe / MM:g} mm safe margin",
                                                  "a trimmer may cut it; move it inward")))
    images = ImageCheck(loaded.folder, theme.folders, opts.allow_outside)
    custom = sorted({key for c in deck.cards for key in c.fields})
    cards: list[CardSides] = []
    ids = card_ids(deck)
    chosen = select(deck, ids, opts.only, opts.exclude) if opts.only or opts.exclude else range(len(ids))
    total = len(chosen) if opts.renumber else len(ids)
    if loaded.invalid:  # placeholders of cards with problems: numbered as in the file, never laid out
        chosen = [i for i in chosen if i not in loaded.invalid]
    for position, index in enumerate(chosen):
        card, cid = deck.cards[index], ids[index]
        colors = {**BASE_COLORS, **theme.theme.colors}
        if card.family and card.family in theme.theme.families:
            colors.update(theme.theme.families[card.family].colors)
        number = position + 1 if opts.renumber else index + 1
        ctx, missing = card_context(deck, card, cid, number, total, lang, opts.fallback, colors, custom, index=index)
        problems += [_missing_text(src, m, lang, cid) for m in missing]
        sides = {}
        for side in ("front", "back"):
            lay = layout_side(getattr(theme.theme, side), ctx, card_w=card_w, card_h=card_h, colors=colors,
                              metrics=fonts, lang=lang, bleed=opts.bleed, allow_overflow=opts.allow_overflow,
                              press=opts.press)
            for issue in lay.issues:
                msg = _issue_message(issue, side, cid)
                loc = lang_loc(src.data, _field_loc(issue.field, index, deck, card), lang, opts.fallback)
                if issue.warning and issue.field is None and issue.hint:  # about the theme, not a card's text
                    warnings.append(str(theme.src.problem((side, issue.element), issue.what, issue.hint)))
                elif issue.warning:
                    warnings.append(str(src.problem(loc, msg)))
                elif issue.field is None:  # a problem of the theme, the same for every card: reported once
                    problems.append(theme.src.problem(_theme_loc(theme, side, issue), issue.what, issue.hint))
                elif issue.field in COMPUTED:  # deckgen's own text (7/29) does not fit: the theme's box is too small
                    if (side, issue.element) not in too_small:  # once per element, not once per card
                        too_small.add((side, issue.element))
                        at = (side, issue.element, "w")
                        problems.append(theme.src.problem(at if at in theme.src.lines else at[:2],
                                                          f"{issue.what} (card '{cid}', and maybe others)",
                                                          "make the element wider, or its min_size smaller"))
                else:
                    problems.append(src.problem(loc, msg, issue.hint))
            for i, op in enumerate(lay.ops):
                if isinstance(op, ImageOp):
                    loc = _field_loc(op.field, index, deck, card)
                    found, bad, warn = images.resolve(op, src, loc, theme, (side, _element_of(op, side, theme)))
                    problems += bad
                    warnings += [str(w) for w in warn]
                    lay.ops[i] = found or op
            lay.ops = pack(lay.ops)
            sides[side] = lay
        cards.append(CardSides(index, cid, card.copies, sides["front"], sides["back"], ctx))
        if progress is not None:
            progress("cards", position + 1, len(chosen))
    bad, warn = images.check_deck_images(deck, src, theme, set(loaded.invalid))  # also those the theme hides
    problems += bad
    warnings += [str(w) for w in warn]
    if opts.legend:
        cards[:0] = _legend_cards(deck, theme, fonts, lang, opts, [c.context for c in cards], problems, warnings,
                                    src)
    if problems:
        langs = deck_languages(deck)  # plain texts are in its language, deck.lang
        if lang_key(dict.fromkeys(langs, ""), lang, opts.fallback) is None:
            fix = " or ".join(f"--lang {x}" for x in langs)
            its = "its languages" if len(langs) > 1 else "its language"
            problems = [Problem(f"the deck has no {lang!r} text", src.file,
                                hint=f"{its}: {', '.join(langs)}; build {fix}, or add --fallback {langs[0]}")]
        raise DeckError(in_file_order(deck_problems + problems))
    if deck_problems:
        raise DeckError(deck_problems)
    return Prepared(loaded, theme, fonts, lang, card_w, card_h, cards, list(dict.fromkeys(warnings)),
                    sorted(images.used))


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
    for name, el in getattr(theme.theme, side).items():
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
        colors = dict(theme.theme.colors)
        if fam.id in theme.theme.families:
            colors.update(theme.theme.families[fam.id].colors)
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
            sides.append(lay)
        out.append(CardSides(-1, f"legend-{fam.id}", 1, sides[0], sides[1], ctx))
    return out


def _issue_message(issue: Issue, side: str, cid: str) -> str:
    return f"{issue.what} (card '{cid}', {side} {issue.element})"


def fit_report(prep: Prepared) -> list[tuple[str, str, FitNote]]:
    return [(c.id, side, note) for c in prep.cards for side in ("front", "back")
            for note in getattr(c, side).fits]
