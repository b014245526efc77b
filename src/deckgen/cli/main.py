"""Command line: parse, call, map errors to exit codes (0 ok, 1 a problem with the deck, 2 wrong usage, 3 a bug).

Everything printed goes through `terminal.Escaping`: a control character from the user's files is shown
escaped, never sent to the terminal. An unexpected exception is one line saying it is a bug (exit 3);
`--debug`, anywhere on the command line, shows its traceback instead.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING

from deckgen import __version__
from deckgen.cli import build, check, common, handout, icons, imports, init, make, preview, schema, serve, themes, watch
from deckgen.cli.common import EXIT_OK
from deckgen.cli.terminal import Escaping
from deckgen.errors import DeckError, UsageError, WriteError
from deckgen.presets import papers

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.deck.select import Expr

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]  # what `deckgen COMMAND` parsers are added to

GC_THRESHOLD = 50_000  # objects made before the garbage collector's youngest generation runs (see main)


def _selection(text: str) -> Expr:
    from deckgen.deck.select import parse_expr

    try:
        return parse_expr(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _lang_tag(text: str) -> str:
    from deckgen.deck.model import LANG

    if not LANG.match(text):
        raise argparse.ArgumentTypeError(f"not a language tag: {text!r} (e.g. fr, en, fr-CA)")
    return text


def _encoding(text: str) -> str:
    from deckgen.deck.spreadsheets.encodings import text_encoding

    if text_encoding(text) is None:
        raise argparse.ArgumentTypeError(f"not a text encoding: {text!r} (e.g. utf-8, cp1252, shift_jis)")
    return text


def _delimiter(text: str) -> str:
    text = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(text.lower(), text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"a delimiter is one character (or 'tab'), not {text!r}")
    return text


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("deck", metavar="DECK.yaml", help="the deck file")
    p.add_argument("--theme", metavar="NAME|PATH", help="a built-in theme or a theme file (overrides the deck's)")
    p.add_argument("--lang", metavar="LANG", type=_lang_tag,
                   help="build this language of the deck (default: deck.lang; check: every language it uses)")
    p.add_argument("--fallback", metavar="LANG", type=_lang_tag, help="use this language where a text lacks --lang")
    p.add_argument("--only", metavar="EXPR", action="append", type=_selection, default=[],
                   help="only the cards that match: id=a,b  family=edition  tag=atelier-1 (repeat: all must hold)")
    p.add_argument("--exclude", metavar="EXPR", action="append", type=_selection, default=[],
                   help="leave out the cards that match (same forms as --only)")
    p.add_argument("--renumber", action="store_true",
                   help="number the selected cards 1..n (default: keep the full deck's numbers)")
    _allow_outside(p)
    _online(p)


def _allow_outside(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-outside", action="store_true",
                   help="allow images, fonts, spreadsheets and themes from outside the deck's folder "
                        "(refused by default)")


def _online(p: argparse.ArgumentParser) -> None:
    """How spreadsheets named by URL are fetched (and, for check --links, which addresses are asked)."""
    p.add_argument("--allow-private", action="store_true",
                   help="fetch spreadsheets (and, with check --links, ask links) at addresses that are not public: "
                        "this machine, the local network")
    p.add_argument("--refresh", action="store_true",
                   help="fetch online spreadsheets again, even when fetched less than 60 s ago")
    p.add_argument("--offline", action="store_true",
                   help="fetch nothing: use the cached copies of online spreadsheets, whatever their age")


def _pdf_options(p: argparse.ArgumentParser) -> None:
    """The options of the print files that `build` writes (and `watch` rebuilds)."""
    p.add_argument("-o", "--output", metavar="OUT", help="output file, or folder for --profile png (default: "
                   "DECK.pdf, DECK-shop.pdf, DECK-png/, DECK-fold.pdf or DECK-pdfx.pdf in this folder)")
    p.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    p.add_argument("--legend", action="store_true",
                   help="add one legend card per family (its colour, name and description) before the cards")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    _print_options(p)


def _dpi(text: str) -> float:
    try:
        dpi = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 10 <= dpi <= 1200:
        raise argparse.ArgumentTypeError("choose a dpi between 10 and 1200")
    return dpi


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86400:  # NaN fails too
        raise argparse.ArgumentTypeError(f"a number of seconds between 0 and 86400, not {text!r}")
    return value


def _jobs_count(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("1 or more (1: everything in this process)")
    return jobs


def _jobs(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-j", "--jobs", metavar="N", type=_jobs_count,
                   help=f"processes that {what} (default: one per core; 1: none started)")


def parser() -> argparse.ArgumentParser:
    """The command line: the global options, then one function per command adds its subparser."""
    ap = argparse.ArgumentParser(
        prog="deckgen",
        description="Turn a YAML deck of cards into print-ready PDF decks.",
        epilog="Exit codes: 0 success, 1 a problem with the deck, 2 wrong usage, 3 a bug in deckgen (--debug shows "
               "its traceback). `deckgen COMMAND --help` for more.",
    )
    ap.add_argument("--version", action="version", version=f"deckgen {__version__}")
    ap.add_argument("--debug", action="store_true", help="show the traceback of an internal error (anywhere on the "
                    "command line)")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in (_build_command, _make_command, _calibrate_command, _check_command, _preview_command, _watch_command,
                    _serve_command, _handout_command, _import_command, _init_command, _schema_command,
                    _themes_command, _icons_command):  # in this order in `deckgen --help`
        command(sub)
    return ap


def _build_command(sub: Commands) -> None:
    b = sub.add_parser("build", help="build the print files: duplex sheets, shop pages, PNG images, fold sheets",
                       description="Lay the cards out on sheets: each sheet's front page is followed by its back "
                                   "page, with the backs placed to land behind their fronts. --profile makes "
                                   "files for print shops, online card printers, or printers without duplex.")
    _common(b)
    _pdf_options(b)
    _jobs(b, "lay out a big deck and draw PNG images")
    b.set_defaults(func=build.build)


def _make_command(sub: Commands) -> None:
    m = sub.add_parser("make", help="make every file the deck's outputs: lists (or the targets named)",
                       description="Make each target of the deck's outputs: section (profile, paper, language, "
                                   "theme, selection, output name, or the handout), skipping those whose inputs "
                                   "and output are unchanged since the last make (content hashes in "
                                   ".deckgen-make.json beside the outputs).")
    m.add_argument("deck", metavar="DECK.yaml", help="the deck file")
    m.add_argument("targets", metavar="TARGET", nargs="*", help="the targets to make (default: every one)")
    m.add_argument("-d", "--dir", metavar="DIR", default=".",
                   help="folder for the outputs and the state file (default: this folder; made if missing, "
                        "not its parents)")
    m.add_argument("--force", action="store_true", help="rebuild every target asked, even when up to date")
    _allow_outside(m)
    m.add_argument("--printers", metavar="FILE", help="the printers file that targets with printer: read "
                   "(default ./printers.yaml, then ~/.config/deckgen/printers.yaml)")
    m.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary lines")
    _online(m)
    _jobs(m, "lay out a big deck and draw PNG images")
    m.set_defaults(func=make.make)


def _calibrate_command(sub: Commands) -> None:
    k = sub.add_parser("calibrate", help="write a two-page sheet that measures a duplex printer's back offset",
                       description="Write a two-page calibration sheet: print it duplex, hold it against the light "
                                   "and read on the back's scales the X,Y to pass as --back-offset.")
    k.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: calibration.pdf in this folder)")
    k.add_argument("--paper", type=str.lower, choices=list(papers()), help="sheet size (default a4)")
    k.add_argument("--duplex", type=str.lower, choices=["long", "short", "none"],
                   help="flip edge asked of the printer (default long)")
    k.add_argument("--back-offset", metavar="X,Y", help="move the back page by X,Y mm, to check a calibration")
    k.add_argument("--printer", metavar="NAME", help="take paper, flip edge and back offset from a named printer")
    k.add_argument("--printers", metavar="FILE", help="the printers file (default ./printers.yaml, then "
                                                      "~/.config/deckgen/printers.yaml)")
    k.add_argument("--color", type=str.lower, choices=["rgb", "cmyk"], help="colour space of the file (default rgb)")
    k.set_defaults(func=build.calibrate)


def _check_command(sub: Commands) -> None:
    c = sub.add_parser("check", help="validate a deck and report every problem and the text fit",
                       description="Validate a deck and its theme, lay out every card, and report every problem.")
    _common(c)
    c.add_argument("--allow-overflow", action="store_true", help="report text that does not fit as warnings")
    c.add_argument("--fit", action="store_true",
                   help="print the size every text was set at, card by card (default: a summary)")
    c.add_argument("--press", action="store_true",
                   help="check for offset printing (as --color cmyk and --pdfx builds do): warn about white text "
                        "under 8 pt on bands of more than one ink")
    c.add_argument("--links", action="store_true",
                   help="ask each source URL (HEAD, then GET) and warn about dead links and redirects")
    c.add_argument("--colors", action="store_true",
                   help="print the distances between family colours (CIEDE2000, deuteranopia, protanopia, "
                        "greyscale)")
    c.add_argument("--links-deadline", type=_seconds, default=60.0, metavar="SECONDS",
                   help="--links: stop asking after this long; links left are listed as not checked (default 60)")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _jobs(c, "lay out a big deck")
    c.set_defaults(func=check.check)


def _preview_command(sub: Commands) -> None:
    v = sub.add_parser("preview", help="write a PNG of each card side and a contact sheet",
                       description="Write ID-front.png and ID-back.png for every card, at the pixel size the card "
                                   "and --dpi imply, and contact-sheet.png with every front.")
    _common(v)
    v.add_argument("-o", "--output", metavar="DIR", help="folder for the PNGs (default: DECK-preview)")
    v.add_argument("--dpi", type=_dpi, default=150, help="resolution (default 150: a poker card is 372×520 px)")
    v.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    _jobs(v, "lay out a big deck and draw the previews")
    v.set_defaults(func=preview.preview)


def _watch_command(sub: Commands) -> None:
    w = sub.add_parser("watch", help="rebuild the PDF (and previews) whenever the deck, theme or an image changes",
                       description="Build, then rebuild whenever a file the build read changes; problems are "
                                   "printed and the watch goes on. Stop it with Ctrl-C.")
    _common(w)
    _pdf_options(w)
    w.add_argument("--preview", metavar="DIR", help="also write the previews (as `deckgen preview`) to DIR")
    w.add_argument("--dpi", type=_dpi, default=150, help="resolution of the previews (default 150)")
    _jobs(w, "draw the previews and PNG images")
    w.set_defaults(func=watch.watch)


def _serve_command(sub: Commands) -> None:
    sv = sub.add_parser("serve", help="a live preview in the browser that updates as you save",
                        description="Serve a page with every card (front and back), overlays and the problems "
                                    "`deckgen check` prints; cards update after each save. Ctrl-C stops it.")
    _common(sv)
    sv.add_argument("--port", type=int, metavar="N", help="port (default 8000, or the next free one; 0: any)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine "
                                                        "only)")
    sv.add_argument("--open", action="store_true", help="open the page in the system's browser")
    sv.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    sv.set_defaults(func=serve.serve)


def _handout_command(sub: Commands) -> None:
    h = sub.add_parser("handout", help="a few pages listing the cards by family, with their QR codes",
                       description="Write the facilitator handout: the deck's title, a legend of the families, "
                                   "then every card by family with its number, title, summary and QR code.")
    _common(h)
    h.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: DECK-handout.pdf in this folder)")
    h.add_argument("--paper", type=str.lower, choices=[k for k, sheet in papers().items() if sheet.handout],
                   default="a4",
                   help="page size (default a4)")
    h.add_argument("--allow-overflow", action="store_true", help="cut text that does not fit with … and warn")
    _jobs(h, "lay out a big deck")
    h.set_defaults(func=handout.handout)


def _import_command(sub: Commands) -> None:
    i = sub.add_parser("import", help="turn a spreadsheet (.csv or .xlsx) into a deck file",
                       description="Read one card per row (columns by header: title, summary, body, family, "
                                   "source, source_label, tags, copies, id, title.en…) and write a deck file.")
    i.add_argument("table", metavar="TABLE", help="a .csv or .xlsx file, or its http(s) URL (a Google Sheets "
                                                  "link as the browser shows it)")
    i.add_argument("-o", "--output", metavar="DECK.yaml", help="output file (default: TABLE.yaml in this folder)")
    i.add_argument("--title", help="the deck's title (default: from the file name)")
    i.add_argument("--lang", type=_lang_tag, help="the deck's language, the one of its plain text columns "
                                                  "(default: guessed from the column names and texts, else en)")
    i.add_argument("--encoding", type=_encoding, help="the CSV's encoding (default: detected: UTF-8 or Windows-1252)")
    i.add_argument("--delimiter", type=_delimiter, help="the CSV's separator: ';' ',' tab '|' (default: detected)")
    i.add_argument("--sheet", help="the .xlsx sheet of the cards (default: the first)")
    i.add_argument("--link", action="store_true",
                   help="write a deck that reads the spreadsheet at each build (cards: {from: TABLE}) instead "
                        "of copying its rows")
    i.add_argument("--force", action="store_true", help="replace the output file when it exists")
    _online(i)
    i.set_defaults(func=imports.import_spreadsheet)


def _init_command(sub: Commands) -> None:
    n = sub.add_parser("init", help="start a deck: a commented deck, its theme and a spreadsheet to import",
                       description="Write deck.yaml (a starter deck, every key explained), my-theme.yaml (its "
                                   "theme) and trends.xlsx (the README's trainer example) into FOLDER. Never "
                                   "replaces a file.")
    n.add_argument("folder", metavar="FOLDER", nargs="?", default=".",
                   help="where to write them (default: this folder; made if missing, not its parents)")
    n.set_defaults(func=init.init)


def _schema_command(sub: Commands) -> None:
    s = sub.add_parser("schema", help="print the JSON Schema of the deck format (or of themes)",
                       description="Print the JSON Schema of the deck format as users write it, for editors "
                                   "(schema/deck.schema.json in the repository).")
    s.add_argument("--theme", action="store_true", help="the schema of theme files instead")
    s.set_defaults(func=schema.schema)


def _themes_command(sub: Commands) -> None:
    t = sub.add_parser("themes", help="list the built-in themes",
                       description="List the built-in themes, one per line: NAME  description.")
    t.add_argument("--copy", nargs=2, metavar=("NAME", "FILE.yaml"),
                   help="copy a built-in theme to FILE.yaml, to change it (never overwrites a file)")
    t.set_defaults(func=themes.themes)


def _icons_command(sub: Commands) -> None:
    i = sub.add_parser("icons", help="list the icons usable by name (icon: NAME, or :NAME: in a text)",
                       description="List the icons of the pinned Lucide set whose name contains WORD, then those "
                                   "tagged with it; without WORD, every icon.")
    i.add_argument("word", nargs="?", metavar="WORD", help="a word to look for, e.g. heart")
    i.set_defaults(func=icons.icons)


def _print_options(b: argparse.ArgumentParser) -> None:
    """The print options, built from the profile registry and its table of options (pipeline.options)."""
    from deckgen.pipeline.options import OPTIONS
    from deckgen.pipeline.profiles import PROFILES

    def plain(text: str) -> str:  # argparse formats help with %: the table's texts are plain ("in %")
        return text.replace("%", "%%")

    g = b.add_argument_group("print production")
    g.add_argument("--profile", type=str.lower, choices=list(PROFILES),
                   help=plain("; ".join(f"{p.name}: {p.help}" for p in PROFILES.values())))
    for opt in OPTIONS:
        if opt.kind == "flag":
            g.add_argument(opt.flag, action="store_true", help=plain(opt.help))
        else:
            kind = int if opt.kind == "int" else str.lower if opt.choices else str  # --paper A4 as well as a4
            g.add_argument(opt.flag, metavar=opt.metavar, type=kind,
                           choices=opt.choices() if opt.choices else None, help=plain(opt.help))
    g.add_argument("--printers", metavar="FILE", help="the printers file (default ./printers.yaml, then "
                   "~/.config/deckgen/printers.yaml)")


def main(argv: list[str] | None = None) -> int:
    # deckgen uses no pydantic plugins: skip their discovery, a scan of every installed package (~15 ms)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Escaping(out), Escaping(err)
    # A build makes millions of small objects that live to its end (the deck, its laid-out cards): at Python's
    # default threshold (700) the collector walks them again and again, 0.43 s of a 1,000-card build's CPU and
    # 1.9 s of 5,000 cards'; every 50,000 new objects, 0.11 s and 0.55 s. No cycle is left longer than that.
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        return _run(argv, debug)
    finally:
        gc.set_threshold(*thresholds)
        broken = not isinstance(sys.stdout, Escaping)  # a closed pipe left /dev/null there
        sys.stdout, sys.stderr = (sys.stdout if broken else out), err


def _run(argv: list[str], debug: bool) -> int:
    ap = parser()
    args, extra = ap.parse_known_args(argv)
    if extra and args.command == "make" and not any(a.startswith("-") for a in extra):
        args.targets += extra  # `make DECK -d out home-fr`: argparse takes no positional after an option
    elif extra:
        ap.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        code: int = args.func(args)
        return code
    except (UsageError, DeckError, WriteError) as exc:
        return common.report(exc, args.command)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `deckgen check --fit | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return EXIT_OK
    except Exception as exc:  # anything else is a bug: one line, unless --debug
        if debug:
            raise
        return common.report_bug(exc, args.command)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
