"""``@record``: the immutable data classes of the hot path, cheap to create.

A record is a slotted dataclass that compares and hashes by value like a frozen one and
that the type checker treats as frozen (assigning to a field is a ``mypy --strict``
error), but its ``__init__`` assigns fields directly: a frozen dataclass's ``__init__``
goes through ``object.__setattr__`` for every field, which makes it about three times
slower to create. dflint creates millions of spans, words and syntax nodes when it lints
thousands of files (``python -m benchmarks.lint``: 12% of the time went there), so
the classes made per file use ``@record``; the rest stay ``frozen=True``.

Nothing stops an assignment at run time, so code must not assign to a record's fields
(a rule pack that did would see its mistake from mypy, not from an exception).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda function: function


__all__ = ["field", "record"]

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, order: bool = False, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(
    cls: type[T] | None = None, /, *, order: bool = False, kw_only: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record (see the module docstring); ``@record`` or ``@record(...)``."""

    def wrap(c: type[T]) -> type[T]:
        if order:  # dataclasses makes the ordering methods (they need its __eq__)
            return dataclass(slots=True, unsafe_hash=True, order=True, kw_only=kw_only)(c)
        made = dataclass(slots=True, eq=False, repr=False, kw_only=kw_only)(c)
        _add_value_methods(made)
        return made

    return wrap if cls is None else wrap(cls)


def _no_fields(obj: object) -> tuple[()]:
    return ()


def _add_value_methods(cls: type[Any]) -> None:
    """``__eq__``, ``__hash__`` and ``__repr__`` over the compared fields, as dataclasses
    writes them, but shared functions instead of code compiled for every class: that
    compiling is most of the cost of creating a class, paid at every start."""
    names = tuple(f.name for f in fields(cls) if f.compare)
    key: Callable[[object], Any]
    if len(names) == 1:
        single = attrgetter(names[0])

        def one(obj: object) -> tuple[Any]:
            return (single(obj),)

        key = one
    elif names:
        key = attrgetter(*names)
    else:
        key = _no_fields

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            same: bool = key(self) == key(other)
            return same
        return NotImplemented

    def __hash__(self: object) -> int:
        return hash(key(self))

    shown = tuple(f.name for f in fields(cls) if f.repr)

    def __repr__(self: object) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    for function in (__eq__, __hash__, __repr__):
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        setattr(cls, function.__name__, function)
