"""`deckgen icons [WORD]`: the names of the pinned icon set that match a word (in the name, or in its tags)."""

from __future__ import annotations

import argparse

from deckgen.cli.common import EXIT_OK


def icons(args: argparse.Namespace) -> int:
    from deckgen.deck.icons import icon_set, search, tags

    word = (args.word or "").strip().lower()
    found = search(word)
    for name, by_name in found:
        print(name if by_name or not word else f"{name}  (tagged: {', '.join(t for t in tags(name) if word in t)})")
    set_name, version, licence = icon_set()
    what = f"{len(found)} icon{'s' if len(found) != 1 else ''}" + (f" matching {word!r}" if word else "")
    print(f"{what}, from {set_name.capitalize()} {version} ({licence}); use one as `icon: NAME` on a card or a "
          "family, or :NAME: in a text")
    return EXIT_OK
