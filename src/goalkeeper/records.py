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
equality still compares fields. Classes that are ordered derive from `OrderedRecord`, which
adds the four comparisons `order=True` would write.

The `dataclass` of this module goes further for such classes: it lets the standard decorator
find the fields and make the slots but compiles only `__init__` (the frozen `__setattr__` and
`__delattr__` are `Record`'s), and skips the `inspect.signature` call that would write a
docstring for a class without one. Type checkers see `dataclasses.dataclass` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import _FIELD_CLASSVAR, MISSING, FrozenInstanceError, fields  # type: ignore[attr-defined]
from dataclasses import dataclass as _dataclass
from operator import attrgetter
from reprlib import recursive_repr
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar, cast

__all__ = ["OrderedRecord", "Record", "dataclass", "replace"]

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

    # Every Record class is a frozen dataclass: these are the methods `frozen=True` would write
    # for a class of its own (one that is not subclassed).
    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _keys(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"


class OrderedRecord(Record):
    """A Record that orders as `@dataclass(order=True)` would: `<`, `<=`, `>`, `>=` compare
    the fields with `compare=True` as tuples, against an instance of the same class only.
    Declared `@dataclass(frozen=True, slots=True, repr=False, eq=False)` like any Record."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _keys(self.__class__)[0]
            return key(self) < key(other)
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _keys(self.__class__)[0]
            return key(self) <= key(other)
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _keys(self.__class__)[0]
            return key(self) > key(other)
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            key = _keys(self.__class__)[0]
            return key(self) >= key(other)
        return NotImplemented


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


_R = TypeVar("_R", bound=Record)
_INIT: dict[type, tuple[dict[str, int], _Key, frozenset[str]]] = {}


def replace(obj: _R, /, **changes: Any) -> _R:
    """`dataclasses.replace(obj, **changes)` for a Record, in a third of its time: the class's
    fields are looked up once, not on every call, and `__init__` is given them by position."""
    cls = obj.__class__
    init = _INIT.get(cls)
    if init is None:
        fs = fields(cast(Any, cls))
        if any(f.kw_only for f in fs) or len(fs) != sum(
            f._field_type is not _FIELD_CLASSVAR for f in cls.__dataclass_fields__.values()  # type: ignore[attr-defined]
        ):
            raise TypeError(f"{cls.__name__}: InitVar and kw_only fields need dataclasses.replace")
        names = [f.name for f in fs if f.init]
        init = _INIT[cls] = ({n: i for i, n in enumerate(names)}, _getter(names),
                             frozenset(f.name for f in fs if not f.init))
    index, values, fixed = init
    args = list(values(obj))
    for name, value in changes.items():
        if name not in index:
            if name in fixed:  # (as dataclasses.replace says it)
                raise ValueError(f"field {name} is declared with init=False, it cannot be "
                                 "specified with replace()")
            raise TypeError(f"{cls.__name__} has no field {name!r} that __init__ sets")
        args[index[name]] = value
    return cls(*args)


# --- a cheaper @dataclass for Record classes ---------------------------------------------------

if TYPE_CHECKING:  # type checkers see the standard decorator, and check fields as it does
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls: type | None = None, /, **kw: Any) -> Any:
        """`dataclasses.dataclass`, but for `@dataclass(frozen=True, [slots=True,] repr=False,
        eq=False)` on a `Record` it compiles one method (`__init__`) instead of three: frozen
        instances refuse assignment and deletion through `Record`'s own methods, as the
        generated `__setattr__` and `__delattr__` would. Anything else goes to the standard one."""

        def wrap(cls: type) -> type:
            if not _cheap(cls, kw):
                return _dataclass(cls, **kw)
            if cls.__dict__.get("__doc__") is None:
                cls.__doc__ = cls.__name__  # not `Name(signature)`: that needs inspect.signature
            slots = bool(kw.get("slots"))
            cls = _dataclass(cls, init=False, repr=False, eq=False, frozen=False, slots=slots)
            fs = fields(cls)
            if any(f.kw_only for f in fs) or len(fs) != sum(
                f._field_type is not _FIELD_CLASSVAR for f in cls.__dataclass_fields__.values()
            ):
                raise TypeError(f"{cls.__name__}: InitVar and kw_only fields need dataclasses.dataclass")
            params = cls.__dataclass_params__
            params.init = params.frozen = True
            cls.__init__ = _init(cls, fs)
            if slots:  # as dataclasses does for frozen slotted classes, so that pickle works
                cls.__getstate__ = _getstate
                cls.__setstate__ = _setstate
            return cls

        return wrap if cls is None else wrap(cls)


def _cheap(cls: type, kw: dict[str, Any]) -> bool:
    return (
        issubclass(cls, Record)
        and kw.get("frozen") is True
        and kw.get("eq") is False
        and kw.get("repr") is False
        and set(kw) <= {"frozen", "slots", "eq", "repr"}
        and not hasattr(cls, "__post_init__")
        and not any(hasattr(b, "__dataclass_fields__") for b in cls.__mro__[1:])
    )


def _init(cls: type, fs: tuple[Any, ...]) -> Callable[..., None]:
    """The `__init__` dataclasses writes for a frozen class: each field set with
    `object.__setattr__`, defaults and default factories as it handles them."""
    ns: dict[str, Any] = {"__set": object.__setattr__, "__factory": _FACTORY}
    params, body = ["self"], []
    for f in fs:
        n = f.name
        if f.default is not MISSING:
            ns[f"__d_{n}"] = f.default
            value = n if f.init else f"__d_{n}"
            if f.init:
                params.append(f"{n}=__d_{n}")
        elif f.default_factory is not MISSING:
            ns[f"__f_{n}"] = f.default_factory
            value = f"__f_{n}() if {n} is __factory else {n}" if f.init else f"__f_{n}()"
            if f.init:
                params.append(f"{n}=__factory")
        elif f.init:
            params.append(n)
            value = n
        else:
            continue
        slot = cls.__dict__.get(n)
        if type(slot) is MemberDescriptorType:  # a slot's own setter skips the look-up by name
            ns[f"__s_{n}"] = slot.__set__
            body.append(f" __s_{n}(self, {value})")
        else:
            body.append(f" __set(self, {n!r}, {value})")
    src = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or " pass") + "\n"
    exec(src, ns)
    fn: Callable[..., None] = ns["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    return fn


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)


_FACTORY = object()
