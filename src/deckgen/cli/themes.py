"""`deckgen themes`."""

from __future__ import annotations

import argparse
from pathlib import Path

from deckgen.errors import DeckError
from deckgen.files import writing

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def themes(args: argparse.Namespace) -> int:
    import yaml

    from deckgen.design.themes import builtin_themes
    from deckgen.errors import Problem, did_you_mean

    if args.copy:
        name, dest = args.copy[0], Path(args.copy[1])
        themes = builtin_themes()
        if name not in themes:
            hint = did_you_mean(name, themes) or "built-in themes: " + ", ".join(themes)
            raise DeckError(Problem(f"unknown theme {name!r}", hint=hint))
        if dest.exists():
            raise DeckError(Problem("the file exists already", str(dest), hint="choose another name"))
        from deckgen.files import check_output

        check_output(dest, "themes --copy")
        with writing(dest):
            dest.write_bytes(themes[name].read_bytes())
        print(f"{dest}: a copy of {name}; use it with `theme: {dest.name}` in a deck next to it, or --theme {dest}")
        return EXIT_OK
    for name, path in builtin_themes().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        print(f"{name}  {data.get('description', '')}")
    return EXIT_OK
