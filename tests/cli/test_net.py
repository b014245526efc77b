"""deckgen.net against local servers (127.0.0.1 only: tests never reach the internet)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import PROXY_VARS

from deckgen import net
from deckgen.net import Limits, fetch

LOCAL = Limits(timeout=5, allow_private=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log: list[tuple[str, str, str]] = []
    routes = {
        "/to-js": (302, "javascript:alert(1)"), "/to-ftp": (301, "ftp://127.0.0.1:21/"),
        "/to-meta": (302, "http://169.254.169.254/latest/meta-data/"), "/loop": (302, "/loop"),
        "/moved": (301, "/ok"), "/to-mapped": (302, "http://[::ffff:127.0.0.1]/"),
    }

    def _answer(self) -> None:
        self.log.append((self.command, self.path, self.headers.get("Host", "")))
        body = b""
        if self.path in self.routes:
            code, where = self.routes[self.path]
            self.send_response(code)
            self.send_header("Location", where)
        elif self.path.startswith("/hop/"):
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(302 if n else 200)
            self.send_header("Location", f"/hop/{n - 1}")
        elif self.path in ("/ok", "/big", "/chunked"):
            self.send_response(200)
            body = b"x" * (3000 if self.path != "/ok" else 5)
        else:
            self.send_response(404)
        if self.path == "/chunked":  # no length: the client must stop reading by itself
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                for _ in range(10):
                    self.wfile.write(b"12c\r\n" + b"y" * 300 + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(http_server) -> str:
    return http_server(Handler).url


@pytest.fixture
def drip(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server that sends one byte of its status line every 0.2 s, for up to 60 s, and never finishes."""
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    def trickle(conn: socket.socket) -> None:
        with conn:
            for byte in (b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 300)[:300]:
                if stop.wait(0.2):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_a_page_its_status_and_body(server: str) -> None:
    got = fetch(f"{server}/ok", LOCAL)
    assert (got.status, got.body, got.url, got.redirects) == (200, b"xxxxx", f"{server}/ok", ())
    assert fetch(f"{server}/gone", LOCAL).status == 404  # an error status is an answer, not an exception


def test_redirects_are_followed_and_listed(server: str) -> None:
    got = fetch(f"{server}/moved", LOCAL, method="HEAD")
    assert (got.status, got.url, got.redirects) == (200, f"{server}/ok", ((301, f"{server}/ok"),))
    assert [m for m, _, _ in Handler.log] == ["HEAD", "HEAD"]


@pytest.mark.parametrize(("path", "error", "says"), [
    ("/to-js", net.BadScheme, "a javascript: URL, only http and https are asked"),
    ("/to-ftp", net.BadScheme, "a ftp: URL, only http and https are asked"),
    ("/loop", net.RedirectLoop, "redirect loop"),
    ("/hop/9", net.TooManyRedirects, "more than 5 redirects"),
])
def test_redirects_elsewhere_are_refused_by_name(server: str, path: str, error: type, says: str) -> None:
    with pytest.raises(error) as exc:
        fetch(server + path, LOCAL)
    assert str(exc.value) == says
    assert len(Handler.log) <= 6  # nothing asked after the refusal


def test_non_public_addresses_are_refused_before_connecting(server: str) -> None:
    with pytest.raises(net.BlockedAddress, match=r"127\.0\.0\.1 is not a public address"):
        fetch(f"{server}/ok", Limits(timeout=5))
    port = server.rsplit(":", 1)[1]
    with pytest.raises(net.BlockedAddress, match="not a public address"):
        fetch(f"http://localhost:{port}/ok", Limits(timeout=5))  # after DNS resolution
    assert Handler.log == []


def test_every_redirect_is_checked_again(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first hop is "public" (127.0.0.1 stands for it here); where it redirects is checked anew."""
    monkeypatch.setattr(net, "is_public", lambda addr: str(addr) == "127.0.0.1")
    for path, shown in [("/to-meta", "169.254.169.254"), ("/to-mapped", r"::ffff:\S+")]:
        with pytest.raises(net.BlockedAddress, match=f"{shown} is not a public address"):
            fetch(server + path, Limits(timeout=5))


def test_the_connection_goes_to_the_address_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name is looked up once per request: a second lookup (DNS rebinding) could answer otherwise."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    lookups: list[str] = []

    def rebinding(host: str, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if host != "site.test":
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        lookups.append(host)
        return real(next(answers), port, type=socket.SOCK_STREAM)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(net, "is_public", lambda addr: str(addr) == "127.0.0.1")
    got = fetch(f"http://site.test:{port}/ok", Limits(timeout=5))
    assert got.status == 200 and lookups == ["site.test"]
    assert Handler.log == [("GET", "/ok", f"site.test:{port}")]


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::", "2002:a9fe:a9fe::", "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe", "2001:0:4136:e378:8000:63bf:80ff:fffe",
])
def test_is_public_refuses_every_kind_of_non_public_address(address: str) -> None:
    assert not net.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1",
                                     "2002:5db8:d822::", "64:ff9b::5db8:d822"])
def test_is_public_accepts_public_addresses(address: str) -> None:
    assert net.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("url", ["ftp://example.org/", "javascript:alert(1)", "file:///etc/passwd",
                                 "http://exa mple.org/", "http://example.org/\t", "https://example.org/\n",
                                 "http://example.org/\0", "http://", "http://example.org:99999/", "//example.org"])
def test_urls_that_are_not_http_are_refused_without_a_lookup(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise AssertionError("looked up")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(net.BadScheme):
        fetch(url, LOCAL)


def test_the_body_is_bounded(server: str) -> None:
    small = Limits(timeout=5, allow_private=True, max_bytes=1000)
    with pytest.raises(net.TooLarge, match="3,000 bytes, more than 1,000"):
        fetch(f"{server}/big", small)  # said by Content-Length
    with pytest.raises(net.TooLarge, match="more than 1,000 bytes"):
        fetch(f"{server}/chunked", small)  # found while reading
    assert len(fetch(f"{server}/chunked", LOCAL).body) == 3000
    assert fetch(f"{server}/chunked", small, read_body=False).body == b""


def test_a_slow_drip_cannot_hold_a_request_past_its_deadline(drip: str) -> None:
    start = time.monotonic()
    with pytest.raises(net.TimedOut, match="timed out"):
        fetch(drip, Limits(timeout=1.0, allow_private=True))
    assert time.monotonic() - start < 20  # the server would go on for 60 s


def test_the_run_deadline_is_its_own_error(drip: str) -> None:
    with pytest.raises(net.DeadlineReached):
        fetch(drip, Limits(timeout=30, deadline=time.monotonic() + 0.5, allow_private=True))
    with pytest.raises(net.DeadlineReached):  # already passed: nothing asked
        fetch(drip, Limits(timeout=30, deadline=time.monotonic() - 1, allow_private=True))


def test_refused_and_unknown_hosts_are_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(net.Unreachable, match="connection refused"):
        fetch(f"http://127.0.0.1:{port}/", LOCAL)

    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(net.HostNotFound, match="host not found"):
        fetch("https://example.invalid/", LOCAL)


def test_a_proxy_is_named_and_used(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a proxy, the request goes to it (here the local server plays the proxy and answers itself)."""
    monkeypatch.setenv("http_proxy", server)
    assert net.proxy_for("http://example.org/x") == server
    assert net.proxy_for("ftp://example.org/x") is None
    got = fetch("http://example.org/ok", Limits(timeout=5))
    assert got.status == 404  # the proxy was asked for the absolute URL
    assert Handler.log == [("GET", "http://example.org/ok", "example.org")]
    monkeypatch.setenv("no_proxy", "example.org")
    assert net.proxy_for("http://example.org/x") is None
    with pytest.raises(net.BlockedAddress):  # an address written in the URL is still checked
        monkeypatch.delenv("no_proxy")
        fetch("http://169.254.169.254/", Limits(timeout=5))
