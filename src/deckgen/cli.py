"""Command line: parse, call, map errors to exit codes (0 ok, 1 a problem with the deck, 2 wrong usage)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from deckgen import __version__
from deckgen.errors import DeckError, UsageError

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2


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

    b = sub.add_parser("build", help="build the print files: duplex sheets, shop pages, PNG images, fold sheets",
                       description="Lay the cards out on sheets: each sheet's front page is followed by its back "
                                   "page, with the backs placed to land behind their fronts. --profile makes "
                                   "files for print shops, online card printers, or printers without duplex.")
    _common(b)
    b.add_argument("-o", "--output", metavar="OUT", help="output file, or folder for --profile png (default: "
                   "DECK.pdf, DECK-shop.pdf, DECK-png/, DECK-fold.pdf or DECK-pdfx.pdf in this folder)")
    b.add_argument("--paper", choices=["a4", "letter", "a3"], help="sheet size (default a4)")
    b.add_argument("--duplex", choices=["long", "short", "none"],
                   help="how the printer flips the sheet: long edge (default), short edge, or none "
                        "(single-sided: backs unmirrored)")
    b.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    _print_options(b)
    b.set_defaults(func=_build)

    k = sub.add_parser("calibrate", help="write a two-page sheet that measures a duplex printer's back offset",
                       description="Write a two-page calibration sheet: print it duplex, hold it against the light "
                                   "and read on the back's scales the X,Y to pass as --back-offset.")
    k.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: calibration.pdf in this folder)")
    k.add_argument("--paper", choices=["a4", "letter", "a3"], help="sheet size (default a4)")
    k.add_argument("--duplex", choices=["long", "short", "none"], help="flip edge asked of the printer (default long)")
    k.add_argument("--back-offset", metavar="X,Y", help="move the back page by X,Y mm, to check a calibration")
    k.add_argument("--printer", metavar="NAME", help="take paper, flip edge and back offset from a named printer")
    k.add_argument("--printers", metavar="FILE", help="the printers file (default ./printers.yaml, then "
                                                      "~/.config/deckgen/printers.yaml)")
    k.add_argument("--color", choices=["rgb", "cmyk"], help="colour space of the file (default rgb)")
    k.set_defaults(func=_calibrate)

    c = sub.add_parser("check", help="validate a deck and report every problem and the text fit",
                       description="Validate a deck and its theme, lay out every card, and report every problem.")
    _common(c)
    c.add_argument("--allow-overflow", action="store_true", help="report text that does not fit as warnings")
    c.set_defaults(func=_check)

    t = sub.add_parser("themes", help="list the built-in themes", description="List the built-in themes.")
    t.set_defaults(func=_themes)
    return ap


def _print_options(b: argparse.ArgumentParser) -> None:
    g = b.add_argument_group("print production")
    g.add_argument("--profile", choices=["home", "shop", "png", "fold"],
                   help="home: sheets for a duplex printer (default); shop: one card face per page with bleed and "
                        "TrimBox, for print shops; png: one image per face at 300 dpi, for online card printers; "
                        "fold: fronts and backs on one side of the sheet, to fold and glue (no duplex needed)")
    g.add_argument("--bleed", metavar="LENGTH", help="art beyond the cut on every side: 3mm, 0.125in; a bare number "
                   "is mm (default 3mm for shop and png; none on sheets, where gutters need room)")
    g.add_argument("--order", choices=["interleaved", "fronts-first"],
                   help="shop pages: front 1, back 1, front 2… (default) or every front, then every back")
    g.add_argument("--service", choices=sorted(SERVICE_NAMES), help="png at a service's exact size: mpc "
                   "(MakePlayingCards, 822×1122 px) or tgc (The Game Crafter, 825×1125 px)")
    g.add_argument("--color", choices=["rgb", "cmyk"], help="cmyk: every colour CMYK, black as pure K, crop "
                   "marks in registration colour (default rgb)")
    g.add_argument("--pdfx", action="store_true", help="write PDF/X-1a:2003 for print shops (CMYK; --profile shop "
                   "unless given)")
    g.add_argument("--condition", metavar="NAME", help="--pdfx printing condition: FOGRA39 (default), FOGRA51, "
                   "FOGRA29, \"CGATS TR 006\" (gracol), \"CGATS TR 001\" (swop), JC200103")
    g.add_argument("--back-offset", metavar="X,Y", help="move every back page X mm right and Y mm up, as measured "
                   "with `deckgen calibrate` (negative: --back-offset=-1,2)")
    g.add_argument("--printer", metavar="NAME", help="take paper, flip edge and back offset from a named printer")
    g.add_argument("--printers", metavar="FILE", help="the printers file (default ./printers.yaml, then "
                   "~/.config/deckgen/printers.yaml)")
    g.add_argument("--decks", type=int, metavar="N", help="N full decks in one file (default 1)")


SERVICE_NAMES = ("mpc", "tgc")


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"{ap.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def _printer(args: argparse.Namespace):  # -> printers.PrinterSettings | None
    if args.printer is None:
        if args.printers is not None:
            raise UsageError("--printers names the file that --printer NAME reads: add --printer")
        return None
    from deckgen.printers import load_printer

    return load_printer(args.printer, args.printers)


def _build(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from deckgen.build import prepare
    from deckgen.produce import write
    from deckgen.profiles import default_output, resolve_job

    start = time.perf_counter()
    job = resolve_job(args, _printer(args))
    out = Path(args.output) if args.output else default_output(args.deck, job)
    prep = prepare(args.deck, replace(_options(args), bleed=job.layout_bleed))
    try:
        summary = write(prep, job, out)
    except OSError as exc:
        _warn(prep.warnings)
        print(f"error: {out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_DECK
    _warn(prep.warnings)
    print(f"{summary} in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def _calibrate(args: argparse.Namespace) -> int:
    from deckgen.build import write_atomic
    from deckgen.printers import parse_offset
    from deckgen.produce import calibration, paper_name

    printer = _printer(args)
    paper = args.paper or (printer.paper if printer and printer.paper else "a4")
    duplex = args.duplex or (printer.duplex if printer and printer.duplex else "long")
    offset = printer.back_offset if printer else (0.0, 0.0)
    if args.back_offset is not None:
        try:
            offset = parse_offset(args.back_offset)
        except ValueError as exc:
            raise UsageError(f"--back-offset: {exc}") from None
    out = Path(args.output or "calibration.pdf")
    try:
        write_atomic(out, calibration(paper, offset, args.color or "rgb", duplex))
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_DECK
    mm = 72 / 25.4
    print(f"{out}: duplex calibration sheet, {paper_name(paper)}, 2 pages (back moved {offset[0] / mm:g},"
          f"{offset[1] / mm:g} mm): print it duplex at 100 %, then read X,Y on the back's scales")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from deckgen.build import fit_report, prepare

    prep = prepare(args.deck, _options(args))
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
