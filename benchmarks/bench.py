#!/usr/bin/env python3
"""deckgen against the reference floor (a tuned, hand-written reportlab program) on the same synthetic cards.

usage: python benchmarks/bench.py [--sizes 18,200,1000,5000] [--repeat 3] [--shared DIR] [--font-dir DIR]

For each size, ../shared/bench/gen_deck.py writes a synthetic deck (French text, « », URLs of 40–90
characters, bodies of 40–120 words); this script converts it to deckgen's format (same families, titles,
bodies and URLs) and runs, interleaved and each as a separate process:

  floor    python shared/bench/floor_reportlab.py DECK.yaml OUT.pdf --tuned
  deckgen  deckgen build DECK.yaml -o OUT.pdf --allow-overflow --quiet   (fitting and hyphenation on)

deckgen's bytecode is written first (python -m compileall), as installing its wheel does. It prints, per size,
the median wall time, the peak memory (maximum resident set of the child process, from os.wait4; this script
stays small, as a child's peak includes the parent it was forked from) and the PDF bytes per card beyond the
embedded fonts (file size minus the font file streams, measured with pikepdf), and deckgen/floor ratios. Then
three small timings of the reference deck: `deckgen build decks/micro.yaml`, `deckgen --help`, and a warm in-
process rebuild (what `watch` does on every save).
Numbers are reported, never asserted.

The floor needs DejaVu fonts: Debian/Ubuntu `apt-get install fonts-dejavu-core fonts-dejavu-extra`
(then they are in /usr/share/fonts/truetype/dejavu), or --font-dir / FONT_DIR pointing to a folder with
DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansCondensed.ttf.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tree.py
MICRO = ROOT / "decks" / "micro.yaml"
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf")
FONT_HELP = ("install them (Debian/Ubuntu: apt-get install fonts-dejavu-core fonts-dejavu-extra) or point "
             "--font-dir or FONT_DIR to a folder holding " + ", ".join(DEJAVU))
WARM = """
import sys, time
from deckgen.cli.main import main
deck, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = ["build", deck, "-o", out, "--quiet"]
assert main(args) == 0
times = []
for _ in range(n):
    t = time.perf_counter()
    assert main(args) == 0
    times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2])
"""


def find_shared(option: str | None) -> Path:
    candidates = [Path(option)] if option else [ROOT.parent / "shared", ROOT / "shared", ROOT.parent.parent / "shared"]
    for c in candidates:
        if (c / "bench" / "gen_deck.py").is_file() and (c / "bench" / "floor_reportlab.py").is_file():
            return c.resolve()
    sys.exit("bench: shared/bench/ not found (looked in " + ", ".join(map(str, candidates)) +
             "); pass --shared DIR, the folder that holds bench/gen_deck.py and bench/floor_reportlab.py")


def find_fonts(option: str | None) -> Path:
    folder = Path(option or os.environ.get("FONT_DIR") or "/usr/share/fonts/truetype/dejavu")
    missing = [f for f in DEJAVU if not (folder / f).is_file()]
    if missing:
        sys.exit(f"bench: the floor needs {', '.join(missing)} in {folder}: {FONT_HELP}")
    return folder


def find_deckgen(option: str | None) -> list[str]:
    if option:
        return option.split()
    beside = Path(sys.executable).with_name("deckgen")
    found = str(beside) if beside.is_file() else shutil.which("deckgen")
    if not found:
        sys.exit("bench: no deckgen command; install deckgen (pip install .) in this Python, or pass --deckgen")
    return [found]


def slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def convert(src: Path, dst: Path) -> int:
    """gen_deck.py's layout -> deckgen's deck format, card for card; returns the number of cards."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    data = yaml.load(src.read_text(encoding="utf-8"), Loader=loader)
    fam_id = {f["name"]: slug(f["name"]) for f in data["families"]}
    deck = {
        "deck": {"title": data["deck"]["name"], "lang": "fr"},
        "families": [{"id": fam_id[f["name"]], "name": f["name"], "color": f["color"]} for f in data["families"]],
        "cards": [{"id": f"c{c['id']}", "family": fam_id[c["family"]], "title": c["title"], "body": c["body"],
                   "source": c["url"]} for c in data["cards"]],
    }
    with dst.open("w", encoding="utf-8") as f:
        yaml.dump(deck, f, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    return len(deck["cards"])


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, CPU seconds) of one command and every process it starts; exits on
    failure. CPU time holds on a loaded machine, wall time does not."""
    from tree import measure

    m = measure(cmd, env=env, cwd=cwd)
    if m.code != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({m.code}):\n{m.stderr[-2000:]}")
    return m.wall, m.peak_mb, m.cpu


def font_bytes(pdf: Path) -> int:
    """Bytes of the embedded font programs (FontFile, FontFile2, FontFile3 streams, as stored)."""
    import pikepdf

    total = 0
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        total += len(obj[key].read_raw_bytes())
    return total


def pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def per_card(pdf: Path, cards: int) -> float:
    return (pdf.stat().st_size - font_bytes(pdf)) / cards


def compile_package(py: str) -> None:
    """Write deckgen's bytecode, as installing its wheel does: an editable install under PYTHONDONTWRITEBYTECODE
    would otherwise compile every module on every run (~0.15 s), which no installed copy does (the floor's
    reportlab is compiled in site-packages)."""
    folder = subprocess.run([py, "-c", "import deckgen, os; print(os.path.dirname(deckgen.__file__))"],
                            check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([py, "-m", "compileall", "-q", folder], check=True, stdout=subprocess.DEVNULL)


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["18,200,1000,5000"],
                    help="card counts, separated by commas or spaces (default 18,200,1000,5000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each program per size; the median is shown")
    ap.add_argument("--shared", metavar="DIR", help="the shared/ folder (default: ../shared beside the repository)")
    ap.add_argument("--font-dir", metavar="DIR", help="DejaVu fonts for the floor (default: $FONT_DIR or Debian's)")
    ap.add_argument("--deckgen", metavar="CMD", help="the deckgen command (default: deckgen beside this Python)")
    ap.add_argument("--work", metavar="DIR", help="keep decks and PDFs here (default: a temporary folder)")
    ap.add_argument("--no-small", action="store_true", help="skip the reference-deck timings")
    ap.add_argument("--jobs", type=int, help="pass --jobs N to deckgen (default: deckgen's own, one per core)")
    ap.add_argument("--convert", nargs=2, metavar=("GEN.yaml", "DECK.yaml"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.convert:
        convert(Path(a.convert[0]), Path(a.convert[1]))
        return
    sizes = [int(s) for arg in a.sizes for s in arg.split(",") if s.strip()]
    shared, fonts, deckgen = find_shared(a.shared), find_fonts(a.font_dir), find_deckgen(a.deckgen)
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FONT_DIR": str(fonts) + os.sep}
    py = sys.executable
    compile_package(py)

    decks: dict[int, tuple[Path, Path]] = {}
    for n in sizes:
        raw, ours = work / f"gen_{n}.yaml", work / f"deck_{n}.yaml"
        subprocess.run([py, str(shared / "bench" / "gen_deck.py"), str(n), str(raw)], check=True,
                       stderr=subprocess.DEVNULL)
        # In a child: this process stays small, for a child's peak memory counts the parent it was forked from.
        subprocess.run([py, __file__, "--convert", str(raw), str(ours)], check=True)
        decks[n] = (raw, ours)

    results: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    for rep in range(a.repeat):
        for n in sizes:
            raw, ours = decks[n]
            runs = [("floor", [py, str(shared / "bench" / "floor_reportlab.py"), str(raw), str(work / f"floor_{n}.pdf"),
                               "--tuned"]),
                    ("deckgen", [*deckgen, "build", str(ours), "-o", str(work / f"deckgen_{n}.pdf"),
                                 "--allow-overflow", "--quiet", *(["--jobs", str(a.jobs)] if a.jobs else [])])]
            if rep % 2:
                runs.reverse()  # interleaved, alternating which goes first
            for name, cmd in runs:
                results.setdefault((name, n), []).append(run(cmd, env=env, cwd=work))
            print(f"  run {rep + 1}/{a.repeat}, {n} cards done", file=sys.stderr)

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"deckgen vs the tuned reportlab floor, median of {a.repeat} interleaved runs "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average {load} at the end)\n")
    head = ("cards", "floor s", "deckgen s", "time", "floor CPU s", "deckgen CPU s", "CPU", "floor MB", "deckgen MB",
            "memory", "floor B/card", "deckgen B/card", "size")
    rows = []
    for n in sizes:
        f_t = statistics.median(t for t, _, _ in results[("floor", n)])
        d_t = statistics.median(t for t, _, _ in results[("deckgen", n)])
        f_c = statistics.median(c for _, _, c in results[("floor", n)])
        d_c = statistics.median(c for _, _, c in results[("deckgen", n)])
        f_m = max(m for _, m, _ in results[("floor", n)])
        d_m = max(m for _, m, _ in results[("deckgen", n)])
        f_b, d_b = per_card(work / f"floor_{n}.pdf", n), per_card(work / f"deckgen_{n}.pdf", n)
        rows.append((f"{n:,}", f"{f_t:.2f}", f"{d_t:.2f}", fmt_ratio(d_t, f_t), f"{f_c:.2f}", f"{d_c:.2f}",
                     fmt_ratio(d_c, f_c), f"{f_m:.0f}", f"{d_m:.0f}", fmt_ratio(d_m, f_m), f"{f_b:,.0f}",
                     f"{d_b:,.0f}", fmt_ratio(d_b, f_b)))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |")
    for n in sizes:
        f_pages, d_pages = pages(work / f"floor_{n}.pdf"), pages(work / f"deckgen_{n}.pdf")
        if f_pages != d_pages:
            print(f"note: {n} cards make {f_pages} pages with the floor but {d_pages} with deckgen")
    if len(sizes) > 1:
        lo, hi = sorted(sizes)[-2:]
        for name in ("floor", "deckgen"):
            grow = (max(m for _, m, _ in results[(name, hi)]) - max(m for _, m, _ in results[(name, lo)])) / (hi - lo)
            print(f"{name}: peak memory grows {grow * 1000:.1f} MB per 1,000 cards (from {lo:,} to {hi:,})")

    if a.no_small:
        return
    micro_runs = [run([*deckgen, "build", str(MICRO), "-o", str(work / "micro.pdf")], cwd=work)[0]
                  for _ in range(max(a.repeat, 5))]
    help_runs = [run([*deckgen, "--help"], cwd=work)[0] for _ in range(max(a.repeat, 5))]
    warm = subprocess.run([py, "-c", WARM, str(MICRO), str(work / "micro-warm.pdf"), "10"], check=True,
                          capture_output=True, text=True, cwd=work)
    print()
    print(f"reference deck, `deckgen build decks/micro.yaml`: {statistics.median(micro_runs):.3f} s wall (median)")
    print(f"`deckgen --help`: {statistics.median(help_runs):.3f} s wall (median)")
    print(f"warm in-process rebuild of the reference deck (as `watch` does): {float(warm.stdout):.3f} s (median of 10)")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
