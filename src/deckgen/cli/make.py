"""`deckgen make`: the deck's `outputs:`, each target built or found up to date."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from deckgen.cli.common import _imported, _jobs, _progress, _remote, _warn
from deckgen.errors import WriteError

EXIT_OK = 0


def make(args: argparse.Namespace) -> int:
    """Make every target of the deck (or those named) into --dir; a summary line per target."""
    from deckgen.files import make_folder
    from deckgen.pipeline.make import Request
    from deckgen.pipeline.make import make as make_all

    _imported()
    start = time.perf_counter()
    folder = Path(args.dir)
    try:
        make_folder(folder)
    except OSError as exc:
        raise WriteError(folder, exc) from None
    req = Request(Path(args.deck), tuple(dict.fromkeys(args.targets)), folder, args.force, _jobs(args),
                  args.allow_outside, args.printers, _remote(args))
    built = skipped = 0
    with _progress(args) as bar:
        for m in make_all(req, progress=bar):
            _warn(list(m.warnings))
            built, skipped = built + m.built, skipped + (not m.built)
            if not args.quiet:
                print(f"{m.name}: {m.out} — {'built: ' + m.summary if m.built else 'up to date'}")
    if not args.quiet:
        print(f"make: {built} built, {skipped} up to date in {time.perf_counter() - start:.2f} s")
    return EXIT_OK
