"""Run a command and measure its whole process tree (workers, fork server and all): wall time, CPU time and
the peak of the summed resident sets. Linux only (prctl, /proc).

    from tree import measure
    m = measure(["deckgen", "build", "deck.yaml", "--profile", "png"])
    m.wall, m.cpu, m.peak_mb, m.code

CPU time is exact: this process becomes a "child subreaper", so every descendant, orphaned or not, is
reaped here (or by its parent, whose own reaping counts it) and its rusage summed. The peak resident set is
sampled every `interval` seconds over every live descendant: a short spike between two samples can be missed.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole tree
    peak_mb: float  # highest sum of the resident sets of the tree's processes, MB (at least the root's own peak)
    code: int
    stderr: str


def _become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _tree_rss(root: int) -> int:
    """Bytes resident in `root` and its descendants now."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE
    me = os.getpid()
    total = 0
    for pid, size in rss.items():
        p = pid
        while p > 1 and p != root and p != me:
            p = parent.get(p, 0)
        if p == root or (p == me and pid != me):
            total += size
    return total


def measure(cmd: list[str], interval: float = 0.02, **popen: object) -> Measure:
    _become_subreaper()
    start = time.perf_counter()
    wall, peak, cpu = 0.0, 0, 0.0
    code: int | None = None
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: thousands of warnings would fill a pipe
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, **popen)  # type: ignore[call-overload]
        while True:
            peak = max(peak, _tree_rss(proc.pid))
            used, ended, left = _reap()
            cpu += used
            if proc.pid in ended:
                (code, root_peak), wall = ended[proc.pid], time.perf_counter() - start
                peak = max(peak, root_peak)
            if code is not None and not left:
                break
            time.sleep(interval)
        proc.returncode = code
        err.seek(0)
        text = err.read().decode(errors="replace")
    return Measure(wall, cpu, peak / 2**20, code, text)


def _reap() -> tuple[float, dict[int, tuple[int, int]], bool]:
    """CPU seconds of the children that ended (with what they reaped), their exit codes and peak resident
    bytes, and whether any is left."""
    cpu, ended = 0.0, dict[int, tuple[int, int]]()
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return cpu, ended, False
        if pid == 0:
            return cpu, ended, True
        cpu += usage.ru_utime + usage.ru_stime
        ended[pid] = (os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)  # Linux: KiB
