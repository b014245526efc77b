"""deckgen: turn a YAML deck of trend cards into print-ready PDF decks."""

__version__ = "0.1.0"
