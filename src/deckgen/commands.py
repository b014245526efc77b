"""What each command does: the handlers `deckgen COMMAND` calls once cli.py has parsed its options.

Heavy modules (reportlab, pydantic, yaml…) are imported inside the handlers, so that `deckgen --help` stays fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

from deckgen.errors import DeckError, UsageError, WriteError, count
from deckgen.files import writing

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2


def _out_path(deck: str, out: str | None, suffix: str = ".pdf") -> Path:
    """Default output: the deck's file name with `suffix`, in the current folder."""
    return Path(out) if out else Path(Path(deck).stem + suffix)


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


def print_problems(problems) -> None:  # problems: Iterable[errors.Problem]
    """One line each on stderr: `FILE:LINE: where: what — hint`, or `error: …` when no file is concerned."""
    for problem in problems:
        print(str(problem) if problem.file else f"error: {problem}", file=sys.stderr)


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


def _printers_file(args: argparse.Namespace) -> list[tuple[Path, str]]:
    """The printers file that --printer reads, as an input that no output may replace."""
    if getattr(args, "printer", None) is None:
        return []
    from deckgen.printers import default_files

    found = [Path(args.printers)] if args.printers else [p for p in default_files() if p.is_file()][:1]
    return [(p, "the printers file") for p in found]


def _read_by(prep, args: argparse.Namespace) -> list[tuple[Path, str]]:  # prep: build.Prepared
    """Every file the build read, and what it is: no output may replace one (`-o deck.yaml`)."""
    return [(prep.loaded.path, "the deck file"), *((p, "the spreadsheet") for p in prep.loaded.tables),
            *((p, "the theme file") for p in prep.theme.paths), *((p, "the font") for p in prep.fonts.files_used()),
            *((p, "the image") for p in prep.images), *_printers_file(args)]


def _inside(out: Path, folder_names: Callable[[str], bool] | None, inputs: list[tuple[Path, str]]) -> list[Path]:
    """For a folder of images: the inputs in it whose names its writer uses (`folder_names`), since it may
    replace or remove them."""
    if folder_names is None:
        return []
    return [p for p, _ in inputs if p.parent.resolve() == out.resolve() and folder_names(p.name)]


def _guard(args: argparse.Namespace, out: Path, prep=None, folder_names: Callable[[str], bool] | None = None,
           label: str | None = None) -> None:
    """UsageError (exit 2) when an output would replace a file the command reads: the deck before it is read,
    then (with `prep`) its theme files, spreadsheets, fonts and images."""
    from deckgen.files import refuse_overwrite

    inputs = _read_by(prep, args) if prep is not None else [(Path(args.deck), "the deck file"),
                                                           *_printers_file(args)]
    label = label or ("-o" if getattr(args, "output", None) else "the output")
    refuse_overwrite(out, inputs, label, _inside(out, folder_names, inputs))


def _png_names(name: str) -> bool:
    from deckgen.raster import OUR_NAMES

    return bool(OUR_NAMES.match(name))


def build(args: argparse.Namespace, prep=None, start: float | None = None, job=None) -> int:
    """Write the print files; `watch` passes the job, the build.Prepared it made and when it started."""
    from deckgen.build import prepare
    from deckgen.produce import write

    _imported()
    start = start if start is not None else time.perf_counter()
    job, out, opts = job or _job(args)
    names = _png_names if job.profile == "png" else None
    _guard(args, out, folder_names=names)
    with _progress(args) as bar:
        if prep is None:
            prep = prepare(args.deck, opts, progress=bar)
        _guard(args, out, prep, names)
        try:
            summary = write(prep, job, out, progress=bar)
        except OSError as exc:
            _warn(prep.warnings)
            print(f"error: {WriteError(out, exc)}", file=sys.stderr)
            return EXIT_DECK
    _warn(prep.warnings)
    if not args.quiet:
        print(f"{summary} in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def calibrate(args: argparse.Namespace) -> int:
    from deckgen.files import refuse_overwrite, write_atomic
    from deckgen.printers import parse_offset
    from deckgen.produce import calibration
    from deckgen.units import paper_name

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
    refuse_overwrite(out, _printers_file(args), "-o" if args.output else "the output")
    try:
        write_atomic(out, calibration(paper, offset, args.color or "rgb", duplex))
    except OSError as exc:
        print(f"error: {WriteError(out, exc)}", file=sys.stderr)
        return EXIT_DECK
    mm = 72 / 25.4
    print(f"{out}: duplex calibration sheet, {paper_name(paper)}, 2 pages (back moved {offset[0] / mm:g},"
          f"{offset[1] / mm:g} mm): print it duplex at 100 %, then read X,Y on the back's scales")
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    """Check the deck in every language it uses (or --lang): model, fit, glyphs; then its links if asked.
    Every problem of every language is printed once, in file order."""
    from dataclasses import replace

    from deckgen.build import prepare
    from deckgen.errors import Problem, in_file_order
    from deckgen.fitreport import fit_lines
    from deckgen.languages import deck_languages
    from deckgen.loader import read_deck

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
                prep = prepare(args.deck, replace(opts, lang=lang), progress=bar)
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
        print(f"{args.deck}: OK — {count(len(prep.cards), 'card')}, {families}, "
              f"theme {prep.theme.name}, language {lang}{fallback}")
    print_problems(in_file_order(problems))
    for lang, n in failed.items() if len(langs) > 1 else ():  # the problems of one language only
        if n:
            print(f"{args.deck}: {count(n, 'problem')} in language {lang}", file=sys.stderr)
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


def handout(args: argparse.Namespace) -> int:
    from deckgen.build import prepare
    from deckgen.files import write_atomic
    from deckgen.produce import handout_pdf

    out = Path(args.output) if args.output else Path(Path(args.deck).stem + "-handout.pdf")
    _guard(args, out)
    prep = prepare(args.deck, _options(args))
    _guard(args, out, prep)
    _warn(prep.warnings)
    data, pages = handout_pdf(prep, args.paper)
    try:
        write_atomic(out, data)
    except OSError as exc:
        print(f"error: {WriteError(out, exc)}", file=sys.stderr)
        return EXIT_DECK
    from deckgen.units import paper_name

    print(f"{out}: handout of {count(len(prep.cards), 'card')} on {count(pages, paper_name(args.paper) + ' page')}, "
          f"language {prep.lang}")
    return EXIT_OK


def import_spreadsheet(args: argparse.Namespace) -> int:
    from deckgen.files import refuse_overwrite, write_atomic
    from deckgen.importer import import_table

    out = _out_path(args.table, args.output, ".yaml")
    refuse_overwrite(out, [(Path(args.table), "the spreadsheet")], "-o" if args.output else "the output")
    got = import_table(Path(args.table), out, title=args.title, lang=args.lang, encoding=args.encoding,
                       delimiter=args.delimiter, sheet=args.sheet, link=args.link)
    try:
        write_atomic(out, got.text.encode("utf-8"))
    except OSError as exc:
        print(f"error: {WriteError(out, exc)}", file=sys.stderr)
        return EXIT_DECK
    table = got.tables[-1]
    how = f"sheet {table.sheet!r}" if table.sheet else f"encoding {table.encoding}, separator {table.delimiter!r}"
    print(f"{out}: {count(len(got.deck.cards), 'card')}, {count(len(got.deck.families), 'family', 'families')} "
          f"from {table.file} ({how}), "
          f"language {got.deck.deck.lang}" + (" — linked: each build reads the spreadsheet" if args.link else ""))
    return EXIT_OK


def _preview_names(prep) -> Callable[[str], bool]:  # prep: build.Prepared
    from deckgen.preview import CONTACT

    names = {CONTACT, *(f"{c.id}-{side}.png" for c in prep.cards for side in ("front", "back"))}
    return names.__contains__


def _write_previews(prep, folder: Path, dpi: float, cache=None) -> str:
    from deckgen.preview import write_previews

    start = time.perf_counter()
    res = write_previews(prep, folder, dpi, cache)
    w, h = res.size
    return (f"{folder}/: {len(res.files)} card sides ({w}×{h} px at {dpi:g} dpi, {res.drawn} redrawn) and "
            f"{res.contact.name} in {time.perf_counter() - start:.2f} s")


def preview(args: argparse.Namespace) -> int:
    from deckgen.build import prepare

    _imported()

    folder = Path(args.output) if args.output else Path(Path(args.deck).stem + "-preview")
    _guard(args, folder)
    with _progress(args) as bar:
        prep = prepare(args.deck, _options(args), progress=bar)
    _guard(args, folder, prep, _preview_names(prep))
    _warn(prep.warnings)
    with writing(folder):
        print(_write_previews(prep, folder, args.dpi))
    return EXIT_OK


def watch(args: argparse.Namespace) -> int:
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
        if build(args, prep, start, job) != EXIT_OK:
            return prep.inputs()
        if args.preview:
            _guard(args, Path(args.preview), prep, _preview_names(prep), "--preview")
            try:
                with writing(Path(args.preview)):
                    print(_write_previews(prep, Path(args.preview), args.dpi, cache))
            except WriteError as exc:  # printed, and the watch goes on
                print(f"error: {exc}", file=sys.stderr)
        return prep.inputs()

    def report(exc: DeckError) -> None:
        print(time.strftime("%H:%M:%S"), f"{count(len(exc.problems), 'problem')}, waiting for a change:",
              file=sys.stderr)
        print_problems(exc.problems)

    _guard(args, job[1], folder_names=_png_names if job[0].profile == "png" else None)
    if args.preview:
        _guard(args, Path(args.preview), label="--preview")
    print(f"watching {args.deck} and the files it uses; Ctrl-C to stop", flush=True)
    try:
        watch(rebuild, Path(args.deck), report=report)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    from deckgen.schema import deck_schema, dumps, theme_schema

    sys.stdout.write(dumps(theme_schema() if args.theme else deck_schema()))
    return EXIT_OK


def themes(args: argparse.Namespace) -> int:
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
        from deckgen.files import make_folder

        with writing(dest):
            make_folder(dest.parent)
            dest.write_bytes(themes[name].read_bytes())
        print(f"{dest}: a copy of {name}; use it with `theme: {dest.name}` in a deck next to it, or --theme {dest}")
        return EXIT_OK
    for name, path in builtin_themes().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        print(f"{name}  {data.get('description', '')}")
    return EXIT_OK
