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
    loaded = read_deck(args.deck)  # the languages of its valid part; its problems come again from prepare()
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
                prep = prepare(args.deck, replace(opts, lang=lang, draw=False), progress=bar, jobs=_jobs(args))
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
    if args.links and prep is not None:
        _check_links(prep)
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


def _check_links(prep: Prepared) -> None:
    from deckgen.cli.links import check_links, offline

    deck, src = prep.loaded.deck, prep.loaded.src
    asks: list[tuple[tuple[str | int, ...], str, str]] = []  # (location, card id, url)
    for c in prep.cards:
        source = deck.cards[c.index].source if c.index >= 0 else None
        if source is None:
            continue
        loc: tuple[str | int, ...] = ("cards", c.index, "source", "url")
        urls = source.url.items() if isinstance(source.url, dict) else [(None, source.url)]
        asks += [(loc + ((lang,) if lang else ()), c.id, url) for lang, url in urls]
    results = check_links(url for _, _, url in asks)
    down = offline(results)
    if down is not None:
        print(f"warning: links not checked: no network ({down.reason})", file=sys.stderr)
        return
    for loc, cid, url in asks:
        r = results[url]
        if r.dead:
            what = f"{r.status} {r.reason}" if r.status is not None else r.reason
            print(f"warning: {src.problem(loc, f'dead link: {what} (card {cid!r})', url)}", file=sys.stderr)
        elif r.redirects:
            code, _ = r.redirects[0]
            hint = "update the URL" if code in (301, 308) else "a temporary redirect: check where it leads"
            print(f"warning: {src.problem(loc, f'redirects ({code}) to {r.final} (card {cid!r})', hint)}",
                  file=sys.stderr)
    # every count is of distinct URLs (a URL on two cards is asked once and counted once)
    dead = sum(r.dead for r in results.values())
    moved = sum(not r.dead and bool(r.redirects) for r in results.values())
    cards = len({cid for _, cid, _ in asks})
    print(f"links: {len(results) - dead - moved} OK, {moved} redirected, {dead} dead "
          f"({len(results)} distinct URLs on {cards} cards)")


