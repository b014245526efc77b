"""Command line: parse, call, map errors to exit codes (0 ok, 1 a problem with the deck, 2 wrong usage)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from deckgen import __version__
from deckgen.errors import DeckError, UsageError

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


def _lang_tag(text: str) -> str:
    from deckgen.model import LANG

    if not LANG.match(text):
        raise argparse.ArgumentTypeError(f"not a language tag: {text!r} (e.g. fr, en, fr-CA)")
    return text


def _encoding(text: str) -> str:
    import codecs

    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r} (e.g. utf-8, cp1252, latin-1)") from None
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
    p.add_argument("--allow-outside", action="store_true",
                   help="allow images from outside the deck's folder (refused by default)")


def _pdf_options(p: argparse.ArgumentParser) -> None:
    """The options of the print files that `build` writes (and `watch` rebuilds)."""
    p.add_argument("-o", "--output", metavar="OUT", help="output file, or folder for --profile png (default: "
                   "DECK.pdf, DECK-shop.pdf, DECK-png/, DECK-fold.pdf or DECK-pdfx.pdf in this folder)")
    p.add_argument("--paper", choices=["a4", "letter", "a3"], help="sheet size (default a4)")
    p.add_argument("--duplex", choices=["long", "short", "none"],
                   help="how the printer flips the sheet: long edge (default), short edge, or none "
                        "(single-sided: backs unmirrored)")
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
    _pdf_options(b)
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
    c.add_argument("--fit", action="store_true",
                   help="print the size every text was set at, card by card (default: a summary)")
    c.add_argument("--links", action="store_true",
                   help="ask each source URL (HEAD, then GET) and warn about dead links and redirects")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
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

    h = sub.add_parser("handout", help="a few pages listing the cards by family, with their QR codes",
                       description="Write the facilitator handout: the deck's title, a legend of the families, "
                                   "then every card by family with its number, title, summary and QR code.")
    _common(h)
    h.add_argument("-o", "--output", metavar="OUT.pdf", help="output file (default: DECK-handout.pdf in this folder)")
    h.add_argument("--paper", choices=["a4", "letter"], default="a4", help="page size (default a4)")
    h.set_defaults(func=_handout)

    i = sub.add_parser("import", help="turn a spreadsheet (.csv or .xlsx) into a deck file",
                       description="Read one card per row (columns by header: title, summary, body, family, "
                                   "source, source_label, tags, copies, id, title.en…) and write a deck file.")
    i.add_argument("table", metavar="TABLE", help="a .csv or .xlsx file")
    i.add_argument("-o", "--output", metavar="DECK.yaml", help="output file (default: TABLE.yaml in this folder)")
    i.add_argument("--title", help="the deck's title (default: from the file name)")
    i.add_argument("--lang", type=_lang_tag, help="the deck's language (default: the first of the columns' "
                                                  "languages, else en)")
    i.add_argument("--encoding", type=_encoding, help="the CSV's encoding (default: detected: UTF-8 or Windows-1252)")
    i.add_argument("--delimiter", type=_delimiter, help="the CSV's separator: ';' ',' tab '|' (default: detected)")
    i.add_argument("--sheet", help="the .xlsx sheet of the cards (default: the first)")
    i.add_argument("--link", action="store_true",
                   help="write a deck that reads the spreadsheet at each build (cards: {from: TABLE}) instead "
                        "of copying its rows")
    i.set_defaults(func=_import)

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
    # deckgen uses no pydantic plugins: skip their discovery, a scan of every installed package (~15 ms)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
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
    except BrokenPipeError:  # `deckgen check --fit | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return EXIT_OK


def _options(args: argparse.Namespace):  # -> build.Options, imported lazily to keep --help fast
    from deckgen.build import Options

    return Options(theme=args.theme, lang=args.lang, fallback=args.fallback,
                   allow_overflow=getattr(args, "allow_overflow", False), only=tuple(args.only),
                   exclude=tuple(args.exclude), renumber=args.renumber,
                   allow_outside=getattr(args, "allow_outside", False), legend=getattr(args, "legend", False))


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


def _printer(args: argparse.Namespace):  # -> printers.PrinterSettings | None
    if args.printer is None:
        if args.printers is not None:
            raise UsageError("--printers names the file that --printer NAME reads: add --printer")
        return None
    from deckgen.printers import load_printer

    return load_printer(args.printer, args.printers)


def _job(args: argparse.Namespace):  # -> (profiles.Job, output path, build.Options)
    """What `build` makes (profile, paper, flip, colour…), where, and how the cards are laid out."""
    from dataclasses import replace

    from deckgen.profiles import default_output, resolve_job

    job = resolve_job(args, _printer(args))
    out = Path(args.output) if args.output else default_output(args.deck, job)
    return job, out, replace(_options(args), bleed=job.layout_bleed)


def _build(args: argparse.Namespace, prep=None, start: float | None = None, job=None) -> int:
    """Write the print files; `watch` passes the job, the build.Prepared it made and when it started."""
    from deckgen.build import prepare
    from deckgen.produce import write

    _imported()
    start = start if start is not None else time.perf_counter()
    job, out, opts = job or _job(args)
    with _progress(args) as bar:
        if prep is None:
            prep = prepare(args.deck, opts, progress=bar)
        try:
            summary = write(prep, job, out, progress=bar)
        except OSError as exc:
            _warn(prep.warnings)
            print(f"error: {out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_DECK
    _warn(prep.warnings)
    if not args.quiet:
        print(f"{summary} in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def _calibrate(args: argparse.Namespace) -> int:
    from deckgen.files import write_atomic
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
    """Check the deck in every language it uses (or --lang): model, fit, glyphs; then its links if asked."""
    from dataclasses import replace

    from deckgen.build import deck_languages, prepare
    from deckgen.errors import Problem
    from deckgen.fitreport import fit_lines
    from deckgen.loader import load_deck

    _imported()
    deck = load_deck(args.deck).deck
    langs = [args.lang] if args.lang else deck_languages(deck)
    opts = _options(args)
    failed: dict[str, int] = {}
    shown: set[Problem] = set()
    warned: set[str] = set()
    prep = None
    for lang in langs:
        try:
            with _progress(args) as bar:
                prep = prepare(args.deck, replace(opts, lang=lang), progress=bar)
        except DeckError as exc:
            new = [p for p in exc.problems if p not in shown]
            shown.update(new)
            for problem in new:
                print(str(problem) if problem.file else f"error: {problem}", file=sys.stderr)
            failed[lang] = len(exc.problems)
            continue
        _warn([w for w in prep.warnings if w not in warned])
        warned.update(prep.warnings)
        tag = f"[{lang}] " if len(langs) > 1 else ""
        for line in fit_lines(prep, table=args.fit):
            print(tag + line)
        fallback = f" (fallback {args.fallback})" if args.fallback else ""
        print(f"{args.deck}: OK — {len(prep.cards)} cards, {len(deck.families)} families, "
              f"theme {prep.theme.name}, language {lang}{fallback}")
    for lang, n in failed.items() if len(langs) > 1 else ():
        print(f"{args.deck}: {n} problem{'s' if n != 1 else ''} in language {lang}", file=sys.stderr)
    if failed:
        return EXIT_DECK
    if args.links and prep is not None:
        _check_links(prep)
    return EXIT_OK


def _check_links(prep) -> None:  # prep: build.Prepared
    from deckgen.links import check_links, offline

    deck, src = prep.loaded.deck, prep.loaded.src
    asks = []  # (location, card id, url)
    for c in prep.cards:
        source = deck.cards[c.index].source if c.index >= 0 else None
        if source is None:
            continue
        loc = ("cards", c.index, "source", "url")
        urls = source.url.items() if isinstance(source.url, dict) else [(None, source.url)]
        asks += [(loc + ((lang,) if lang else ()), c.id, url) for lang, url in urls]
    results = check_links(url for _, _, url in asks)
    down = offline(results)
    if down is not None:
        print(f"warning: links not checked: no network ({down.reason})", file=sys.stderr)
        return
    dead = moved = 0
    for loc, cid, url in asks:
        r = results[url]
        if r.dead:
            dead += 1
            what = f"{r.status} {r.reason}" if r.status is not None else r.reason
            print(f"warning: {src.problem(loc, f'dead link: {what} (card {cid!r})', url)}", file=sys.stderr)
        elif r.redirects:
            moved += 1
            code, _ = r.redirects[0]
            hint = "update the URL" if code in (301, 308) else "a temporary redirect: check where it leads"
            print(f"warning: {src.problem(loc, f'redirects ({code}) to {r.final} (card {cid!r})', hint)}",
                  file=sys.stderr)
    ok = len(asks) - dead - moved
    print(f"links: {ok} OK, {moved} redirected, {dead} dead ({len(results)} distinct URLs)")


def _handout(args: argparse.Namespace) -> int:
    from deckgen.build import handout_pdf, prepare
    from deckgen.files import write_atomic

    out = Path(args.output) if args.output else Path(Path(args.deck).stem + "-handout.pdf")
    prep = prepare(args.deck, _options(args))
    _warn(prep.warnings)
    data, pages = handout_pdf(prep, args.paper)
    try:
        write_atomic(out, data)
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_DECK
    paper = "A4" if args.paper == "a4" else "Letter"
    print(f"{out}: handout of {len(prep.cards)} cards on {pages} {paper} page{'s' if pages != 1 else ''}, "
          f"language {prep.lang}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from deckgen.files import write_atomic
    from deckgen.importer import import_table

    out = _out_path(args.table, args.output, ".yaml")
    got = import_table(Path(args.table), out, title=args.title, lang=args.lang, encoding=args.encoding,
                       delimiter=args.delimiter, sheet=args.sheet, link=args.link)
    try:
        write_atomic(out, got.text.encode("utf-8"))
    except OSError as exc:
        print(f"error: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_DECK
    table = got.tables[-1]
    how = f"sheet {table.sheet!r}" if table.sheet else f"encoding {table.encoding}, separator {table.delimiter!r}"
    print(f"{out}: {len(got.deck.cards)} cards, {len(got.deck.families)} families from {table.file} ({how}), "
          f"language {got.deck.deck.lang}" + (" — linked: each build reads the spreadsheet" if args.link else ""))
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

    _imported()

    with _progress(args) as bar:
        prep = prepare(args.deck, _options(args), progress=bar)
    _warn(prep.warnings)
    folder = Path(args.output) if args.output else Path(Path(args.deck).stem + "-preview")
    print(_write_previews(prep, folder, args.dpi))
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from deckgen.build import prepare
    from deckgen.preview import PreviewCache
    from deckgen.watch import watch

    cache = PreviewCache()
    job = _job(args)
    opts = job[2]

    def rebuild():
        start = time.perf_counter()
        prep = prepare(args.deck, opts)
        print(time.strftime("%H:%M:%S"), end=" ", flush=True)
        if _build(args, prep, start, job) != EXIT_OK:
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
