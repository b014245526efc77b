"""Command line: parse, call, map errors to exit codes (0 ok, 1 a problem with the deck, 2 wrong usage)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from deckgen import __version__
from deckgen.errors import DeckError

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2


def _out_path(deck: str, out: str | None, suffix: str = ".pdf") -> Path:
    """Default output: the deck's file name with `suffix`, in the current folder."""
    return Path(out) if out else Path(Path(deck).stem + suffix)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("deck", metavar="DECK.yaml", help="the deck file")
    p.add_argument("--theme", metavar="NAME|PATH", help="a built-in theme or a theme file (overrides the deck's)")
    p.add_argument("--lang", metavar="LANG", help="build this language of the deck (default: deck.lang)")
    p.add_argument("--fallback", metavar="LANG", help="use this language where a text lacks --lang")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="deckgen",
        description="Turn a YAML deck of cards into print-ready PDF decks.",
        epilog="Exit codes: 0 success, 1 a problem with the deck, 2 wrong usage. `deckgen COMMAND --help` for more.",
    )
    ap.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    b = sub.add_parser("build", help="build a PDF to print on a duplex printer and cut",
                       description="Lay the cards out on sheets: each sheet's front page is followed by its back "
                                   "page, with the backs placed to land behind their fronts.")
    _common(b)
    b.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: DECK.pdf in this folder)")
    b.add_argument("--paper", choices=["a4", "letter", "a3"], default="a4", help="sheet size (default a4)")
    b.add_argument("--duplex", choices=["long", "short", "none"], default="long",
                   help="how the printer flips the sheet: long edge (default), short edge, or none "
                        "(single-sided: backs unmirrored)")
    b.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    b.set_defaults(func=_build)

    c = sub.add_parser("check", help="validate a deck and report every problem and the text fit",
                       description="Validate a deck and its theme, lay out every card, and report every problem.")
    _common(c)
    c.add_argument("--allow-overflow", action="store_true", help="report text that does not fit as warnings")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=_check)

    t = sub.add_parser("themes", help="list the built-in themes", description="List the built-in themes.")
    t.set_defaults(func=_themes)
    return ap


def main(argv: list[str] | None = None) -> int:
    # deckgen uses no pydantic plugins: skip their discovery, a scan of every installed package (~15 ms)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    ap = parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except DeckError as exc:
        for problem in exc.problems:
            print(f"error: {problem}" if not problem.file else str(problem), file=sys.stderr)
        return EXIT_DECK
    except KeyboardInterrupt:
        return 130


def _options(args: argparse.Namespace):  # -> build.Options, imported lazily to keep --help fast
    from deckgen.build import Options

    return Options(theme=args.theme, lang=args.lang, fallback=args.fallback,
                   allow_overflow=getattr(args, "allow_overflow", False))


def _imported() -> None:
    """The heavy modules are loaded: their objects live as long as the process, so the cyclic garbage collector
    need not scan them again and again while a deck is built (about 10 % of a small build)."""
    if not getattr(_imported, "done", False):
        gc.freeze()
        _imported.done = True  # type: ignore[attr-defined]


def _progress(args: argparse.Namespace):  # -> progress.Bar: on a terminal's stderr, after 2 s, unless --quiet
    from deckgen.progress import Bar

    return Bar(enabled=not getattr(args, "quiet", False))


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from deckgen.build import doc_info, home_pages, prepare, write_atomic
    from deckgen.render_pdf import render

    _imported()

    start = time.perf_counter()
    out = _out_path(args.deck, args.output)
    with _progress(args) as bar:
        prep = prepare(args.deck, _options(args), progress=bar)
        _warn(prep.warnings)
        pages = home_pages(prep, args.paper, args.duplex)
        data = render(pages, prep.card_w, prep.card_h, prep.fonts, doc_info(prep, args.duplex), progress=bar)
    try:
        write_atomic(out, data)
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_DECK
    if args.quiet:
        return EXIT_OK
    n = len(prep.sides())
    flip = {"long": "duplex, long-edge flip", "short": "duplex, short-edge flip", "none": "single-sided"}
    print(f"{out}: {n} cards on {len(pages) // 2} {args.paper.upper() if args.paper != 'letter' else 'Letter'} "
          f"sheets ({len(pages)} pages, {flip[args.duplex]}, theme {prep.theme.name}) "
          f"in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from deckgen.build import fit_report, prepare

    _imported()

    with _progress(args) as bar:
        prep = prepare(args.deck, _options(args), progress=bar)
    _warn(prep.warnings)
    deck = prep.loaded.deck
    for cid, side, note in fit_report(prep):
        if note.field and note.size <= note.min_size + 1e-9 and note.size < _nominal(prep, side, note.element):
            print(f"{cid}: {side} {note.element} ({note.field}) needed its minimum size {note.size:g}pt")
    print(f"{args.deck}: OK — {len(deck.cards)} cards, {len(deck.families)} families, "
          f"theme {prep.theme.name}, language {prep.lang}")
    return EXIT_OK


def _nominal(prep, side: str, element: str) -> float:
    from deckgen.units import parse_length

    el = getattr(prep.theme.theme, side)[element]
    return parse_length(el.size)


def _themes(args: argparse.Namespace) -> int:
    import yaml

    from deckgen.loader import builtin_themes

    for name, path in builtin_themes().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        print(f"{name}  {data.get('description', '')}")
    return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
