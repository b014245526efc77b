"""A progress bar for long builds: rich, on stderr, shown only once a build has taken a couple of seconds."""

from __future__ import annotations

import sys
import time
from typing import Any, Protocol, TextIO

from deckgen.cli.terminal import raw

DELAY = 2.0  # seconds before a bar appears: quick builds stay silent

STAGES = {"cards": "Laying out cards", "pages": "Drawing pages", "images": "Drawing images"}


class Report(Protocol):
    """What a long step calls as it goes: a stage name ("cards", "pages"), items done, items in all."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


class Bar:
    """Call it with (stage, done, total); it starts drawing after `delay` seconds, and only on a terminal."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None, delay: float = DELAY) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and _is_terminal(self.stream)
        self.start = time.monotonic()
        self.delay = delay
        self._rich: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._rich is None:
            if time.monotonic() - self.start < self.delay or done >= total:
                return
            self._open()
        task = self._tasks.get(stage)
        if task is None:
            for other in self._tasks.values():  # a new stage: the previous ones are over
                self._rich.update(other, completed=self._rich.tasks[other].total)
            task = self._tasks[stage] = self._rich.add_task(STAGES.get(stage, stage), total=total)
        self._rich.update(task, completed=done, total=total)

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._rich = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeRemainingColumn(), console=Console(file=raw(self.stream)), transient=True)
        self._rich.start()

    def close(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
