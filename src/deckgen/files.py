"""Reading the user's files with one clear error, and replacing outputs only by complete new files.

- Only regular files are read as inputs (`/dev/zero`, a FIFO or a folder given as a deck is one clear
  error, without reading forever or blocking), at most a documented number of bytes.
- A path written in a deck or theme cannot hold NUL or a component longer than 255 bytes (one error at
  its line, not an OSError traceback).
- A file named by a deck or theme lies inside the folder of the file that names it, the package's own
  data, or `fonts/` next to the deck, unless --allow-outside (`outside()` says which rule it breaks).
- Outputs are written to `.NAME.*.tmp` beside them, locked while written: a build killed mid-write leaves
  one behind, and the next build writing NAME removes every such file no process holds.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from deckgen.errors import DeckError, Problem, UsageError, WriteError
from deckgen.limits import MAX_FILE_BYTES

try:
    import fcntl
except ImportError:  # Windows: stale temp files are left to the user
    fcntl = None  # type: ignore[assignment]



def read_input(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of an input file; DeckError naming it (as `name`) when it is missing, not a regular file,
    unreadable or larger than `limit`."""
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        raise DeckError(Problem("no such file", name, hint="check the path")) from None
    except NotRegular as exc:
        raise DeckError(Problem(f"{exc.strerror}", name, hint="deckgen reads only regular files")) from None
    except OSError as exc:
        raise DeckError(Problem(f"cannot read the file: {exc.strerror or exc}", name)) from None
    except ValueError as exc:
        raise DeckError(Problem(f"the file is too large ({exc.args[0]:,} bytes, deckgen's limit is {limit:,})",
                                name)) from None


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` only by a complete new file holding `data` (see staged_file)."""
    with staged_file(path, durable) as f:
        f.write(data)


@contextmanager
def staged_file(path: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """A file to write the new `path` into, which replaces `path` only when the block ends without an error:
    a temporary file beside it (locked, so that another build knows it is being written), renamed at the end,
    removed on an error or Ctrl-C. `durable` also flushes it to the disk first (print files; previews skip
    it). Its folder must exist. Only a regular file is replaced: a device or a FIFO is an OSError."""
    why = replaceable(path)
    if why is not None and not path.is_dir():  # a folder: os.replace says "Is a directory"
        raise NotRegular(errno.EEXIST, why, str(path))
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        lock(fd)
        with os.fdopen(fd, "wb") as f:
            yield f
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


MAX_COMPONENT = 255  # bytes, as most file systems allow
MAX_PATH = 4096


class NotRegular(OSError):
    """An input or output that is a device, a FIFO, a socket or a folder where a file is expected."""


def kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def path_problem(text: str) -> str | None:
    """Why `text` cannot name a file, or None."""
    if "\0" in text:
        return "a path cannot hold a NUL character"
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PATH:
        return f"the path is longer than {MAX_PATH} bytes"
    longest = max((p for p in text.replace("\\", "/").split("/")), key=lambda p: len(p.encode("utf-8", "replace")))
    size = len(longest.encode("utf-8", "replace"))
    if size > MAX_COMPONENT:
        return f"a file or folder name is {size} bytes long, more than the {MAX_COMPONENT} file systems allow"
    return None


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file: NotRegular for anything else (opened without blocking, so
    a FIFO never waits for a writer); ValueError(size) when it is larger than `limit`."""
    problem = path_problem(str(path))
    if problem is not None:
        raise OSError(0, problem)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(0, f"{kind(mode)}, not a file")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(os.stat(path).st_size)
    return data


def replaceable(path: Path) -> str | None:
    """Why an output cannot replace what is at `path` (a device, a FIFO, a folder), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # nothing there yet (or the write will say why)
    return None if stat.S_ISREG(mode) else f"{kind(mode)} is there, not a file: deckgen replaces only files"


def outside(target: Path, roots: Iterable[Path]) -> bool:
    """Whether `target` (links resolved) lies outside every one of `roots`."""
    real = target.resolve()
    return not any(real.is_relative_to(r.resolve()) for r in roots)


def lock(fd: int) -> None:
    """Hold an advisory lock on an output's temporary file while it is written (released on exit or kill)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale_temps(out: Path, min_age: float = 60.0) -> list[Path]:
    """Remove the temporary files of earlier writes of `out` that no process is writing (none holds their
    lock, and none was touched in the last `min_age` seconds); the files removed."""
    if fcntl is None:
        return []
    removed = []
    try:
        candidates = sorted(out.parent.glob(f".{_glob_escape(out.name)}.*.tmp"))
    except OSError:
        return []
    for tmp in candidates:
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or time.time() - st.st_mtime < min_age:
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            continue  # being written right now, or not ours to remove
        finally:
            os.close(fd)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


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


LOCK = ".lock"  # in a staged folder: locked by the build writing it


def remove_stale_staged(folder: Path, min_age: float = 60.0) -> list[Path]:
    """Remove the staged folders of earlier builds that were killed (none holds their lock, and none was
    touched in the last `min_age` seconds); the folders removed."""
    removed: list[Path] = []
    if fcntl is None:
        return removed
    for staged in sorted(folder.glob(STAGED + "*")):
        if staged.is_symlink() or not staged.is_dir() or time.time() - staged.stat().st_mtime < min_age:
            continue
        try:
            fd = os.open(staged / LOCK, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue  # not one of ours (or still being set up)
        try:
            lock(fd)
            shutil.rmtree(staged)
            removed.append(staged)
        except OSError:
            continue  # being written right now
        finally:
            os.close(fd)
    return removed


class StagedFolder:
    """A folder of images replaced together: `with StagedFolder(folder) as st:` write each new file at
    `st.path(name)` (a hidden folder inside `folder`, so that moving it is a rename), then `st.commit(names)`
    moves them in. Leaving the block without a commit (an error, Ctrl-C) removes what was staged: the folder
    is as it was, or complete. Files the build does not make (the user's own) are never touched."""

    def __init__(self, folder: Path) -> None:
        make_folder(folder)
        self.folder = folder
        remove_stale_staged(folder)
        self.dir = Path(tempfile.mkdtemp(prefix=STAGED, dir=folder))
        self._lock = os.open(self.dir / LOCK, os.O_CREAT | os.O_WRONLY, 0o600)
        lock(self._lock)  # held while it is written: a later build knows it is not stale

    def path(self, name: str) -> Path:
        return self.dir / name

    def commit(self, names: Iterable[str], ours: Callable[[str], bool] = lambda name: False) -> int:
        """Move the staged files `names` into the folder and remove the files of ours (`ours(name)`) that this
        build no longer makes; returns how many were removed. Only regular files are replaced. Signals wait until
        it is done."""
        keep = list(names)
        for name in keep:  # checked before anything moves: the folder stays as it was
            target = self.folder / name
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
            why = replaceable(target)
            if why is not None:
                raise NotRegular(errno.EEXIST, f"{name}: {why}", str(target))  # messages name the folder
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
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
