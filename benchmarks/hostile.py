"""Hostile inputs finish or are refused in seconds, in bounded memory (issue 13).

    python benchmarks/hostile.py [--links 2000] [--rows 100000]

Each case runs the installed CLI in its own process and reports wall time, CPU time and peak memory
(resident set): a deck whose card body is one 5 MB word, a deck whose title is a 100 KB repeated word,
a 100,000-row CSV (`check`: refused, 200,000 card faces), a 1,000,000-row CSV (refused), and `check --links` of 2,000 distinct URLs
against a local server that answers one header byte every 2 s (each URL's 5 s timeout and the run's
deadline hold). Not a test: the numbers depend on the machine.

CPU and memory are the case's process and the children it waited for (os.wait4); the workers of `--jobs`
are the forkserver's children, not counted, so the row case runs with `--jobs 1`. Measured on a 2-CPU
machine under load 2.5 (README, "Hostile inputs"):

| case | exit | wall s | CPU s | peak MB |
|---|--:|--:|--:|--:|
| a 5 MB word in a body | 1 | 0.7 | 0.5 | 78 |
| a 100 KB repeated word as a title | 1 | 0.7 | 0.4 | 59 |
| a 100,000-row CSV, --jobs 1 (refused: 200,000 card faces) | 1 | 0.8 | 0.6 | 123 |
| a 1,000,000-row CSV (refused: rows) | 1 | 1.1 | 0.8 | 240 |
| 2,000 links, a server dripping 1 byte / 2 s (deadline 20 s) | 0 | 22.9 | 2.1 | 105 |

Before the card-faces limit was checked while reading the sheet, the 100,000-row check ran to the end:
566 s wall, 113 s CPU, 947 MB.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def run(label: str, args: list[str], cwd: Path) -> None:
    """One case in its own process: wall time, and the CPU time and peak resident memory of that process and
    the workers it waited for (os.wait4: this case's own, not the largest of the cases so far)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "deckgen", *args], cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines() or err.read().strip().splitlines() or [""]
    cpu = usage.ru_utime + usage.ru_stime
    print(f"| {label} | {proc.returncode} | {wall:.1f} | {cpu:.1f} | {usage.ru_maxrss / 1024:.0f} | {lines[-1][:90]} |",
          flush=True)


def slow_server(stop: threading.Event) -> int:
    """A server on 127.0.0.1 that drips one byte every 2 s to each connection, for at most 60 s."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=256)
    listener.settimeout(0.5)

    def drip(conn: socket.socket) -> None:
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: zzzzzzzzzzzzzzzzzzzzzzzzzzzz"[:30]:
                if stop.wait(2):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--links", type=int, default=2000)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("| case | exit | wall s | CPU s | peak MB | last line |\n|---|--:|--:|--:|--:|---|")
        (work / "word.yaml").write_text(f"deck: {{title: W}}\ncards:\n  - title: T\n    body: {'x' * 5_000_000}\n",
                                        encoding="utf-8")
        run("a 5 MB word in a body", ["check", "word.yaml"], work)
        (work / "title.yaml").write_text(f"deck: {{title: W}}\ncards:\n  - title: {'ab ' * 33_000}\n",
                                         encoding="utf-8")
        run("a 100 KB repeated word as a title", ["check", "title.yaml"], work)
        rows = "".join(f"Card {i};Summary {i};https://example.org/{i}\n" for i in range(args.rows))
        (work / "rows.csv").write_text("title;summary;source\n" + rows, encoding="utf-8")
        (work / "rows.yaml").write_text("deck: {title: R}\ncards: {from: rows.csv}\n", encoding="utf-8")
        run(f"a {args.rows:,}-row CSV, --jobs 1", ["check", "rows.yaml", "--allow-overflow", "--jobs", "1"], work)
        many = "".join(f"Card {i};x\n" for i in range(1_000_000))
        (work / "million.csv").write_text("title;summary\n" + many, encoding="utf-8")
        (work / "million.yaml").write_text("deck: {title: M}\ncards: {from: million.csv}\n", encoding="utf-8")
        run("a 1,000,000-row CSV", ["check", "million.yaml"], work)
        stop = threading.Event()
        port = slow_server(stop)
        cards = "".join(f"  - title: L{i}\n    source: http://127.0.0.1:{port}/{i}\n" for i in range(args.links))
        (work / "links.yaml").write_text("deck: {title: L}\ncards:\n" + cards, encoding="utf-8")
        run(f"{args.links:,} links, a server dripping 1 byte / 2 s",
            ["check", "links.yaml", "--links", "--allow-private", "--links-deadline", "20"], work)
        stop.set()


if __name__ == "__main__":
    main()
