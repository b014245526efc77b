"""`deckgen watch`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from deckgen.cli.build import _png_names, build
from deckgen.cli.common import _guard, _job, print_problems
from deckgen.cli.preview import _preview_names, _write_previews
from deckgen.errors import DeckError, WriteError, count
from deckgen.files import writing

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def watch(args: argparse.Namespace) -> int:
    from deckgen.cli.watch import watch
    from deckgen.pipeline.prepare import prepare
    from deckgen.pipeline.preview import PreviewCache

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


