"""`deckgen check`: every problem, the text fit, and (--links) dead links."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from deckgen.cli.common import _imported, _jobs, _options, _progress, _warn, print_problems
from deckgen.errors import DeckError, Problem, count

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.pipeline.prepare import Prepared

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def check(args: argparse.Namespace) -> int:
    """Check the deck in every language it uses (or --lang): model, fit, glyphs; then its links if asked.
    Every problem of every language is printed once, in file order."""
    from dataclasses import replace

    from deckgen.cli.fitreport import fit_lines
    from deckgen.deck.languages import deck_languages
    from deckgen.deck.load import read_deck
    from deckgen.errors import in_file_order
    from deckgen.pipeline.prepare import prepare

    _imported()
    # read once: its languages, and every language's prepare() (which reports its problems)
    loaded = read_deck(args.deck, args.allow_outside)
    deck, common = loaded.deck, set(loaded.problems)
    langs = [args.lang] if args.lang else deck_languages(deck)
    opts = _options(args)
    failed: dict[str, int] = {}
    problems: list[Problem] = []
    warned: set[str] = set()
    prep = None
    for lang in langs:
        try:
            with _progress(args) as bar:
                prep = prepare(args.deck, replace(opts, lang=lang, draw=False), progress=bar, jobs=_jobs(args),
                               loaded=loaded)
        except DeckError as exc:
            problems += exc.problems
            failed[lang] = len([p for p in exc.problems if p not in common])
            continue
        _warn([w for w in prep.warnings if w not in warned])
        warned.update(prep.warnings)
        tag = f"[{lang}] " if len(langs) > 1 else ""
        for line in fit_lines(prep, table=args.fit):
            print(tag + line)
        fallback = f" (fallback {args.fallback})" if args.fallback else ""
        families = count(len(deck.families), 'family', 'families')
        print(f"{args.deck}: OK — {prep.counted()}, {families}, "
              f"theme {prep.theme.name}, language {lang}{fallback}")
    problems = in_file_order(problems)
    print_problems(problems)
    for lang, n in failed.items() if len(langs) > 1 else ():  # the problems of one language only
        if n:
            print(f"{args.deck}: {count(n, 'problem')} in language {lang}", file=sys.stderr)
    if problems or warned:
        print(f"{args.deck}: {total(problems, len(warned))}")  # stdout: stderr holds the problems only
    if failed:
        return EXIT_DECK
    if args.colors and prep is not None:
        _color_table(prep)
    if args.links and prep is not None:
        _check_links(prep, args)
    return EXIT_OK


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
