#!/usr/bin/env python3
"""Every output of deckgen at scale: wall time, CPU time and peak memory of the whole process tree.

usage: python benchmarks/outputs.py [--sizes 200,1000,5000] [--outputs png,preview,check,handout,pdfx,build]
                                    [--jobs 1,0] [--shared DIR] [--work DIR]

For each size, shared/bench/gen_deck.py writes a synthetic deck (converted as bench.py does), and each output
is made with `--jobs 1` and with the default (`0` in --jobs: every core), each as its own process tree:

  png      deckgen build DECK --profile png -o DIR --allow-overflow --quiet
  preview  deckgen preview DECK -o DIR --allow-overflow
  check    deckgen check DECK --allow-overflow --quiet
  handout  deckgen handout DECK -o OUT.pdf --allow-overflow
  pdfx     deckgen build DECK --pdfx -o OUT.pdf --allow-overflow --quiet
  build    deckgen build DECK -o OUT.pdf --allow-overflow --quiet

Wall time suffers from other work on the machine, CPU time much less: the load average is printed before
and after, and with each run (`load`: the 1-minute average as it starts); `x jobs` compares the wall times
of the two runs of one output, made one after the other.
Peak memory is the highest sum of the resident sets of deckgen and its workers (sampled; see tree.py).
Numbers are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import convert, find_deckgen, find_shared  # noqa: E402
from tree import Measure, measure  # noqa: E402

COMMANDS = {
    "png": ["build", "{deck}", "--profile", "png", "-o", "{out}", "--allow-overflow", "--quiet"],
    "preview": ["preview", "{deck}", "-o", "{out}", "--allow-overflow"],
    "check": ["check", "{deck}", "--allow-overflow", "--quiet"],
    "handout": ["handout", "{deck}", "-o", "{out}.pdf", "--allow-overflow"],
    "pdfx": ["build", "{deck}", "--pdfx", "-o", "{out}.pdf", "--allow-overflow", "--quiet"],
    "build": ["build", "{deck}", "-o", "{out}.pdf", "--allow-overflow", "--quiet"],
}


def make_deck(shared: Path, work: Path, n: int) -> Path:
    raw, deck = work / f"gen_{n}.yaml", work / f"deck_{n}.yaml"
    if not deck.exists():
        subprocess.run([sys.executable, str(shared / "bench" / "gen_deck.py"), str(n), str(raw)], check=True,
                       stderr=subprocess.DEVNULL)
        convert(raw, deck)
    return deck


def run_one(deckgen: list[str], output: str, deck: Path, out: Path, jobs: int) -> Measure:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*deckgen, *(a.format(deck=deck, out=out) for a in COMMANDS[output])]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    m = measure(cmd)
    if m.code != 0:
        sys.exit(f"outputs: {' '.join(cmd)} failed ({m.code}):\n{m.stderr[-2000:]}")
    return m


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200,1000,5000", help="card counts (default 200,1000,5000)")
    ap.add_argument("--outputs", default=",".join(COMMANDS), help="which outputs (default: all)")
    ap.add_argument("--jobs", default="1,0", help="--jobs values; 0: deckgen's default (default 1,0)")
    ap.add_argument("--shared", metavar="DIR", help="the shared/ folder (default: ../shared beside the repository)")
    ap.add_argument("--deckgen", metavar="CMD", help="the deckgen command (default: deckgen beside this Python)")
    ap.add_argument("--work", metavar="DIR", help="keep decks and outputs here (default: a temporary folder)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    outputs = [o for o in a.outputs.split(",") if o.strip()]
    jobs = [int(j) for j in a.jobs.split(",") if j.strip()]
    shared, deckgen = find_shared(a.shared), find_deckgen(a.deckgen)
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="deckgen-outputs-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average {load()} at the start\n")
    head = ("output", "cards", "jobs", "wall s", "CPU s", "peak MB", "× jobs", "load")
    rows = []
    for n in sizes:
        deck = make_deck(shared, work, n)
        for output in outputs:
            got, loads = {}, {}
            for j in jobs:
                loads[j] = load().split()[0]  # the 1-minute load average as the run starts
                got[j] = run_one(deckgen, output, deck, work / f"{output}_{n}_{j}", j)
            for j, m in got.items():
                speed = f"{got[1].wall / m.wall:.2f}×" if j != 1 and 1 in got else ""
                rows.append((output, f"{n:,}", str(j or "default"), f"{m.wall:.1f}", f"{m.cpu:.1f}",
                             f"{m.peak_mb:.0f}", speed, loads[j]))
                print("  " + " ".join(rows[-1]), file=sys.stderr)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join(("-" * (w + 2)) if i < 1 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) if i < 1 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths, strict=True))) + " |")
    print(f"\nload average {load()} at the end")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
