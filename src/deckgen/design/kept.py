"""A small cache of results kept by the identity of the objects they were computed from. Pure."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """The last `size` results computed, by key; the oldest dropped. A key holds the ids of the objects in `owners`
    (a font book, a theme element: hashing an element hashes every field of it); each entry keeps its owners, whose
    ids are then no other object's."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: OrderedDict[tuple[Any, ...], tuple[tuple[object, ...], T]] = OrderedDict()

    def get(self, key: tuple[Any, ...], owners: tuple[object, ...], compute: Callable[[], T]) -> T:
        hit = self.found.get(key)
        if hit is not None:
            self.found.move_to_end(key)
            return hit[1]
        value = compute()
        self.found[key] = (owners, value)
        if len(self.found) > self.size:
            self.found.popitem(last=False)
        return value
