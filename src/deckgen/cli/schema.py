"""`deckgen schema`: the JSON Schema of the deck format (or of themes), for editors."""

from __future__ import annotations

import argparse
import sys

from deckgen.cli.common import EXIT_OK


def schema(args: argparse.Namespace) -> int:
    from deckgen.design.schema import deck_schema, dumps, theme_schema
    from deckgen.pipeline.targets import target_schema

    sys.stdout.write(dumps(theme_schema() if args.theme else deck_schema(target_schema())))
    return EXIT_OK
