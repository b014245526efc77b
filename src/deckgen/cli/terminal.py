"""What deckgen prints is text, never terminal commands: control characters (C0 but newline and tab, DEL,
C1, hence every ESC sequence) from the user's files are shown escaped (`\\x1b`), letters such as é untouched.

`Escaping` wraps sys.stdout and sys.stderr for the whole command, so that no message can forget it.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """`text` with each control character but newline and tab written as a visible escape."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


class Escaping:
    """A text stream that writes through to `inner` with control characters escaped."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(escape_controls(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno…
        return getattr(self.inner, name)


def raw(stream: TextIO) -> TextIO:
    """The stream under an `Escaping` wrapper, for a progress bar that draws with escape sequences itself."""
    inner = getattr(stream, "inner", None) if isinstance(stream, Escaping) else None
    return inner if inner is not None else stream
