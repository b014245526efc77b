"""`deckgen import TABLE`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from deckgen.cli.common import _out_path, _remote, _warn
from deckgen.errors import DeckError, Problem, count
from deckgen.files import writing

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def import_spreadsheet(args: argparse.Namespace) -> int:
    from deckgen.deck.spreadsheets.importer import import_table, url_stem
    from deckgen.deck.spreadsheets.online import is_url
    from deckgen.files import check_output, refuse_overwrite, write_atomic

    online = is_url(args.table)
    if online:  # named after the file the URL names (trends.csv: trends.yaml), else deck.yaml
        out = Path(args.output) if args.output else Path(url_stem(args.table) or "deck").with_suffix(".yaml")
    else:
        out = _out_path(args.table, args.output, ".yaml")
        refuse_overwrite(out, [(Path(args.table), "the spreadsheet")], "-o" if args.output else "the output")
    check_output(out, "-o")
    if os.path.lexists(out) and not args.force:  # a deck edited since the last import is not lost
        raise DeckError(Problem("the file exists already", str(out),
                                hint="pass --force to replace it, or choose another name"))
    got = import_table(args.table if online else Path(args.table), out, title=args.title, lang=args.lang,
                       encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet, link=args.link,
                       remote=_remote(args))
    with writing(out):
        write_atomic(out, got.text.encode("utf-8"))
    _warn(got.warnings)
    if got.why:
        print(f"language {got.deck.deck.lang}: {got.why} — --lang to choose another")
    table = got.tables[-1]
    how = f"sheet {table.sheet!r}" if table.sheet else f"encoding {table.encoding}, separator {table.delimiter!r}"
    print(f"{out}: {count(len(got.deck.cards), 'card')}, {count(len(got.deck.families), 'family', 'families')} "
          f"from {table.file} ({how}), "
          f"language {got.deck.deck.lang}" + (" — linked: each build reads the spreadsheet" if args.link else ""))
    return EXIT_OK


