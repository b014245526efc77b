"""`deckgen init [FOLDER]`: a new deck folder with a commented deck, its theme and a spreadsheet to import."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from deckgen.errors import DeckError, Problem, WriteError

EXIT_OK = 0
STARTER_DIR = Path(__file__).resolve().parents[1] / "data" / "starter"
DECK, THEME, WORKBOOK = "deck.yaml", "my-theme.yaml", "trends.xlsx"
SHEETS = (("Cartes", "trends-cards.csv"), ("familles", "trends-families.csv"))  # the workbook's, from these files


def starter_files() -> dict[str, bytes]:
    """File name -> content, in the order they are written; the same bytes on every run."""
    import csv

    from deckgen.deck.spreadsheets.workbook import workbook

    sheets = []
    for title, name in SHEETS:
        with (STARTER_DIR / name).open(encoding="utf-8", newline="") as f:
            sheets.append((title, list(csv.reader(f))))
    return {DECK: (STARTER_DIR / DECK).read_bytes(), THEME: (STARTER_DIR / THEME).read_bytes(),
            WORKBOOK: workbook(sheets)}


def init(args: argparse.Namespace) -> int:
    """Write the starter files into FOLDER (made if missing, its parent must exist); refuse when one exists."""
    folder = Path(args.folder)
    files = starter_files()
    taken = [folder / name for name in files if os.path.lexists(folder / name)]
    if taken:
        raise DeckError([Problem("the file exists already", str(p),
                                 hint="deckgen init never replaces a file: choose another folder") for p in taken])
    _make(folder)
    for name, data in files.items():
        _create(folder / name, data)
    shown = "" if folder == Path(".") else f"{folder}{os.sep}"
    print(f"{shown}{DECK}: a starter deck, every key explained in its comments\n"
          f"{shown}{THEME}: its theme, the built-in classic with a few changes\n"
          f"{shown}{WORKBOOK}: cards in French and English, to try the README's section for trainers "
          "(deckgen import)")
    step = f"cd {folder} && " if shown else ""
    print(f"next: {step}deckgen build {DECK}")
    return EXIT_OK


def _make(folder: Path) -> None:
    """The folder, one level (like mkdir): a missing parent is an error with a hint."""
    if folder.is_dir():
        return
    parent = folder.parent
    if not parent.is_dir():
        raise DeckError(Problem("no such folder", str(parent),
                                hint=f"create it first (mkdir -p {parent}), or choose another folder"))
    try:
        folder.mkdir()
    except OSError as exc:
        raise WriteError(folder, exc) from None


def _create(path: Path, data: bytes) -> None:
    """A new file, never replacing one (O_EXCL); removed again when it cannot be written whole."""
    try:
        with path.open("xb") as f:
            try:
                f.write(data)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
    except FileExistsError:
        hint = "deckgen init never replaces a file"
        raise DeckError(Problem("the file exists already", str(path), hint=hint)) from None
    except OSError as exc:
        raise WriteError(path, exc) from None
