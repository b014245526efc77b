"""Named printer settings (paper, flip edge, back offset) from a small YAML file, so a team calibrates once.

    office:                    # the name given to --printer
      paper: a4                # a4 | letter | a3
      duplex: long             # long | short | none
      back_offset: [0.8, -1.2] # mm, X to the right and Y up as seen on the back page (from `deckgen calibrate`)
      icc: shop-fogra39.icc    # CMYK output profile for CMYK files (relative to this file)

The file is `--printers FILE`, else `printers.yaml` in the current folder, else
`$XDG_CONFIG_HOME/deckgen/printers.yaml` (by default `~/.config/deckgen/printers.yaml`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainValidator, ValidationError

from deckgen.deck.model import Strict
from deckgen.deck.source import display_name, problems_from, read_yaml
from deckgen.errors import DeckError, Problem, did_you_mean
from deckgen.presets import papers
from deckgen.units import MM

FILE_NAME = "printers.yaml"


def parse_offset(value: Any) -> tuple[float, float]:
    """"X,Y" or [X, Y] in mm -> (x, y) in points; ValueError with a message for anything else."""
    if isinstance(value, str):
        parts: list[Any] = [p.strip() for p in value.split(",")]
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        parts = []
    try:
        if len(parts) != 2 or any(isinstance(p, bool) for p in parts):
            raise ValueError
        x, y = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"not an offset: {value!r} (write X,Y in mm, e.g. 1.5,-0.5)") from None
    for v in (x, y):
        if not (abs(v) <= 20):
            raise ValueError(f"an offset of {v:g} mm is more than 20 mm: give X,Y in millimetres")
    return (x * MM, y * MM)


def _offset(value: Any) -> tuple[float, float]:
    parse_offset(value)
    return tuple(float(p) for p in (value.split(",") if isinstance(value, str) else value))  # type: ignore[return-value]


def _paper(value: Any) -> str:
    known = papers()
    if not isinstance(value, str) or value.lower() not in known:
        raise ValueError(f"not a paper deckgen knows: {value!r} (one of {', '.join(repr(k) for k in known)})")
    return value.lower()


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class Printer(Strict):
    description: str | None = None
    paper: Annotated[str, PlainValidator(_paper, json_schema_input_type=str)] | None = None
    duplex: Annotated[Literal["long", "short", "none"] | None, BeforeValidator(_lower)] = None  # Long as well
    back_offset: Annotated[tuple[float, float], PlainValidator(_offset, json_schema_input_type=str | list[float])] = (
        Field((0.0, 0.0), description="mm: X to the right, Y up, as seen on the back page"))
    icc: str | None = Field(None, description="CMYK output profile (.icc) for CMYK files, relative to this file")


@dataclass(frozen=True)
class PrinterSettings:
    name: str
    file: str
    paper: str | None
    duplex: str | None
    back_offset: tuple[float, float]  # points
    icc: str | None = None  # a CMYK output profile's path


def default_files() -> list[Path]:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [Path.cwd() / FILE_NAME, config / "deckgen" / FILE_NAME]


def load_printer(name: str, path: str | None = None) -> PrinterSettings:
    """The settings named `name`; DeckError (FILE:LINE) for a missing file, a bad entry or an unknown name."""
    if path is not None:
        file = Path(path)
    else:
        found = [p for p in default_files() if p.is_file()]
        if not found:
            looked = ", ".join(str(p) for p in default_files())
            raise DeckError(Problem(f"--printer {name}: no printers file", hint=f"looked for {looked}; "
                                    "write one (see README, 'Named printers') or pass --printers FILE"))
        file = found[0]
    src = read_yaml(file)
    if not isinstance(src.data, dict):
        raise DeckError(src.problem((), "a printers file maps printer names to settings (paper, duplex, "
                                        "back_offset)"))
    printers: dict[str, Printer] = {}
    problems: list[Problem] = []
    for key, entry in src.data.items():  # every entry is checked: the file is shared by a team
        try:
            printers[key] = Printer.model_validate(entry)
        except ValidationError as exc:
            problems += problems_from(exc, Printer, src, (key,))
    if problems:
        raise DeckError(problems)
    if name not in printers:
        hint = did_you_mean(name, printers) or ("printers: " + ", ".join(printers) if printers else None)
        raise DeckError(Problem(f"no printer named {name!r}", display_name(file.resolve()), hint=hint))
    printer = printers[name]
    x, y = printer.back_offset
    icc = str(file.parent / printer.icc) if printer.icc else None
    return PrinterSettings(name, src.file, printer.paper, printer.duplex, (x * MM, y * MM), icc)
