"""A folder of images replaced together: the new files are written into a hidden folder inside it and moved
into place at the end, so that an interrupted or failed build leaves the folder as it was, and a finished one
leaves it complete. Files the build does not make (the user's own) are never touched."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from deckgen.files import make_folder

PREFIX = ".deckgen-new-"  # the hidden folder's name starts so; it never matches an image name of ours
_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is over (they are delivered then): a swap is never cut short."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class StagedFolder:
    """`with StagedFolder(folder) as st:` write each new file at `st.path(name)`, then `st.commit(names, ours)`;
    leaving the block without a commit (an error, Ctrl-C) removes what was staged."""

    def __init__(self, folder: Path) -> None:
        make_folder(folder)
        self.folder = folder
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX, dir=folder))

    def path(self, name: str) -> Path:
        return self.dir / name

    def commit(self, names: Iterable[str], ours: Callable[[str], bool] = lambda name: False) -> int:
        """Move the staged files `names` into the folder, remove files of ours (`ours(name)`) that this build no
        longer makes; returns how many were removed. Signals wait until it is done."""
        keep = list(names)
        with signals_held():
            for name in keep:
                os.replace(self.dir / name, self.folder / name)
            made = set(keep)
            stale = [p for p in self.folder.iterdir() if p.is_file() and ours(p.name) and p.name not in made]
            for p in stale:
                p.unlink()
            self.discard()
        return len(stale)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
