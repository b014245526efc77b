"""`deckgen handout`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deckgen.cli.common import _guard, _options, _warn
from deckgen.errors import WriteError, count

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def handout(args: argparse.Namespace) -> int:
    from deckgen.files import write_atomic
    from deckgen.pipeline.prepare import prepare
    from deckgen.pipeline.write import handout_pdf

    out = Path(args.output) if args.output else Path(Path(args.deck).stem + "-handout.pdf")
    _guard(args, out)
    prep = prepare(args.deck, _options(args))
    _guard(args, out, prep)
    _warn(prep.warnings)
    data, pages = handout_pdf(prep, args.paper)
    try:
        write_atomic(out, data)
    except OSError as exc:
        print(f"error: {WriteError(out, exc)}", file=sys.stderr)
        return EXIT_DECK
    from deckgen.units import paper_name

    print(f"{out}: handout of {count(len(prep.cards), 'card')} on {count(pages, paper_name(args.paper) + ' page')}, "
          f"language {prep.lang}")
    return EXIT_OK


