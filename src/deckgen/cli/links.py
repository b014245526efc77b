"""`deckgen check --links`: ask each source URL whether it still answers, through `net.fetch`'s rules
(http(s) only, public addresses only unless --allow-private, a deadline per URL and for the run)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from deckgen import __version__, net

TIMEOUT = 5.0  # seconds per URL, redirects included
RUN_TIME = 60.0  # seconds for the whole check; URLs not answered by then are "not checked"
WORKERS = 8
USER_AGENT = f"deckgen/{__version__} (link check)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # the last HTTP status, None when nothing answered
    reason: str  # the status's reason phrase, or why nothing answered
    final: str  # the URL after redirects
    redirects: tuple[tuple[int, str], ...] = ()  # (status, location) of each hop
    offline: bool = False  # nothing answered because there seems to be no network at all
    checked: bool = True  # False: refused (a non-public address) or left when the run's time was up

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def dead(self) -> bool:
        return self.checked and not self.ok


@dataclass(frozen=True)
class LinkOptions:
    timeout: float = TIMEOUT
    run_time: float = RUN_TIME
    workers: int = WORKERS
    allow_private: bool = False


def _ask(url: str, method: str, limits: net.Limits) -> LinkResult:
    try:
        got = net.fetch(url, limits, method=method, read_body=False)
    except net.BlockedAddress as exc:
        return LinkResult(url, None, exc.reason, url, checked=False)
    except net.DeadlineReached:
        return LinkResult(url, None, "the check's time was up", url, checked=False)
    except net.FetchError as exc:
        offline = isinstance(exc, (net.HostNotFound, net.Offline))
        return LinkResult(url, None, exc.reason, url, offline=offline)
    return LinkResult(url, got.status, got.reason, got.url, got.redirects)


def probe(url: str, limits: net.Limits) -> LinkResult:
    """HEAD, then GET when HEAD gets no answer or an error status (some servers refuse HEAD: 405, 403, 501)."""
    head = _ask(url, "HEAD", limits)
    if head.ok or head.offline or not head.checked or head.reason == "connection refused":
        return head
    get = _ask(url, "GET", limits)
    return get if get.status is not None or head.status is None else head


def check_links(urls: Iterable[str], options: LinkOptions = LinkOptions()) -> dict[str, LinkResult]:
    """Each distinct URL's result, asked `workers` at a time, all within `run_time` seconds."""
    todo = list(dict.fromkeys(urls))
    if not todo:
        return {}
    limits = net.Limits(timeout=options.timeout, deadline=time.monotonic() + options.run_time,
                        allow_private=options.allow_private, user_agent=USER_AGENT, max_redirects=10)
    with ThreadPoolExecutor(max_workers=min(options.workers, len(todo))) as pool:
        return dict(zip(todo, pool.map(lambda u: probe(u, limits), todo), strict=True))


def offline(results: dict[str, LinkResult]) -> LinkResult | None:
    """A result showing there is no network, when nothing answered at all; else None."""
    if results and not any(r.status is not None for r in results.values()):
        return next((r for r in results.values() if r.offline), None)
    return None


def proxies(urls: Iterable[str]) -> list[str]:
    """The proxies the environment sets for these URLs, each once (say once: addresses are their business)."""
    return sorted({net.without_password(p) for p in map(net.proxy_for, urls) if p is not None})
