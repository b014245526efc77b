"""`deckgen check --links` against a local HTTP server (127.0.0.1 only: tests never reach the internet)."""

from __future__ import annotations

import socket
import textwrap
import time
from http.server import BaseHTTPRequestHandler

import pytest

from deckgen.cli.links import LinkOptions, check_links, offline
from deckgen.cli.main import main


class Handler(BaseHTTPRequestHandler):
    log: list[tuple[str, str]] = []

    def _answer(self) -> None:
        self.log.append((self.command, self.path))
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
        elif self.path == "/nohead" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/to-js":
            self.send_response(302)
            self.send_header("Location", "javascript:alert(1)")
        elif self.path == "/to-meta":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        elif self.path.startswith("/slow"):
            time.sleep(3)
            self.send_response(200)
        elif self.path == "/nohead":
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def server(http_server) -> str:
    return http_server(Handler).url


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deck_with(tmp_path, urls: dict[str, str]):
    cards = "".join(f"  - id: {cid}\n    title: {cid}\n    source: {url}\n" for cid, url in urls.items())
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: {title: Links}\ncards:\n" + cards, encoding="utf-8")
    return deck


def test_dead_links_and_redirects_are_warnings_by_card(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused = f"http://127.0.0.1:{closed_port()}/x"
    deck = deck_with(tmp_path, {"fine": f"{server}/ok", "moved": f"{server}/moved", "gone": f"{server}/gone",
                                "nohead": f"{server}/nohead", "refused": refused})
    assert main(["check", str(deck), "--links", "--allow-private"]) == 0
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 3, err
    moved = f"warning: deck.yaml:8: cards[1].source.url: redirects (301) to {server}/ok (card 'moved') — update the URL"
    assert moved in err
    assert f"warning: deck.yaml:11: cards[2].source.url: dead link: 404 Not Found (card 'gone') — {server}/gone" in err
    assert f"warning: deck.yaml:17: cards[4].source.url: dead link: connection refused (card 'refused') — {refused}" \
        in err
    assert "links: 2 OK, 1 redirected, 2 dead (5 distinct URLs on 5 cards)" in captured.out
    assert ("HEAD", "/nohead") in Handler.log and ("GET", "/nohead") in Handler.log  # HEAD refused: GET
    assert ("GET", "/ok") not in Handler.log  # HEAD answered, also after the redirect


def test_redirect_loop_is_dead_and_counts_are_of_distinct_urls(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = deck_with(tmp_path, {"loop": f"{server}/loop", "gone": f"{server}/gone", "again": f"{server}/gone",
                                "fine": f"{server}/ok", "also": f"{server}/ok", "moved": f"{server}/moved"})
    assert main(["check", str(deck), "--links", "--allow-private"]) == 0
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert f"warning: deck.yaml:5: cards[0].source.url: dead link: redirect loop (card 'loop') — {server}/loop" in err
    assert not any("temporary redirect" in line for line in err), err
    assert len(err) == 4, err  # loop, gone twice (one per card), moved
    assert "links: 1 OK, 1 redirected, 2 dead (4 distinct URLs on 6 cards)" in captured.out


def test_each_language_of_a_source_is_checked(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent(f"""\
        deck: {{title: T, lang: fr}}
        cards:
          - title: {{fr: Un, en: One}}
            source: {{url: {{fr: "{server}/ok", en: "{server}/gone"}}}}
    """), encoding="utf-8")
    assert main(["check", str(deck), "--links", "--allow-private"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"warning: deck.yaml:4: cards[0].source.url.en: dead link: 404 Not Found (card 'un') — "
                   f"{server}/gone"]


def test_offline_says_so_once_and_does_not_fail(tmp_path, capsys, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)  # nothing leaves the machine
    deck = deck_with(tmp_path, {"a": "https://example.invalid/a", "b": "https://example.invalid/b"})
    assert main(["check", str(deck), "--links", "--allow-private"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["warning: links not checked: no network (host not found)"]


def test_results_are_per_distinct_url(server):
    options = LinkOptions(timeout=2, allow_private=True)
    results = check_links([f"{server}/ok", f"{server}/ok", f"{server}/gone"], options)
    assert list(results) == [f"{server}/ok", f"{server}/gone"]
    assert results[f"{server}/ok"].ok and results[f"{server}/gone"].status == 404
    assert offline(results) is None


def test_non_public_addresses_are_not_asked_without_allow_private(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = deck_with(tmp_path, {"local": f"{server}/ok", "meta": "http://169.254.169.254/latest/meta-data/"})
    assert main(["check", str(deck), "--links"]) == 0
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert err == [f"warning: deck.yaml:5: cards[0].source.url: not checked: 127.0.0.1 is not a public address "
                   f"(--allow-private asks it) (card 'local') — {server}/ok",
                   "warning: deck.yaml:8: cards[1].source.url: not checked: 169.254.169.254 is not a public address "
                   "(--allow-private asks it) (card 'meta') — http://169.254.169.254/latest/meta-data/"]
    assert "links: 0 OK, 0 redirected, 0 dead, 2 not checked (2 distinct URLs on 2 cards)" in captured.out
    assert Handler.log == []


def test_redirects_to_other_schemes_and_private_addresses_read_clearly(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = deck_with(tmp_path, {"js": f"{server}/to-js", "meta": f"{server}/to-meta"})
    assert main(["check", str(deck), "--links", "--allow-private"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == (f"warning: deck.yaml:5: cards[0].source.url: dead link: a javascript: URL, only http and "
                      f"https are asked (card 'js') — {server}/to-js")
    assert err[1].startswith("warning: deck.yaml:8: cards[1].source.url: dead link: ")  # allowed: asked, unanswered


def test_links_left_at_the_deadline_are_not_checked(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = deck_with(tmp_path, {f"s{i}": f"{server}/slow?{i}" for i in range(12)})
    start = time.monotonic()
    assert main(["check", str(deck), "--links", "--allow-private", "--links-deadline", "1"]) == 0
    assert time.monotonic() - start < 30  # 12 links of 3 s, 8 at a time, would take 6 s; the deadline stops at 1
    captured = capsys.readouterr()
    assert "links: 0 OK, 0 redirected, 0 dead, 12 not checked (12 distinct URLs on 12 cards)" in captured.out
    assert "not checked: the check's time was up (card 's0')" in captured.err


def test_a_proxy_is_said_once(tmp_path, server, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("https_proxy", "http://user:secret@127.0.0.1:9")
    deck = deck_with(tmp_path, {"a": "https://example.org/a", "b": "https://example.org/b"})
    assert main(["check", str(deck), "--links", "--links-deadline", "5"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    notes = [line for line in err if line.startswith("note:")]
    assert notes == ["note: links are asked through the proxy http://127.0.0.1:9: which addresses it reaches is "
                     "the proxy's business (--allow-private does not apply to it)"]
