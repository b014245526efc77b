"""What the commands share: options into typed dataclasses, outputs guarded, warnings and problems printed.

Heavy modules (reportlab, pydantic, yaml…) are imported inside the handlers, so that `deckgen --help` stays fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import DeckError, UsageError, WriteError

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.cli.progress import Bar
    from deckgen.deck.remote import Remote
    from deckgen.errors import Problem
    from deckgen.pipeline.options import Job
    from deckgen.pipeline.prepare import Options, Prepared
    from deckgen.pipeline.printers import PrinterSettings

EXIT_OK, EXIT_DECK, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _out_path(deck: str, out: str | None, suffix: str = ".pdf") -> Path:
    """Default output: the deck's file name with `suffix`, in the current folder."""
    return Path(out) if out else Path(Path(deck).stem + suffix)


def _options(args: argparse.Namespace) -> Options:
    from deckgen.pipeline.prepare import Options

    return Options(theme=args.theme, lang=args.lang, fallback=args.fallback,
                   allow_overflow=getattr(args, "allow_overflow", False), only=tuple(args.only),
                   exclude=tuple(args.exclude), renumber=args.renumber,
                   allow_outside=getattr(args, "allow_outside", False), legend=getattr(args, "legend", False),
                   press=getattr(args, "press", False), remote=_remote(args))


def _remote(args: argparse.Namespace) -> Remote:
    """How spreadsheets named by URL are fetched: --allow-private, --refresh, --offline."""
    from deckgen.deck.remote import Remote

    if args.refresh and args.offline:
        raise UsageError("--refresh fetches the spreadsheets again and --offline fetches nothing: choose one")
    return Remote(allow_private=args.allow_private, refresh=args.refresh, offline=args.offline)


def _imported() -> None:
    """The heavy modules are loaded: their objects live as long as the process, so the cyclic garbage collector
    need not scan them again and again while a deck is built (about 10 % of a small build)."""
    if not getattr(_imported, "done", False):
        gc.freeze()
        _imported.done = True  # type: ignore[attr-defined]


def _progress(args: argparse.Namespace) -> Bar:
    """A progress bar on a terminal's stderr, shown after 2 s, unless --quiet."""
    from deckgen.cli.progress import Bar

    return Bar(enabled=not getattr(args, "quiet", False))


def _jobs(args: argparse.Namespace) -> int:
    """--jobs, else one process per core this process may use."""
    from deckgen.workers import default_jobs

    return getattr(args, "jobs", None) or default_jobs()


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def report(exc: UsageError | DeckError | WriteError, command: str) -> int:
    """The one place an error becomes lines on stderr and an exit code (2 wrong usage, 1 anything else)."""
    if isinstance(exc, UsageError):
        print(f"deckgen {command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, DeckError):
        print_problems(exc.problems)
    else:
        print(f"error: {exc}", file=sys.stderr)
    return EXIT_DECK


def report_bug(exc: BaseException, command: str) -> int:
    """An unexpected exception: one line saying it is deckgen's bug, not the user's mistake (exit 3)."""
    what = " ".join(str(exc).split())
    what = what if len(what) <= 200 else what[:199] + "…"
    print(f"deckgen {command}: internal error (a bug in deckgen, not in your files): {type(exc).__name__}"
          f"{': ' + what if what else ''} — please report it; run again with --debug to see the traceback",
          file=sys.stderr)
    return EXIT_BUG


def print_problems(problems: Iterable[Problem]) -> None:
    """One line each on stderr: `FILE:LINE: where: what — hint`, or `error: …` when no file is concerned."""
    for problem in problems:
        print(str(problem) if problem.file else f"error: {problem}", file=sys.stderr)


def _printer(args: argparse.Namespace) -> PrinterSettings | None:
    if args.printer is None:
        if args.printers is not None:
            raise UsageError("--printers names the file that --printer NAME reads: add --printer")
        return None
    from deckgen.pipeline.printers import load_printer

    return load_printer(args.printer, args.printers)


def _job(args: argparse.Namespace) -> tuple[Job, Path, Options]:
    """What `build` makes (profile, paper, flip, colour…), where, and how the cards are laid out."""
    from dataclasses import replace

    from deckgen.pipeline.jobs import default_output, layout_bleed, resolve_job
    from deckgen.pipeline.options import PrintOptions

    fields = PrintOptions.__dataclass_fields__
    asked = PrintOptions(**{k: v for k, v in vars(args).items() if k in fields and k != "printer"})
    job = resolve_job(asked, _printer(args))
    out = Path(args.output) if args.output else default_output(args.deck, job)
    press = job.color == "cmyk"  # CMYK files are for presses: warn about what plates out of register spoil
    return job, out, replace(_options(args), bleed=layout_bleed(job), press=press)


def _printers_file(args: argparse.Namespace) -> list[tuple[Path, str]]:
    """The printers file that --printer reads, as an input that no output may replace."""
    if getattr(args, "printer", None) is None:
        return []
    from deckgen.pipeline.printers import default_files

    found = [Path(args.printers)] if args.printers else [p for p in default_files() if p.is_file()][:1]
    return [(p, "the printers file") for p in found]


def _read_by(prep: Prepared, args: argparse.Namespace) -> list[tuple[Path, str]]:
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


PNG_FOLDER = "--profile png writes a folder of PNG images"
PREVIEW_FOLDER = "preview writes a folder of PNG images"


def _guard(args: argparse.Namespace, out: Path, prep: Prepared | None = None,
           folder_names: Callable[[str], bool] | None = None, label: str | None = None,
           folder_of: str | None = None) -> None:
    """UsageError (exit 2) when an output would replace a file the command reads: the deck before it is read,
    then (with `prep`) its theme files, spreadsheets, fonts and images. Before the deck is read, an output into a
    missing folder, or a folder (`folder_of`: what it holds) named like a file, is an error (files.check_output)."""
    from deckgen.files import check_output, refuse_overwrite

    inputs = _read_by(prep, args) if prep is not None else [(Path(args.deck), "the deck file"),
                                                           *_printers_file(args)]
    label = label or ("-o" if getattr(args, "output", None) else "the output")
    refuse_overwrite(out, inputs, label, _inside(out, folder_names, inputs))
    if prep is None:
        check_output(out, label, folder_of)


