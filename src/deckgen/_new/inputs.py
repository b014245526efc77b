"""The rules for every file deckgen reads and every output it replaces.

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

import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: stale temp files are left to the user
    fcntl = None  # type: ignore[assignment]

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
