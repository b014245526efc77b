"""Work spread over processes: tasks run in worker processes and their results come back in task order, so
that what is written is the same whatever the number of jobs.

    for result in run(draw_chunk, tasks, jobs=4, setup=(init_worker, state), progress=bar, stage="images"):
        ...

- `jobs` 1 runs every task here, in this process (nothing started); more starts that many workers (never more
  than there are tasks). `default_jobs()` is the number of cores this process may use.
- `setup` is `(function, state)`: each worker calls `function(state)` once before its first task (the state
  is pickled once per worker: keep it small, and put the bulk of the data in the tasks).
- A task's DeckError comes back as the same DeckError (same problems), an OSError as the same OSError: the
  first failing task in task order is raised, as one process would have stopped at it.
- Ctrl-C or SIGTERM stops every worker at once: workers ignore SIGINT and die with the pool; the parent
  raises `Interrupted` (a KeyboardInterrupt) on SIGTERM while tasks run. Callers clean up in `finally`.
"""

from __future__ import annotations

import errno
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from deckgen.errors import DeckError, Problem

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[str, int, int], None]


class Interrupted(KeyboardInterrupt):
    """SIGTERM while workers run: handled like Ctrl-C (nothing half-written is left, exit code 130)."""


def default_jobs() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """'forkserver' on Linux: workers start from a small, fresh process that imported `preload` once, not
    from this one (a fork would inherit a big deck's memory, counted again in every worker's resident set,
    and any lock another thread holds); 'spawn' elsewhere. The results are the same."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    return ctx


@dataclass(frozen=True)
class _Failed:
    """A task's DeckError or OSError, as plain picklable data (DeckError itself does not pickle back)."""

    problems: tuple[Problem, ...] | None = None
    os_error: tuple[int | None, str | None, str | None] | None = None

    def raise_it(self) -> None:
        if self.problems is not None:
            raise DeckError(self.problems)
        assert self.os_error is not None
        err, msg, filename = self.os_error
        raise OSError(err, msg, filename) if filename is not None else OSError(err, msg)


@dataclass(frozen=True)
class _Call(Generic[T, R]):
    """The task function, wrapped so that the errors a user can cause come back as `_Failed`."""

    fn: Callable[[T], R]

    def __call__(self, task: T) -> R | _Failed:
        try:
            return self.fn(task)
        except DeckError as exc:
            return _Failed(problems=tuple(exc.problems))
        except OSError as exc:
            return _Failed(os_error=(exc.errno, exc.strerror or str(exc),
                                     None if exc.filename is None else str(exc.filename)))


def _worker_start(setup: Callable[[Any], None] | None, state: Any, gc_threshold: tuple[int, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.set_threshold(*gc_threshold)  # the parent's (see cli/main.py)
    if setup is not None:
        setup(state)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises Interrupted in the main thread while the block runs (it would kill the parent outright,
    leaving workers and staged files behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted()

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def run(fn: Callable[[T], R], tasks: Sequence[T], jobs: int, *,
        setup: tuple[Callable[[Any], None], Any] | None = None, preload: Sequence[str] = (),
        progress: Progress | None = None, stage: str = "", items: int | None = None,
        weight: Callable[[R], int] | None = None) -> Iterator[R]:
    """`fn(task)` for every task, yielded in task order. `progress(stage, done, items)` after each result,
    counting `weight(result)` items for it (default: one per task, `items` the number of tasks). `preload`:
    modules the workers import once, before they start (those of `fn`)."""
    call = _Call(fn)
    workers = max(1, min(jobs, len(tasks)))
    if workers == 1:
        if setup is not None:
            setup[0](setup[1])
        yield from _report((call(t) for t in tasks), items or len(tasks), progress, stage, weight)
        return
    init, state = setup if setup is not None else (None, None)
    with _sigterm_interrupts():
        pool = ProcessPoolExecutor(workers, mp_context=_context(preload), initializer=_worker_start,
                                   initargs=(init, state, gc.get_threshold()))
        done = False
        try:
            yield from _report(pool.map(call, tasks), items or len(tasks), progress, stage, weight)
            done = True
        except BrokenProcessPool:  # a worker was killed (out of memory, a signal): say so, do not hang
            raise OSError(errno.ECHILD, "a worker process died (out of memory?); try --jobs 1") from None
        finally:
            if not done:  # an error or Ctrl-C: stop the workers now, not after their current task
                _kill(pool)
            pool.shutdown(wait=True, cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()


def _report(results: Iterator[R | _Failed], total: int, progress: Progress | None, stage: str,
            weight: Callable[[R], int] | None) -> Iterator[R]:
    done = 0
    for result in results:
        if isinstance(result, _Failed):
            result.raise_it()
        assert not isinstance(result, _Failed)
        done += weight(result) if weight is not None else 1
        if progress is not None:
            progress(stage, done, total)
        yield result
