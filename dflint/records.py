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
from dataclasses import dataclass, field
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
        return dataclass(slots=True, unsafe_hash=True, order=order, kw_only=kw_only)(c)

    return wrap if cls is None else wrap(cls)
