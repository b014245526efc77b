"""The user's cache of fetched files (online spreadsheets): one file per URL, bounded in size.

    cache = Cache(cache_dir())
    entry = cache.put(url, body, fetched=time.time())   # written atomically; the oldest entries evicted
    cache.get(url)                                      # an Entry (bytes, URL, fetch time, sha256) or None

The folder is `DECKGEN_CACHE_DIR` when set, else the platform's cache folder: `$XDG_CACHE_HOME/deckgen`
(`~/.cache/deckgen`), `~/Library/Caches/deckgen` on macOS, `%LOCALAPPDATA%\\deckgen\\Cache` on Windows.
An entry is one file: a JSON line (url, fetched, sha256, size), then the bytes; an entry whose bytes do not
match its hash (a disk that lost them) is not one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from deckgen.files import write_atomic

MAX_CACHE_BYTES = 200_000_000
_FOLDER = "tables"


@dataclass(frozen=True)
class Entry:
    url: str
    fetched: float  # seconds since the epoch (time.time())
    sha256: str
    body: bytes


def cache_dir() -> Path:
    """Where deckgen keeps what it fetched, on this platform (DECKGEN_CACHE_DIR overrides)."""
    given = os.environ.get("DECKGEN_CACHE_DIR")
    if given:
        return Path(given)
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "deckgen" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "deckgen"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache") / "deckgen"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Cache:
    """Entries by URL in `folder`; at most `max_bytes` in all, the least recently fetched evicted first."""

    def __init__(self, folder: Path, max_bytes: int = MAX_CACHE_BYTES):
        self.folder, self.max_bytes = folder / _FOLDER, max_bytes

    def _path(self, url: str) -> Path:
        return self.folder / f"{sha256(url.encode('utf-8'))[:40]}.entry"

    def get(self, url: str) -> Entry | None:
        """The entry of `url`, or None (none, unreadable, or its bytes not those it was stored with)."""
        try:
            raw = self._path(url).read_bytes()
        except OSError:
            return None
        head, sep, body = raw.partition(b"\n")
        try:
            meta = json.loads(head)
            entry = Entry(str(meta["url"]), float(meta["fetched"]), str(meta["sha256"]), body)
        except (ValueError, KeyError, TypeError):
            return None
        if not sep or entry.url != url or sha256(body) != entry.sha256:
            return None
        return entry

    def put(self, url: str, body: bytes, fetched: float) -> Entry:
        """Keep `body` as the copy of `url` (replacing the last one), then evict the oldest entries beyond
        the size limit. A cache that cannot be written (a read-only home) is no error: the entry is returned."""
        entry = Entry(url, fetched, sha256(body), body)
        head = json.dumps({"url": url, "fetched": fetched, "sha256": entry.sha256, "size": len(body)},
                          sort_keys=True).encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(url), head + b"\n" + body, durable=False)
            self.evict(keep=self._path(url))
        except OSError:
            pass
        return entry

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Remove the least recently fetched entries until the cache holds at most `max_bytes`; `keep` stays.
        Returns the files removed."""
        found: list[tuple[float, int, Path]] = []
        for path in self.folder.glob("*.entry"):
            try:
                size = path.stat().st_size
                with path.open("rb") as f:
                    fetched = float(json.loads(f.readline(4096))["fetched"])
            except (OSError, ValueError, KeyError, TypeError):
                fetched, size = 0.0, path.stat().st_size if path.exists() else 0
            found.append((fetched, size, path))
        total = sum(size for _, size, _ in found)
        removed = []
        for _, size, path in sorted(found, key=lambda f: (f[0], f[2].name)):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size
            removed.append(path)
        return removed
