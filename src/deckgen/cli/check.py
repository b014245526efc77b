"""`deckgen check`: every problem, the text fit, and (--links) dead links."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from deckgen.cli.common import _imported, _jobs, _options, _progress, _warn, print_problems
from deckgen.errors import DeckError, Problem, UsageError, count

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.deck.load import LoadedDeck
    from deckgen.pipeline.prepare import Options, Prepared

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def check(args: argparse.Namespace) -> int:
    """Check the deck in every language it uses (or --lang): model, fit, glyphs; then the language and theme of
    each of its `outputs:` targets; then its links if asked. Every problem of every language is printed once, in
    file order."""
    from deckgen.deck.languages import deck_languages
    from deckgen.deck.load import read_deck
    from deckgen.errors import in_file_order
    from deckgen.limits import MAX_CARDS

    if args.links and args.offline:
        raise UsageError("--links asks every source URL and --offline fetches nothing: choose one")
    _imported()
    # the languages of its valid part; its problems come again from prepare()
    opts = _options(args)
    loaded = read_deck(args.deck, args.allow_outside, opts.remote,
                       max_cards=None if opts.only or opts.exclude else MAX_CARDS)
    deck = loaded.deck
    langs = [args.lang] if args.lang else deck_languages(deck)
    run = _Checks(args, opts, loaded, multi=len(langs) > 1)
    for lang in langs:
        run.one(lang, None)
    for lang, theme in _target_checks(run, loaded, langs):  # each target's own language and theme
        if not args.lang and not args.theme:
            run.one(lang, theme)
    problems = in_file_order(run.problems)
    print_problems(problems)
    for lang, n in run.failed.items() if len(langs) > 1 else ():  # the problems of one language only
        if n:
            print(f"{args.deck}: {count(n, 'problem')} in language {lang}", file=sys.stderr)
    if problems or run.warned:
        print(f"{args.deck}: {total(problems, len(run.warned))}")  # stdout: stderr holds the problems only
    if run.failed or run.bad_targets:
        return EXIT_DECK
    if args.colors and run.prep is not None:
        _color_table(run.prep)
    if args.links and run.prep is not None:
        _check_links(run.prep, args)
    return EXIT_OK


class _Checks:
    """The checks of one run: each (language, theme) prepared once, problems and warnings gathered."""

    def __init__(self, args: argparse.Namespace, opts: Options, loaded: LoadedDeck, multi: bool) -> None:
        self.args, self.opts, self.loaded, self.multi = args, opts, loaded, multi
        self.common = set(loaded.problems)
        self.failed: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.warned: set[str] = set()
        self.prep: Prepared | None = None
        self.bad_targets = False

    def one(self, lang: str, theme: str | None) -> None:
        from dataclasses import replace

        from deckgen.cli.fitreport import fit_lines
        from deckgen.pipeline.prepare import prepare

        args = self.args
        try:
            with _progress(args) as bar:
                prep = prepare(args.deck, replace(self.opts, lang=lang, draw=False, theme=theme or self.opts.theme),
                               progress=bar, jobs=_jobs(args), loaded=self.loaded)
        except DeckError as exc:
            self.problems += exc.problems
            self.failed[lang] = self.failed.get(lang, 0) + len([p for p in exc.problems if p not in self.common])
            return
        self.prep = prep if theme is None else self.prep or prep
        _warn([w for w in prep.warnings if w not in self.warned])
        self.warned.update(prep.warnings)
        tag = f"[{lang}, theme {prep.theme.name}] " if theme else f"[{lang}] " if self.multi else ""
        for line in fit_lines(prep, table=args.fit):
            print(tag + line)
        fallback = f" (fallback {args.fallback})" if args.fallback else ""
        families = count(len(prep.loaded.deck.families), 'family', 'families')
        print(f"{args.deck}: OK — {prep.counted()}, {families}, "
              f"theme {prep.theme.name}, language {lang}{fallback}")


def _target_checks(run: _Checks, loaded: LoadedDeck, langs: list[str]) -> list[tuple[str, str | None]]:
    """The (language, theme) of each target not checked yet; the targets' own problems (keys, clashes) noted."""
    from pathlib import Path

    from deckgen.pipeline.targets import plan, read_targets

    targets, problems = read_targets(loaded.src)
    todo: list[tuple[str, str | None]] = []
    for t in targets:
        try:
            p = plan(t, loaded.src, loaded.path, Path("."), run.args.allow_outside)
        except DeckError as exc:
            problems += exc.problems
            continue
        lang = p.opts.lang or loaded.deck.deck.lang
        if (lang, p.opts.theme) not in todo and (p.opts.theme is not None or lang not in langs):
            todo.append((lang, p.opts.theme))
    run.problems += problems
    run.bad_targets = bool(problems)
    return todo


def total(problems: list[Problem], warnings: int) -> str:
    """Check's last line: "3 problems in 2 cards, 1 warning", "4 problems, 3 of them in 2 cards, no warnings"."""
    cards = len({p.card for p in problems if p.card is not None})
    in_cards = sum(p.card is not None for p in problems)
    what = count(len(problems), "problem") if problems else "no problems"
    if cards and in_cards == len(problems):
        what += f" in {count(cards, 'card')}"
    elif cards:
        what += f", {in_cards} of them in {count(cards, 'card')}"
    return f"{what}, {count(warnings, 'warning') if warnings else 'no warnings'}"


def _color_table(prep: Prepared) -> None:
    from deckgen.design.family_colors import GREY_TOO_CLOSE, swatches, table

    families = prep.loaded.deck.families
    if len(families) < 2:
        print("colours: fewer than 2 families, nothing to compare")
        return
    grey = prep.theme.theme.greyscale
    print(f"family colours, CIEDE2000 in normal vision and simulated deuteranopia and protanopia (Machado 2009); "
          f"ΔL* and the greyscale distance{' (theme for greyscale printing)' if grey else ''}; "
          f"* too close: below 12, 8, 8{f', {GREY_TOO_CLOSE:g}' if grey else ''}")
    for line in table(swatches(families), greyscale=grey):
        print(line)


def _link_asks(prep: Prepared) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(location, card id, url) of every source URL of the cards, each language's on its own."""
    deck = prep.loaded.deck
    asks: list[tuple[tuple[str | int, ...], str, str]] = []
    for c in prep.cards:
        source = deck.cards[c.index].source if c.index >= 0 else None
        if source is None:
            continue
        loc: tuple[str | int, ...] = ("cards", c.index, "source", "url")
        urls = source.url.items() if isinstance(source.url, dict) else [(None, source.url)]
        asks += [(loc + ((lang,) if lang else ()), c.id, url) for lang, url in urls]
    return asks


def _check_links(prep: Prepared, args: argparse.Namespace) -> None:
    from deckgen.cli.links import LinkOptions, check_links, offline, proxies

    src, asks = prep.loaded.src, _link_asks(prep)
    urls = [url for _, _, url in asks]
    for proxy in proxies(urls):
        print(f"note: links are asked through the proxy {proxy}: which addresses it reaches is the proxy's "
              "business (--allow-private does not apply to it)", file=sys.stderr)
    results = check_links(urls, LinkOptions(allow_private=args.allow_private, run_time=args.links_deadline))
    down = offline(results)
    if down is not None:
        print(f"warning: links not checked: no network ({down.reason})", file=sys.stderr)
        return
    for loc, cid, url in asks:
        r = results[url]
        if not r.checked:
            print(f"warning: {src.problem(loc, f'not checked: {r.reason} (card {cid!r})', url)}", file=sys.stderr)
        elif r.dead:
            what = f"{r.status} {r.reason}" if r.status is not None else r.reason
            print(f"warning: {src.problem(loc, f'dead link: {what} (card {cid!r})', url)}", file=sys.stderr)
        elif r.redirects:
            code, _ = r.redirects[0]
            hint = "update the URL" if code in (301, 308) else "a temporary redirect: check where it leads"
            print(f"warning: {src.problem(loc, f'redirects ({code}) to {r.final} (card {cid!r})', hint)}",
                  file=sys.stderr)
    # every count is of distinct URLs (a URL on two cards is asked once and counted once)
    dead = sum(r.dead for r in results.values())
    moved = sum(r.ok and bool(r.redirects) for r in results.values())
    unchecked = sum(not r.checked for r in results.values())
    cards = len({cid for _, cid, _ in asks})
    left = f", {unchecked} not checked" if unchecked else ""
    print(f"links: {len(results) - dead - moved - unchecked} OK, {moved} redirected, {dead} dead{left} "
          f"({len(results)} distinct URLs on {cards} cards)")
