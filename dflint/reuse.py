"""Reusing an immutable result for the same text at another offset.

Parsing an instruction and walking its shell code are pure functions of the
instruction's own text (and the escape character, and the shell), except for the
offsets every :class:`~dflint.source.Span` holds. So a result made for one copy of a text
serves every other copy once its spans are moved by the distance between the two:
:func:`shifted`. A file of 20,000 identical ``RUN`` lines parses one, and a language
server re-linting a buffer after an edit parses only the changed instructions.

:class:`Reuse` is the bounded, thread-safe store of such results (least recently used
first out); :func:`disabled` turns every store off, for the tests that compare the
findings made with and without them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, fields
from enum import Enum
from typing import Any, Generic, TypeVar

from dflint.source import Span

T = TypeVar("T")
V = TypeVar("V")

_ATOMS: frozenset[type] = frozenset({str, int, bool, float, bytes, type(None)})
# One function per record class that makes a record again with its spans moved.
_SHIFTERS: dict[type, Callable[[Any, int], Any]] = {}
_enabled = True


def shifted(value: T, delta: int) -> T:
    """``value`` (spans, records and tuples of them, atoms) with every span moved by
    ``delta``; ``value`` itself when ``delta`` is 0. Records are made again through their
    ``__init__`` (a ``__post_init__`` runs again); a field with a default factory that
    takes no part in comparisons (a memo) starts empty."""
    return value if delta == 0 else _shift(value, delta)


def _shift(value: Any, delta: int) -> Any:
    cls = value.__class__
    shifter = _SHIFTERS.get(cls)
    if shifter is not None:
        return shifter(value, delta)
    if cls is tuple:
        return tuple([_shift(item, delta) for item in value]) if value else value
    if cls in _ATOMS or isinstance(value, Enum):
        return value
    shifter = _SHIFTERS[cls] = _shifter(cls)
    return shifter(value, delta)


# Field annotations (postponed: the records' modules import annotations from __future__,
# so these are strings) of values that hold no span. Reading the strings, not evaluating
# them with typing.get_type_hints, keeps making a shifter cheap (it is made at the first
# reuse of a class, which a cold start may pay for).
_ATOM_ANNOTATIONS = frozenset(
    {"str", "int", "bool", "str | None", "int | None", "bool | None", "Form", "Operator | None"}
)


def _kind(annotation: object) -> str:
    """How a field annotated ``annotation`` is moved: as it is, as a span, or by ``_shift``
    (anything not known here: always right, only slower)."""
    if not isinstance(annotation, str):
        return "any"
    if annotation in _ATOM_ANNOTATIONS or annotation in ("tuple[str, ...]", "tuple[int, ...]"):
        return "atom"
    if annotation == "Span":
        return "span"
    if annotation in ("Span | None", "Optional[Span]"):
        return "optional span"
    if annotation.startswith("tuple["):
        return "tuple"
    return "any"


def _shifter(cls: type) -> Callable[[Any, int], Any]:
    """Compiled once per class from its field annotations: a field that can hold no span
    is passed on as it is, a span is moved in place, an empty tuple is kept, anything
    else goes through ``_shift``."""
    if cls is Span:
        return lambda span, delta: Span(span.start + delta, span.end + delta)
    if not hasattr(cls, "__dataclass_fields__"):
        raise TypeError(f"cannot move the spans of a {cls.__name__}")
    lines = ["def move(__value, __delta):"]
    arguments = []
    positional = True  # passed by position (cheaper) until a field is skipped
    for f in fields(cls):
        if not f.init or (not f.compare and f.default_factory is not MISSING):
            positional = False
            continue  # made by __post_init__, or a memo made fresh
        name = f.name
        kind = _kind(f.type)
        positional = positional and not f.kw_only
        given = "" if positional else f"{name}="
        if kind == "atom":
            arguments.append(f"{given}__value.{name}")
            continue
        local = f"v_{name}"  # never a name the function uses otherwise
        lines.append(f"    {local} = __value.{name}")
        if kind == "span":
            lines.append(f"    {local} = Span({local}.start + __delta, {local}.end + __delta)")
        elif kind == "optional span":
            lines.append(f"    if {local} is not None:")
            lines.append(f"        {local} = Span({local}.start + __delta, {local}.end + __delta)")
        elif kind == "tuple":
            lines.append(f"    if {local}:")
            lines.append(f"        {local} = tuple([shift(item, __delta) for item in {local}])")
        else:
            lines.append(f"    if {local} is not None:")
            lines.append(f"        {local} = shift({local}, __delta)")
        arguments.append(f"{given}{local}")
    lines.append(f"    return cls({', '.join(arguments)})")
    namespace: dict[str, Any] = {"cls": cls, "Span": Span, "shift": _shift, "tuple": tuple}
    exec("\n".join(lines) + "\n", namespace)
    move: Callable[[Any, int], Any] = namespace["move"]
    return move


class Reuse(Generic[V]):
    """At most ``size`` results by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        if not _enabled:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        if not _enabled:
            return
        with self._lock:
            items = self._items
            items[key] = value
            items.move_to_end(key)
            while len(items) > self.size:
                items.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@contextmanager
def disabled() -> Iterator[None]:
    """Nothing is reused or stored inside the block (the tests' reference runs)."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before
