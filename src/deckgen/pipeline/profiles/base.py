"""What an output profile is: one object that says which options it takes, its default file name, how its
pages are imposed and how its summary line reads. Each profile is one module of this package (see __init__)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.errors import DeckError, Problem
from deckgen.limits import MAX_FACES, over
from deckgen.pipeline.options import Job
from deckgen.sheets.pages import PageSpec

if TYPE_CHECKING:  # annotations only: the CLI reads the registry without loading the whole pipeline
    from deckgen.pipeline.prepare import CardSides, Prepared


@dataclass(frozen=True)
class Imposed:
    """A profile's pages, the warnings imposing them gave, and for image profiles each page's file name."""

    pages: list[PageSpec]
    warnings: tuple[str, ...] = ()
    names: Sequence[str] = ()  # image profiles: one file name per page
    px: tuple[int, int] = (0, 0)  # image profiles: the pixel size of every image


@dataclass(frozen=True)
class Profile:
    name: str
    rank: int  # its place in lists (--profile choices, help)
    help: str  # one line for --profile's help
    accepts: frozenset[str]  # the print options (pipeline.options.OPTIONS) it takes
    impose: Callable[[Prepared, Job], Imposed]
    describe: Callable[[Prepared, Job, Path, Imposed, int], str]  # the summary line; int: stale images removed
    output_name: Callable[[str, Job], str]  # the default output from the deck's file stem
    default_bleed: float = 0.0
    layout_bleed: Callable[[Job], float] = field(default=lambda job: job.bleed)
    implied_by: str | None = None  # an option that selects this profile when --profile is not given
    images: bool = False  # pages are written as PNG images in a folder, not as a PDF
    rgb_only: bool = False


def sides(prep: Prepared, job: Job) -> list[CardSides]:
    """Every card as often as its copies, the whole deck `decks` times; DeckError past MAX_FACES faces, before
    the list is made."""
    faces = 2 * sum(c.copies for c in prep.cards) * job.decks
    if faces > MAX_FACES:
        what, hint = over(f"card faces to print ({job.decks:,} × the deck's cards and copies, fronts and backs)",
                          faces, MAX_FACES, "build fewer decks or copies a file, and print the file again")
        raise DeckError(Problem(what, hint=hint))
    return prep.sides() * job.decks


def pdf_name(stem: str, job: Job, suffix: str, pdfx_home: bool = False) -> str:
    """micro.pdf, micro-shop.pdf, micro-fold-cmyk.pdf; PDF/X: micro-pdfx.pdf for its home profile (shop), else
    micro-home-pdfx.pdf, micro-fold-pdfx.pdf."""
    if job.pdfx:
        return f"{stem}{'' if pdfx_home else '-' + job.profile}-pdfx.pdf"
    return f"{stem}{suffix}{'-cmyk' if job.color == 'cmyk' else ''}.pdf"


def pdf_extras(job: Job) -> list[str]:
    """What every PDF summary adds: more than one deck, PDF/X or CMYK."""
    extra = []
    colours = f"profile {job.icc.description}" if job.icc is not None else None
    if job.pdfx:
        extra.append(f"{'PDF/X-4' if job.pdfx_level == '4' else 'PDF/X-1a:2003'}, {colours or job.condition}")
    elif job.color == "cmyk":
        extra.append(f"CMYK through {colours}" if colours else "CMYK")
    return extra


def summary(out: Path, what: str, extras: Sequence[str], prep: Prepared) -> str:
    return f"{out}: {what}{''.join(', ' + e for e in extras)}, theme {prep.theme.name})"


def cards(prep: Prepared, job: Job) -> str:
    """What the summary counts: "29 cards", "(29 cards + 2 copies + 5 legend cards) × 2 decks = 72 cards"."""
    return prep.counted(job.decks)
