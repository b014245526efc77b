"""YAML with line numbers -> validated models; every problem reported as FILE:LINE: where: what — hint."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from deckgen.deck.model import Invalid, Loc
from deckgen.errors import DeckError, Problem, did_you_mean
from deckgen.files import read_input

# libyaml's parser when PyYAML has it (about 20 times faster on big decks); nodes keep their lines either way.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NODE_BUDGET = 200_000  # nodes built from one file; an alias bomb blows through it at once
MAX_DEPTH = 64  # a deck or theme needs about 6 levels; deeper is an error, not a crash
M = TypeVar("M", bound=BaseModel)


@dataclass
class Source:
    """A YAML document read with the line of every key and value."""

    data: Any
    lines: dict[Loc, int]
    file: str  # as shown in messages
    files: dict[Loc, str] = field(default_factory=dict)  # where merged files put a value elsewhere
    wheres: dict[Loc, str] = field(default_factory=dict)  # how to name a place of another file: 'column "title"'

    def _nearest(self, loc: Loc) -> Loc:
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return loc

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest enclosing mapping or list."""
        return self.lines.get(self._nearest(loc))

    def problem(self, loc: Loc, what: str, hint: str | None = None) -> Problem:
        near = self._nearest(loc)
        where = self.wheres.get(near) or where_of(loc) or None
        card = loc[1] if len(loc) > 1 and loc[0] == "cards" and isinstance(loc[1], int) else None
        return Problem(what, self.files.get(near, self.file), self.lines.get(near), where, hint, card)


def where_of(loc: Loc) -> str:
    """("cards", 3, "source", "url") -> "cards[3].source.url"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def display_name(path: Path) -> str:
    """A path for messages: relative to the current folder when inside it, else as it is."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class YamlLoader(_BaseLoader):  # type: ignore[misc]  # libyaml's loader when built, else PyYAML's
    """YAML 1.2 scalars: only true/false are booleans and dates stay text, so `title: No` or
    `title: 2024-05-01` mean what they say."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_yaml(path: Path) -> Source:
    """Parse a YAML file, keeping lines; refuse non-UTF-8, empty files, duplicate keys and alias bombs."""
    name = display_name(path)
    raw = read_input(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckError(
            Problem(f"not UTF-8 text (byte {exc.start})", name, hint="save the file as UTF-8")
        ) from None
    src = Source(None, {}, name)
    try:
        loader = YamlLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise DeckError(Problem("the file is empty", name, hint="a deck needs at least 'deck:' and 'cards:'"))
            src.data = _Builder(src, loader).build(node, ())
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:  # a tag: !!python/object, or a lone '='
        mark = exc.problem_mark or exc.context_mark
        raise DeckError(Problem(f"YAML value not allowed: {exc.problem}", name, mark.line + 1 if mark else None,
                                hint="deckgen reads text, numbers, lists and mappings; quote text that starts "
                                     "with ! or =")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(filter(None, [exc.context, exc.problem])) or "YAML syntax error"
        raise DeckError(
            Problem(f"YAML syntax error: {what}", name, mark.line + 1 if mark else None,
                    hint="check the indentation and quote text that contains ': ' or starts with a symbol")
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character, say: PyYAML's message spans lines
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise DeckError(Problem(f"character {char} is not allowed in YAML", name, line,
                                hint="delete it, or write it as an escape (\\x1f) in double quotes")) from None
    except yaml.YAMLError as exc:
        raise DeckError(Problem("YAML error: " + " ".join(str(exc).split()), name)) from None
    except RecursionError:  # PyYAML's pure-Python parser, without libyaml's depth limit
        raise DeckError(Problem(f"values nested more than {MAX_DEPTH} levels deep", name)) from None
    return src


class _Builder:
    def __init__(self, src: Source, loader: YamlLoader):
        self.src, self.loader, self.budget = src, loader, NODE_BUDGET

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise DeckError(
                Problem("the file expands to too many values (a YAML alias bomb?)", self.src.file,
                        hint="use fewer aliases (*name)")
            )
        if depth > MAX_DEPTH:
            raise DeckError(Problem(f"values nested more than {MAX_DEPTH} levels deep", self.src.file,
                                    node.start_mark.line + 1,
                                    hint="a deck needs a few levels; is an alias (*name) used inside what it names?"))
        self.src.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    merged = self.build(value_node, loc, depth + 1)
                    for part in merged if isinstance(merged, list) else [merged]:
                        if isinstance(part, dict):
                            for k, v in part.items():
                                out.setdefault(k, v)
                    continue
                key = self.scalar(key_node)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise DeckError(Problem("a key must be plain text", self.src.file, key_node.start_mark.line + 1))
                key = sys.intern(key if isinstance(key, str) else str(key))  # one string for every card's 'title'
                if key in out:
                    raise DeckError(
                        Problem(f"duplicate key {key!r}", self.src.file, key_node.start_mark.line + 1,
                                where_of(loc) or None, "each key may appear once in a mapping")
                    )
                self.src.lines[loc + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, loc + (key,), depth + 1)
                self.src.lines[loc + (key,)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise DeckError(Problem("a key must be plain text", self.src.file, node.start_mark.line + 1))
        return self.loader.construct_object(node)


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed in the mapping at `loc` under `model`, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = next((f for name, f in current.model_fields.items() if (f.alias or name) == str(part)), None)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]  # as users write them: from, not from_
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is not None or get_args(annotation):
        for arg in get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def clean_loc(loc: tuple[Any, ...], data: Any = None) -> Loc:
    """Drop pydantic's union-branch and validator tags from an error location; keys of the data stay,
    whatever their characters (a key such as ':' or 'a[b]' is the user's)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(part, int):
            data = data[part] if isinstance(data, list) and -len(data) <= part < len(data) else None
        elif any(c in str(part) for c in "[(:"):
            continue
        else:
            data = None
        out.append(part)
    return tuple(out)


def problems_from(exc: ValidationError, model: type[BaseModel], src: Source, prefix: Loc = ()) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = prefix + clean_loc(err["loc"], src.data)
        kind, msg = err["type"], err["msg"]
        hint = None
        if kind == "missing":
            key = loc[-1]
            out.append(src.problem(loc[:-1], f"missing required key '{key}'", f"add '{key}:'"))
            continue
        if kind == "extra_forbidden":
            key = str(loc[-1])
            allowed = _allowed_keys(model, loc[len(prefix):-1])
            hint = did_you_mean(key, allowed) or ("allowed keys: " + ", ".join(allowed) if allowed else None)
            out.append(src.problem(loc, f"unknown key '{key}'", hint))
            continue
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, Invalid):  # a validator of model.py: its own words and hint
            out.append(src.problem(loc, cause.what, cause.hint))
            continue
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            msg = f"expected a whole number, got {_describe(err.get('input'))}"
            hint = "write the number without quotes, e.g. 2"
        elif kind == "string_type" and err.get("input") is None:
            msg = "expected text, got nothing"
            hint = "write a value; quote it if it starts with #, which starts a YAML comment"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            msg = f"expected a mapping (key: value), got {_describe(err.get('input'))}"
        elif kind == "list_type":
            msg = f"expected a list (- item), got {_describe(err.get('input'))}"
        elif kind == "too_short" and loc[-1:] == ("cards",):
            msg = "the deck has no cards"
            hint = "add at least one card under 'cards:'"
        elif "input" in err and kind not in ("greater_than_equal", "less_than_equal"):
            msg = f"{msg[0].lower()}{msg[1:]}, got {_describe(err['input'])}"
        out.append(src.problem(loc, msg[0].lower() + msg[1:] if msg else msg, hint))
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "…'"


def validate(model: type[M], src: Source, prefix: Loc = ()) -> M:
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        raise DeckError(problems_from(exc, model, src, prefix)) from None

