"""Reading the user's files with one clear error, and replacing outputs only by complete new files."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from deckgen.errors import DeckError, Problem, UsageError, WriteError

MAX_BYTES = 20_000_000  # a deck, theme or spreadsheet larger than this is a mistake, not a deck


def read_input(path: Path, name: str) -> bytes:
    """The bytes of an input file; DeckError naming it (as `name`) when it is missing, unreadable or huge."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DeckError(Problem("no such file", name, hint="check the path")) from None
    except OSError as exc:
        raise DeckError(Problem(f"cannot read the file: {exc.strerror}", name)) from None
    if len(raw) > MAX_BYTES:
        raise DeckError(Problem(f"the file is too large ({len(raw)} bytes)", name))
    return raw


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` only by a complete new file: write a temporary file beside it, then rename.
    `durable` also flushes it to the disk first (print files; previews skip it). Its folder must exist."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn any OSError while writing the output `path` into a WriteError naming it (one line, exit 1)."""
    try:
        yield
    except OSError as exc:
        raise WriteError(path, exc) from None


def make_folder(folder: Path) -> None:
    """Create an output folder (not its parents, as mkdir); NotADirectoryError when a file has its name."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder", str(folder))
    folder.mkdir(exist_ok=True)


# names that read as a file, not a folder: `--profile png -o deck.pdf` is a slip, not a folder called deck.pdf
FILE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".svg", ".zip", ".yaml", ".yml",
                           ".csv", ".xlsx", ".txt"})


def check_output(out: Path, label: str, folder_of: str | None = None) -> None:
    """Before any work: WriteError when the folder `out` goes into does not exist (deckgen creates no folders
    but an output folder itself, as cp and mkdir); UsageError when an output folder (`folder_of`: what it
    holds) is named like a file."""
    if folder_of and out.suffix.lower() in FILE_SUFFIXES and not out.is_dir():
        raise UsageError(f"{label} {out} names a file, but {folder_of}: name a folder, such as "
                         f"{label} {out.with_suffix('')}")
    parent = out.parent
    if parent.is_dir():
        return
    if parent.exists():
        raise WriteError(out, NotADirectoryError(errno.ENOTDIR, f"{parent} is a file, not a folder"))
    raise WriteError(out, FileNotFoundError(errno.ENOENT, f"no folder {parent} — create it first: mkdir -p {parent}"))


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, `..` or another spelling of the same folder)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def refuse_overwrite(out: Path, inputs: Iterable[tuple[Path, str]], label: str = "-o",
                     inside: Iterable[Path] = ()) -> None:
    """UsageError when the output `out` (and, for a folder, the files `inside` it that it writes) would replace
    an input of the command: the deck, a theme, a spreadsheet… `inputs` are (path, what it is: "the deck file"…)."""
    ins = list(inputs)
    for target in (out, *inside):
        for path, kind in ins:
            if same_file(target, path):
                raise UsageError(f"{label} {out} would overwrite {kind} {path.name}, which this command reads: "
                                 "choose another output")


STAGED = ".deckgen-new-"  # a staged folder's name starts so; it never matches the name of an image deckgen writes
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
    """A folder of images replaced together: `with StagedFolder(folder) as st:` write each new file at
    `st.path(name)` (a hidden folder inside `folder`, so that moving it is a rename), then `st.commit(names)`
    moves them in. Leaving the block without a commit (an error, Ctrl-C) removes what was staged: the folder
    is as it was, or complete. Files the build does not make (the user's own) are never touched."""

    def __init__(self, folder: Path) -> None:
        make_folder(folder)
        self.folder = folder
        self.dir = Path(tempfile.mkdtemp(prefix=STAGED, dir=folder))

    def path(self, name: str) -> Path:
        return self.dir / name

    def commit(self, names: Iterable[str], ours: Callable[[str], bool] = lambda name: False) -> int:
        """Move the staged files `names` into the folder and remove the files of ours (`ours(name)`) that this
        build no longer makes; returns how many were removed. Signals wait until it is done."""
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
