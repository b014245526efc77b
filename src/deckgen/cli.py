"""Command line: parse, call, map errors to exit codes (0 ok, 1 a problem with the deck, 2 wrong usage)."""

from __future__ import annotations

import argparse
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


def _selection(text: str):  # -> select.Expr
    from deckgen.select import parse_expr

    try:
        return parse_expr(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("deck", metavar="DECK.yaml", help="the deck file")
    p.add_argument("--theme", metavar="NAME|PATH", help="a built-in theme or a theme file (overrides the deck's)")
    p.add_argument("--lang", metavar="LANG", help="build this language of the deck (default: deck.lang)")
    p.add_argument("--fallback", metavar="LANG", help="use this language where a text lacks --lang")
    p.add_argument("--only", metavar="EXPR", action="append", type=_selection, default=[],
                   help="only the cards that match: id=a,b  family=edition  tag=atelier-1 (repeat: all must hold)")
    p.add_argument("--exclude", metavar="EXPR", action="append", type=_selection, default=[],
                   help="leave out the cards that match (same forms as --only)")
    p.add_argument("--renumber", action="store_true",
                   help="number the selected cards 1..n (default: keep the full deck's numbers)")
    p.add_argument("--allow-outside", action="store_true",
                   help="allow images from outside the deck's folder (refused by default)")


def _pdf_options(p: argparse.ArgumentParser) -> None:
    """The options of the PDF that `build` writes (and `watch` rebuilds)."""
    p.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: DECK.pdf in this folder)")
    p.add_argument("--paper", choices=["a4", "letter", "a3"], default="a4", help="sheet size (default a4)")
    p.add_argument("--duplex", choices=["long", "short", "none"], default="long",
                   help="how the printer flips the sheet: long edge (default), short edge, or none "
                        "(single-sided: backs unmirrored)")
    p.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")


def _dpi(text: str) -> float:
    try:
        dpi = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 10 <= dpi <= 1200:
        raise argparse.ArgumentTypeError("choose a dpi between 10 and 1200")
    return dpi


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
    _pdf_options(b)
    b.set_defaults(func=_build)

    c = sub.add_parser("check", help="validate a deck and report every problem and the text fit",
                       description="Validate a deck and its theme, lay out every card, and report every problem.")
    _common(c)
    c.add_argument("--allow-overflow", action="store_true", help="report text that does not fit as warnings")
    c.add_argument("--fit", action="store_true",
                   help="print the size every text was set at, card by card (default: a summary)")
    c.set_defaults(func=_check)

    v = sub.add_parser("preview", help="write a PNG of each card side and a contact sheet",
                       description="Write ID-front.png and ID-back.png for every card, at the pixel size the card "
                                   "and --dpi imply, and contact-sheet.png with every front.")
    _common(v)
    v.add_argument("-o", "--output", metavar="DIR", help="folder for the PNGs (default: DECK-preview)")
    v.add_argument("--dpi", type=_dpi, default=150, help="resolution (default 150: a poker card is 372×520 px)")
    v.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    v.set_defaults(func=_preview)

    w = sub.add_parser("watch", help="rebuild the PDF (and previews) whenever the deck, theme or an image changes",
                       description="Build, then rebuild whenever a file the build read changes; problems are "
                                   "printed and the watch goes on. Stop it with Ctrl-C.")
    _common(w)
    _pdf_options(w)
    w.add_argument("--preview", metavar="DIR", help="also write the previews (as `deckgen preview`) to DIR")
    w.add_argument("--dpi", type=_dpi, default=150, help="resolution of the previews (default 150)")
    w.set_defaults(func=_watch)

    s = sub.add_parser("schema", help="print the JSON Schema of the deck format (or of themes)",
                       description="Print the JSON Schema of the deck format as users write it, for editors "
                                   "(schema/deck.schema.json in the repository).")
    s.add_argument("--theme", action="store_true", help="the schema of theme files instead")
    s.set_defaults(func=_schema)

    t = sub.add_parser("themes", help="list the built-in themes",
                       description="List the built-in themes, one per line: NAME  description.")
    t.add_argument("--copy", nargs=2, metavar=("NAME", "FILE.yaml"),
                   help="copy a built-in theme to FILE.yaml, to change it (never overwrites a file)")
    t.set_defaults(func=_themes)
    return ap


def main(argv: list[str] | None = None) -> int:
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
    except BrokenPipeError:  # `deckgen check --fit | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return EXIT_OK


def _options(args: argparse.Namespace):  # -> build.Options, imported lazily to keep --help fast
    from deckgen.build import Options

    return Options(theme=args.theme, lang=args.lang, fallback=args.fallback,
                   allow_overflow=getattr(args, "allow_overflow", False), only=tuple(args.only),
                   exclude=tuple(args.exclude), renumber=args.renumber,
                   allow_outside=getattr(args, "allow_outside", False))


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def _build(args: argparse.Namespace, prep=None, start: float | None = None) -> int:
    """Build the PDF; `watch` passes the build.Prepared it made, and when it started making it."""
    from deckgen.build import doc_info, home_pages, prepare, write_atomic
    from deckgen.render_pdf import render

    start = start if start is not None else time.perf_counter()
    out = _out_path(args.deck, args.output)
    if prep is None:
        prep = prepare(args.deck, _options(args))
    _warn(prep.warnings)
    pages = home_pages(prep, args.paper, args.duplex)
    data = render(pages, prep.card_w, prep.card_h, prep.fonts, doc_info(prep, args.duplex))
    try:
        write_atomic(out, data)
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_DECK
    n = len(prep.sides())
    flip = {"long": "duplex, long-edge flip", "short": "duplex, short-edge flip", "none": "single-sided"}
    sheets = len(pages) // 2
    paper = args.paper.upper() if args.paper != "letter" else "Letter"
    print(f"{out}: {n} cards on {sheets} {paper} sheet{'s' if sheets != 1 else ''} "
          f"({len(pages)} pages, {flip[args.duplex]}, theme {prep.theme.name}) "
          f"in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from deckgen.build import prepare
    from deckgen.fitreport import fit_lines

    prep = prepare(args.deck, _options(args))
    _warn(prep.warnings)
    deck = prep.loaded.deck
    for line in fit_lines(prep, table=args.fit):
        print(line)
    print(f"{args.deck}: OK — {len(deck.cards)} cards, {len(deck.families)} families, "
          f"theme {prep.theme.name}, language {prep.lang}")
    return EXIT_OK


def _write_previews(prep, folder: Path, dpi: float, cache=None) -> str:
    from deckgen.preview import write_previews

    start = time.perf_counter()
    res = write_previews(prep, folder, dpi, cache)
    w, h = res.size
    return (f"{folder}/: {len(res.files)} card sides ({w}×{h} px at {dpi:g} dpi, {res.drawn} redrawn) and "
            f"{res.contact.name} in {time.perf_counter() - start:.2f} s")


def _preview(args: argparse.Namespace) -> int:
    from deckgen.build import prepare

    prep = prepare(args.deck, _options(args))
    _warn(prep.warnings)
    folder = Path(args.output) if args.output else Path(Path(args.deck).stem + "-preview")
    print(_write_previews(prep, folder, args.dpi))
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from deckgen.build import prepare
    from deckgen.preview import PreviewCache
    from deckgen.watch import watch

    cache = PreviewCache()
    opts = _options(args)

    def rebuild():
        start = time.perf_counter()
        prep = prepare(args.deck, opts)
        print(time.strftime("%H:%M:%S"), end=" ", flush=True)
        if _build(args, prep, start) != EXIT_OK:
            return prep.inputs()
        if args.preview:
            print(_write_previews(prep, Path(args.preview), args.dpi, cache))
        return prep.inputs()

    def report(exc: DeckError) -> None:
        print(time.strftime("%H:%M:%S"), f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}, "
              "waiting for a change:", file=sys.stderr)
        for problem in exc.problems:
            print(f"error: {problem}" if not problem.file else str(problem), file=sys.stderr)

    print(f"watching {args.deck} and the files it uses; Ctrl-C to stop", flush=True)
    try:
        watch(rebuild, Path(args.deck), report=report)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from deckgen.schema import deck_schema, dumps, theme_schema

    sys.stdout.write(dumps(theme_schema() if args.theme else deck_schema()))
    return EXIT_OK


def _themes(args: argparse.Namespace) -> int:
    import yaml

    from deckgen.errors import Problem, did_you_mean
    from deckgen.loader import builtin_themes

    if args.copy:
        name, dest = args.copy[0], Path(args.copy[1])
        themes = builtin_themes()
        if name not in themes:
            hint = did_you_mean(name, themes) or "built-in themes: " + ", ".join(themes)
            raise DeckError(Problem(f"unknown theme {name!r}", hint=hint))
        if dest.exists():
            raise DeckError(Problem("the file exists already", str(dest), hint="choose another name"))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(themes[name].read_bytes())
        print(f"{dest}: a copy of {name}; use it with `theme: {dest.name}` in a deck next to it, or --theme {dest}")
        return EXIT_OK
    for name, path in builtin_themes().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        print(f"{name}  {data.get('description', '')}")
    return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
