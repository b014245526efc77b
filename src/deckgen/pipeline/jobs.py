"""Output profiles (pure): which options apply, default file names, and the page geometry of each profile.

home  sheets of cards for a duplex printer (impose.py), with bleed and gutters when the paper has room;
shop  one card face per page: page = card + bleed, TrimBox = card, BleedBox = page, no marks;
png   one image per face at 300 dpi, sized to the nearest pixel (or a service's exact size);
fold  fronts on one half of the sheet, their backs mirrored on the other half: fold, glue, cut.
Lengths are PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.errors import UsageError
from deckgen.presets import conditions
from deckgen.sheets.home import MAX_BLEED
from deckgen.sheets.impose import MM, SEAM


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
    back_offset: tuple[float, float] = (0.0, 0.0)
    decks: int = 1
    service: str | None = None
    printer: str | None = None

    @property
    def layout_bleed(self) -> float:
        """How far bleed art is laid out: a PNG's pixel rounding or a service's size may need a little more,
        butted cards on sheets a hair (SEAM)."""
        if self.profile == "png":
            return self.bleed + 2 * MM
        return max(self.bleed, SEAM) if self.profile in ("home", "fold") else self.bleed


def parse_bleed(value: str) -> float:
    """"3mm", "0.125in", "9pt"; a bare number is millimetres."""
    from deckgen.units import parse_length

    text = value.strip()
    try:
        v = float(text) * MM if text.replace(".", "", 1).isdigit() else parse_length(text)
    except ValueError:
        raise UsageError(f"--bleed {value}: not a length (write e.g. 3mm or 0.125in)") from None
    if not (0 <= v <= MAX_BLEED):
        raise UsageError(f"--bleed {value}: give a bleed from 0 to 10 mm")
    return v


def condition_name(value: str) -> str:
    key = value.strip().lower()
    for name, cond in conditions().items():
        if key == name.lower() or key in cond.aliases:
            return name
    raise UsageError(f"--condition {value}: not a registered printing condition deckgen knows; choose one of "
                     + ", ".join(conditions()) + " (or gracol, swop)")


def resolve_job(opts: Any, printer: Any = None) -> Job:
    """A Job from parsed options (None = not given) and optional PrinterSettings; UsageError when they clash."""
    given = {k: v for k, v in vars(opts).items() if v is not None and v is not False}
    pdfx = bool(given.get("pdfx"))
    profile = given.get("profile") or ("png" if "service" in given else "shop" if pdfx else "home")
    sheets = profile in ("home", "fold")

    def refuse(option: str, applies: str) -> None:
        if option in given:
            raise UsageError(f"--{option.replace('_', '-')} applies to {applies}, not to --profile {profile}")

    if profile != "png":
        refuse("service", "--profile png")
    if profile != "shop":
        refuse("order", "--profile shop")
    if profile != "home":
        refuse("duplex", "home sheets (--profile home)")
        refuse("back_offset", "duplex home sheets (--profile home)")
    if not sheets:
        refuse("paper", "sheets (--profile home or fold)")
        if printer is not None:
            raise UsageError(f"--printer applies to sheets printed at home, not to --profile {profile}")
    if not pdfx and "condition" in given:
        raise UsageError("--condition applies to --pdfx")
    color = given.get("color") or ("cmyk" if pdfx else "rgb")
    if pdfx and color != "cmyk":
        raise UsageError("--pdfx is CMYK only: drop --color rgb")
    if profile == "png" and (pdfx or color == "cmyk"):
        raise UsageError("PNG files are RGB: --color cmyk and --pdfx apply to PDF profiles")
    if "service" in given and "bleed" in given:
        raise UsageError(f"--service {given['service']} sets the image size: drop --bleed")
    decks = given.get("decks", 1)
    if decks < 1:
        raise UsageError("--decks takes a number ≥ 1")
    from deckgen.pipeline.printers import parse_offset

    if "back_offset" in given:
        try:
            offset = parse_offset(given["back_offset"])
        except ValueError as exc:
            raise UsageError(f"--back-offset: {exc}") from None
    else:
        offset = printer.back_offset if printer is not None and profile == "home" else (0.0, 0.0)
    default_bleed = 0.0 if sheets else 3 * MM
    return Job(
        profile=profile,
        paper=given.get("paper") or (printer.paper if printer is not None and printer.paper else "a4"),
        duplex=given.get("duplex") or (printer.duplex if printer is not None and printer.duplex else "long"),
        bleed=parse_bleed(given["bleed"]) if "bleed" in given else default_bleed,
        order=given.get("order") or "interleaved",
        color=color,
        pdfx=pdfx,
        condition=condition_name(given["condition"]) if "condition" in given else "FOGRA39",
        back_offset=offset,
        decks=decks,
        service=given.get("service"),
        printer=printer.name if printer is not None else None,
    )


def default_output(deck: str | Path, job: Job) -> Path:
    """The deck's name in the current folder, one name per profile so that no output overwrites another."""
    stem = Path(deck).stem
    if job.profile == "png":
        return Path(f"{stem}-{job.service}" if job.service else f"{stem}-png")
    if job.pdfx:  # PDF/X is a shop file unless told otherwise: micro-pdfx.pdf, micro-home-pdfx.pdf…
        return Path(f"{stem}{'' if job.profile == 'shop' else '-' + job.profile}-pdfx.pdf")
    suffix = {"home": "", "shop": "-shop", "fold": "-fold"}[job.profile]
    return Path(f"{stem}{suffix}{'-cmyk' if job.color == 'cmyk' else ''}.pdf")


