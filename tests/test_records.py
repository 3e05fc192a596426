"""``@record``: value semantics at run time, read-only fields for the type checker."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

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
