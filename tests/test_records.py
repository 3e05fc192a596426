"""``@record``: value semantics at run time, read-only fields for the type checker."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

import pytest

from dflint.records import field, record
from dflint.source import Span


@record(order=True)
class Pair:
    first: int
    second: int = 0
    notes: list[str] = field(default_factory=list, compare=False)


def test_records_compare_hash_and_order_by_value() -> None:
    assert Pair(1, 2) == Pair(1, 2, ["ignored"])
    assert hash(Pair(1, 2)) == hash(Pair(1, 2, ["ignored"]))
    assert sorted([Pair(2), Pair(1, 5), Pair(1, 3)]) == [Pair(1, 3), Pair(1, 5), Pair(2)]
    assert dataclasses.replace(Pair(1, 2), second=3) == Pair(1, 3)
    assert not hasattr(Pair(1), "__dict__")  # slotted


@record
class Single:
    only: str


@record
class Empty:
    pass


@record(kw_only=True)
class Child:
    first: int
    label: str = field(default="x", repr=False)


def test_generated_equality_hash_and_repr() -> None:
    assert Single("a") == Single("a")
    assert Single("a") != Single("b")
    # Another class is never equal, even with the same values: Python asks the other side.
    assert Single("a").__eq__(("a",)) is NotImplemented
    assert hash(Single("a")) == hash(("a",))
    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())
    assert Child(first=1) == Child(first=1)
    assert Child(first=1) != Child(first=1, label="y")  # compared, only hidden from repr
    assert repr(Child(first=1)) == "Child(first=1)"
    assert repr(Pair(1, 2)) == "Pair(first=1, second=2, notes=[])"
    assert repr(Single("a")) == "Single(only='a')"
    assert Single.__eq__.__qualname__ == "Single.__eq__"


def test_span_validates_and_orders() -> None:
    assert sorted({Span(3, 4), Span(1, 9), Span(1, 2)}) == [Span(1, 2), Span(1, 9), Span(3, 4)]
    with pytest.raises(ValueError, match="invalid span"):
        Span(5, 4)


def test_assigning_a_field_is_a_type_error(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    module = tmp_path / "assigns.py"
    module.write_text(
        textwrap.dedent(
            """\
            from dflint.source import Span

            span = Span(0, 1)
            span.end = 2
            """
        )
    )
    out, _, status = api.run(
        ["--strict", "--no-incremental", "--python-executable", sys.executable, str(module)]
    )
    assert status == 1
    assert 'Property "end" defined in "Span" is read-only' in out


# -- the class builder, against dataclasses' own ------------------------------------------
T = TypeVar("T")


@record(kw_only=True)
class _Base:
    name: str
    size: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)


@record(kw_only=True)
class _Child(_Base):
    LIMIT: ClassVar[int] = 10
    extra: list[int] = field(default_factory=list)
    cached: str = field(init=False, repr=False, compare=False, default="")
    derived: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "derived", self.size * 2)


@record
class _Positional:
    first: int
    second: str = "two"
    third: tuple[int, ...] = field(default_factory=lambda: (3,))
    later: int = field(default=4, kw_only=True)


@record
class _Box(Generic[T]):
    item: T


def test_built_records_behave_as_dataclasses_make_them() -> None:
    child = _Child(name="a", size=2, extra=[1])
    assert (child.name, child.size, child.tags, child.extra, child.cached) == ("a", 2, (), [1], "")
    assert child.derived == 4  # __post_init__ ran
    assert _Child.LIMIT == 10
    assert [f.name for f in dataclasses.fields(child)] == [
        "name",
        "size",
        "tags",
        "extra",
        "cached",
        "derived",
    ]
    assert dataclasses.is_dataclass(child)
    other = dataclasses.replace(child, size=5)
    assert (other.size, other.derived, other.extra) == (5, 10, [1])
    assert child == _Child(name="a", size=2, extra=[1])
    assert child != other
    assert repr(child) == "_Child(name='a', size=2, tags=(), extra=[1], derived=4)"
    assert not hasattr(child, "__dict__")  # slotted, like the base
    assert _Child(name="b").extra is not _Child(name="b").extra  # a fresh default each time
    with pytest.raises(TypeError):
        _Child("a")  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError):
        _Child(name="a", derived=1)  # type: ignore[call-arg]  # not an __init__ argument


def test_built_records_positional_defaults_generics_and_pickling() -> None:
    import pickle

    made = _Positional(1)
    assert (made.first, made.second, made.third, made.later) == (1, "two", (3,), 4)
    assert _Positional(1, "x", (9,), later=5) == _Positional(
        first=1, second="x", third=(9,), later=5
    )
    assert _Positional.__match_args__ == ("first", "second", "third")
    assert pickle.loads(pickle.dumps(made)) == made
    assert hash(made) == hash(_Positional(1))
    box: _Box[int] = _Box(3)
    assert box.item == 3
    assert _Box[int](4).item == 4
    assert _Box.__qualname__ == "_Box"
    assert _Box.__init__.__qualname__ == "_Box.__init__"


def test_record_definition_errors_match_dataclasses() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class _Bad:
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="__slots__"):

        @record
        class _Slotted:
            __slots__ = ("a",)
            a: int


# -- the variants: mutable, guarded, in place ---------------------------------------------
@record(frozen=False)
class _Mutable:
    count: int
    seen: list[str] = field(default_factory=list)


@record(kw_only=True, guarded=True)
class _Guarded:
    name: str
    size: int = 1


def test_a_mutable_record_assigns_compares_and_is_unhashable() -> None:
    made = _Mutable(1)
    made.count += 1
    made.seen.append("a")
    assert made == _Mutable(2, ["a"])
    assert _Mutable.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(made)
    assert not hasattr(made, "__dict__")


def test_a_guarded_record_refuses_assignment_and_still_pickles() -> None:
    import pickle

    made = _Guarded(name="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.size = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.size  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == made
    assert dataclasses.replace(made, size=3) == _Guarded(name="a", size=3)
    assert hash(made) == hash(_Guarded(name="a"))
    assert _Guarded.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert not Pair.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_frozen_in_place_makes_the_class_itself_a_frozen_dataclass() -> None:
    import pickle

    from dflint.records import frozen_in_place

    class Table:
        level: int = 3
        names: tuple[str, ...] = field(default=("a",), metadata={"key": "n"})
        extra: list[int] = field(default_factory=list)

    original = Table
    frozen_in_place(Table, kw_only=True)
    assert Table is original
    made = Table()  # type: ignore[call-arg]
    assert (made.level, made.names, made.extra) == (3, ("a",), [])
    assert Table.level == 3  # a default stays a class attribute, as dataclasses leaves it
    assert "extra" not in Table.__dict__  # a factory's field does not
    assert [f.metadata.get("key") for f in dataclasses.fields(Table)] == [None, "n", None]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.level = 4
    with pytest.raises(TypeError):
        Table(4)  # type: ignore[call-arg]  # keyword-only
    other = Table(level=4)  # type: ignore[call-arg]
    assert other != made
    assert other == dataclasses.replace(made, level=4)
    assert repr(made).endswith(".<locals>.Table(level=3, names=('a',), extra=[])")
    assert dataclasses.is_dataclass(made)
    assert pickle.loads(pickle.dumps(_Guarded(name="b"), protocol=2)) == _Guarded(name="b")


def test_a_mutable_record_type_checks_assignments(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    module = tmp_path / "mutates.py"
    module.write_text(
        textwrap.dedent(
            """\
            from dflint.records import record

            @record(frozen=False)
            class Counter:
                count: int

            counter = Counter(0)
            counter.count = 1
            """
        )
    )
    out, _, status = api.run(
        ["--strict", "--no-incremental", "--python-executable", sys.executable, str(module)]
    )
    assert status == 0, out


def test_records_of_one_shape_share_code_but_not_names_or_defaults() -> None:
    import inspect

    @record
    class First:
        x: int
        y: str = "a"
        z: list[int] = field(default_factory=list)
        w: int = field(default=5, kw_only=True)

    @record(guarded=True)
    class Second:
        p: int
        q: str = "b"
        r: list[int] = field(default_factory=lambda: [9])
        s: int = field(default=6, kw_only=True)

    assert (First(1).y, First(1).z, First(1).w) == ("a", [], 5)
    assert (Second(1).q, Second(1).r, Second(1).s) == ("b", [9], 6)
    assert First(x=2, y="c", z=[1], w=3) == First(2, "c", [1], w=3)
    assert Second(p=2, q="d", s=4) == Second(2, "d", [9], s=4)
    assert list(inspect.signature(First).parameters) == ["x", "y", "z", "w"]
    assert list(inspect.signature(Second).parameters) == ["p", "q", "r", "s"]
    assert First.__init__.__qualname__.endswith("First.__init__")
    with pytest.raises(TypeError, match="unexpected keyword argument 'p'"):
        First(p=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'p'"):
        Second()  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Second(1).q = "x"  # type: ignore[misc]
    made = Second(7)
    assert (made.p, made.q) == (7, "b")  # the guarded store wrote the class's own names
    assert not hasattr(made, "__dflint_n0")
