"""`deckgen preview`."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.cli.common import PREVIEW_FOLDER, _guard, _imported, _jobs, _options, _progress, _warn
from deckgen.files import writing

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.pipeline.prepare import Prepared
    from deckgen.pipeline.preview import PreviewCache
    from deckgen.workers import Progress

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def _preview_names(prep: Prepared) -> Callable[[str], bool]:
    from deckgen.pipeline.preview import CONTACT

    names = {CONTACT, *(f"{c.id}-{side}.png" for c in prep.cards for side in ("front", "back"))}
    return names.__contains__


def _write_previews(prep: Prepared, folder: Path, dpi: float, cache: PreviewCache | None = None, jobs: int = 1,
                    progress: Progress | None = None) -> str:
    from deckgen.pipeline.preview import write_previews

    start = time.perf_counter()
    res = write_previews(prep, folder, dpi, cache, jobs, progress)
    w, h = res.size
    return (f"{folder}/: {len(res.files)} card sides ({w}×{h} px at {dpi:g} dpi, {res.drawn} redrawn) and "
            f"{res.contact.name} in {time.perf_counter() - start:.2f} s")


def preview(args: argparse.Namespace) -> int:
    from deckgen.pipeline.prepare import prepare

    _imported()

    folder = Path(args.output) if args.output else Path(Path(args.deck).stem + "-preview")
    _guard(args, folder, folder_of=PREVIEW_FOLDER)
    with _progress(args) as bar:
        prep = prepare(args.deck, _options(args), progress=bar, jobs=_jobs(args))
        _guard(args, folder, prep, _preview_names(prep))
        _warn(prep.warnings)
        with writing(folder):
            summary = _write_previews(prep, folder, args.dpi, jobs=_jobs(args), progress=bar)
    print(summary)
    return EXIT_OK


