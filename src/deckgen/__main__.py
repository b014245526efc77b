from deckgen.cli.main import run

if __name__ == "__main__":  # worker processes import the main module again: they must not run the command
    run()
