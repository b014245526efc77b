"""`deckgen handout`."""

from __future__ import annotations

import argparse
from pathlib import Path

from deckgen.cli.common import _guard, _jobs, _options, _warn
from deckgen.errors import count
from deckgen.files import writing

EXIT_OK, EXIT_DECK, EXIT_USAGE = 0, 1, 2

def handout(args: argparse.Namespace) -> int:
    from deckgen.files import write_atomic
    from deckgen.pipeline.handout import handout_pdf
    from deckgen.pipeline.prepare import prepare

    out = Path(args.output) if args.output else Path(Path(args.deck).stem + "-handout.pdf")
    _guard(args, out)
    prep = prepare(args.deck, _options(args), jobs=_jobs(args))
    _guard(args, out, prep)
    _warn(prep.warnings)
    data, pages = handout_pdf(prep, args.paper)
    with writing(out):
        write_atomic(out, data)
    from deckgen.units import paper_name

    print(f"{out}: handout of {count(len(prep.cards), 'card')} on {count(pages, paper_name(args.paper) + ' page')}, "
          f"language {prep.lang}")
    return EXIT_OK


