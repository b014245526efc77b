from deckgen.cli.main import run

run()
