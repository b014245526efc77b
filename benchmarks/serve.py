"""`deckgen serve` as a designer feels it, driving the system's Chromium (Playwright): how long until the page
shows the reference deck's cards on screen, and from a save of the deck to the changed card's new image.

    python benchmarks/serve.py [DECK] [--repeat 3]

Needs Chromium (`apt-get install chromium`) and Playwright (`pip install playwright`); not run by the tests."""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from deckgen.cli.serve import start, stop
from deckgen.pipeline.prepare import Options

ROOT = Path(__file__).resolve().parents[1]
# the cards on screen (the others load lazily as the designer scrolls)
ALL_LOADED = ("imgs => imgs.length > 0 && imgs.filter(i => i.getBoundingClientRect().top < innerHeight)"
              ".every(i => i.complete && i.naturalWidth > 0)")


def _loaded(page: Page) -> bool:
    return bool(page.locator(".card img").evaluate_all(ALL_LOADED))


def page_ready(page: Page, url: str) -> float:
    t = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".card img", timeout=120_000)
    while not _loaded(page) and time.perf_counter() < t + 120:
        page.wait_for_timeout(10)
    return time.perf_counter() - t


def save_to_card(page: Page, deck: Path, k: int) -> float:
    """From the save to the changed card's new image received by the page."""
    known = {src for src in page.locator(".card img").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")}
    text = deck.read_text(encoding="utf-8")
    title = ("Sur mesure", "Personnalisation")[k % 2]  # a title that fits, different each time
    changed = re.sub(r'\{fr: "(Personnalisation|Sur mesure)"', f'{{fr: "{title}"', text, count=1)
    assert changed != text, "the first card's French title is not where the benchmark expects it"
    t = time.perf_counter()
    new = lambda r: "/img/" in r.url and r.url[r.url.index("/img/"):] not in known  # noqa: E731 - a new image
    with page.expect_response(new, timeout=120_000):
        deck.write_text(changed, encoding="utf-8")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("deck", nargs="?", default=str(ROOT / "decks" / "micro.yaml"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        deck = Path(tmp) / Path(args.deck).name
        shutil.copy(args.deck, deck)
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        ready, saved = [], []
        for k in range(args.repeat):
            server, _, _ = start(deck, Options(), port=0)  # a new server: nothing drawn yet but the warm-up
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            ready.append(page_ready(page, server.url))
            saved.append(save_to_card(page, deck, k))
            page.close()
            stop(server)
        browser.close()
    for label, times in (("page ready (the cards on screen)", ready), ("save -> changed card on the page", saved)):
        print(f"{label:34} median {statistics.median(times):.2f} s  ({', '.join(f'{x:.2f}' for x in times)})")


if __name__ == "__main__":
    main()
