"""Themes: built-in or files, `extends` chains merged key by key."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from deckgen.deck.model import Loc, Strict
from deckgen.deck.source import Source, display_name, read_yaml, validate
from deckgen.design.theme_model import Element, Theme, Variant
from deckgen.errors import DeckError, did_you_mean
from deckgen.files import outside, path_problem
from deckgen.units import parse_card_size

M = TypeVar("M", bound=BaseModel)

# ---------------------------------------------------------------- themes

THEMES_DIR = Path(__file__).resolve().parents[1] / "data" / "themes"


def builtin_themes() -> dict[str, Path]:
    return {p.stem: p for p in sorted(THEMES_DIR.glob("*.yaml"))}


@dataclass
class LoadedTheme:
    theme: Theme
    src: Source
    folders: list[Path]  # the folders of the theme files, child first: fonts and images are looked up there
    name: str
    paths: list[Path] = field(default_factory=list)  # the theme files, child first


_Rule = tuple[list[Path], str]  # the folders a theme file must lie in, and who names it ("the deck")


def _theme_path(ref: str, base: Path, src: Source, loc: Loc, rule: _Rule | None) -> Path:
    """The file of a theme named `ref` by the file `src` (in the folder `base`): a built-in theme, or a file
    inside one of the rule's folders or the package's own themes (no rule: anywhere, as --allow-outside)."""
    builtins = builtin_themes()
    if ref in builtins:
        return builtins[ref]
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        why = path_problem(ref)
        if why is not None:
            raise DeckError(src.problem(loc, f"theme file {ref!r}: {why}", "name a theme file or a built-in theme"))
        path = (base / ref).resolve()
        if rule is not None and outside(path, [*rule[0], THEMES_DIR]):
            raise DeckError(src.problem(loc, f"theme file {ref!r} is outside {rule[1]}'s folder",
                                        f"move it next to {rule[1]}, or build with --allow-outside"))
        if path.is_file():
            return path
        raise DeckError(src.problem(loc, f"theme file {ref!r} not found", f"looked for {path}"))
    hint = did_you_mean(ref, builtins) or "built-in themes: " + ", ".join(builtins)
    raise DeckError(src.problem(loc, f"unknown theme {ref!r}", hint))


def _merge(parent: Source, child: Source, loc: Loc = ()) -> None:
    """Merge the child's data into the parent's, in place: mappings merge key by key, null removes."""

    def walk(p: dict[str, Any], c: dict[str, Any], at: Loc) -> None:
        for key, value in c.items():
            here = at + (key,)
            if value is None and key != "extends":
                p.pop(key, None)
            elif isinstance(value, dict) and isinstance(p.get(key), dict):
                walk(p[key], value, here)
            else:
                p[key] = value
                for sub in [k for k in child.lines if k[: len(here)] == here]:
                    parent.lines[sub] = child.lines[sub]
                    parent.files[sub] = child.files.get(sub, child.file)
            parent.lines.setdefault(here, child.lines.get(here, 0))
            parent.files.setdefault(here, child.file)

    walk(parent.data, child.data, loc)


def _card_size(chain: list[tuple[Path, Source]]) -> tuple[float, float] | None:
    """The card the theme is for: the `card:` of the file nearest the child (None when it is not a size: the
    theme's validation says why)."""
    card = next((t.data["card"] for _, t in chain if "card" in t.data), Theme.model_fields["card"].default)
    try:
        return parse_card_size(card) if isinstance(card, str) else None
    except ValueError:
        return None


class _Variants(Strict):
    variants: list[Variant] = []


def _variants(tsrc: Source) -> list[tuple[Variant, dict[str, Any]]]:
    """The variants of one theme file, checked (at their lines) and taken out of its data."""
    if "variants" not in tsrc.data:
        return []
    raw = tsrc.data.pop("variants")
    checked = validate(_Variants, Source({"variants": raw}, tsrc.lines, tsrc.file, tsrc.files))
    return list(zip(checked.variants, raw, strict=True))


def _part(src: Source, data: dict[str, Any], loc: Loc, drop: str) -> Source:
    """The mapping `data` found at `loc` of a source as a source of its own (its keys' lines kept), without the
    key `drop`."""
    n = len(loc)
    data = {k: v for k, v in data.items() if k != drop}
    lines = {k[n:]: v for k, v in src.lines.items() if k[:n] == loc and k[n:n + 1] != (drop,)}
    files = {k[n:]: v for k, v in src.files.items() if k[:n] == loc}
    return Source(data, lines, src.file, files)


def _check_flow(theme: Theme, src: Source) -> None:
    """`below:` and `above:` name an element drawn before, on the same side."""
    problems = []
    for side in ("front", "back"):
        elements: dict[str, Element | None] = getattr(theme, side)
        seen: list[str] = []
        for name, el in elements.items():
            for key in ("below", "above"):
                ref = getattr(el, key, None) if el is not None else None
                if ref is not None and ref not in seen:
                    hint = (f"'{ref}' comes after '{name}': move it before" if ref in elements else
                            did_you_mean(ref, seen) or "elements before it: " + (", ".join(seen) or "none"))
                    problems.append(src.problem((side, name, key), f"{key}: {ref!r} is not an element drawn "
                                                f"before '{name}' on the {side}", hint))
            seen.append(name)
    if problems:
        raise DeckError(problems)


def load_theme(ref: str, base: Path, src: Source | None = None, loc: Loc = (), allow_outside: bool = False,
               deck_folder: Path | None = None) -> LoadedTheme:
    """A theme by built-in name or path (relative to `base`), with its `extends` chain merged.

    A theme file named by a deck (`src`) lies inside the deck's folder `base`; one named by `extends:`
    inside the folder of the theme that names it or the deck's (`deck_folder`, else `base` for a deck's
    theme); the package's themes anywhere. A theme given on the command line (no `src`) may be anywhere.
    `allow_outside` lifts the rule."""
    origin = src or Source({}, {}, "--theme")
    chain: list[tuple[Path, Source]] = []
    deck_roots = [deck_folder] if deck_folder is not None else [base] if src is not None else []
    path = _theme_path(ref, base, origin, loc, None if allow_outside or src is None else (deck_roots, "the deck"))
    while True:
        if any(path == p for p, _ in chain):
            names = " -> ".join(display_name(p) for p, _ in chain) + f" -> {display_name(path)}"
            raise DeckError(chain[-1][1].problem(("extends",), f"themes extend each other in a cycle: {names}",
                                                 "remove one of the 'extends:'"))
        tsrc = read_yaml(path)
        if not isinstance(tsrc.data, dict):
            raise DeckError(tsrc.problem((), "a theme is a mapping of keys such as card:, fonts:, front:, back:"))
        chain.append((path, tsrc))
        parent = tsrc.data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            raise DeckError(tsrc.problem(("extends",), "extends: takes a theme name or a path"))
        path = _theme_path(parent, path.parent, tsrc, ("extends",),
                           None if allow_outside else ([path.parent, *deck_roots], "the theme"))
    card = _card_size(chain)
    merged = Source({}, {(): 1}, chain[-1][1].file)
    for _, tsrc in reversed(chain):
        variants = _variants(tsrc)
        _merge(merged, tsrc)
        for i, (variant, raw) in enumerate(variants):
            if card is not None and variant.when_card.matches(*card):
                _merge(merged, _part(tsrc, raw, ("variants", i), drop="when_card"))
    merged.file = chain[0][1].file
    merged.data.pop("extends", None)
    merged.data.pop("variants", None)
    theme = validate(Theme, merged)
    _check_flow(theme, merged)
    return LoadedTheme(theme, merged, [p.parent for p, _ in chain], chain[0][0].stem, [p for p, _ in chain])
