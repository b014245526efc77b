"""`deckgen schema`."""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def schema(args: argparse.Namespace) -> int:
    from deckgen.cli.schema import deck_schema, dumps, theme_schema

    sys.stdout.write(dumps(theme_schema() if args.theme else deck_schema()))
    return EXIT_OK


