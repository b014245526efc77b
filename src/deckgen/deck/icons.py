"""Icons by name from the pinned copy of Lucide (ISC) that travels inside the package (pure).

`data/icons/lucide.json.gz` holds the body of every icon's SVG, the old names that are aliases of a current
one, and the search tags; `scripts/pin_icons.py` makes it from the `lucide-static` npm package. An icon is
parsed by the same SVG reader as a deck's images, and drawn in the colour the theme gives it (currentColor).
"""

from __future__ import annotations

import difflib
import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckgen.deck.svg.parse import Art, parse_svg

DATA = Path(__file__).resolve().parent.parent / "data" / "icons" / "lucide.json.gz"


@lru_cache(maxsize=1)
def _set() -> dict[str, Any]:
    with gzip.open(DATA, "rb") as f:
        data: dict[str, Any] = json.loads(f.read())
    return data


def icon_set() -> tuple[str, str, str]:
    """(name, version, licence) of the pinned set, for messages and the README."""
    s = _set()
    return s["set"], s["version"], s["license"]


def canonical(name: str) -> str | None:
    """The icon's current name (an alias gives the icon it became), or None when there is no such icon."""
    s = _set()
    key = name.strip().lower()
    return key if key in s["icons"] else s["aliases"].get(key)


def names() -> list[str]:
    return sorted(_set()["icons"])


def suggestion(name: str) -> str:
    """A hint for an unknown icon name: the closest names, else how to list them."""
    s = _set()
    close = difflib.get_close_matches(name.strip().lower(), [*s["icons"], *s["aliases"]], n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return f"`deckgen icons {name.split('-')[0]}` lists the icons whose name or tags match"


def search(word: str = "") -> list[tuple[str, bool]]:
    """The icons matching `word`: (name, matched by name) — names containing it first, then those tagged so."""
    s = _set()
    w = word.strip().lower()
    by_name = [n for n in s["icons"] if w in n]
    by_tag = [n for n, tags in s["tags"].items() if n not in by_name and any(w in t.lower() for t in tags)]
    return [(n, True) for n in sorted(by_name)] + [(n, False) for n in sorted(by_tag)]


def tags(name: str) -> list[str]:
    """The search words Lucide gives the icon."""
    return list(_set()["tags"].get(name, []))


@lru_cache(maxsize=512)
def icon_art(name: str) -> Art:
    """The parsed icon (currentColor kept, for the theme to colour); KeyError for an unknown name."""
    key = canonical(name)
    if key is None:
        raise KeyError(name)
    s = _set()
    attrs = " ".join(f'{k}="{v}"' for k, v in sorted(s["root"].items()))
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{s["icons"][key]}</svg>'
    return parse_svg(svg.encode("utf-8"))
