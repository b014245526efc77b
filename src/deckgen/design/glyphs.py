"""The glyph check of a text (pure): characters that no font has, and emoji sequences deckgen cannot draw.

Single emoji print as monochrome glyphs from a fallback font, and variation selectors (U+FE0F) are ignored
(output/fonts.py). What deckgen cannot shape yet: emoji joined by U+200D (ZWJ sequences such as 👩‍💻),
flags (pairs of regional indicators, or tag sequences), skin tones (U+1F3FB–U+1F3FF) and keycaps (1️⃣,
U+20E3). Each is named with its code points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from deckgen.design.ops import Metrics, Run

VARIATION_SELECTORS = "\ufe0e\ufe0f"  # text and emoji presentation: one monochrome glyph either way

# Pictographs (the ranges of Unicode's Extended_Pictographic property, rounded to whole blocks).
_PICTO = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935" \
         "\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
_ZWJ_SEQ = re.compile(rf"[{_PICTO}][\ufe0f\U0001f3fb-\U0001f3ff]*(?:\u200d[{_PICTO}][\ufe0f\U0001f3fb-\U0001f3ff]*)+")
_FLAG = re.compile(r"[\U0001f1e6-\U0001f1ff]{1,2}|\U0001f3f4[\U000e0020-\U000e007f]+")
_TONE = re.compile(rf"[{_PICTO}]?\ufe0f?[\U0001f3fb-\U0001f3ff]")
_KEYCAP = re.compile(r"[0-9#*]?\ufe0f?\u20e3")
_KINDS = (("an emoji ZWJ sequence", _ZWJ_SEQ), ("a flag", _FLAG), ("a skin tone", _TONE),
          ("a keycap", _KEYCAP))


def codes(text: str) -> str:
    return " ".join(f"U+{ord(ch):04X}" for ch in text)


def unshapeable(text: str) -> list[str]:
    """One line per emoji sequence of `text` that deckgen cannot draw yet (in order, each once)."""
    astral = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)  # flags, tones, tags are beyond U+FFFF
    if not astral and "\u200d" not in text and "\u20e3" not in text:
        return []  # the common case, at C speed
    found: dict[int, tuple[str, str]] = {}
    taken: set[int] = set()
    for kind, pattern in _KINDS:
        for m in pattern.finditer(text):
            if not taken.intersection(range(m.start(), m.end())):
                found[m.start()] = (kind, m.group())
                taken.update(range(m.start(), m.end()))
    lines = dict.fromkeys(f"{seq!r} ({codes(seq)}) is {kind}, which deckgen cannot draw yet"
                          for _, (kind, seq) in sorted(found.items()))
    return list(lines)


SEQUENCE_HINT = "write single emoji: ZWJ sequences, flags, skin tones and keycaps need shaping"
MISSING_HINT = "remove the character, or give this element a font that has it"


def glyph_problem(runs: Sequence[Run], font: str, metrics: Metrics) -> tuple[str, str] | None:
    """What cannot be drawn of a text in a theme font key (with its fallbacks), and a hint; None when all can."""
    seqs = [line for r in runs for line in unshapeable(r.text)]
    bad = "".join(dict.fromkeys(ch for r in runs for ch in metrics.missing(r.text, font, r.style)))
    if bad:
        seqs.append("no font has a glyph for " + ", ".join(f"{ch!r} ({codes(ch)})" for ch in bad))
    if not seqs:
        return None
    return "; ".join(dict.fromkeys(seqs)), MISSING_HINT if bad and len(seqs) == 1 else SEQUENCE_HINT
