"""Reading the user's files with one clear error, and replacing outputs only by complete new files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deckgen.errors import DeckError, Problem

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
    `durable` also flushes it to the disk first (print files; previews skip it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
