"""Presets are data: card sizes, papers, print services and printing conditions, read once from the package's
`data/*.json` (JSON, so that `deckgen --help` builds its choices without loading a YAML parser).
Add a paper or a card size there; the CLI's choices, the schema and messages follow."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
MM = 72 / 25.4


def _read(name: str) -> dict[str, Any]:
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))[name]
    assert isinstance(data, dict), name
    return data


@dataclass(frozen=True)
class Paper:
    key: str  # as typed: a4
    name: str  # as printed: A4
    size: tuple[float, float]  # points
    handout: bool = True


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    px: tuple[int, int]  # image size with bleed, at 300 dpi
    card: tuple[float, float]  # the trim size the service cuts (points)


@dataclass(frozen=True)
class Condition:
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()  # descriptions of the ICC profiles made for this condition


@cache
def card_sizes() -> dict[str, tuple[float, float]]:
    """Card presets in millimetres, in the documented order."""
    return {k: (float(v[0]), float(v[1])) for k, v in _read("cards").items()}


@cache
def papers() -> dict[str, Paper]:
    return {k: Paper(k, v["name"], (v["size"][0] * MM, v["size"][1] * MM), bool(v.get("handout", True)))
            for k, v in _read("papers").items()}


@cache
def services() -> dict[str, Service]:
    return {k: Service(k, v["name"], (int(v["px"][0]), int(v["px"][1])), (v["card"][0] * MM, v["card"][1] * MM))
            for k, v in _read("services").items()}


@cache
def conditions() -> dict[str, Condition]:
    return {k: Condition(k, v["description"], tuple(v.get("aliases", ())), tuple(v.get("profiles", ())))
            for k, v in _read("conditions").items()}
