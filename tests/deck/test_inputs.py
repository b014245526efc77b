"""Inputs are regular files read within a limit; outputs replace only files; stale temp files go."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from deckgen.cli.terminal import Escaping, escape_controls, raw
from deckgen.files import NotRegular, lock, outside, path_problem, read_regular, remove_stale_temps, replaceable
from deckgen.output.manifest import NAME, manifest_bytes, read_manifest, stale


def test_devices_fifos_and_folders_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # no writer: opening it for reading would block forever
    for path, says in [(Path("/dev/zero"), "a device"), (fifo, "a FIFO"), (tmp_path, "a folder")]:
        with pytest.raises(NotRegular, match=says):
            read_regular(path, 1000)


def test_a_file_is_read_up_to_its_limit(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 100)
    assert read_regular(f, 100) == b"x" * 100
    with pytest.raises(ValueError) as exc:
        read_regular(f, 99)
    assert exc.value.args == (100,)


@pytest.mark.parametrize(("text", "says"), [("a\0b.png", "NUL"), ("x" * 256 + ".png", "260 bytes long"),
                                            ("d/" + "é" * 128, "256 bytes long"), ("a/" * 3000, "4096 bytes")])
def test_paths_that_cannot_name_a_file(text: str, says: str) -> None:
    assert says in (path_problem(text) or "")
    with pytest.raises(OSError, match=says):
        read_regular(Path(text), 10)


def test_paths_that_can() -> None:
    assert path_problem("fonts/" + "x" * 251 + ".ttf") is None
    assert path_problem("é" * 125 + ".png") is None


def test_outputs_replace_only_files(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "a FIFO is there" in (replaceable(fifo) or "")
    assert "a device is there" in (replaceable(Path("/dev/null")) or "")
    assert "a folder is there" in (replaceable(tmp_path) or "")
    (tmp_path / "old.pdf").write_bytes(b"%PDF")
    assert replaceable(tmp_path / "old.pdf") is None and replaceable(tmp_path / "new.pdf") is None


def test_outside(tmp_path: Path) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "link").symlink_to(tmp_path)
    roots = [tmp_path / "deck"]
    assert not outside(tmp_path / "deck" / "img.png", roots)
    assert outside(tmp_path / "deck" / ".." / "img.png", roots)
    assert outside(tmp_path / "deck" / "link" / "img.png", roots)  # through a link


def test_stale_temp_files_are_removed_unless_being_written(tmp_path: Path) -> None:
    out = tmp_path / "deck[1].pdf"
    old, busy, young = (tmp_path / f".deck[1].pdf.{n}.tmp" for n in ("a1", "b2", "c3"))
    other = tmp_path / ".other.pdf.d4.tmp"
    for p in (old, busy, young, other):
        p.write_bytes(b"partial")
    for p in (old, busy, other):
        os.utime(p, (time.time() - 3600,) * 2)
    fd = os.open(busy, os.O_RDWR)
    try:
        lock(fd)
        assert remove_stale_temps(out) == [old]
    finally:
        os.close(fd)
    assert not old.exists() and busy.exists() and young.exists() and other.exists()
    assert remove_stale_temps(out) == [busy]  # its writer is gone


def test_control_characters_are_escaped_letters_are_not() -> None:
    assert escape_controls("\x1b]0;pwned\x07é\tß\n\x9b2J\x7f\0") == "\\x1b]0;pwned\\x07é\tß\n\\x9b2J\\x7f\\x00"
    buf = io.StringIO()
    stream = Escaping(buf)
    print("unknown key '\x1b[2J' — é", file=stream)  # type: ignore[arg-type]
    assert buf.getvalue() == "unknown key '\\x1b[2J' — é\n"
    assert raw(stream) is buf and raw(buf) is buf  # type: ignore[arg-type]


def test_only_the_files_a_manifest_lists_are_removed(tmp_path: Path) -> None:
    for n in ("001-a-front.png", "002-b-front.png", "001-holiday-front.png"):
        (tmp_path / n).write_bytes(b"png")
    assert stale(tmp_path, ["001-a-front.png"], ["002-b-front.png", "001-holiday-front.png"]) == \
        ([], ["001-holiday-front.png", "002-b-front.png"])  # no manifest: warned about, never removed
    (tmp_path / NAME).write_bytes(manifest_bytes(["002-b-front.png", "001-a-front.png", "../x", ".deckgen-files"]))
    assert read_manifest(tmp_path) == {"001-a-front.png", "002-b-front.png"}
    assert stale(tmp_path, ["001-a-front.png"], []) == ([tmp_path / "002-b-front.png"], [])
    assert manifest_bytes(["b", "a", "b"]) == manifest_bytes(["a", "b"])
    (tmp_path / NAME).write_text("001-holiday-front.png\n")  # not ours: no header
    assert read_manifest(tmp_path) is None
