"""`deckgen watch`: rebuild whenever a file the build read changes (the deck, its theme chain, fonts, images).

Polls modification times: no extra dependency, works on every file system. A problem is printed and the
loop waits for the next change; it never exits on a bad deck.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.cli.build import _png_names, build
from deckgen.cli.common import (
    EXIT_OK,
    PNG_FOLDER,
    PREVIEW_FOLDER,
    _guard,
    _job,
    _jobs,
    print_problems,
    report,
    report_bug,
)
from deckgen.cli.preview import _preview_names, _write_previews
from deckgen.errors import DeckError, WriteError, count
from deckgen.files import writing

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.deck.remote import Remote

Stamp = tuple[int, int] | None
INTERVAL = 0.2  # seconds between polls: a save is picked up within this, the rebuild follows at once


def stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def snapshot(paths: Iterable[Path]) -> dict[Path, Stamp]:
    return {p: stamp(p) for p in paths}


def _problem_files(exc: DeckError) -> set[Path]:
    """The files a problem names (a theme with a syntax error, say): watched until the next good build."""
    return {Path(p.file).resolve() for p in exc.problems if p.file and Path(p.file).is_file()}


class TablePoll:
    """The online tables a build read, asked again every `every` seconds: `changed()` says when one has other
    bytes (or cannot be had: the rebuild says why)."""

    def __init__(self, remote: Remote, every: float, clock: Callable[[], float] = time.monotonic):
        self.remote, self.every, self.clock = remote, every, clock
        self.read: list[tuple[str, str]] = []  # (URL asked, sha256) of the last good build
        self.next = 0.0

    def built(self, read: list[tuple[str, str]]) -> None:
        """After a good build: the (URL, sha256) of the online tables it read (LoadedDeck.fetched())."""
        self.read = read
        self.next = self.clock() + self.every

    def changed(self) -> bool:
        if not self.read or self.clock() < self.next:
            return False
        from deckgen.deck.remote import tables_changed

        self.next = self.clock() + self.every
        return tables_changed(self.read, self.remote)


def watch_files(rebuild: Callable[[], Iterable[Path]], deck: Path, *, report: Callable[[DeckError], None],
          interval: float = INTERVAL, sleep: Callable[[float], None] = time.sleep,
          iterations: int | None = None, changed: Callable[[], bool] | None = None) -> int:
    """Build once, then rebuild after every change until interrupted (or after `iterations` polls).

    `rebuild()` builds and returns the files it read; it raises DeckError for a problem, which `report`
    prints. `changed()`, asked at each poll, says when something else it read changed (an online table).
    Returns the number of builds run.
    """
    deck = deck.resolve()
    watched: set[Path] = {deck}
    builds = 0

    def run(before: dict[Path, Stamp]) -> dict[Path, Stamp]:
        nonlocal watched, builds
        builds += 1
        try:
            watched = {deck, *(p.resolve() for p in rebuild())}
        except DeckError as exc:
            report(exc)
            watched |= _problem_files(exc)
        except Exception as exc:  # a bug: one line, and the watch goes on
            report_bug(exc, "watch")
        # stamps from before the build: a save during the build triggers another one
        return {p: before[p] if p in before else stamp(p) for p in watched}

    seen = run(snapshot(watched))
    polls = 0
    while iterations is None or polls < iterations:
        sleep(interval)
        polls += 1
        now = snapshot(seen)
        if now != seen or (changed is not None and changed()):
            seen = run(now)
    return builds


def watch(args: argparse.Namespace) -> int:
    from deckgen.pipeline.prepare import prepare
    from deckgen.pipeline.preview import PreviewCache

    cache = PreviewCache()
    job = _job(args)
    opts = job[2]
    tables = TablePoll(opts.remote, opts.remote.reuse)

    def rebuild() -> list[Path]:
        start = time.perf_counter()
        prep = prepare(args.deck, opts)
        tables.built(prep.loaded.fetched())
        print(time.strftime("%H:%M:%S"), end=" ", flush=True)
        try:
            build(args, prep, start, job)
        except WriteError as exc:  # printed, and the watch goes on
            report(exc, "watch")
            return prep.inputs()
        if args.preview:
            _guard(args, Path(args.preview), prep, _preview_names(prep), "--preview")
            try:
                with writing(Path(args.preview)):
                    print(_write_previews(prep, Path(args.preview), args.dpi, cache, _jobs(args)))
            except WriteError as exc:  # printed, and the watch goes on
                report(exc, "watch")
        return prep.inputs()

    def problems(exc: DeckError) -> None:
        print(time.strftime("%H:%M:%S"), f"{count(len(exc.problems), 'problem')}, waiting for a change:",
              file=sys.stderr)
        print_problems(exc.problems)

    png = job[0].profile == "png"
    _guard(args, job[1], folder_names=_png_names if png else None, folder_of=PNG_FOLDER if png else None)
    if args.preview:
        _guard(args, Path(args.preview), label="--preview", folder_of=PREVIEW_FOLDER)
    print(f"watching {args.deck} and the files it uses; Ctrl-C to stop", flush=True)
    try:
        watch_files(rebuild, Path(args.deck), report=problems, changed=tables.changed)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


