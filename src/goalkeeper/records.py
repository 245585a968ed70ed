"""`Record`: the base of goalkeeper's frozen dataclasses, for a cheaper import.

`@dataclass(frozen=True)` writes six methods as source text for every class and compiles each
when the module is imported, about 0.1 ms a method: the model and the documents' structure,
some thirty classes, cost a `check` 20 ms before it reads a file. Three of those methods are the
same for every class once the class's fields are known, so they are written once, here:

    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Person(Record):
        ...

behaves as `@dataclass(frozen=True, slots=True)` does: instances compare equal when they are
of the same class and their fields with `compare=True` are equal, hash those same fields, and
print as `Person(login='x', name='')` (fields with `repr=False` left out, a recursive reference
shown as `...`). `eq=False` only tells the dataclass decorator not to write these methods;
equality still compares fields. Classes ordered with `order=True` stay plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, cast

_Key = Callable[[Any], tuple[Any, ...]]


class Record:
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _keys(self.__class__)[0]
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_keys(self.__class__)[1](self))

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _keys(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"


_KEYS: dict[type, tuple[_Key, _Key, tuple[str, ...]]] = {}


def _keys(cls: type) -> tuple[_Key, _Key, tuple[str, ...]]:
    """What a class's instances compare by and hash by (tuples of fields, as dataclasses use),
    and the names of the fields their repr shows."""
    keys = _KEYS.get(cls)
    if keys is None:
        fs = fields(cast(Any, cls))
        compared = [f.name for f in fs if f.compare]
        hashed = [f.name for f in fs if (f.compare if f.hash is None else f.hash)]
        shown = tuple(f.name for f in fs if f.repr)
        keys = _KEYS[cls] = (_getter(compared), _getter(hashed), shown)
    return keys


def _getter(names: list[str]) -> _Key:
    if len(names) >= 2:
        return attrgetter(*names)  # a tuple of the values
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()
