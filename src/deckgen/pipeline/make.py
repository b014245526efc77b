"""`deckgen make`: every target of a deck's `outputs:` (or those named), each skipped while it is up to date.

A target is up to date when what it was built from has the same content as then: the files the build read
(deck, spreadsheets, theme chain, fonts, images, printers file, ICC profile) and the tables fetched (the
loader's `LoadedDeck.inputs()`), its options and deckgen's version; and its output is still the one written.
Content hashes, not modification times, are kept in a small state file beside the outputs: sorted keys, names
relative to the deck's folder (or to deckgen's own data), no times, so it is the same on every machine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import deckgen
from deckgen.deck.load import LoadedDeck, hash_file, read_deck
from deckgen.deck.remote import ONLINE, Remote
from deckgen.errors import DeckError, UsageError, count, in_file_order
from deckgen.files import check_output, refuse_overwrite, write_atomic, writing
from deckgen.output.fonts import PACKAGE_FONTS
from deckgen.pipeline.handout import handout_pdf
from deckgen.pipeline.prepare import Options, Prepared, Progress, prepare
from deckgen.pipeline.printers import default_files
from deckgen.pipeline.profiles import PROFILES
from deckgen.pipeline.targets import Plan, plan, read_targets
from deckgen.pipeline.write import write
from deckgen.units import paper_name

STATE = ".deckgen-make.json"
FORMAT = 1
PACKAGE = Path(deckgen.__file__).resolve().parent


@dataclass(frozen=True)
class Request:
    deck: Path
    names: tuple[str, ...] = ()  # the targets to make; none: every one
    folder: Path = Path(".")  # where the outputs and the state file go
    force: bool = False
    jobs: int = 1
    allow_outside: bool = False
    printers: str | None = None
    remote: Remote = ONLINE  # how tables named by URL are fetched


@dataclass(frozen=True)
class Made:
    name: str
    out: Path
    built: bool
    summary: str = ""  # what was written ("29 cards on 4 A4 sheets…"), when built
    warnings: tuple[str, ...] = ()


@dataclass
class _Run:
    req: Request
    loaded: LoadedDeck
    state: dict[str, Any]
    hashes: dict[Path, str | None] = field(default_factory=dict)
    prepared: dict[Options, Prepared] = field(default_factory=dict)

    def hash(self, path: Path) -> str | None:
        if path not in self.hashes:
            try:
                self.hashes[path] = hash_file(path)
            except OSError:
                self.hashes[path] = None
        return self.hashes[path]

    def name(self, path: Path) -> str:
        """How the state names an input: relative to the deck's folder, or to deckgen's package, else absolute."""
        path = path.resolve()
        for root, prefix in ((self.loaded.folder, ""), (PACKAGE, "deckgen:"), (PACKAGE_FONTS, "deckgen-fonts:")):
            if path.is_relative_to(root):
                return prefix + path.relative_to(root).as_posix()
        return str(path)

    def path(self, name: str) -> Path | None:
        if "://" in name:
            return None
        if name.startswith("deckgen:"):
            return PACKAGE / name.removeprefix("deckgen:")
        if name.startswith("deckgen-fonts:"):
            return PACKAGE_FONTS / name.removeprefix("deckgen-fonts:")
        return self.loaded.folder / name


def make(req: Request, progress: Progress | None = None) -> Iterator[Made]:
    """Make the targets asked, in the deck's order; yields each as it is made or found up to date. DeckError for
    the deck's problems (FILE:LINE), UsageError for an unknown target name or an output that would replace an
    input."""
    loaded = read_deck(req.deck, req.allow_outside, req.remote)
    plans, known = _plans(req, loaded)
    state = {name: entry for name, entry in _read_state(req.folder / STATE).items() if name in known}
    run = _Run(req, loaded, state)  # the targets no longer in the deck are forgotten
    current = {run.name(f.path) if f.path else f.name: f.sha256 for f in loaded.inputs()}
    for p in plans:
        if not req.force and _fresh(run, p, current):
            yield Made(p.target.name, p.out, False)
            continue
        yield _build(run, p, progress)


def _plans(req: Request, loaded: LoadedDeck) -> tuple[list[Plan], list[str]]:
    """The plans of the targets asked, checked, and the names of all the deck's targets; every problem of the
    deck and of its targets in one DeckError."""
    targets, problems = read_targets(loaded.src)
    raw = loaded.src.data.get("outputs") if isinstance(loaded.src.data, dict) else None
    known = [str(name) for name in raw] if isinstance(raw, dict) else []
    if not known:
        raise UsageError(f"{req.deck} has no outputs: section: list the files to make under outputs: (see the "
                         "README's Workshop kit), or use deckgen build")
    for name in req.names:
        if name not in known:
            raise UsageError(f"unknown target {name!r}: the deck's targets are {', '.join(known)}")
    plans, problems, seen = [], loaded.problems + problems, dict[Path, str]()
    for t in targets:
        if req.names and t.name not in req.names:
            continue
        try:
            p = plan(t, loaded.src, loaded.path, req.folder, req.allow_outside, req.printers, req.remote)
        except DeckError as exc:
            problems += exc.problems
            continue
        key = p.out.resolve()
        if key in seen:
            problems.append(loaded.src.problem(("outputs", t.name), f"writes {p.out.name}, as target "
                                               f"'{seen[key]}' does", "give one of them another output: name"))
        seen.setdefault(key, t.name)
        plans.append(p)
    if problems:
        raise DeckError(in_file_order(problems))
    for p in plans:
        refuse_overwrite(p.out, [(loaded.path, "the deck file"), *((t, "the spreadsheet") for t in loaded.tables)],
                         f"target {p.target.name}:")
        check_output(p.out, f"target {p.target.name}:", _folder_of(p))
    return plans, known


def _folder_of(p: Plan) -> str | None:
    if p.job is not None and PROFILES[p.job.profile].images:
        return "--profile png writes a folder of PNG images"
    return None


def _record(run: _Run, p: Plan) -> dict[str, Any]:
    """What a fresh target must match: its output's name, options and deckgen's version."""
    rel = p.out.resolve().relative_to(run.req.folder.resolve()).as_posix()
    options = dict(p.target.keys, **({"allow_outside": True} if run.req.allow_outside else {}))
    return {"deckgen": deckgen.__version__, "options": options, "output": rel}


def _fresh(run: _Run, p: Plan, current: dict[str, str]) -> bool:
    old = run.state.get(p.target.name)
    if not isinstance(old, dict) or not isinstance(old.get("inputs"), dict):
        return False
    if any(old.get(k) != v for k, v in _record(run, p).items()):
        return False
    if old.get("result") is None or old.get("result") != output_digest(p.out):
        return False
    for name, sha in old["inputs"].items():
        path = run.path(name)
        now = current.get(name) or (run.hash(path) if path is not None else None)
        if now != sha:
            return False
    return True


def _inputs(run: _Run, p: Plan, prep: Prepared) -> dict[str, str]:
    """Every input of a built target by content: the files it read and the tables the loader fetched."""
    files = list(prep.inputs())
    if p.job is not None and p.job.icc is not None:
        files.append(Path(p.job.icc.path))
    if "printer" in p.target.keys:
        files += [Path(run.req.printers)] if run.req.printers else [f for f in default_files() if f.is_file()][:1]
    out = {run.name(f): run.hash(f) or "" for f in files}
    out.update({f.name: f.sha256 for f in prep.loaded.inputs() if f.path is None})
    return dict(sorted(out.items()))


def _prepared(run: _Run, p: Plan, progress: Progress | None) -> Prepared:
    if p.opts not in run.prepared:
        run.prepared[p.opts] = prepare(run.req.deck, p.opts, progress=progress, jobs=run.req.jobs)
    return run.prepared[p.opts]


def _build(run: _Run, p: Plan, progress: Progress | None = None) -> Made:
    prep = _prepared(run, p, progress)
    refuse_overwrite(p.out, [(f, "an input") for f in prep.inputs()], f"target {p.target.name}:")
    with writing(p.out):
        if p.job is None:
            data, pages = handout_pdf(prep, p.paper)
            write_atomic(p.out, data)
            summary = (f"{p.out}: handout of {count(len(prep.cards), 'card')} on "
                       f"{count(pages, paper_name(p.paper) + ' page')}, language {prep.lang}")
            warnings: tuple[str, ...] = ()
        else:
            written = write(prep, p.job, p.out, progress=progress, jobs=run.req.jobs)
            summary, warnings = written.summary, written.warnings
    run.hashes.pop(p.out, None)
    run.state[p.target.name] = {**_record(run, p), "inputs": _inputs(run, p, prep), "result": output_digest(p.out)}
    _write_state(run.req.folder / STATE, run.state)
    for said in (f"{p.out}: ", f"{p.out}/: "):  # the summary without the output's name, which Made has
        summary = summary.removeprefix(said)
    return Made(p.target.name, p.out, True, summary, tuple(dict.fromkeys([*prep.warnings, *warnings])))


def output_digest(out: Path) -> str | None:
    """The SHA-256 of an output file, or of a folder of images (their names and contents); None when missing."""
    if out.is_dir():
        digest = hashlib.sha256()
        for f in sorted(out.iterdir()):
            if f.is_file():
                digest.update(f"{f.name}\0{hash_file(f)}\n".encode())
        return digest.hexdigest()
    try:
        return hash_file(out)
    except OSError:
        return None


def _read_state(path: Path) -> dict[str, Any]:
    """The targets recorded by the last make; none when the file is missing or not ours (all are rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("targets"), dict):
        return {}
    return dict(data["targets"])


def _write_state(path: Path, targets: dict[str, Any]) -> None:
    text = json.dumps({"format": FORMAT, "targets": targets}, sort_keys=True, indent=1, ensure_ascii=False)
    with writing(path):
        write_atomic(path, (text + "\n").encode("utf-8"))
