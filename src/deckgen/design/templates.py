"""Theme templates: "{title}", "{family.name}", "{number}/{total}" filled from a card's context. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
FIELD = re.compile(r"\{(" + NAME.pattern + r")\}")
BRACES = re.compile(r"\{([^{}]*)\}")  # every {…} of a template, once {{ and }} are set aside
GROUPS = {"deck": "{deck.title}, {deck.subtitle}, {deck.author} or {deck.lang}",
          "family": "{family.name}, {family.color}, {family.description}, {family.id} or {family.image}",
          "source": "{source.url} or {source.label}"}  # context values that are groups of fields


class TemplateError(Exception):
    """A {…} of a theme's template that names no value: a problem of the theme, the same for every card."""

    def __init__(self, what: str, hint: str):
        super().__init__(what)
        self.what, self.hint = what, hint


def lookup(ctx: Mapping[str, Any], name: str) -> Any:
    """"family.name" in a nested context; KeyError when a part does not exist."""
    value: Any = ctx
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(name)
        value = value[part]
    return value


def fill_template(template: str, ctx: Mapping[str, Any]) -> str:
    """Replace each {field} by its value ("" for an absent optional value); {{ and }} are literal braces.
    KeyError for an unknown field; TemplateError for a {…} that is not a field name, or names a group."""
    if "{" not in template and "}" not in template:
        return template  # a plain text: nothing to fill
    single = FIELD.fullmatch(template)
    if single is not None:  # one field and nothing else, "{title}": most of a theme's texts and colours
        return _value(single.group(1), ctx)

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if not NAME.fullmatch(name):
            raise TemplateError(f"not a field name: '{{{name}}}'", "a field is a name like {title} or "
                                "{family.name}; write {{ and }} for a literal brace")
        return _value(name, ctx)

    return BRACES.sub(one, template.replace("{{", "\x00").replace("}}", "\x01")).replace(
        "\x00", "{").replace("\x01", "}")


def _value(name: str, ctx: Mapping[str, Any]) -> str:
    value = lookup(ctx, name)
    if isinstance(value, Mapping) or name in GROUPS:
        fields = GROUPS.get(name) or ", ".join(f"{{{name}.{k}}}" for k in value)
        raise TemplateError(f"'{{{name}}}' is a group of fields, not a value", f"use {fields}")
    return "" if value is None else str(value)


def template_fields(template: str) -> list[str]:
    return FIELD.findall(template)
