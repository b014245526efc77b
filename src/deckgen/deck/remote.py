"""Tables fetched over http(s), through the user's cache (deckgen.cache), with the rules of deckgen.net.

    got = fetch_table(export_url(link), Remote(allow_private=False))   # online.export_url: a Sheets link mapped
    got.body, got.sha256, got.warning    # the bytes; their hash; one line when an old copy stands in

- A table fetched less than `Remote.reuse` seconds ago (60) is reused without asking again, so that `watch`
  and `serve` do not hammer the server; `refresh` asks again whatever the age of the copy.
- When the server cannot be reached (no connection, no answer in time, a gateway that says so, or a server
  that asks to come back later: 429, 502, 503, 504), the last copy is used, with a warning that says its
  age. A 404, a refusal or a web page instead of a table is an error: the copy is not used, since the link
  itself is wrong.
- `offline` never asks: the copy, whatever its age, or an error when there is none.
A process remembers what it decided for a URL for `reuse` seconds (one run, which may read a deck several
times, asks a server once, and waits once for one that does not answer).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deckgen import net
from deckgen.cache import Cache, Entry, cache_dir
from deckgen.deck.spreadsheets.online import html_hint, kind
from deckgen.limits import MAX_FILE_BYTES

REUSE = 60.0  # seconds a fetched table is used without asking again
TIMEOUT = 30.0  # seconds for one table, redirects included
_BUSY = (429, 502, 503, 504)  # too many requests, or a gateway that cannot reach the server: try again later


@dataclass(frozen=True)
class Remote:
    """How tables are fetched: the options `--allow-private`, `--refresh` and `--offline` give."""

    allow_private: bool = False  # also ask addresses of this machine and the local network
    refresh: bool = False  # ask the server, whatever the age of the copy
    offline: bool = False  # never ask: the cached copy, or an error
    reuse: float = REUSE
    timeout: float = TIMEOUT
    cache: Path | None = None  # the cache folder; None: cache_dir()
    clock: Callable[[], float] = field(default=time.time, compare=False)  # tests freeze it


ONLINE = Remote()  # the default: fetch public addresses, reuse a copy for 60 s


class FetchFailed(Exception):
    """A table that cannot be had: `what` and a `hint`, for a message at the deck's `from:`."""

    def __init__(self, what: str, hint: str | None = None):
        super().__init__(what)
        self.what, self.hint = what, hint


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked (a Google Sheets link's export)
    body: bytes
    sha256: str
    fetched: float  # when these bytes came from the server (time.time())
    warning: str | None = None  # an old copy stood in for a server that cannot be reached


_decided: dict[str, tuple[float, Fetched, bool]] = {}  # this process's last answer per URL: when, what, asked


def forget() -> None:
    """Forget what this process fetched (tests; a new run in a long-lived process)."""
    _decided.clear()


def fetch_table(url: str, opts: Remote) -> Fetched:
    """The bytes of the table at `url` (already mapped by online.export_url); FetchFailed when none can be had."""
    now = opts.clock()
    known = _decided.get(url)
    if known is not None and (known[2] or not opts.refresh) and 0 <= now - known[0] < opts.reuse:
        return known[1]  # --refresh: once per run, not at each reading of the deck
    store = Cache(opts.cache or cache_dir())
    entry = store.get(url)
    if opts.offline:
        if entry is None:
            raise FetchFailed("not in the cache, and --offline fetches nothing",
                              "build once with a connection, or without --offline")
        return _remember(url, now, _from(entry), asked=False)
    if entry is not None and not opts.refresh and 0 <= now - entry.fetched < opts.reuse:
        return _remember(url, entry.fetched, _from(entry), asked=False)  # reused until 60 s after its fetch
    try:
        body = _ask(url, opts)
    except _Unreachable as exc:
        if entry is None:
            raise FetchFailed(f"cannot be fetched: {exc}, and there is no copy in the cache",
                              "check the connection and the link") from None
        warning = f"{url}: cannot be fetched ({exc}): using the copy fetched {age(now - entry.fetched)} ago"
        return _remember(url, now, _from(entry, warning))
    return _remember(url, now, _from(store.put(url, body, now)))


def tables_changed(read: list[tuple[str, str]], opts: Remote) -> bool:
    """Whether any table fetched from a URL ((URL asked, sha256 of what was read) pairs) now has other bytes,
    or can no longer be had: the server is asked only when the copy is older than `opts.reuse`."""
    for url, digest in read:
        try:
            if fetch_table(url, opts).sha256 != digest:
                return True
        except FetchFailed:
            return True
    return False


def _from(entry: Entry, warning: str | None = None) -> Fetched:
    return Fetched(entry.url, entry.body, entry.sha256, entry.fetched, warning)


def _remember(url: str, since: float, got: Fetched, asked: bool = True) -> Fetched:
    _decided[url] = (since, got, asked)
    return got


class _Unreachable(Exception):
    """The server cannot be reached: a cached copy may stand in."""


def _ask(url: str, opts: Remote) -> bytes:
    limits = net.Limits(timeout=opts.timeout, max_bytes=MAX_FILE_BYTES, allow_private=opts.allow_private)
    try:
        got = net.fetch(url, limits)
    except (net.Unreachable, net.HostNotFound, net.TimedOut, net.DeadlineReached) as exc:
        raise _Unreachable(exc.reason) from None
    except net.BlockedAddress as exc:
        raise FetchFailed(f"not fetched: {exc.reason.replace(' (--allow-private asks it)', '')}",
                          "a table on this machine or the local network needs --allow-private") from None
    except net.TooLarge as exc:
        raise FetchFailed(f"too large: {exc.reason}", "deckgen reads tables up to 20 MB") from None
    except net.FetchError as exc:  # not http(s), too many redirects
        raise FetchFailed(f"not fetched: {exc.reason}", "give an http(s) link to a CSV or XLSX file") from None
    if got.status in _BUSY:
        raise _Unreachable(f"HTTP {got.status} {got.reason}".strip())
    if got.status != 200:
        raise FetchFailed(f"the server answered HTTP {got.status} {got.reason}".strip(), _status_hint(got.status, url))
    if kind(got.body) == "html":
        signin = "sign-in" if any(w in got.url.lower() for w in ("accounts.", "login", "signin")) else "web"
        raise FetchFailed(f"a {signin} page, not a table (CSV or XLSX)", html_hint(url))
    return got.body


def _status_hint(status: int, url: str) -> str:
    if status in (401, 403):
        return html_hint(url)
    if status == 404:
        return "check the link (copy it again from the browser's address bar)"
    return "try again later, or check the link"


def age(seconds: float) -> str:
    """'40 s', '12 min', '3 h 5 min', '2 days'."""
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"
