"""`deckgen serve`: a live preview in the browser (the server: cli/webserver.py, imported when the command runs,
so that every other command starts without the HTTP server)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from deckgen.cli.common import EXIT_OK, _imported, _options
from deckgen.errors import UsageError


def serve(args: argparse.Namespace) -> int:
    _imported()
    deck = Path(args.deck)
    if not deck.is_file():
        raise UsageError(f"{deck}: no such file")
    from deckgen.cli.webserver import start, stop

    server, _, note = start(deck, _options(args), args.host, args.port)
    print(f"serving {deck} at {server.url}", flush=True)
    if note:
        print(note, flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: --host {args.host}: the deck is visible to other machines on the network", file=sys.stderr)
    if args.open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop(server)
    return EXIT_OK
