"""Record's equality, hash and repr are the ones @dataclass(frozen=True) would have written, and
records.dataclass makes the same classes as dataclasses.dataclass."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from dataclasses import FrozenInstanceError, dataclass, field, fields, is_dataclass, replace
from pathlib import Path

import pytest

from goalkeeper import records
from goalkeeper.model import Goal, MetadataRow, Person
from goalkeeper.records import Record


@records.dataclass(frozen=True, slots=True, repr=False, eq=False)
class Rec(Record):
    a: int
    b: str = ""
    note: str = field(default="", compare=False)
    hidden: int = field(default=0, repr=False)
    unhashed: int = field(default=0, hash=False)
    kids: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = ""
    note: str = field(default="", compare=False)
    hidden: int = field(default=0, repr=False)
    unhashed: int = field(default=0, hash=False)
    kids: tuple[object, ...] = ()


@records.dataclass(frozen=True, slots=True, repr=False, eq=False)
class One(Record):
    x: float


@dataclass(frozen=True, slots=True)
class PlainOne:
    x: float


@records.dataclass(frozen=True, repr=False, eq=False)
class Empty(Record):
    pass


CASES = [
    {"a": 1},
    {"a": 1, "b": "x", "note": "n", "hidden": 3, "unhashed": 4},
    {"a": 2, "kids": (1, "two", None)},
]


@pytest.mark.parametrize("kw", CASES)
def test_same_repr_hash_and_equality_as_a_dataclass(kw: dict[str, object]) -> None:
    r, p = Rec(**kw), Plain(**kw)  # type: ignore[arg-type]
    assert repr(r) == repr(p).replace("Plain(", "Rec(", 1)
    assert hash(r) == hash(p)
    assert r == Rec(**kw) and p == Plain(**kw)  # type: ignore[arg-type]
    other = {**kw, "note": "different", "hidden": 99, "unhashed": 7}
    assert (r == Rec(**other)) == (p == Plain(**other))  # type: ignore[arg-type]
    assert (hash(r) == hash(Rec(**other))) == (hash(p) == hash(Plain(**other)))  # type: ignore[arg-type]
    changed = {**kw, "b": "changed"}
    assert r != Rec(**changed) and p != Plain(**changed)  # type: ignore[arg-type]


def test_other_classes_are_not_equal_and_defer() -> None:
    assert Rec(1) != Plain(1)
    assert Rec(1).__eq__(Plain(1)) is NotImplemented
    assert Rec(1) != (1, "", 0, ())


def test_one_field_and_no_field() -> None:
    nan = float("nan")
    assert One(nan) == One(nan) and PlainOne(nan) == PlainOne(nan)  # same object: tuples match
    assert hash(One(2.5)) == hash(PlainOne(2.5))
    assert repr(One(2.5)) == "One(x=2.5)"
    assert Empty() == Empty() and hash(Empty()) == hash(()) and repr(Empty()) == "Empty()"


def test_recursive_repr_and_frozen() -> None:
    kids: list[object] = []
    r = Rec(1, kids=(kids,))
    kids.append(r)
    assert repr(r) == "Rec(a=1, b='', note='', unhashed=0, kids=([...],))"
    with pytest.raises(FrozenInstanceError):
        r.a = 2  # type: ignore[misc]
    assert replace(r, a=2).a == 2 and not hasattr(r, "__dict__")


def test_model_records_behave_as_before() -> None:
    row = MetadataRow("Status", "Accepted")
    assert row == MetadataRow("Status", "Accepted") and len({row, MetadataRow("Status", "Accepted")}) == 1
    assert repr(Person("alice")) == "Person(login='alice', name='')"
    assert Goal.__eq__ is Record.__eq__ and Goal.__hash__ is Record.__hash__


@records.dataclass(frozen=True, slots=True, repr=False, eq=False)
class Defaults(Record):
    a: int
    items: list[int] = field(default_factory=list)
    fixed: str = field(default="f", init=False)
    made: list[int] = field(default_factory=lambda: [1], init=False)
    unset: int = field(init=False, default=0)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StdDefaults(Record):
    a: int
    items: list[int] = field(default_factory=list)
    fixed: str = field(default="f", init=False)
    made: list[int] = field(default_factory=lambda: [1], init=False)
    unset: int = field(init=False, default=0)


def test_records_dataclass_builds_what_dataclasses_builds() -> None:
    for a, b in ((Defaults(1), StdDefaults(1)), (Defaults(2, [3]), StdDefaults(2, [3]))):
        assert [getattr(a, f.name) for f in fields(a)] == [getattr(b, f.name) for f in fields(b)]
        assert repr(a).replace("Defaults", "X") == repr(b).replace("StdDefaults", "X")
    assert Defaults(1).items is not Defaults(1).items  # a new list each time
    assert is_dataclass(Defaults) and Defaults.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert Defaults.__match_args__ == StdDefaults.__match_args__
    assert Defaults.__slots__ == StdDefaults.__slots__ and not hasattr(Defaults(1), "__dict__")
    with pytest.raises(TypeError):
        Defaults()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Defaults(1, [], "x")  # type: ignore[call-arg]


@pytest.mark.parametrize("rec", [Rec(1, "x", kids=(1, 2)), Empty(), Defaults(3, [4])])
def test_frozen_copied_and_pickled(rec: Record) -> None:
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'a'"):
        rec.a = 2  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'a'"):
        del rec.a  # type: ignore[attr-defined]
    for other in (pickle.loads(pickle.dumps(rec)), copy.copy(rec), copy.deepcopy(rec)):
        assert other == rec and other is not rec and repr(other) == repr(rec)
    assert replace(rec) == rec


@records.dataclass(frozen=True, slots=True, repr=False, eq=False)
class Ordered(records.OrderedRecord):
    a: str
    b: int = 0
    note: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True, order=True)
class StdOrdered:
    a: str
    b: int = 0
    note: str = field(default="", compare=False)


def test_ordered_records_order_as_order_true_does() -> None:
    args = [("b", 1, "x"), ("a", 2, ""), ("a", 2, "z"), ("a", 10, ""), ("", 0, "")]
    ours = [Ordered(*a) for a in args]
    std = [StdOrdered(*a) for a in args]
    assert [(o.a, o.b) for o in sorted(ours)] == [(s.a, s.b) for s in sorted(std)]
    for (x, y), (p, q) in zip(
        [(x, y) for x in ours for y in ours], [(p, q) for p in std for q in std], strict=True
    ):
        assert (x < y, x <= y, x > y, x >= y, x == y) == (p < q, p <= q, p > q, p >= q, p == q)
        assert (hash(x) == hash(y)) == (hash(p) == hash(q))
    assert repr(ours[0]) == repr(std[0]).replace("StdOrdered", "Ordered")
    assert Ordered("a").__lt__(StdOrdered("a")) is NotImplemented  # type: ignore[operator]
    with pytest.raises(TypeError):
        Ordered("a") < StdOrdered("b")  # type: ignore[operator]  # noqa: B015


@records.dataclass(frozen=True, slots=True, repr=False, eq=False)
class Derived(Record):
    a: int
    made: str = field(default="set by __init__", init=False)
    kids: tuple[object, ...] = field(default_factory=tuple)


@dataclass(frozen=True, repr=False, eq=False)
class KwOnly(Record):
    a: int = field(kw_only=True)


@pytest.mark.parametrize("rec", [Rec(1, "x", "n", 3, 4, (1,)), Derived(2, (3,)), Empty()])
def test_records_replace_does_what_dataclasses_replace_does(rec: Record) -> None:
    names = [f.name for f in fields(rec) if f.init]  # type: ignore[arg-type]
    for changes in [{}, *({n: "new"} for n in names), dict.fromkeys(names, 7)]:
        ours, std = records.replace(rec, **changes), replace(rec, **changes)  # type: ignore[type-var]
        assert ours == std and repr(ours) == repr(std) and ours is not rec
        assert [getattr(ours, f.name) for f in fields(ours)] == [  # type: ignore[arg-type]
            getattr(std, f.name) for f in fields(std)]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no field 'nope'"):
        records.replace(rec, nope=1)
    if isinstance(rec, Derived):  # an init=False field: refused as dataclasses.replace does
        with pytest.raises(ValueError, match="init=False") as ours_error:
            records.replace(rec, made="x")
        with pytest.raises(ValueError) as std_error:
            replace(rec, made="x")  # type: ignore[type-var]
        assert str(ours_error.value) == str(std_error.value)
    with pytest.raises(TypeError, match="kw_only"):
        records.replace(KwOnly(a=1))


# --- classes made without the dataclasses module ----------------------------------------------


@records.dataclass(slots=True)
class Mutable:
    a: int
    items: list[int] = records.field(default_factory=list)
    note: str = records.field(default="", compare=False, repr=False)


@dataclass(slots=True)
class StdMutable:
    a: int
    items: list[int] = field(default_factory=list)
    note: str = field(default="", compare=False, repr=False)


def test_mutable_classes_behave_as_standard_ones() -> None:
    m, s = Mutable(1, [2], "n"), StdMutable(1, [2], "n")
    assert repr(m).replace("Mutable", "X") == repr(s).replace("StdMutable", "X")
    assert m == Mutable(1, [2], "other") and m != Mutable(2) and Mutable(1) != StdMutable(1)
    assert Mutable.__hash__ is None and StdMutable.__hash__ is None
    m.a = 5
    assert m.a == 5 and Mutable(1).items is not Mutable(1).items
    assert Mutable.__slots__ == StdMutable.__slots__ and not hasattr(m, "__dict__")
    assert Mutable.__match_args__ == StdMutable.__match_args__
    shown = [(f.name, f.compare, f.repr) for f in fields(s)]
    assert [(f.name, f.compare, f.repr) for f in fields(m)] == shown
    assert is_dataclass(m) and not Mutable.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert replace(m, a=3) == Mutable(3, [2])


def test_declaration_errors_are_the_standard_ones() -> None:
    with pytest.raises(ValueError, match="mutable default"):
        @records.dataclass(frozen=True, slots=True, repr=False, eq=False)
        class Bad(Record):
            items: list[int] = []  # noqa: RUF012
    with pytest.raises(TypeError, match="non-default argument 'b'"):
        @records.dataclass(slots=True)
        class Order:
            a: int = 0
            b: int  # type: ignore[misc]
    with pytest.raises(ValueError, match="both default and default_factory"):
        records.field(default=1, default_factory=int)


def test_a_class_keeps_the_methods_it_defines_as_with_the_standard_decorator() -> None:
    @records.dataclass(slots=True)
    class Own:
        a: int

        def __init__(self, x: int) -> None:
            self.a = x * 10

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert Own(2).a == 20 and Own(1) == Own(2) and hash(Own(1)) == 7
    with pytest.raises(TypeError, match="'b' is a field but has no type annotation"):
        @records.dataclass(slots=True)
        class Unannotated:
            a: int
            b = records.field(default=0)
    @records.dataclass(frozen=True, repr=False, eq=False)
    class KeywordOnly(Record):
        a: int = records.field(default=0, kw_only=True)

    assert KeywordOnly(a=3).a == 3 and "__record_fields__" not in KeywordOnly.__dict__


def test_other_declarations_go_to_the_standard_decorator() -> None:
    @records.dataclass(frozen=True, order=True)
    class Ordered:
        a: int
        b: list[int] = records.field(default_factory=list, compare=False)

    assert Ordered(1, [5]) < Ordered(2) and Ordered(1, [1]) == Ordered(1, [2])
    assert "__record_fields__" not in Ordered.__dict__  # made by dataclasses itself

    @dataclass(frozen=True)
    class Child(Defaults):  # a standard dataclass inheriting a record's fields
        extra: int = 0

    assert [f.name for f in fields(Child)] == [f.name for f in fields(Defaults)] + ["extra"]
    assert Child(1, extra=2).extra == 2 and Child(1).a == 1


def test_model_records_are_dataclasses_to_the_standard_functions() -> None:
    from dataclasses import asdict

    from goalkeeper.diagnostics import Span

    assert asdict(Span("a.md", 3, 4)) == {"path": "a.md", "line": 3, "column": 4}
    assert is_dataclass(Span) and Span.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert replace(Span("a.md", 3), column=2) == Span("a.md", 3, 2)


def test_check_does_not_import_dataclasses(tmp_path: Path) -> None:
    """The modules `check` loads make their classes without `dataclasses` (and the `inspect`,
    `ast` and `dis` it imports): a fifth of the imports' cost."""
    (tmp_path / "src" / "2026").mkdir(parents=True)
    (tmp_path / "src" / "2026" / "g.md").write_text(
        "# G\n\n| Metadata | |\n|---|---|\n| Point of contact | @a |\n| Status | Proposed |\n")
    code = ("import sys, goalkeeper.entry as e\n"
            "def end(status):\n"
            "    print(sorted({'dataclasses', 'inspect'} & set(sys.modules)), file=sys.stderr)\n"
            "    raise SystemExit(0)\n"
            "e._end = end\n"
            f"e._check({str(tmp_path)!r}, None, 'text', True)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[]", out.stderr
