"""JSON Schemas of the deck and theme formats as users write them, derived from model.py (`deckgen schema`)."""

from __future__ import annotations

import json
from typing import Any

from deckgen.deck.model import REQUIRED_TEXT_SCHEMA, TEXT_SCHEMA, URL_SCHEMA, Deck
from deckgen.design.theme_model import LENGTH_SCHEMA, SIZE_SCHEMA, Theme

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _tidy(node: Any, drop_required: bool = False) -> Any:
    """Drop pydantic's generated titles (and, for themes, `required`: a theme that extends may be partial)."""
    if isinstance(node, list):
        return [_tidy(v, drop_required) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "required" and drop_required:
            continue
        if key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _tidy(v, drop_required) for name, v in value.items()}
        else:
            out[key] = _tidy(value, drop_required)
    return out


def _shared(schema: dict[str, Any], names: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Replace every copy of a shared sub-schema (Text, Url, Length…) by a $ref to one definition."""
    used: set[str] = set()

    def walk(node: Any) -> Any:
        for name, sub in names.items():
            if isinstance(node, dict) and all(node.get(k) == v for k, v in sub.items()):
                used.add(name)  # keep the field's own default and description beside the $ref
                return {"$ref": f"#/$defs/{name}", **{k: v for k, v in node.items() if k not in sub}}
        if isinstance(node, dict) and isinstance(node.get("anyOf"), list):  # Optional[X]: anyOf [..X.., null]
            items = node["anyOf"]
            for name, sub in names.items():
                n = len(sub["anyOf"])
                for i in range(len(items) - n + 1):
                    if items[i:i + n] == sub["anyOf"]:
                        used.add(name)
                        items = [*items[:i], {"$ref": f"#/$defs/{name}"}, *items[i + n:]]
                        break
            node = {**node, "anyOf": items}
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out: dict[str, Any] = walk(schema)
    out.setdefault("$defs", {}).update({name: names[name] for name in sorted(used)})
    return out


def deck_schema(target: dict[str, Any] | None = None) -> dict[str, Any]:
    """The deck's schema; `target`, the schema of one of its `outputs:` (made from the pipeline's option table)."""
    shared = {"Text": TEXT_SCHEMA, "RequiredText": REQUIRED_TEXT_SCHEMA, "Url": URL_SCHEMA}
    schema = _shared(_tidy(Deck.model_json_schema(mode="validation")), shared)
    if target is not None:
        outputs = schema["properties"]["outputs"]
        outputs["patternProperties"] = {k: _tidy(target) for k in outputs["patternProperties"]}
        outputs["additionalProperties"] = False
    return {"$schema": DRAFT, "title": "deckgen deck", **schema,
            "description": "A deck of cards for deckgen: deck:, families:, cards:. See the README."}


def theme_schema() -> dict[str, Any]:
    schema = _shared(_tidy(Theme.model_json_schema(mode="validation"), drop_required=True),
                     {"Length": LENGTH_SCHEMA, "Size": SIZE_SCHEMA})
    return {"$schema": DRAFT, "title": "deckgen theme", **schema,
            "description": "A deckgen theme: card size, fonts, colours and the elements of each side. Keys are "
                           "optional here because a theme that extends another may change only a few."}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
