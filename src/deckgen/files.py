"""Reading the user's files with one clear error, and replacing outputs only by complete new files."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
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
