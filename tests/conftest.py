"""Shared fixtures: PDFs built by the real CLI, and readers for what users get out of them."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from deckgen.cli.main import main

# a loaded CI machine must not turn a slow example into a failure: no per-example deadline anywhere
settings.register_profile("deckgen", deadline=None)
settings.load_profile("deckgen")

ROOT = Path(__file__).resolve().parents[1]
MICRO = ROOT / "decks" / "micro.yaml"
MM = 72 / 25.4
# a small valid deck that tests change one thing in
GOOD = """\
deck:
  title: Test deck
  lang: fr
families:
  - id: edition
    name: Édition
    color: "#E4572E"
cards:
  - id: one
    family: edition
    title: Premier
    summary: Un résumé court.
    body: Un corps de texte.
    source: https://example.org/one
  - title: Deuxième carte
    family: edition
    source: {url: "https://example.org/two", label: Exemple}
"""


def build(tmp: Path, *args: str, deck: Path = MICRO, name: str = "out.pdf") -> Path:
    out = tmp / name
    code = main(["build", str(deck), "-o", str(out), *args])
    assert code == 0, f"build {args} exited {code}"
    return out


@pytest.fixture(scope="session")
def micro_data() -> dict:
    return yaml.safe_load(MICRO.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """micro.pdf built once per (paper, duplex) for the whole session."""
    cache: dict[tuple[str, str], Path] = {}

    def get(paper: str = "a4", duplex: str = "long") -> Path:
        key = (paper, duplex)
        if key not in cache:
            tmp = tmp_path_factory.mktemp(f"{paper}-{duplex}")
            cache[key] = build(tmp, "--paper", paper, "--duplex", duplex)
        return cache[key]

    return get


@dataclass(frozen=True)
class Chunk:
    text: str
    x: float
    y: float
    size: float
    dir: tuple[float, float]  # the direction the text runs in, on the page


def text_chunks(pdf: Path) -> list[list[Chunk]]:
    """Each page's shown strings with their page position (text matrix applied to the current matrix)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(pdf).pages:
        chunks: list[Chunk] = []

        def visit(text, cm, tm, font, size, chunks=chunks):
            if text.strip():
                a, b, c, d, e, f = cm
                x = tm[4] * a + tm[5] * c + e
                y = tm[4] * b + tm[5] * d + f
                ux, uy = tm[0] * a + tm[1] * c, tm[0] * b + tm[1] * d
                norm = (ux * ux + uy * uy) ** 0.5 or 1.0
                # lines of one text object come with the line break of the move between them: drop it
                chunks.append(Chunk(text.strip("\r\n"), x, y, size, (round(ux / norm, 6), round(uy / norm, 6))))

        page.extract_text(visitor_text=visit)
        pages.append(chunks)
    return pages


def normal(text: str) -> str:
    """Text compared without spaces, hyphens or markup: line breaks and hyphenation do not matter."""
    text = re.sub(r"\*+", "", text)
    return re.sub(r"[\s\u00a0\u202f\-‐­]+", "", text)


def assert_every_text(pdf: Path, micro_data: dict, label: str = "") -> None:
    """Every card's title, summary, body, family name and source label of the reference deck is in the PDF."""
    text = normal("".join(c.text for page in text_chunks(pdf) for c in page))
    fams = {f["id"]: f for f in micro_data["families"]}
    for card in micro_data["cards"]:
        for key in ("title", "summary", "body"):
            assert normal(localized(card[key])) in text, f"{label}{card['id']}.{key} missing"
        assert normal(localized(fams[card["family"]]["name"])) in text
        assert normal(localized(card["source"]["label"])) in text


def localized(value, lang: str = "fr") -> str:
    return value[lang] if isinstance(value, dict) else value


def decode_qr_pages(pdf: Path, pages: list[int], dpi: int = 300) -> list[list]:
    """Every QR code zxing-cpp finds on each page rendered at `dpi`."""
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(str(pdf))
    found = []
    for i in pages:
        image = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
        found.append(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    doc.close()
    return found


PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
              "NO_PROXY")


@dataclass
class Served:
    """A local HTTP server started by the `http_server` fixture: its base URL; `stop()` closes it (a server
    that went away: connections refused)."""

    url: str
    stop: Callable[[], None]


@pytest.fixture
def http_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[type], Served]]:
    """Start a local server for a handler class (its `log` list emptied first, when it has one); every server
    started is stopped at the end of the test."""
    with ExitStack() as stack:
        def start(handler: type) -> Served:
            if isinstance(getattr(handler, "log", None), list):
                handler.log = []
            inner = ExitStack()
            url = inner.enter_context(local_http_server(handler, monkeypatch))
            stack.callback(inner.close)
            return Served(url, inner.close)

        yield start


@contextmanager
def local_http_server(handler: type, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (tests never reach the internet), no proxy set; yields its base URL."""
    from http.server import ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a client that hung up: quiet
                super().handle_error(request, client_address)

    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    httpd = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()  # quick stop
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
