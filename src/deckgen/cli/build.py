"""`deckgen build` and `deckgen calibrate`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.cli.common import PNG_FOLDER, _guard, _imported, _job, _jobs, _printer, _printers_file, _progress, _warn
from deckgen.errors import UsageError, WriteError
from deckgen.files import writing

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.pipeline.options import Job
    from deckgen.pipeline.prepare import Options, Prepared

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def _png_names(name: str) -> bool:
    from deckgen.output.raster import OUR_NAMES

    return bool(OUR_NAMES.match(name))


def build(args: argparse.Namespace, prep: Prepared | None = None, start: float | None = None,
          planned: tuple[Job, Path, Options] | None = None) -> int:
    """Write the print files; `watch` passes the job, the build.Prepared it made and when it started."""
    from deckgen.pipeline.prepare import prepare
    from deckgen.pipeline.write import write

    _imported()
    start = start if start is not None else time.perf_counter()
    job, out, opts = planned or _job(args)
    names = _png_names if job.profile == "png" else None
    _guard(args, out, folder_names=names, folder_of=PNG_FOLDER if names else None)
    with _progress(args) as bar:
        if prep is None:
            prep = prepare(args.deck, opts, progress=bar, jobs=_jobs(args))
        _guard(args, out, prep, names)
        try:
            written = write(prep, job, out, progress=bar, jobs=_jobs(args))
        except OSError as exc:
            _warn(prep.warnings)
            raise WriteError(out, exc) from None
    _warn([*prep.warnings, *written.warnings])
    if not args.quiet:
        print(f"{written.summary} in {time.perf_counter() - start:.2f} s")
    return EXIT_OK


def calibrate(args: argparse.Namespace) -> int:
    from deckgen.files import check_output, refuse_overwrite, write_atomic
    from deckgen.pipeline.printers import parse_offset
    from deckgen.pipeline.write import calibration
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
    check_output(out, "-o")
    with writing(out):
        write_atomic(out, calibration(paper, offset, args.color or "rgb", duplex))
    mm = 72 / 25.4
    print(f"{out}: duplex calibration sheet, {paper_name(paper)}, 2 pages (back moved {offset[0] / mm:g},"
          f"{offset[1] / mm:g} mm): print it duplex at 100 %, then read X,Y on the back's scales")
    return EXIT_OK


