"""`deckgen check --links`: ask each source URL whether it still answers (urllib only, a few at a time)."""

from __future__ import annotations

import errno
import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from deckgen import __version__

TIMEOUT = 5.0
WORKERS = 8
USER_AGENT = f"deckgen/{__version__} (link check)"
_OFFLINE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # the last HTTP status, None when nothing answered
    reason: str  # the status's reason phrase, or why nothing answered
    final: str  # the URL after redirects
    redirects: tuple[tuple[int, str], ...] = ()  # (status, location) of each hop
    offline: bool = False  # nothing answered because there seems to be no network at all

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def dead(self) -> bool:
        return not self.ok


class _Hops(urllib.request.HTTPRedirectHandler):
    def __init__(self) -> None:
        self.hops: list[tuple[int, str]] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            self.hops.append((code, newurl))
            if req.get_method() == "HEAD":
                new.method = "HEAD"
        return new


def _offline(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, OSError) and reason.errno in _OFFLINE_ERRNOS


def _why(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "no answer (timed out)"
    text = getattr(reason, "strerror", None) or str(reason)
    return text[:80] or type(reason).__name__


def _ask(url: str, method: str, timeout: float) -> LinkResult:
    hops = _Hops()
    opener = urllib.request.build_opener(hops)
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(req, timeout=timeout) as resp:
            return LinkResult(url, resp.status, resp.reason, resp.geturl(), tuple(hops.hops))
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib gave up following redirects: a loop, or too many hops
            urls = [u for _, u in hops.hops]
            why = "redirect loop" if len(set(urls)) < len(urls) else f"too many redirects ({len(urls)})"
            return LinkResult(url, None, why, exc.geturl() or url, tuple(hops.hops))
        return LinkResult(url, exc.code, str(exc.reason), exc.geturl() or url, tuple(hops.hops))
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        return LinkResult(url, None, _why(exc), url, tuple(hops.hops), _offline(exc))


def probe(url: str, timeout: float = TIMEOUT) -> LinkResult:
    """HEAD, then GET when HEAD gets no answer or an error status (some servers refuse HEAD: 405, 403, 501)."""
    head = _ask(url, "HEAD", timeout)
    if head.ok or head.offline or head.reason == "connection refused":
        return head
    get = _ask(url, "GET", timeout)
    return get if get.status is not None or head.status is None else head


def check_links(urls: Iterable[str], timeout: float = TIMEOUT, workers: int = WORKERS) -> dict[str, LinkResult]:
    """Each distinct URL's result, asked `workers` at a time."""
    todo = list(dict.fromkeys(urls))
    if not todo:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        return dict(zip(todo, pool.map(lambda u: probe(u, timeout), todo), strict=True))


def offline(results: dict[str, LinkResult]) -> LinkResult | None:
    """A result showing there is no network, when nothing answered at all; else None."""
    if results and not any(r.status is not None for r in results.values()):
        return next((r for r in results.values() if r.offline), None)
    return None
