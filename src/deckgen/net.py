"""Fetching a URL safely: the one way deckgen talks to the network (standard library only).

    from deckgen.net import Limits, fetch, FetchError
    try:
        got = fetch("https://example.org/trends.csv", Limits(timeout=10, max_bytes=20 << 20))
    except FetchError as exc:           # one of the subclasses below; str(exc) is a short reason
        ...
    got.status, got.url, got.body       # the last status, the URL after redirects, at most max_bytes bytes

The rules, for every request and again for every redirect:
- only `http` and `https` URLs (a redirect elsewhere, `javascript:` or `ftp:`, raises `BadScheme`);
- the host is resolved once and every address it resolves to must be public: loopback, private,
  link-local (169.254.169.254), shared, multicast, reserved and unspecified addresses, and IPv6 forms
  that carry one of them (IPv4-mapped, 6to4, Teredo, NAT64) raise `BlockedAddress` unless
  `Limits.allow_private`; the connection goes to the very address that was checked, never to a
  second lookup of the name (no DNS rebinding);
- a real deadline: `Limits.timeout` seconds for the URL, all redirects included, and
  `Limits.deadline` (a `time.monotonic()` value) for a whole run; a watchdog closes the socket when it
  passes, so a server that drips one byte every few seconds cannot hold a request past it
  (`TimedOut`, or `DeadlineReached` when the run's deadline came first);
- at most `Limits.max_bytes` of body (`TooLarge`) and `Limits.max_redirects` redirects
  (`TooManyRedirects`; `RedirectLoop` when a URL comes back);
- with a proxy set in the environment (`https_proxy`, `http_proxy`, `all_proxy`, minus `no_proxy`) the
  request goes through it and which addresses it reaches is the proxy's business: `proxy_for(url)`
  names it so that a caller can say so once. Addresses written in the URL itself are still checked.
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import socket
import ssl
import string
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_OFFLINE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}
_Addr = ipaddress.IPv4Address | ipaddress.IPv6Address
_Info = tuple[Any, ...]  # one getaddrinfo() entry: family, type, proto, name, sockaddr


class FetchError(Exception):
    """Why a URL gave no answer; `str()` is a short reason for a message line."""

    def __init__(self, url: str, reason: str):
        super().__init__(reason)
        self.url, self.reason = url, reason


class BadScheme(FetchError):
    """Not an http(s) URL (also after a redirect)."""


class BlockedAddress(FetchError):
    """The host is (or resolves to) a non-public address, and `allow_private` is off."""


class HostNotFound(FetchError):
    """The name does not resolve (also what an offline machine says)."""


class Unreachable(FetchError):
    """Connection refused, network unreachable, TLS failure, a server that breaks the protocol."""


class Offline(Unreachable):
    """The network is down or unreachable from this machine."""


class TimedOut(FetchError):
    """The URL's own time ran out."""


class DeadlineReached(FetchError):
    """The run's deadline passed before or while the URL was asked: it was not checked."""


class TooLarge(FetchError):
    """The body is longer than `max_bytes`."""


class TooManyRedirects(FetchError):
    """More than `max_redirects` redirects."""


class RedirectLoop(TooManyRedirects):
    """A redirect led back to a URL already asked."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 5.0  # seconds for one URL, every redirect and the body included
    deadline: float | None = None  # time.monotonic() after which nothing more is asked (a whole run)
    max_bytes: int = 1 << 20  # body bytes kept; more is TooLarge
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "deckgen"


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    url: str  # after redirects
    body: bytes = b""
    redirects: tuple[tuple[int, str], ...] = ()  # (status, location) of each hop
    headers: dict[str, str] = field(default_factory=dict)  # of the last answer, lower-case names


def fetch(url: str, limits: Limits = Limits(), *, method: str = "GET", read_body: bool = True) -> Response:
    """Ask `url` (GET or HEAD), following redirects under the rules above; raises a FetchError."""
    start = time.monotonic()
    ends = start + limits.timeout
    cause: type[FetchError] = TimedOut
    if limits.deadline is not None and limits.deadline <= ends:
        ends, cause = limits.deadline, DeadlineReached
    hops: list[tuple[int, str]] = []
    seen = {url}
    while True:
        resp = _once(url, method, limits, ends, cause, read_body)
        location = resp.headers.get("location")
        if resp.status not in _REDIRECTS or location is None:
            return Response(resp.status, resp.reason, url, resp.body, tuple(hops), resp.headers)
        new = urllib.parse.urljoin(url, location.strip())
        hops.append((resp.status, new))
        if new in seen:
            raise RedirectLoop(url, "redirect loop")
        if len(hops) > limits.max_redirects:
            raise TooManyRedirects(url, f"more than {limits.max_redirects} redirects")
        seen.add(new)
        if resp.status == 303 and method != "HEAD":
            method = "GET"
        url = new


def proxy_for(url: str) -> str | None:
    """The proxy the environment sets for this URL (after `no_proxy`), or None."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme.lower()) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy if "://" in proxy else "http://" + proxy


def without_password(url: str) -> str:
    """A proxy's URL as it may be shown: without its user name and password."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit((parts.scheme, host + (f":{parts.port}" if parts.port else ""), parts.path, "", ""))


def is_public(addr: _Addr) -> bool:
    """Whether an address may be asked without `allow_private`: global unicast, whatever it embeds."""
    if isinstance(addr, ipaddress.IPv6Address):
        inner = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if inner is None and addr in _NAT64:
            inner = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if inner is not None and not is_public(inner):
            return False
    return addr.is_global and not addr.is_multicast


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as written (no brackets), for Host:, SNI and certificate checks
    port: int
    path: str  # path?query, never empty


def _target(url: str) -> _Target:
    if any(c in url for c in "\t\r\n\0 "):
        raise BadScheme(url, "not a valid URL (it holds a space, tab, newline or NUL)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadScheme(url, f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"a {scheme}: URL" if scheme else "not a URL"
        raise BadScheme(url, f"{shown}, only http and https are asked")
    if not parts.hostname:
        raise BadScheme(url, "no host in the URL")
    path = urllib.parse.quote(parts.path or "/", safe=string.punctuation)
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe=string.punctuation)
    return _Target(scheme, parts.hostname, port or (443 if scheme == "https" else 80),
                   path)


def _literal(host: str) -> _Addr | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _check(url: str, addr: _Addr, limits: Limits) -> None:
    if not limits.allow_private and not is_public(addr):
        raise BlockedAddress(url, f"{addr} is not a public address (--allow-private asks it)")


def _resolve(url: str, t: _Target, limits: Limits, ends: float, cause: type[FetchError]) -> list[_Info]:
    """Every address of the host, each checked; a lookup that outlasts the deadline raises `cause`."""
    box: list[object] = []

    def lookup() -> None:
        try:
            box.append(socket.getaddrinfo(t.host, t.port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            box.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(max(0.0, ends - time.monotonic()))
    if not box:
        raise cause(url, "no answer (timed out)")
    if isinstance(box[0], BaseException):
        raise HostNotFound(url, "host not found")
    infos: list[_Info] = box[0]  # type: ignore[assignment]
    for info in infos:
        _check(url, ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]), limits)
    if not infos:
        raise HostNotFound(url, "host not found")
    return infos


class _Watchdog:
    """Shuts the socket down at the deadline, whatever it is blocked on (a slow drip included)."""

    def __init__(self, ends: float):
        self.sock: socket.socket | None = None
        self.fired = False
        self._timer = threading.Timer(max(0.0, ends - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self.sock is not None:
            try:
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection to one address given in advance, optionally through a proxy's CONNECT."""

    def __init__(self, t: _Target, sockaddr: Any, family: int, timeout: float, dog: _Watchdog, tunnel: bool):
        super().__init__(t.host, t.port, timeout=timeout)
        self.target, self.sockaddr, self.family, self.dog, self.tunnel = t, sockaddr, family, dog, tunnel

    def connect(self) -> None:
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        self.sock = self.dog.sock = sock
        sock.settimeout(self.timeout)
        sock.connect(self.sockaddr)
        if self.tunnel:
            _connect_through(sock, self.target)
        if self.target.scheme == "https":
            self.sock = self.dog.sock = ssl.create_default_context().wrap_socket(
                sock, server_hostname=self.target.host)


def _connect_through(sock: socket.socket, t: _Target) -> None:
    """CONNECT host:port through a proxy; its answer read with bounded lines."""
    sock.sendall(f"CONNECT {t.host}:{t.port} HTTP/1.1\r\nHost: {t.host}:{t.port}\r\n\r\n".encode("idna"))
    reader = sock.makefile("rb")
    status = reader.readline(1024).split()
    for _ in range(100):
        if reader.readline(8192) in (b"\r\n", b"\n", b""):
            break
    if len(status) < 2 or status[1] != b"200":
        raise OSError(f"the proxy refused the tunnel ({b' '.join(status[1:]).decode('latin-1')})")


def _connection(url: str, t: _Target, limits: Limits, ends: float, cause: type[FetchError],
                dog: _Watchdog) -> tuple[_Connection, bool]:
    literal = _literal(t.host)
    if literal is not None:
        _check(url, literal, limits)
    proxy = proxy_for(url)
    if proxy is not None:
        p = _target(proxy if proxy.startswith(SCHEMES) else "http://" + proxy.split("://", 1)[-1])
        infos = _resolve(url, p, Limits(allow_private=True), ends, cause)
        info = infos[0]
        return _Connection(t, info[4], info[0], _left(url, ends, cause), dog, t.scheme == "https"), \
            t.scheme == "http"
    info = _resolve(url, t, limits, ends, cause)[0]
    return _Connection(t, info[4], info[0], _left(url, ends, cause), dog, False), False


def _left(url: str, ends: float, cause: type[FetchError]) -> float:
    left = ends - time.monotonic()
    if left <= 0:
        raise cause(url, "no answer (timed out)")
    return left


def _once(url: str, method: str, limits: Limits, ends: float, cause: type[FetchError],
          read_body: bool) -> Response:
    t = _target(url)
    _left(url, ends, cause)
    dog = _Watchdog(ends)
    conn = None
    try:
        conn, absolute = _connection(url, t, limits, ends, cause, dog)
        conn.request(method, url if absolute else t.path,
                     headers={"User-Agent": limits.user_agent, "Accept": "*/*", "Connection": "close"})
        resp = conn.getresponse()
        body = _body(url, resp, limits) if read_body and method != "HEAD" else b""
        headers = {k.lower(): v for k, v in resp.getheaders()}
        return Response(resp.status, resp.reason, url, body, (), headers)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError, UnicodeError) as exc:
        if dog.fired or time.monotonic() >= ends:
            raise cause(url, "no answer (timed out)") from None
        if isinstance(exc, OSError) and exc.errno in _OFFLINE:
            raise Offline(url, _why(exc)) from None
        raise Unreachable(url, _why(exc)) from None
    finally:
        dog.cancel()
        if conn is not None:
            conn.close()


def _body(url: str, resp: http.client.HTTPResponse, limits: Limits) -> bytes:
    length = resp.getheader("content-length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise TooLarge(url, f"{int(length):,} bytes, more than {limits.max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while size <= limits.max_bytes:
        chunk = resp.read(min(65536, limits.max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise TooLarge(url, f"more than {limits.max_bytes:,} bytes")


def _why(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not valid ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return "TLS failed"
    if isinstance(exc, http.client.HTTPException):
        return f"not an HTTP answer ({type(exc).__name__})"
    text = getattr(exc, "strerror", None) or str(exc)
    return text[:80] or type(exc).__name__
