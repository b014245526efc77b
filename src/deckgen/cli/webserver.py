"""The live preview server of `deckgen serve` (cli/serve.py): a live preview in the browser. One page (HTML, CSS and
JavaScript shipped in the package, no CDN) shows every card; after a save of the deck, its theme chain, a font or
an image, the cards whose drawing changed update in the open page (server-sent events). Standard library HTTP
server, 127.0.0.1 by default; only its own assets and the images it renders can be asked for, and only under the
address it serves."""

from __future__ import annotations

import errno
import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from deckgen.errors import UsageError

if TYPE_CHECKING:  # the CLI imports the pipeline only in its handlers, to keep --help fast
    from deckgen.pipeline.live import LiveView
    from deckgen.pipeline.prepare import Options

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
ASSETS = {"/": ("index.html", "text/html; charset=utf-8"), "/static/app.js": ("app.js", "text/javascript"),
          "/static/style.css": ("style.css", "text/css")}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
POLL = 0.2  # seconds between checks of the files the builds read
PORT_TRIES = 20  # from 8000: the next free port is taken when 8000 is


class Hub:
    """The views asked for (language × theme), each built on first use and rebuilt after every change."""

    def __init__(self, deck: Path, options: Options) -> None:
        from deckgen.pipeline.live import Images

        self.deck, self.options, self.images = deck, options, Images()
        self.views: dict[tuple[str, str], LiveView] = {}
        self.known: tuple[list[str], list[str]] = ([options.lang or "en"], [options.theme or "classic"])
        self.inputs: set[Path] = {deck.resolve()}
        self.lock = threading.Lock()
        self.changed = threading.Condition()

    def languages_and_themes(self) -> tuple[list[str], list[str]]:
        """The deck's languages and the themes offered; while the deck does not parse, the last ones known
        (plus what its views show), so that an open page keeps its view and sees the error."""
        from deckgen.pipeline.live import choices

        langs, themes = choices(self.deck, self.options)
        if langs is None:
            return self.known
        self.known = (langs, themes)
        return self.known

    def warm(self) -> None:
        """Build the view a page opens first (the deck's language and theme)."""
        langs, themes = self.languages_and_themes()
        self.view(langs[0], themes[0])

    def view(self, lang: str, theme: str) -> LiveView:
        from deckgen.pipeline.live import LiveView, view_options

        with self.lock:
            found = self.views.get((lang, theme))
            if found is None:
                options = view_options(self.deck, self.options, lang, theme)
                found = self.views[(lang, theme)] = LiveView(self.deck, options, self.images)
                self.inputs |= {p.resolve() for p in found.rebuild()}
            return found

    def rebuild_all(self) -> None:
        with self.lock:
            read: set[Path] = {self.deck.resolve()}
            for view in self.views.values():
                read |= {p.resolve() for p in view.rebuild()}
            self.inputs = read
            self.images.keep_only(k for v in self.views.values() for c in v.state.get("cards", [])
                                  for k in (c["front"], c["back"]))
        with self.changed:
            self.changed.notify_all()

    def watch(self, stop: threading.Event) -> None:
        from deckgen.cli.watch import TablePoll, snapshot, stamp

        seen = snapshot(self.inputs)
        tables = TablePoll(self.options.remote, self.options.remote.reuse)
        while not stop.wait(POLL):
            now = snapshot(self.inputs)
            with self.lock:
                fetched = list(dict.fromkeys(t for v in self.views.values() for t in v.fetched))
            if fetched != tables.read:
                tables.built(fetched)
            if now != seen or tables.changed():
                self.rebuild_all()
                # stamps from before the build: a save during the build triggers another one
                seen = {p: now[p] if p in now else stamp(p) for p in self.inputs}


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: the terminal shows builds, not requests."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self.server.host_allowed(self.headers.get("Host", "")):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host", "text/plain")
            return
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            self._route(url.path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, path: str, query: dict[str, str]) -> None:
        if path in ASSETS:
            name, kind = ASSETS[path]
            self._send(HTTPStatus.OK, (WEB / name).read_bytes(), kind)
        elif path == "/api/choices":
            langs, themes = self.server.hub.languages_and_themes()
            self._json({"languages": langs, "themes": themes, "deck": self.server.hub.deck.name})
        elif path in ("/api/state", "/events"):
            view = self._view(query)
            if view is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            elif path == "/events":
                self._events(view)
            else:
                self._json({**view.state, "version": view.version})
        elif path.startswith("/img/") and path.endswith(".png") and path[5:-4] in self.server.hub.images.data:
            self._send(HTTPStatus.OK, self.server.hub.images.data[path[5:-4]], "image/png", cache=True)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

    def _view(self, query: dict[str, str]) -> LiveView | None:
        langs, themes = self.server.hub.languages_and_themes()
        lang, theme = query.get("lang") or langs[0], query.get("theme") or themes[0]
        if lang not in langs or theme not in themes:
            return None
        return self.server.hub.view(lang, theme)

    def _events(self, view: LiveView) -> None:
        """Server-sent events: the view's version whenever it changes (and a comment every 15 s)."""
        self.send_response(HTTPStatus.OK)
        self._headers("text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent = -1
        while not self.server.stopping.is_set():
            if view.version != sent:
                sent = view.version
                self.wfile.write(f"data: {sent}\n\n".encode())
            else:
                self.wfile.write(b": waiting\n\n")
            self.wfile.flush()
            with self.server.hub.changed:
                self.server.hub.changed.wait(timeout=15)

    def _json(self, data: dict[str, Any]) -> None:
        self._send(HTTPStatus.OK, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

    def _headers(self, kind: str) -> None:
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send(self, status: HTTPStatus, body: bytes, kind: str, cache: bool = False) -> None:
        self.send_response(status)
        self._headers(kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000, immutable" if cache else "no-store")
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], hub: Hub) -> None:
        super().__init__(address, Handler)
        self.hub = hub
        self.stopping = threading.Event()
        host, port = self.server_address[0], self.server_address[1]
        names = {str(host), "localhost"} if str(host) in ("127.0.0.1", "::1") else {str(host)}
        self.allowed = {f"{n}:{port}" for n in names} | {f"[{n}]:{port}" for n in names if ":" in n}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closed its connection (a tab closed, a page reloaded) is not an error to print."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def host_allowed(self, header: str) -> bool:
        """Only the address served (DNS rebinding: another name pointing here is refused)."""
        return header.strip().lower() in self.allowed

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.server_address[1]}/"


def bind(host: str, port: int | None, hub: Hub) -> tuple[Server, str | None]:
    """The server on `port` (taken: a UsageError), or on 8000 or the next free port (said so)."""
    if port is not None:
        try:
            return Server((host, port), hub), None
        except OSError as exc:
            raise UsageError(f"--port {port}: {exc.strerror or exc} (choose another, or --port 0)") from None
    for candidate in range(8000, 8000 + PORT_TRIES):
        try:
            server = Server((host, candidate), hub)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise UsageError(f"cannot listen on {host}: {exc.strerror or exc}") from None
            continue
        return server, None if candidate == 8000 else f"port 8000 is taken: using {candidate}"
    raise UsageError(f"ports 8000 to {8000 + PORT_TRIES - 1} are taken: give --port N (or --port 0)")


def start(deck: Path, options: Options, host: str = "127.0.0.1", port: int | None = None
          ) -> tuple[Server, threading.Event, str | None]:
    """A running server (its own thread) and the event that stops its watcher; for the command and tests."""
    hub = Hub(deck, options)
    server, note = bind(host, port, hub)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    threading.Thread(target=hub.watch, args=(server.stopping,), daemon=True).start()
    threading.Thread(target=hub.warm, daemon=True).start()  # the first page finds its cards drawn
    return server, server.stopping, note


def stop(server: Server) -> None:
    server.stopping.set()
    with server.hub.changed:
        server.hub.changed.notify_all()
    server.shutdown()
    server.server_close()
