"""`deckgen preview` (PNG per card side at the exact pixel size, contact sheet) and `deckgen watch`."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import GOOD, MICRO
from PIL import Image

from deckgen.cli.main import main
from deckgen.cli.watch import watch_files
from deckgen.errors import DeckError
from deckgen.pipeline.prepare import Options, prepare
from deckgen.pipeline.preview import PreviewCache, pixel_size, write_previews
from deckgen.presets import card_sizes
from deckgen.units import parse_card_size


def test_preview_writes_every_side_at_the_implied_pixel_size(tmp_path, capsys, micro_data):
    out = tmp_path / "pv"
    assert main(["preview", str(MICRO), "-o", str(out)]) == 0
    assert "58 card sides (372×520 px at 150 dpi" in capsys.readouterr().out
    ids = [c["id"] for c in micro_data["cards"]]
    assert sorted(p.name for p in out.glob("*-*.png") if p.name != "contact-sheet.png") == sorted(
        f"{i}-{side}.png" for i in ids for side in ("front", "back"))
    for path in out.glob("*.png"):
        if path.name != "contact-sheet.png":
            assert Image.open(path).size == (372, 520), path.name
    # a real drawing: the first card's band is its family's colour, its body area white
    first = Image.open(out / f"{ids[0]}-front.png").convert("RGB")
    assert first.getpixel((186, 20)) == pytest.approx((0x38, 0x46, 0x66), abs=3)
    assert first.getpixel((186, 500)) == (255, 255, 255)
    sheet = Image.open(out / "contact-sheet.png")
    assert sheet.width >= 5 * 372 and sheet.height >= 5 * 520  # 29 fronts: 6 × 5


@pytest.mark.parametrize("dpi", [72, 150, 300])
def test_pixel_size_of_every_preset(dpi):
    for name, (w_mm, h_mm) in card_sizes().items():
        w, h = parse_card_size(name)
        assert pixel_size(w, h, dpi) == (round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)), name
    assert pixel_size(*parse_card_size("poker"), 150) == (372, 520)


def test_preview_only_some_cards_of_a_tarot_theme(tmp_path, capsys):
    theme = tmp_path / "tarot.yaml"
    theme.write_text("extends: classic\ncard: tarot\n", encoding="utf-8")
    out = tmp_path / "pv"
    code = main(["preview", str(MICRO), "-o", str(out), "--dpi", "100", "--theme", str(theme),
                 "--only", "id=microfinance,lean-startup"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["contact-sheet.png", "lean-startup-back.png", "lean-startup-front.png",
                     "microfinance-back.png", "microfinance-front.png"]
    assert Image.open(out / "microfinance-back.png").size == (276, 472)  # 70 × 120 mm at 100 dpi


def test_preview_cache_redraws_only_what_changed(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    cache = PreviewCache()
    first = write_previews(prepare(deck, Options()), tmp_path / "pv", 72, cache)
    assert first.drawn == 4
    assert write_previews(prepare(deck, Options()), tmp_path / "pv", 72, cache).drawn == 0
    deck.write_text(GOOD.replace("Deuxième carte", "Seconde carte"), encoding="utf-8")
    assert write_previews(prepare(deck, Options()), tmp_path / "pv", 72, cache).drawn == 2


def _touch(path: Path, text: str, step: int) -> None:
    path.write_text(text, encoding="utf-8")
    ns = 1_700_000_000_000_000_000 + step * 1_000_000_000  # a distinct mtime even on coarse file systems
    os.utime(path, ns=(ns, ns))


def test_watch_rebuilds_on_change_reports_problems_and_goes_on(tmp_path):
    deck = tmp_path / "deck.yaml"
    theme = tmp_path / "theme.yaml"
    theme.write_text("extends: classic\n", encoding="utf-8")
    good = GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: theme.yaml\n")
    _touch(deck, good, 0)
    built: list[str] = []
    problems: list[DeckError] = []

    def rebuild():
        prep = prepare(deck, Options())
        built.append(prep.cards[0].id)
        return prep.inputs()

    edits = {
        2: lambda: _touch(theme, "extends: classic\ncolors: {ink: '#111111'}\n", 1),  # the theme changes
        4: lambda: _touch(deck, good.replace("title: Premier", "title: [Premier"), 2),  # a YAML error
        6: lambda: _touch(deck, good.replace("id: one", "id: uno"), 3),  # fixed
    }
    polls = iter(range(1, 100))

    def sleep(_: float) -> None:
        edits.get(next(polls), lambda: None)()

    builds = watch_files(rebuild, deck, report=problems.append, sleep=sleep, iterations=8)
    assert builds == 4  # the first build, then one per change
    assert built == ["one", "one", "uno"]
    assert len(problems) == 1 and "YAML syntax error" in str(problems[0])


def test_watch_command_rebuilds_after_a_save(tmp_path):
    """The real command in a subprocess: build, save a change, see the rebuild, stop it.

    Driven by what the watch prints (each build's summary line, then its previews' line), never by polling
    files or sleeping: a line read is a step done, so a slow machine only makes the test slower."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "deck.pdf"
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", str(deck), "-o", str(out), "--preview",
                             str(tmp_path / "pv"), "--dpi", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    seen: list[str] = []

    def until(words: str, times: int) -> None:
        while sum(words in line for line in seen) < times:
            seen.append(lines.get(timeout=120))

    try:
        until("contact-sheet.png", 1)  # first build and its previews are written
        first = out.read_bytes()
        deck.write_text(GOOD.replace("Premier", "Changé ici"), encoding="utf-8")
        until("contact-sheet.png", 2)  # the rebuild after the save, previews included
        assert out.read_bytes() != first
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert sum("deck.pdf: 2 cards" in line for line in seen) == 2, (seen, stderr)
    assert "Traceback" not in stderr


def test_copy_a_builtin_theme_change_it_and_see_it_in_the_preview(tmp_path, capsys):
    """The designer's loop of the README: themes --copy, edit the copy, preview."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(GOOD.replace("  lang: fr\n", "  lang: fr\n  theme: mine.yaml\n"), encoding="utf-8")
    assert main(["themes", "--copy", "classic", str(tmp_path / "mine.yaml")]) == 0
    assert main(["themes", "--copy", "classic", str(tmp_path / "mine.yaml")]) == 1  # never overwrites
    theme = tmp_path / "mine.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('fill: "{family.color}", bleed: true}\n  family:',
                                                                'fill: "#00C000", bleed: true}\n  family:'),
                     encoding="utf-8")
    assert main(["preview", str(deck), "-o", str(tmp_path / "pv"), "--dpi", "72"]) == 0
    band = Image.open(tmp_path / "pv" / "one-front.png").convert("RGB").getpixel((90, 10))
    assert band == pytest.approx((0, 0xC0, 0), abs=3)


def test_watch_survives_a_bug_in_a_rebuild(tmp_path, capsys):
    """Whatever a saved file does to a rebuild, the watch says it in one line and goes on watching."""
    deck = tmp_path / "deck.yaml"
    _touch(deck, GOOD, 0)
    calls: list[int] = []

    def rebuild():
        calls.append(1)
        if len(calls) == 2:
            raise ZeroDivisionError("float division by zero")
        return [deck]

    polls = iter(range(1, 100))

    def sleep(_: float) -> None:
        n = next(polls)
        if n in (2, 4):
            _touch(deck, GOOD + f"# edit {n}\n", n)

    assert watch_files(rebuild, deck, report=lambda exc: None, sleep=sleep, iterations=6) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["deckgen watch: internal error (a bug in deckgen, not in your files): ZeroDivisionError: float "
                   "division by zero — please report it; run again with --debug to see the traceback"]
