"""`deckgen serve`: the real server on 127.0.0.1, asked over HTTP, and its page driven in a real browser
(headless Chromium from the system's packages, through Playwright)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD

from deckgen.cli.main import main
from deckgen.cli.webserver import Server, start, stop
from deckgen.pipeline.prepare import Options

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    server, _, _ = start(deck, Options(), port=0)
    try:
        yield server, deck
    finally:
        stop(server)


def get(server: Server, path: str, host: str | None = None) -> http.client.HTTPResponse:
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    return conn.getresponse()


def test_the_page_and_its_state_are_served_with_a_strict_policy(served):
    server, _ = served
    page = get(server, "/")
    assert page.status == 200 and b"<script src=\"/static/app.js\"" in page.read()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    state = get(server, "/api/state")
    import json

    data = json.loads(state.read())
    assert data["ok"] and data["count"] == 2 and [c["id"] for c in data["cards"]] == ["one", "deuxieme-carte"]
    image = get(server, f"/img/{data['cards'][0]['front']}.png")
    assert image.status == 200 and image.read().startswith(b"\x89PNG")


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/static/../../../etc/passwd",
                                  "/static/%2e%2e/%2e%2e/etc/passwd", "/img/../deck.yaml", "/deck.yaml",
                                  "/static/index.html/..", "//etc/passwd"])
def test_no_path_of_the_file_system_can_be_asked(served, path):
    server, _ = served
    response = get(server, path)
    assert response.status == 404 and b"root:" not in response.read()


def test_a_request_for_another_host_name_is_refused(served):
    server, _ = served
    assert get(server, "/", host="attacker.example:80").status == 421
    assert get(server, "/api/state", host=f"rebind.example:{server.server_address[1]}").status == 421
    assert get(server, "/", host=f"localhost:{server.server_address[1]}").status == 200


def test_an_unknown_language_or_theme_is_not_built(served):
    server, _ = served
    assert get(server, "/api/state?lang=xx").status == 404
    assert get(server, "/api/state?theme=../../etc/passwd").status == 404


def test_an_explicit_port_that_is_taken_is_a_usage_error(tmp_path, capsys):
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", str(deck), "--port", str(port)]) == 2
    assert f"--port {port}" in capsys.readouterr().err


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None or not _has_playwright():
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium and Playwright for the browser tests (.ci/run installs them)")
        pytest.skip("no Chromium or Playwright on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_page_shows_every_card_toggles_overlays_and_opens_a_card(served, browser):
    server, _ = served
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url)
    page.wait_for_selector(".card img")
    assert page.locator(".card").count() == 2
    assert page.locator("#meta").inner_text().startswith("2 cards · theme classic · language fr")
    box = page.locator(".ov.box").first
    assert not box.is_visible()
    page.check("[data-overlay=boxes]")
    assert box.is_visible()
    page.locator(".card").first.click()
    page.wait_for_selector("#detail[open]")
    assert "title" in page.locator("#fit tbody").inner_text()
    page.close()


def test_a_save_updates_the_card_then_a_broken_deck_shows_its_error(served, browser):
    server, deck = served
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server.url)
    page.wait_for_selector(".card img")
    first = page.locator('[data-id="one"] img').first.get_attribute("src")
    other = page.locator('[data-id="deuxieme-carte"] img').first.get_attribute("src")
    y = page.evaluate("window.scrollY")
    deck.write_text(GOOD.replace("Premier", "Changé ici"), encoding="utf-8")
    deadline = time.monotonic() + 60
    while page.locator('[data-id="one"] img').first.get_attribute("src") == first and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the page's policy forbids the evaluated predicates of wait_for_function
    assert page.locator('[data-id="one"] img').first.get_attribute("src") != first
    assert page.locator('[data-id="deuxieme-carte"] img').first.get_attribute("src") == other  # unchanged card kept
    assert page.evaluate("window.scrollY") == y
    deck.write_text(GOOD.replace("cards:", "cards: [", 1), encoding="utf-8")
    page.wait_for_selector("#problems:not([hidden])", timeout=60_000)
    assert "deck.yaml:" in page.locator("#problem-list").inner_text()
    assert page.locator("main.stale .card").count() == 2  # the last good cards, greyed
    page.close()


def test_deck_text_is_shown_as_text_never_run(tmp_path, browser):
    deck = tmp_path / "deck.yaml"
    hostile = "<script>window.pwned = 1</script><img src=x onerror=window.pwned=2>"
    deck.write_text(GOOD.replace("Premier", hostile), encoding="utf-8")
    server, _, _ = start(deck, Options(allow_overflow=True), port=0)
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(server.url)
        page.wait_for_selector(".card img")
        time.sleep(0.2)
        assert hostile in page.locator('[data-id="one"] .label').inner_text()
        assert page.evaluate("window.pwned === undefined")
        page.close()
    finally:
        stop(server)
