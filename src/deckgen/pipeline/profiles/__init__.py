"""The output profiles: every module of this package but `base` defines one `PROFILE` (see base.Profile), found
here by name. Adding a profile is adding its module (and its tests and README lines): the CLI's --profile choices,
the options it accepts and its default file name all come from that object."""

from __future__ import annotations

import importlib
import pkgutil

from deckgen.pipeline.profiles.base import Profile


def _discover() -> dict[str, Profile]:
    found: list[Profile] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name != "base":
            found.append(importlib.import_module(f"{__name__}.{info.name}").PROFILE)
    return {p.name: p for p in sorted(found, key=lambda p: p.rank)}


PROFILES: dict[str, Profile] = _discover()
DEFAULT = next(iter(PROFILES))
