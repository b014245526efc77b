"""Typed options of the print files, as data: what the user asked (PrintOptions), what will be made (Job), and
the table of print options from which the CLI builds its flags (each profile says which of them it accepts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deckgen.presets import papers, services

if TYPE_CHECKING:  # the help must not load Pillow
    from deckgen.output.icc import OutputProfile


@dataclass(frozen=True)
class Option:
    """A print option: `name` is its PrintOptions field, `flag` its command-line form."""

    name: str
    flag: str
    help: str
    metavar: str | None = None
    choices: Callable[[], tuple[str, ...]] | None = None
    kind: str = "str"  # "str", "int" or "flag" (on/off)


def _papers() -> tuple[str, ...]:
    return tuple(papers())


def _services() -> tuple[str, ...]:
    return tuple(sorted(services()))


OPTIONS: tuple[Option, ...] = (
    Option("paper", "--paper", "sheet size (default a4)", choices=_papers),
    Option("duplex", "--duplex", "how the printer flips the sheet: long edge (default), short edge, or none "
           "(single-sided: backs unmirrored)", choices=lambda: ("long", "short", "none")),
    Option("bleed", "--bleed", "art beyond the cut on every side: 3mm, 0.125in; a bare number is mm (default 3mm "
           "for shop and png; none on sheets, where gutters need room)", metavar="LENGTH"),
    Option("order", "--order", "shop pages: front 1, back 1, front 2… (default) or every front, then every back",
           choices=lambda: ("interleaved", "fronts-first")),
    Option("service", "--service", "png at a service's exact size: mpc (MakePlayingCards, 822×1122 px) or tgc "
           "(The Game Crafter, 825×1125 px)", choices=_services),
    Option("color", "--color", "cmyk: every colour CMYK, black as pure K, crop marks in registration colour "
           "(default rgb)", choices=lambda: ("rgb", "cmyk")),
    Option("pdfx", "--pdfx", "write PDF/X-1a:2003 for print shops (CMYK; --profile shop unless given)", kind="flag"),
    Option("condition", "--condition", "--pdfx printing condition: FOGRA39 (default), FOGRA51, FOGRA29, "
           "\"CGATS TR 006\" (gracol), \"CGATS TR 001\" (swop), JC200103", metavar="NAME"),
    Option("icc", "--icc", "CMYK output profile (the .icc file of the print shop or printer): every colour goes "
           "through it with littleCMS (implies --color cmyk; embedded in --pdfx files)", metavar="PROFILE.icc"),
    Option("intent", "--intent", "rendering intent with --icc: relative (default, with black point compensation), "
           "perceptual, saturation or absolute", choices=lambda: ("relative", "perceptual", "saturation", "absolute")),
    Option("max_ink", "--max-ink", "total ink limit of CMYK colours in % (default 300 with --icc, 240 without)",
           metavar="PERCENT"),
    Option("pdfx_level", "--pdfx-level", "--pdfx conformance: 1a (PDF/X-1a:2003, default) or 4 (PDF/X-4: PDF 1.6, "
           "transparency allowed; needs --icc)", choices=lambda: ("1a", "4")),
    Option("back_offset", "--back-offset", "move every back page X mm right and Y mm up, as measured with "
           "`deckgen calibrate` (negative: --back-offset=-1,2)", metavar="X,Y"),
    Option("printer", "--printer", "take paper, flip edge and back offset from a named printer", metavar="NAME"),
    Option("decks", "--decks", "N full decks in one file (default 1)", metavar="N", kind="int"),
)
BY_NAME = {o.name: o for o in OPTIONS}


@dataclass(frozen=True)
class PrintOptions:
    """What the user asked for the print files; None (or False) = not given."""

    profile: str | None = None
    paper: str | None = None
    duplex: str | None = None
    bleed: str | None = None
    order: str | None = None
    service: str | None = None
    color: str | None = None
    pdfx: bool = False
    condition: str | None = None
    icc: str | None = None
    intent: str | None = None
    max_ink: str | None = None
    pdfx_level: str | None = None
    back_offset: str | None = None
    printer: str | None = None
    decks: int | None = None

    def given(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v is not None and v is not False}


@dataclass(frozen=True)
class Job:
    """Everything that decides what is written, resolved from the options and a named printer."""

    profile: str = "home"
    paper: str = "a4"
    duplex: str = "long"
    bleed: float = 0.0
    order: str = "interleaved"
    color: str = "rgb"
    pdfx: bool = False
    condition: str = "FOGRA39"
    icc: OutputProfile | None = None  # colours through this profile (CMYK files), embedded in PDF/X
    intent: str = "relative"
    max_ink: float | None = None  # percent; None: 300 with a profile, 240 without
    pdfx_level: str = "1a"
    back_offset: tuple[float, float] = (0.0, 0.0)
    decks: int = 1
    service: str | None = None
    printer: str | None = None
