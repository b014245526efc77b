"""Outputs spread over worker processes: the same bytes whatever the number of jobs, a worker's error reported
as one process reports it, and an interrupted PNG build leaving its folder as it was or complete."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from PIL import Image

import deckgen.pipeline.prepare as prepare_module
from deckgen.cli.main import main
from deckgen.errors import DeckError, Problem
from deckgen.files import STAGED
from deckgen.output.manifest import NAME as MANIFEST
from deckgen.pipeline.preview import CONTACT
from deckgen.workers import run


def write_deck(folder: Path, n: int, image: str | None = None, bad_at: int | None = None,
               long_at: tuple[int, ...] = ()) -> Path:
    """n cards, each with a source (a QR code) and, with `image`, an image drawn on its front; the cards
    `long_at` have a body too long for the card."""
    cards = []
    for i in range(n):
        card = {"title": f"Carte {i + 1}", "summary": f"Résumé « {i + 1} »", "source": f"https://example.org/{i}"}
        if i in long_at:
            card["body"] = "Un texte beaucoup trop long pour la carte. " * 60
        if image:
            card["image"] = "bad.png" if i == bad_at else image
        cards.append(card)
    deck: dict = {"deck": {"title": "Grand jeu", "lang": "fr"}, "cards": cards}
    if image:
        (folder / "theme.yaml").write_text("extends: classic\nfront:\n  pic: {type: image, src: '{image}', "
                                           "x: 4mm, y: 30mm, w: 55mm, h: 30mm}\n", encoding="utf-8")
        deck["deck"]["theme"] = "theme.yaml"
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def folder_state(folder: Path) -> dict[str, str]:
    """Every entry of the folder (hidden ones too) and a digest of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
            for p in sorted(folder.iterdir())}


def png_folder(deck: Path, out: Path, jobs: int) -> dict[str, str]:
    assert main(["build", str(deck), "--profile", "png", "-o", str(out), "--jobs", str(jobs), "-q"]) == 0
    return folder_state(out)


def test_png_bytes_are_the_same_with_1_2_and_3_jobs(tmp_path):
    deck = write_deck(tmp_path, 20)  # 40 faces: three chunks, so three workers each draw one
    states = [png_folder(deck, tmp_path / f"png{jobs}", jobs) for jobs in (1, 2, 3)]
    assert len(states[0]) == 41 and MANIFEST in states[0]  # 40 faces and the list of them, the same bytes
    assert states[0] == states[1] == states[2]
    face = Image.open(tmp_path / "png1" / "001-carte-1-front.png")
    assert face.size == (815, 1110) and face.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_previews_are_the_same_with_1_and_3_jobs(tmp_path):
    deck = write_deck(tmp_path, 20)
    for jobs in (1, 3):
        assert main(["preview", str(deck), "-o", str(tmp_path / f"pv{jobs}"), "--jobs", str(jobs)]) == 0
    one, three = folder_state(tmp_path / "pv1"), folder_state(tmp_path / "pv3")
    assert one == three and len(one) == 41 and CONTACT in one
    sheet = Image.open(tmp_path / "pv1" / CONTACT)
    assert sheet.getpixel((5, 5)) == (226, 226, 226)  # the background between the cards
    assert sheet.getpixel((16 + 186, 16 + 20)) != (226, 226, 226)  # the first front's band


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, re.sub(r" in [0-9.]+ s", "", out), err


def test_pdf_build_check_and_handout_are_the_same_with_1_2_and_3_jobs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(prepare_module, "PARALLEL_FROM", 10)  # a small deck laid out by workers, 7 cards a task
    monkeypatch.setattr(prepare_module, "CARDS_PER_TASK", 7)
    deck = write_deck(tmp_path, 30, long_at=(4, 22))
    got = {}
    for jobs in ("1", "2", "3"):
        pdf, handout = tmp_path / "deck.pdf", tmp_path / "handout.pdf"  # the same names: the same summary lines
        got[jobs] = (_run(capsys, "build", str(deck), "-o", str(pdf), "--allow-overflow", "--jobs", jobs),
                     _run(capsys, "check", str(deck), "--jobs", jobs),
                     _run(capsys, "handout", str(deck), "-o", str(handout), "--allow-overflow", "--jobs", jobs),
                     pdf.read_bytes(), handout.read_bytes())
    assert got["1"] == got["2"] == got["3"]
    build, check, handout, _, _ = got["1"]
    assert build[0] == 0 and build[2].count("text cut short") == 2  # the two long bodies, in deck order
    assert check[0] == 1 and check[2].index("cards[4].body") < check[2].index("cards[22].body")
    assert handout[0] == 0


def test_cards_laid_out_by_the_sizing_pass_are_those_laid_out_after_it(tmp_path, capsys, monkeypatch):
    """One process keeps the card sides the sizing pass laid out at the deck's final sizes and lays out again
    those it laid out before a later card shrank them (here card 9's long body shrinks every back's body, the
    fronts stay); workers lay out every card at the final sizes: the same PDF, the same check."""
    monkeypatch.setattr(prepare_module, "PARALLEL_FROM", 5)
    deck = write_deck(tmp_path, 12, long_at=(8,))
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    data["cards"][8]["id"] = "late"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    got = {}
    for jobs in ("1", "3"):
        pdf = tmp_path / "deck.pdf"
        got[jobs] = (_run(capsys, "build", str(deck), "-o", str(pdf), "--allow-overflow", "--jobs", jobs),
                     _run(capsys, "check", str(deck), "--fit", "--allow-overflow", "--jobs", jobs),
                     pdf.read_bytes())
    assert got["1"] == got["3"]
    table = got["1"][1][1]
    assert "back body: 7pt, set by card 'late'" in table, table  # the late card shrank every back's body


@pytest.fixture
def image_deck(tmp_path: Path) -> Path:
    Image.new("RGB", (700, 400), (200, 40, 40)).save(tmp_path / "good.png")
    noise = tmp_path / "noise.png"
    Image.effect_noise((700, 400), 60).convert("RGB").save(noise)
    data = noise.read_bytes()
    (tmp_path / "bad.png").write_bytes(data[:len(data) // 2])  # a header that opens, pixels that do not
    return write_deck(tmp_path, 40, image="good.png", bad_at=33)


def _error(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main([*args, "-q"] if args[0] == "build" else list(args))
    return code, capsys.readouterr().err


def test_a_worker_hitting_a_bad_image_reports_it_as_one_process_does(image_deck, tmp_path, capsys):
    out = tmp_path / "png"
    out.mkdir()
    (out / "mine.txt").write_text("the user's own file")
    before = folder_state(out)
    for command in (["build", str(image_deck), "--profile", "png", "-o", str(out)],
                    ["preview", str(image_deck), "-o", str(out)]):
        one, two = _error(capsys, *command, "--jobs", "1"), _error(capsys, *command, "--jobs", "2")
        assert one == two, command
        code, err = one
        assert code == 1 and err.count("\n") == 1, err  # one line, no traceback
        assert "bad.png" in err and "truncated" in err and "Traceback" not in err
        assert folder_state(out) == before  # nothing staged is left behind, nothing of the user's touched


def test_a_pdf_build_failing_mid_file_leaves_the_old_file_as_it_was(tmp_path, capsys, monkeypatch):
    """The PDF is written straight into a temporary file as its pages are drawn: an image damaged once the cards
    were checked (card 33 of 40's) stops the build mid-file, that file is removed and the last good PDF stays."""
    noise = tmp_path / "noise.png"
    Image.effect_noise((700, 400), 60).convert("RGB").save(noise)
    deck = write_deck(tmp_path, 40, image="noise.png", bad_at=33)
    (tmp_path / "bad.png").write_bytes(noise.read_bytes())
    checked = prepare_module.prepare

    def then_damaged(*args, **kwargs):
        prep = checked(*args, **kwargs)
        (tmp_path / "bad.png").write_bytes(noise.read_bytes()[:20_000])  # a header that opens, pixels that do not
        return prep

    monkeypatch.setattr(prepare_module, "prepare", then_damaged)
    out = tmp_path / "out"
    out.mkdir()
    (out / "deck.pdf").write_bytes(b"%PDF-1.4 the last good build")
    before = folder_state(out)
    code, err = _error(capsys, "build", str(deck), "-o", str(out / "deck.pdf"), "--jobs", "1")
    assert code == 1 and err.count("\n") == 1 and "bad.png" in err and "Traceback" not in err, err
    assert folder_state(out) == before  # no temporary file left beside it


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_named_like_an_image_is_not_replaced_and_nothing_moves(tmp_path, capsys):
    """Only regular files are replaced: checked before the staged images move in, so the folder stays as it was."""
    deck = write_deck(tmp_path, 3)
    out = tmp_path / "png"
    out.mkdir()
    (out / "001-carte-1-front.png").write_bytes(b"an old image")
    os.mkfifo(out / "003-carte-3-back.png")
    before = folder_state_no_fifo(out)
    code, err = _error(capsys, "build", str(deck), "--profile", "png", "-o", str(out), "--jobs", "2")
    assert code == 1 and err.count("\n") == 1 and "003-carte-3-back.png" in err and "a FIFO" in err, err
    assert folder_state_no_fifo(out) == before and (out / "003-carte-3-back.png").is_fifo()


def folder_state_no_fifo(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<other>"
            for p in sorted(folder.iterdir())}


def test_a_killed_builds_staged_folder_is_removed_by_the_next_build(tmp_path):
    deck = write_deck(tmp_path, 2)
    out = tmp_path / "png"
    out.mkdir()
    killed, fresh, other = out / (STAGED + "killed"), out / (STAGED + "running"), out / (STAGED + "not-ours")
    for d in (killed, fresh, other):
        d.mkdir()
        (d / "001-carte-1-front.png").write_bytes(b"half")
    (killed / ".lock").write_bytes(b"")
    (fresh / ".lock").write_bytes(b"")
    for d in (killed, other):
        os.utime(d, (time.time() - 3600, time.time() - 3600))
    png_folder(deck, out, 1)
    assert not killed.exists() and fresh.exists() and other.exists()  # no lock file: not a folder we staged


def _fail_on_three(task: int) -> int:
    if task == 3:
        raise DeckError(Problem("task three", "deck.yaml", 3))
    if task == 5:
        raise FileNotFoundError(2, "No such file or directory", "five.png")
    return task * 10


def test_the_first_failing_task_in_order_is_raised_with_its_problems():
    for jobs in (1, 2):
        got = []
        with pytest.raises(DeckError) as err:
            got.extend(run(_fail_on_three, list(range(8)), jobs))
        assert got == [0, 10, 20] and err.value.problems == [Problem("task three", "deck.yaml", 3)]
        with pytest.raises(FileNotFoundError, match="five.png"):
            list(run(_fail_on_three, [4, 5, 6], jobs))




@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_png_build_leaves_the_folder_as_it_was(tmp_path, sig):
    out = tmp_path / "png"
    out.mkdir()
    (out / "mine.txt").write_text("the user's own file")
    (out / "001-old-front.png").write_bytes(b"an image of an earlier build")
    before = folder_state(out)
    deck = write_deck(tmp_path, 60)
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "build", str(deck), "--profile", "png", "-o", str(out),
                             "--jobs", "2"], stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # until a few faces are staged
        staged = [f for d in out.glob(STAGED + "*") for f in d.iterdir()]
        if len(staged) >= 4:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)  # Ctrl-C reaches the group
    _, err = proc.communicate(timeout=60)
    after = folder_state(out)
    if proc.returncode == 0:  # it finished first: then it is complete
        made = [n for n in after if n.endswith(".png") and n not in before]
        # no manifest before: nothing was cleaned, the old image named like ours is left (with a warning)
        assert len(made) == 120 and MANIFEST in after and {"mine.txt", "001-old-front.png"} <= set(after)
        assert after["001-old-front.png"] == before["001-old-front.png"]
    else:
        assert proc.returncode in (130, -sig), err.decode()
        assert after == before, err.decode()
        assert b"Traceback" not in err, err.decode()
    assert not list(out.glob(STAGED + "*"))
    time.sleep(0.5)
    assert not _alive_in_group(proc.pid), "a worker outlived the interrupted build"


def _alive_in_group(pgid: int) -> list[int]:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive
