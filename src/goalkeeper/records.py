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

The `dataclass` and `field` of this module go further: they make such classes (and plain
mutable `@dataclass([slots=True])` ones) without the `dataclasses` module, whose import brings
`inspect`, `ast`, `dis` and `tokenize` and cost a `check` 43 M instructions, a fifth of its
imports. Fields are read from the class's annotations, the slots made, and only `__init__`
compiled (the frozen `__setattr__` and `__delattr__` are `Record`'s). The classes are still
dataclasses to the standard functions (`fields`, `asdict`, `replace`, `is_dataclass`): the
first of them to ask makes the standard `Field` objects. Type checkers see
`dataclasses.dataclass` and `dataclasses.field` themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["OrderedRecord", "Record", "dataclass", "field", "replace"]

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
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

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
        fs = _fields(cls)
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
        fs = _fields(cls)
        if any(f.kw_only is True for f in fs) or _has_init_vars(cls):
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


# --- a cheaper @dataclass, without the dataclasses module ----------------------------------------
#
# Importing `dataclasses` imports `inspect` (and with it `ast`, `dis`, `tokenize`): a fifth of
# what a `check` spends on imports. The classes `check` loads are made here instead, from their
# annotations, as the standard decorator would make them; `dataclasses` is imported only when
# something asks a class for its dataclass fields (`dataclasses.fields`, `asdict`, `replace`,
# `is_dataclass`), which the class then answers with the standard `Field` objects.

class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class _Field:
    """What `field()` says of a field (the standard `Field`'s attributes, with `MISSING` for
    what was not given), and its name and annotation once its class is made."""

    __slots__ = (
        "compare",
        "default",
        "default_factory",
        "hash",
        "init",
        "kw_only",
        "metadata",
        "name",
        "repr",
        "type",
    )

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool,
                 hash: bool | None, compare: bool, metadata: Any, kw_only: Any) -> None:
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata
        self.kw_only = kw_only


if TYPE_CHECKING:  # type checkers see the standard decorator, and check fields as it does
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
else:

    def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
              compare=True, metadata=None, kw_only=MISSING):
        """`dataclasses.field`, for the classes `dataclass` below makes."""
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return _Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)

    def dataclass(cls: type | None = None, /, **kw: Any) -> Any:
        """`dataclasses.dataclass`, made without that module for the two kinds of class goalkeeper
        declares: `@dataclass(frozen=True, [slots=True,] repr=False, eq=False)` on a `Record`
        (the record's own methods compare, hash, print and refuse assignment), and
        `@dataclass([slots=True])` on a plain class (mutable, compared by its fields, unhashable).
        Only `__init__` is compiled. Anything else goes to the standard decorator."""

        def wrap(cls: type) -> type:
            kind = _kind(cls, kw)
            if kind is None:
                import dataclasses

                _to_standard_fields(cls)
                return dataclasses.dataclass(cls, **kw)
            return _make(cls, kind == "frozen", bool(kw.get("slots")))

        return wrap if cls is None else wrap(cls)


#: Annotations the standard decorator treats specially (class variables, init-only variables,
#: the keyword-only marker): a class with one is made by it.
_SPECIAL = frozenset({"ClassVar", "InitVar", "KW_ONLY"})
_OWN_METHODS = frozenset({"__init__", "__eq__", "__hash__", "__getstate__", "__setstate__"})
_ALLOWED = frozenset({"frozen", "slots", "eq", "repr"})  # the arguments made here


def _kind(cls: type, kw: dict[str, Any]) -> str | None:
    """"frozen" or "mutable" when `dataclass(**kw)` on `cls` is made here, None otherwise."""
    if issubclass(cls, Record):
        if not (kw.get("frozen") is True and kw.get("eq") is False and kw.get("repr") is False):
            return None
        kind = "frozen"
    elif kw.get("frozen", False) is False and kw.get("eq", True) is True and kw.get("repr", True) is True:
        kind = "mutable"
    else:
        return None
    if not _ALLOWED.issuperset(kw) or hasattr(cls, "__post_init__"):
        return None
    if _OWN_METHODS.intersection(cls.__dict__):
        return None  # methods of its own, which the standard decorator keeps and this one writes
    if any(isinstance(v, _Field) and v.kw_only is True for v in cls.__dict__.values()):
        return None
    if any("__dataclass_fields__" in b.__dict__ or "__record_fields__" in b.__dict__
           for b in cls.__mro__[1:]):
        return None  # fields inherited from a dataclass: the standard decorator merges them
    for annotation in _annotations(cls).values():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if text.split("[", 1)[0].rsplit(".", 1)[-1].strip() in _SPECIAL:  # `t.ClassVar[int]`
            return None
    return kind


def _make(cls: type, frozen: bool, slots: bool) -> type:
    fs = _collect(cls)
    if slots:  # a new class with a slot per field, as dataclasses makes it
        names = tuple(f.name for f in fs)
        body = dict(cls.__dict__)
        for name in names:
            body.pop(name, None)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        body["__slots__"] = names
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, body)
        cls.__qualname__ = qualname
    else:
        for f in fs:  # class attributes hold plain defaults only, as dataclasses leaves them
            if isinstance(cls.__dict__.get(f.name), _Field):
                if f.default is MISSING:
                    delattr(cls, f.name)
                else:
                    setattr(cls, f.name, f.default)
    made: dict[str, Any] = {
        "__record_fields__": fs,
        "__dataclass_fields__": _LAZY_FIELDS,
        "__dataclass_params__": _LAZY_PARAMS,
        "__init__": _init(cls, fs, frozen),
    }
    if "__match_args__" not in cls.__dict__:
        made["__match_args__"] = tuple(f.name for f in fs if f.init)
    if cls.__dict__.get("__doc__") is None:
        made["__doc__"] = cls.__name__  # not `Name(signature)`: that needs inspect.signature
    if frozen and slots:  # as dataclasses does for frozen slotted classes, so that pickle works
        made.update(__getstate__=_getstate, __setstate__=_setstate)
    if not frozen:  # what `@dataclass` writes for a mutable class: eq by fields, no hash, repr
        made.update(__eq__=_eq, __hash__=None)
        if "__repr__" not in cls.__dict__:
            made["__repr__"] = Record.__repr__
    for name, value in made.items():
        setattr(cls, name, value)
    return cls


def _collect(cls: type) -> tuple[_Field, ...]:
    """The fields of a class from its own annotations, in order, checked as dataclasses checks
    them (no mutable default, no field without a default after one with)."""
    fs: list[_Field] = []
    defaulted = ""
    annotated = _annotations(cls)
    for name, value in cls.__dict__.items():
        if isinstance(value, _Field) and name not in annotated:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    for name, annotation in _annotations(cls).items():
        value = cls.__dict__.get(name, MISSING)
        f = _field_of(value)
        f.name, f.type = name, annotation
        if f.kw_only is True:
            raise TypeError(f"{cls.__name__}: kw_only fields need dataclasses.dataclass")
        if f.default is not MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: "
                             "use default_factory")
        if f.init:
            if f.default is not MISSING or f.default_factory is not MISSING:
                defaulted = defaulted or name
            elif defaulted:
                raise TypeError(f"non-default argument {name!r} follows default argument")
        fs.append(f)
    return tuple(fs)


def _annotations(cls: type) -> dict[str, Any]:
    # the class's own annotations, read as dataclasses reads them (inspect is what is avoided)
    return cls.__dict__.get("__annotations__", {})  # type: ignore[no-any-return]  # noqa: RUF063


def _field_of(value: Any) -> _Field:
    if isinstance(value, _Field):
        return value
    std = sys.modules.get("dataclasses")
    if std is not None and isinstance(value, std.Field):  # `dataclasses.field(...)` given
        def given(v: Any) -> Any:
            return MISSING if v is std.MISSING else v

        return _Field(given(value.default), given(value.default_factory), value.init, value.repr,
                      value.hash, value.compare, value.metadata or None, given(value.kw_only))
    return _Field(value, MISSING, True, True, None, True, None, MISSING)


def _to_standard_fields(cls: type) -> None:
    """`field()`s of this module in a class that goes to the standard decorator, made its own."""
    import dataclasses

    for name, value in list(cls.__dict__.items()):
        if isinstance(value, _Field):
            setattr(cls, name, _standard(value, dataclasses))


def _standard(f: _Field, dc: Any) -> Any:
    def std(v: Any) -> Any:
        return dc.MISSING if v is MISSING else v

    return dc.field(default=std(f.default), default_factory=std(f.default_factory), init=f.init,
                    repr=f.repr, hash=f.hash, compare=f.compare, metadata=f.metadata,
                    kw_only=std(f.kw_only))


class _Lazy:
    """A class's `__dataclass_fields__` or `__dataclass_params__`, made with the `dataclasses`
    module the first time it is asked for, then kept on the class."""

    def __init__(self, name: str, build: Callable[[type, Any], Any]) -> None:
        self.name, self.build = name, build

    def __get__(self, obj: object, cls: type | None = None) -> Any:
        owner = _owner(cls if cls is not None else type(obj))
        if owner is None or "__record_fields__" not in owner.__dict__:
            raise AttributeError(self.name)
        import dataclasses

        value = self.build(owner, dataclasses)
        type.__setattr__(owner, self.name, value)
        return value


def _owner(cls: type) -> type | None:
    """The class in `cls`'s hierarchy whose fields it has: the nearest made by a decorator."""
    for c in cls.__mro__:
        if "__record_fields__" in c.__dict__ or "__dataclass_fields__" in c.__dict__:
            return c
    return None


def _build_fields(cls: type, dc: Any) -> dict[str, Any]:
    out = {}
    for f in cls.__record_fields__:  # type: ignore[attr-defined]
        std = _standard(f, dc)
        std.name, std.type, std._field_type = f.name, f.type, dc._FIELD
        if std.kw_only is dc.MISSING:
            std.kw_only = False
        out[f.name] = std
    return out


def _build_params(cls: type, dc: Any) -> Any:
    frozen = issubclass(cls, Record)
    given = {"init": True, "repr": not frozen, "eq": not frozen, "order": False,
             "unsafe_hash": False, "frozen": frozen, "match_args": True, "kw_only": False,
             "slots": "__slots__" in cls.__dict__, "weakref_slot": False}
    code = dc._DataclassParams.__init__.__code__
    return dc._DataclassParams(**{n: given[n] for n in code.co_varnames[1:code.co_argcount]})


_LAZY_FIELDS = _Lazy("__dataclass_fields__", _build_fields)
_LAZY_PARAMS = _Lazy("__dataclass_params__", _build_params)


def _fields(cls: type) -> tuple[Any, ...]:
    """The fields of a record class (this module's), or of a standard dataclass."""
    owner = _owner(cls)
    if owner is not None and "__record_fields__" in owner.__dict__:
        return owner.__record_fields__  # type: ignore[attr-defined, no-any-return]
    from dataclasses import fields

    return fields(cls)


def _has_init_vars(cls: type) -> bool:
    owner = _owner(cls)
    if owner is None or "__record_fields__" in owner.__dict__:
        return False
    from dataclasses import _FIELD_CLASSVAR, fields  # type: ignore[attr-defined]

    declared = cls.__dataclass_fields__.values()  # type: ignore[attr-defined]
    return len(fields(cls)) != sum(f._field_type is not _FIELD_CLASSVAR for f in declared)


def _eq(self: Any, other: object) -> object:  # `__eq__` of a mutable class
    if other.__class__ is self.__class__:
        key = _keys(self.__class__)[0]
        return key(self) == key(other)
    return NotImplemented


def _init(cls: type, fs: tuple[Any, ...], frozen: bool = True) -> Callable[..., None]:
    """The `__init__` dataclasses writes: each field set (by assignment in a mutable class; in
    a frozen one with `object.__setattr__`, or the slot's own setter), defaults and default
    factories as it handles them."""
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
        if not frozen:
            body.append(f" self.{n} = {value}")
        elif type(slot) is MemberDescriptorType:  # a slot's own setter skips the look-up by name
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
    return [getattr(self, f.name) for f in _fields(type(self))]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(_fields(type(self)), state, strict=False):
        object.__setattr__(self, f.name, value)


_FACTORY = object()
