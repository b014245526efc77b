"""The `outputs:` of a deck: named targets that `deckgen make` builds, each with the options `build` takes.

A target's keys are checked by one model made from the same table as build's flags (pipeline/options.py), plus
the keys of the cards chosen and laid out (lang, theme, only…), the output's name and `handout`. Problems are
FILE:LINE lines like every other key of the deck."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, WithJsonSchema, create_model

from deckgen.deck.model import FileName, Invalid, Lang, Loc
from deckgen.deck.remote import ONLINE, Remote
from deckgen.deck.select import Expr, parse_expr
from deckgen.deck.source import Source, problems_from
from deckgen.design.themes import builtin_themes
from deckgen.errors import DeckError, Problem, UsageError, did_you_mean
from deckgen.files import path_problem
from deckgen.pipeline.jobs import default_output, layout_bleed, resolve_job
from deckgen.pipeline.options import OPTIONS, Job, Option, PrintOptions
from deckgen.pipeline.prepare import Options
from deckgen.pipeline.printers import load_printer
from deckgen.pipeline.profiles import PROFILES
from deckgen.presets import papers

SELECTION_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                    "description": "as --only: id=a,b  family=edition  tag=atelier-1 (a list: all must hold)"}


def _choice(name: str, choices: tuple[str, ...]) -> Any:
    def check(value: Any) -> str:
        text = value.strip().lower() if isinstance(value, str) else None
        if text not in choices:
            raise Invalid(f"not a {name.replace('_', ' ')} deckgen knows: {value!r}", "one of " + ", ".join(choices))
        return text

    return Annotated[str, PlainValidator(check), WithJsonSchema({"enum": list(choices)})]


def _scalar(value: Any) -> str:
    """Text, or a number written bare (`bleed: 3`, `max_ink: 300`)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"expected text, got {value!r}")
    return value.strip()


def _selection(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise Invalid(f"not a selection: {value!r}", "id=a,b  family=edition  tag=atelier-1, or a list of them")
    for text in items:
        try:
            parse_expr(text)
        except ValueError as exc:
            what, _, hint = str(exc).partition(" (")
            raise Invalid(what, hint.rstrip(")") or None) from None
    return tuple(items)


def _output(value: Any) -> str:
    name = _scalar(value)
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise Invalid(f"not a name inside the output folder: {name!r}", "a file name such as micro-fr.pdf")
    problem = path_problem(name)
    if problem is not None:
        raise Invalid(f"not a file name: {problem}", "a file name such as micro-fr.pdf")
    return name


Text = Annotated[str, PlainValidator(_scalar), WithJsonSchema({"type": ["string", "number"]})]
Selection = Annotated[tuple[str, ...], PlainValidator(_selection), WithJsonSchema(SELECTION_SCHEMA)]
Output = Annotated[str, PlainValidator(_output), WithJsonSchema({"type": "string"})]


def _option_field(opt: Option) -> tuple[Any, Any]:
    if opt.kind == "flag":
        return bool, Field(False, description=opt.help)
    if opt.kind == "int":
        return int | None, Field(None, ge=1, description=opt.help)
    kind = _choice(opt.name, opt.choices()) if opt.choices else Text
    return kind | None, Field(None, description=opt.help)


@lru_cache(maxsize=1)
def target_model() -> type[BaseModel]:
    """The model of one target: build's print options (from the option table) and the target's own keys."""
    fields: dict[str, Any] = {
        "profile": (_choice("profile", tuple(PROFILES)) | None, Field(None, description="home (default), shop, png "
                    "or fold: what `build --profile` makes")),
        "handout": (bool, Field(False, description="the facilitator handout instead of cards (takes paper only)")),
        "output": (Output | None, Field(None, description="the file (folder for png) in the output folder "
                   "(default: the deck's name, as build names it)")),
        "lang": (Lang | None, Field(None, description="the language built (default: deck.lang)")),
        "fallback": (Lang | None, Field(None, description="the language used where a text lacks lang")),
        "theme": (FileName | None, Field(None, description="a built-in theme or a theme file, relative to the deck "
                  "(default: deck.theme)")),
        "only": (Selection, Field((), description="only the cards that match (as --only)")),
        "exclude": (Selection, Field((), description="leave out the cards that match (as --exclude)")),
        "renumber": (bool, Field(False, description="number the chosen cards 1..n")),
        "legend": (bool, Field(False, description="one legend card per family before the cards")),
        "allow_overflow": (bool, Field(False, description="cut text that does not fit with … and warn")),
    }
    fields.update({opt.name: _option_field(opt) for opt in OPTIONS})
    model: type[BaseModel] = create_model("Target", __config__=ConfigDict(extra="forbid", frozen=True), **fields)
    return model


def target_schema() -> dict[str, Any]:
    """The JSON Schema of one target (`deckgen schema` puts it under outputs:)."""
    schema: dict[str, Any] = target_model().model_json_schema(mode="validation")
    return schema


@dataclass(frozen=True)
class Target:
    """One target as written: its name, its keys (validated, only those given) and where it is in the deck."""

    name: str
    keys: dict[str, Any]

    @property
    def key(self) -> str:
        """The options as canonical text: a change of any of them makes the target's output stale."""
        return json.dumps(self.keys, sort_keys=True, ensure_ascii=False)


def read_targets(src: Source) -> tuple[list[Target], list[Problem]]:
    """The deck's targets, in file order, and the problems of their keys (FILE:LINE)."""
    raw = src.data.get("outputs") if isinstance(src.data, dict) else None
    targets: list[Target] = []
    problems: list[Problem] = []
    model = target_model()
    for name, keys in (raw.items() if isinstance(raw, dict) else ()):
        if not isinstance(keys, dict):
            continue  # the deck model says what is wrong with it
        try:
            valid = model.model_validate(keys)
        except ValidationError as exc:
            problems += problems_from(exc, model, src, ("outputs", name))
            continue
        given = {k: v for k, v in valid.model_dump().items() if k in valid.model_fields_set}
        targets.append(Target(str(name), {k: list(v) if isinstance(v, tuple) else v for k, v in given.items()}))
    return targets, problems


@dataclass(frozen=True)
class Plan:
    """What a target makes: its cards (Options), a print job or the handout (job None, `paper`), and where."""

    target: Target
    opts: Options
    job: Job | None
    paper: str
    out: Path


PRINT_KEYS = frozenset(o.name for o in OPTIONS) | {"profile", "legend"}


def plan(target: Target, src: Source, deck: Path, folder: Path, allow_outside: bool = False,
         printers: str | None = None, remote: Remote = ONLINE) -> Plan:
    """The plan of a target; DeckError at the target's line when its options clash (as build's would)."""
    keys, loc = target.keys, ("outputs", target.name)
    theme = _theme(keys.get("theme"), src, deck, loc + ("theme",))
    opts = Options(theme=theme, lang=keys.get("lang"), fallback=keys.get("fallback"),
                   allow_overflow=bool(keys.get("allow_overflow")), only=_exprs(keys.get("only")),
                   exclude=_exprs(keys.get("exclude")), renumber=bool(keys.get("renumber")),
                   allow_outside=allow_outside, legend=bool(keys.get("legend")), remote=remote)
    if keys.get("handout"):
        return _handout_plan(target, src, deck, folder, opts)
    fields = PrintOptions.__dataclass_fields__
    asked = {k: v for k, v in keys.items() if k in fields and k != "printer"}
    if "icc" in asked:  # a file named in the deck is relative to the deck
        asked["icc"] = str(deck.parent / asked["icc"])
    try:
        printer = load_printer(keys["printer"], printers) if "printer" in keys else None
        job = resolve_job(PrintOptions(**asked), printer)
    except UsageError as exc:
        # build's words name its flags: say the target's keys instead (--max-ink: max_ink)
        what = re.sub(r"--([a-z][a-z-]*)", lambda m: m.group(1).replace("-", "_"), str(exc))
        raise DeckError(src.problem(loc, what)) from None
    out = folder / (keys.get("output") or default_output(deck, job))
    return Plan(target, replace(opts, bleed=layout_bleed(job), press=job.color == "cmyk"), job, job.paper, out)


def _theme(name: str | None, src: Source, deck: Path, loc: Loc) -> str | None:
    """A built-in theme's name, or the path of a theme file (relative to the deck, not to the current folder)."""
    if name is None or name in builtin_themes():
        return name
    if not name.endswith((".yaml", ".yml")) and "/" not in name and "\\" not in name:
        hint = did_you_mean(name, builtin_themes()) or "built-in themes: " + ", ".join(builtin_themes())
        raise DeckError(src.problem(loc, f"unknown theme {name!r}", hint))
    path = (deck.parent / name).resolve()
    if not path.is_file():
        raise DeckError(src.problem(loc, f"theme file {name!r} not found", f"looked for {path}"))
    return str(path)


def _handout_plan(target: Target, src: Source, deck: Path, folder: Path, opts: Options) -> Plan:
    keys, loc = target.keys, ("outputs", target.name)
    extra = sorted(k for k in keys if k in PRINT_KEYS and k != "paper")
    if extra:
        raise DeckError(src.problem(loc + (extra[0],), f"a handout takes no {extra[0]}", "a handout target "
                                    "takes paper, lang, fallback, theme, only, exclude, renumber and output"))
    paper = keys.get("paper") or "a4"
    if not papers()[paper].handout:
        fit = ", ".join(k for k, sheet in papers().items() if sheet.handout)
        raise DeckError(src.problem(loc + ("paper",), f"no handout on {paper} paper", f"one of {fit}"))
    return Plan(target, opts, None, paper, folder / (keys.get("output") or f"{deck.stem}-handout.pdf"))


def _exprs(texts: Any) -> tuple[Expr, ...]:
    return tuple(parse_expr(t) for t in texts or ())
