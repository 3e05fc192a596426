"""``@record``: the immutable data classes of the hot path, cheap to create.

A record is a slotted dataclass that compares and hashes by value like a frozen one and
that the type checker treats as frozen (assigning to a field is a ``mypy --strict``
error), but its ``__init__`` assigns fields directly: a frozen dataclass's ``__init__``
goes through ``object.__setattr__`` for every field, which makes it about three times
slower to create. dflint creates millions of spans, words and syntax nodes when it lints
thousands of files (``python -m benchmarks.lint``: 12% of the time went there), so
the classes made per file use ``@record``; the rest stay ``frozen=True``.

Kept rather than ``dataclass(slots=True, unsafe_hash=True)`` (which also assigns
directly) because the saving is material: with that standard decorator in its place, a
cold ``dflint check`` of one file runs 13% more instructions (1.68G against 1.48G: the
classes are made at every start) and linting 60 generated files 11% more (2.45G against
2.21G), measured 2026-12-07 with ``valgrind --tool=callgrind --trace-children=yes python
-m dflint check --isolated --jobs 1 ...`` on both variants (wall time agrees but is noisier).

Nothing stops an assignment at run time, so code must not assign to a record's fields
(a rule pack that did would see its mistake from mypy, not from an exception).

The same builder makes the other data classes of a start, which ``dataclass`` made at a
cost of about a millisecond each (compiling six or more methods per class): mutable ones
(``@record(frozen=False)``: a walker's state, a cache), the few objects that must refuse an
assignment at run time too (``@record(guarded=True)``: a run's configuration, a build
context) and the option tables (``frozen_in_place``, from ``Options.__init_subclass__``).
A cold ``dflint check`` of a 15-line file ran 574M instructions with ``dataclass`` for
those 22 classes and 522M with this builder (callgrind, 2026-12-07).
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda function: function


__all__ = ["field", "frozen_in_place", "record"]

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(
    *, order: bool = False, kw_only: bool = False, frozen: bool = True, guarded: bool = False
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(
    cls: type[T] | None = None,
    /,
    *,
    order: bool = False,
    kw_only: bool = False,
    frozen: bool = True,
    guarded: bool = False,
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record (see the module docstring); ``@record`` or ``@record(...)``.

    ``order``: the ordering methods, over the compared fields as a tuple. ``frozen=False``:
    fields the type checker lets code assign, and no hash (a mutable record). ``guarded``:
    assigning a field raises ``FrozenInstanceError`` at run time too, as in a frozen
    dataclass (its ``__init__`` then goes through ``object.__setattr__``: for the few
    objects made per run, such as a run's configuration or a build context).
    """

    def wrap(c: type[T]) -> type[T]:
        made = _build(c, kw_only, guarded=guarded)
        _add_value_methods(made, order=order, hashable=frozen)
        return made

    return wrap if cls is None else wrap(cls)


def frozen_in_place(cls: type[Any], *, kw_only: bool) -> None:
    """Make ``cls`` itself (no new class, no slots) what ``dataclass(frozen=True,
    kw_only=kw_only)`` makes of it: for a base class's ``__init_subclass__``."""
    _build(cls, kw_only, guarded=True, in_place=True)
    _add_value_methods(cls, order=False, hashable=True)


def _no_fields(obj: object) -> tuple[()]:
    return ()


def _add_value_methods(cls: type[Any], *, order: bool, hashable: bool) -> None:
    """``__eq__``, ``__hash__``, ``__repr__`` and with ``order`` the ordering methods over
    the compared fields, as dataclasses writes them, but shared functions instead of code
    compiled for every class: that compiling is most of the cost of creating a class,
    paid at every start."""
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

    def __lt__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            result: bool = key(self) < key(other)
            return result
        return NotImplemented

    def __le__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            result: bool = key(self) <= key(other)
            return result
        return NotImplemented

    def __gt__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            result: bool = key(self) > key(other)
            return result
        return NotImplemented

    def __ge__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            result: bool = key(self) >= key(other)
            return result
        return NotImplemented

    methods: list[Callable[..., Any]] = [__eq__, __repr__]
    if hashable:
        methods.append(__hash__)
    else:
        cls.__hash__ = None  # type: ignore[assignment]  # a mutable record, as dataclasses makes it
    if order:
        methods += [__lt__, __le__, __gt__, __ge__]
    for function in methods:
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        setattr(cls, function.__name__, function)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _slots_getstate(self: object) -> list[Any]:
    return [getattr(self, f.name) for f in fields(self)]  # type: ignore[arg-type]


def _slots_setstate(self: object, state: list[Any]) -> None:
    for f, value in zip(fields(self), state, strict=True):  # type: ignore[arg-type]
        object.__setattr__(self, f.name, value)


# What dataclasses records about a class it made, for the classes made here (which
# dataclasses functions such as ``fields`` and ``replace`` then treat as its own).
_PARAMS = dataclass(eq=False, repr=False)(type("_Params", (), {})).__dataclass_params__  # type: ignore[attr-defined]
_FROZEN_PARAMS = copy.copy(_PARAMS)  # of a guarded record (cheaper than another class)
_FROZEN_PARAMS.frozen = True
_CLASSVAR = re.compile(r"(?:typing\.|t\.)?ClassVar\b")
_FACTORY = object()  # marks an argument left to its field's default_factory


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):
        return _CLASSVAR.match(annotation) is not None
    return annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar


# The code of an ``__init__``, by the shape of its class: which fields are parameters,
# keyword-only, defaulted or made by a factory (see _make_init).
_TEMPLATES: dict[str, CodeType] = {}


def _make_init(
    cls: type[Any], every: list[Field[Any]], guarded: bool, post_init: bool
) -> Callable[..., None]:
    """The ``__init__`` of a record with fields ``every``.

    Its source is written with placeholder names (``__dflint_n0`` for the first field,
    ``__dflint_d0``/``__dflint_f0`` for its default and factory) and compiled once per
    shape; each class gets that code with its own names put in (``CodeType.replace``).
    Compiling was half the cost of making a record, and the ~130 classes of a start
    have ~60 shapes."""
    namespace: dict[str, Any] = {
        "__builtins__": builtins,
        "__dflint_factory": _FACTORY,
        "__dflint_set": object.__setattr__,
    }
    names: dict[str, str] = {}
    positional: list[str] = []
    keywords: list[str] = []
    defaults: list[Any] = []
    kwdefaults: dict[str, Any] = {}
    body: list[str] = []
    for i, f in enumerate(every):
        name, default, factory = f"__dflint_n{i}", f"__dflint_d{i}", f"__dflint_f{i}"
        names[name] = f.name
        names[default] = f"__dflint_default_{f.name}"
        names[factory] = f"__dflint_factory_{f.name}"
        if f.default is not MISSING:
            namespace[names[default]] = f.default
        if f.default_factory is not MISSING:
            namespace[names[factory]] = f.default_factory
        if f.init:
            value = name
            given: Any = MISSING
            if f.default is not MISSING:
                given = f.default
            elif f.default_factory is not MISSING:
                given = _FACTORY
                value = f"{factory}() if {name} is __dflint_factory else {name}"
            if f.kw_only:
                keywords.append(name)
                if given is not MISSING:
                    kwdefaults[f.name] = given
            else:
                positional.append(name if given is MISSING else f"{name}=None")
                if given is not MISSING:
                    defaults.append(given)
        elif f.default_factory is not MISSING:
            value = f"{factory}()"
        elif f.default is not MISSING:
            value = default
        else:
            continue
        body.append(
            f"    __dflint_set(self, {name!r}, {value})"
            if guarded
            else f"    self.{name} = {value}"
        )
    if post_init:
        body.append("    self.__post_init__()")
    parameters = ["self", *positional, *(["*", *keywords] if keywords else [])]
    source = f"def __init__({', '.join(parameters)}):\n" + ("\n".join(body) or "    pass")
    template = _TEMPLATES.get(source)
    if template is None:
        scratch: dict[str, Any] = {}
        exec(source, scratch)
        template = _TEMPLATES[source] = scratch["__init__"].__code__

    def rename(value: Any) -> Any:
        return names.get(value, value) if isinstance(value, str) else value

    renamed: dict[str, Any] = {
        "co_names": tuple(map(rename, template.co_names)),
        "co_varnames": tuple(map(rename, template.co_varnames)),
        "co_consts": tuple(map(rename, template.co_consts)),  # a guarded record's names
        "co_name": "__init__",
    }
    if hasattr(template, "co_qualname"):  # Python 3.11+
        renamed["co_qualname"] = f"{cls.__qualname__}.__init__"
    init = FunctionType(template.replace(**renamed), namespace, "__init__", tuple(defaults))
    init.__kwdefaults__ = kwdefaults or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _build(cls: type[T], kw_only: bool, *, guarded: bool, in_place: bool = False) -> type[T]:
    """The slotted class ``dataclass(slots=True, eq=False, repr=False, kw_only=kw_only)``
    makes of ``cls`` (``guarded``: and ``frozen=True``; ``in_place``: ``cls`` itself,
    without slots), made with one compiled ``__init__`` and none of dataclasses'
    per-class inspection: a third of the cost, paid for every record at every start."""
    if not in_place and "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    inherited: dict[str, Field[Any]] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited.update(getattr(base, "__dataclass_fields__", {}))
    own: dict[str, Field[Any]] = {}
    for name, annotation in inspect.get_annotations(cls).items():
        if _is_classvar(annotation):
            continue
        default = cls.__dict__.get(name, MISSING)
        made: Field[Any] = (
            default if isinstance(default, Field) else cast("Field[Any]", field(default=default))
        )
        if made.default is not MISSING and made.default.__class__.__hash__ is None:
            raise ValueError(
                f"mutable default {type(made.default)} for field {name} "
                "is not allowed: use default_factory"
            )
        made.name = name
        made.type = annotation
        made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        if made.kw_only is MISSING:
            made.kw_only = kw_only
        own[name] = made
    every = {**inherited, **own}

    init = _make_init(cls, list(every.values()), guarded, hasattr(cls, "__post_init__"))
    generated: dict[str, Any] = {
        "__init__": init,
        "__dataclass_fields__": every,
        "__dataclass_params__": _FROZEN_PARAMS if guarded else _PARAMS,
        "__match_args__": tuple(f.name for f in every.values() if f.init and not f.kw_only),
    }
    if guarded:
        generated.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    if in_place:  # a field's default stays a class attribute, as dataclasses leaves it
        for name, f in own.items():
            if f.default is not MISSING:
                setattr(cls, name, f.default)
            elif isinstance(cls.__dict__.get(name), Field):
                delattr(cls, name)
        for name, value in generated.items():
            setattr(cls, name, value)
        return cls
    if guarded:  # pickle restores slots with setattr, which a guarded record refuses
        generated.update(__getstate__=_slots_getstate, __setstate__=_slots_setstate)
    attributes = {k: v for k, v in cls.__dict__.items() if k not in own}
    attributes.pop("__dict__", None)
    attributes.pop("__weakref__", None)
    attributes.update(generated, __slots__=tuple(own))
    metaclass: Any = type(cls)
    made_cls: type[T] = metaclass(cls.__name__, cls.__bases__, attributes)
    made_cls.__qualname__ = cls.__qualname__
    return made_cls
