"""The manifest of an image folder: the names of the files deckgen wrote there, so that a rebuild removes
only those (never a user's own `001-holiday-front.png`).

A folder without a manifest is never cleaned: its stray images are only warned about. The manifest's
content depends on the names only (sorted, one a line), so a rebuild gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

NAME = ".deckgen-files"
HEADER = "# files written by deckgen; a rebuild removes those it no longer makes\n"


def manifest_bytes(names: Iterable[str]) -> bytes:
    return (HEADER + "".join(f"{n}\n" for n in sorted(set(names)))).encode("utf-8")


def read_manifest(folder: Path) -> set[str] | None:
    """The names the folder's manifest lists, or None when it has none (or it is not ours)."""
    path = folder / NAME
    try:
        if not path.is_file() or path.stat().st_size > 10_000_000:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(HEADER):
        return None
    # a name with a separator or a leading dot could reach outside the folder or our own files: skip it
    return {n for n in text[len(HEADER):].splitlines() if n and "/" not in n and "\\" not in n
            and not n.startswith(".")}


def stale(folder: Path, written: Iterable[str], looks_ours: Iterable[str]) -> tuple[list[Path], list[str]]:
    """(files to remove, names to warn about): with a manifest, the files it lists that this build did not
    write and that are still there; without one, nothing to remove, and the files that look like ours."""
    keep = set(written)
    listed = read_manifest(folder)
    if listed is None:
        return [], sorted(n for n in set(looks_ours) - keep)
    return [folder / n for n in sorted(listed - keep) if (folder / n).is_file()], []
