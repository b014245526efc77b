"""From what the user asked (PrintOptions, a named printer) to what will be made (Job): which profile, and
every option checked against what that profile accepts. Pure: messages are UsageErrors (exit 2)."""

from __future__ import annotations

from pathlib import Path

from deckgen.errors import UsageError
from deckgen.output.icc import OutputProfile, ProfileError, load_profile
from deckgen.pipeline.options import BY_NAME, Job, PrintOptions
from deckgen.pipeline.printers import PrinterSettings, parse_offset
from deckgen.pipeline.profiles import DEFAULT, PROFILES
from deckgen.pipeline.profiles.base import Profile
from deckgen.presets import conditions
from deckgen.sheets.backmarks import OffsetError, check_offset
from deckgen.sheets.home import MAX_BLEED
from deckgen.units import MM, parse_length


def parse_bleed(value: str) -> float:
    """"3mm", "0.125in", "9pt"; a bare number is millimetres."""
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


def _profile(given: dict[str, object]) -> Profile:
    name = given.get("profile")
    if isinstance(name, str):
        return PROFILES[name]
    return next((p for p in PROFILES.values() if p.implied_by and p.implied_by in given), PROFILES[DEFAULT])


def _refuse_foreign(profile: Profile, given: dict[str, object]) -> None:
    """Each option given must be one the profile accepts."""
    for name in given:
        if name != "profile" and name not in profile.accepts:
            takers = " or ".join(p.name for p in PROFILES.values() if name in p.accepts)
            raise UsageError(f"{BY_NAME[name].flag} applies to --profile {takers}, not to --profile {profile.name}")


def _color(profile: Profile, given: dict[str, object], pdfx: bool) -> str:
    if not pdfx and "condition" in given:
        raise UsageError("--condition applies to --pdfx")
    if not pdfx and "pdfx_level" in given:
        raise UsageError("--pdfx-level applies to --pdfx")
    color = str(given.get("color") or ("cmyk" if pdfx or "icc" in given else "rgb"))
    if pdfx and color != "cmyk":
        raise UsageError("--pdfx is CMYK only: drop --color rgb")
    if color != "cmyk":
        for name in ("icc", "intent", "max_ink"):
            if name in given:
                raise UsageError(f"{BY_NAME[name].flag} applies to CMYK files (--color cmyk or --pdfx)")
    if profile.rgb_only and color == "cmyk":
        raise UsageError(f"--profile {profile.name} writes RGB images: --color cmyk and --pdfx apply to PDF profiles")
    return color


def _offset(given: dict[str, object], printer: PrinterSettings | None, profile: Profile) -> tuple[float, float]:
    offset = (0.0, 0.0)
    if "back_offset" in given:
        try:
            offset = parse_offset(str(given["back_offset"]))
        except ValueError as exc:
            raise UsageError(f"--back-offset: {exc}") from None
    elif printer is not None and "back_offset" in profile.accepts:
        offset = printer.back_offset
    try:
        check_offset(offset)
    except OffsetError as exc:
        raise UsageError(str(exc)) from None
    return offset


def _icc(given: dict[str, object], printer: PrinterSettings | None, color: str) -> OutputProfile | None:
    """The output profile of a CMYK file: --icc, else the named printer's; UsageError when unusable."""
    path = given.get("icc") or (printer.icc if printer is not None and color == "cmyk" else None)
    if path is None:
        return None
    try:
        return load_profile(str(path))
    except ProfileError as exc:
        raise UsageError(f"--icc {exc}") from None


def _max_ink(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        ink = float(value.strip().rstrip("%"))
    except ValueError:
        ink = -1.0
    if not 100 <= ink <= 400:
        raise UsageError(f"--max-ink {value}: give the total ink limit in %, from 100 to 400 (e.g. 300)")
    return ink


def resolve_job(opts: PrintOptions, printer: PrinterSettings | None = None) -> Job:
    """A Job from the options asked and an optional named printer; UsageError when they clash."""
    given = opts.given()
    if printer is not None:
        given["printer"] = printer.name
    profile = _profile(given)
    _refuse_foreign(profile, given)
    pdfx = bool(given.get("pdfx"))
    color = _color(profile, given, pdfx)
    if "service" in given and "bleed" in given:
        raise UsageError(f"--service {given['service']} sets the image size: drop --bleed")
    icc = _icc(given, printer, color)
    if pdfx and opts.pdfx_level == "4" and icc is None:
        raise UsageError("--pdfx-level 4 embeds the printing condition's profile: give --icc PROFILE.icc")
    decks = int(opts.decks) if opts.decks is not None else 1
    if decks < 1:
        raise UsageError("--decks takes a number ≥ 1")
    return Job(
        profile=profile.name,
        paper=opts.paper or (printer.paper if printer is not None and printer.paper else "a4"),
        duplex=opts.duplex or (printer.duplex if printer is not None and printer.duplex else "long"),
        bleed=parse_bleed(opts.bleed) if opts.bleed is not None else profile.default_bleed,
        order=opts.order or "interleaved",
        color=color,
        pdfx=pdfx,
        condition=condition_name(opts.condition) if opts.condition is not None else "FOGRA39",
        icc=icc,
        intent=opts.intent or "relative",
        max_ink=_max_ink(opts.max_ink),
        pdfx_level=opts.pdfx_level or "1a",
        back_offset=_offset(given, printer, profile),
        decks=decks,
        service=opts.service,
        printer=printer.name if printer is not None else None,
    )


def layout_bleed(job: Job) -> float:
    """How far the cards' bleed art is laid out for this job (a hair on sheets, a little more for PNG)."""
    return PROFILES[job.profile].layout_bleed(job)


def default_output(deck: str | Path, job: Job) -> Path:
    """The deck's name in the current folder, one name per profile so that no output overwrites another."""
    return Path(PROFILES[job.profile].output_name(Path(deck).stem, job))
