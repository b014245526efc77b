"""The language of a spreadsheet whose columns do not say it: from French column names (titre, résumé…) or
from the most common short words of its texts. Pure: no file, no model."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# column names that only a French sheet uses (as spreadsheet.py's aliases read them, without accents)
FRENCH_HEADERS = frozenset({"titre", "resume", "corps", "texte", "famille", "familles", "lien", "libelle",
                            "source_libelle", "etiquettes", "mots_cles", "exemplaires", "nom", "couleur"})
# frequent words that are rare in the other languages listed (articles, prepositions, pronouns)
COMMON_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset("le la les des du une est et pour dans sur avec qui que au aux ne pas plus ce cette ces "
                    "leur leurs nous vous sont par ou".split()),
    "en": frozenset("the of and to is are for with that this from by on it its their as be more than which "
                    "can have".split()),
    "de": frozenset("der die das und ist nicht mit den dem ein eine für auf sich auch zu von werden wird "
                    "oder".split()),
    "es": frozenset("el los las y es para con que una por del se su sus más como al lo".split()),
    "it": frozenset("il gli le di che è per con una sono della delle degli nel non più come al".split()),
    "nl": frozenset("de het een en van is dat op te met voor zijn niet aan ook als door".split()),
    "pt": frozenset("o os as e é para com que uma um do da dos das não mais como por em".split()),
}
NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch",
         "pt": "Portuguese"}
MIN_HITS = 8  # fewer common words than this say nothing
MAX_WORDS = 50_000  # enough words to tell; the rest of a big sheet is not read
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Guess:
    lang: str
    why: str  # for the info line: "the column names are French (titre, résumé)"


def guess_language(headers: Iterable[str], names: Iterable[str], texts: Iterable[str]) -> Guess | None:
    """The language of a sheet: French when a column name is (`names` are the headers without accents, in
    lowercase, words joined by _), else the language whose common words its `texts` use clearly most, else None."""
    heads = list(headers)
    french = [h for h, n in zip(heads, names, strict=True) if n in FRENCH_HEADERS]
    if french:
        return Guess("fr", "the column names are French (" + ", ".join(french[:3]) + ")")
    hits = _word_hits(texts)
    ranked = hits.most_common(2)
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    lang, n = ranked[0]
    if len(ranked) > 1 and ranked[1][1] * 2 > n:  # not clearly one language
        return None
    return Guess(lang, f"the cards' texts read as {NAMES[lang]}")


def _word_hits(texts: Iterable[str]) -> Counter[str]:
    """How many of the texts' words are common words of each language (the first MAX_WORDS words)."""
    hits: Counter[str] = Counter()
    seen = 0
    for text in texts:
        for m in WORD.finditer(text.lower()):
            word = m.group().split("'")[-1].split("’")[-1]  # l'exception -> exception, d’après -> après
            for lang, words in COMMON_WORDS.items():
                if word in words:
                    hits[lang] += 1
            seen += 1
            if seen >= MAX_WORDS:
                return hits
    return hits
