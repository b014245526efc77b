"""How fast a designer sees a change: build, preview, and `deckgen watch` from a save to a new PDF.

    python benchmarks/designer_loop.py [DECK.yaml]

Prints the median of a few runs of each step, and the save-to-PDF latency of a real `deckgen watch`
process (its poll interval included). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deckgen.output.pdf import render
from deckgen.pipeline.options import Job
from deckgen.pipeline.prepare import Options, prepare
from deckgen.pipeline.preview import PreviewCache, write_previews
from deckgen.pipeline.profiles.home import home_pages
from deckgen.sheets.pages import DocInfo

ROOT = Path(__file__).resolve().parents[1]


def median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    deck = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "decks" / "micro.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        prep = prepare(deck, Options())
        print(f"prepare (load, lay out, check)  {median_time(lambda: prepare(deck, Options())):.3f} s")
        pdf = lambda: render(home_pages(prep, Job()).pages, prep.card_w, prep.card_h, prep.fonts,  # noqa: E731
                             DocInfo(title="x"))
        print(f"PDF of the laid-out deck        {median_time(pdf):.3f} s")
        print(f"preview, every card, 150 dpi    {median_time(lambda: write_previews(prep, work / 'a', 150)):.3f} s")
        cache = PreviewCache()
        write_previews(prep, work / "b", 150, cache)
        again = median_time(lambda: write_previews(prep, work / "b", 150, cache))
        print(f"preview, nothing changed        {again:.3f} s")

        copy = work / deck.name
        shutil.copy(deck, copy)
        original = copy.read_text(encoding="utf-8")
        title = prep.loaded.deck.deck.title
        assert isinstance(title, str), "the benchmark edits a plain deck title"
        for label, extra, result in [("new PDF", [], work / "out.pdf"),
                                     ("new PDF and previews of every card", ["--preview", str(work / "pv")],
                                      work / "pv" / "contact-sheet.png")]:
            proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(copy), "-o", str(work / "out.pdf"),
                                     *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                while not result.exists():
                    time.sleep(0.01)
                latencies = []
                for i in range(5):
                    time.sleep(0.8)
                    before = result.stat().st_mtime_ns
                    # the deck title is on every card: every preview must be redrawn
                    copy.write_text(original.replace(f"title: {title}", f"title: {title} {i}", 1), encoding="utf-8")
                    saved = time.perf_counter()
                    while result.stat().st_mtime_ns == before:
                        time.sleep(0.005)
                    latencies.append(time.perf_counter() - saved)
            finally:
                proc.terminate()
                proc.communicate()
            print(f"watch: save -> {label}: {statistics.median(latencies):.3f} s median, "
                  f"{max(latencies):.3f} s max")


if __name__ == "__main__":
    main()
