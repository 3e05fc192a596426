"""Typed configuration tables: rule options and the settings, validated on demand.

A table is declared as a class with annotated fields, defaults and ``option(...)`` for a
config key that differs from the field name::

    class TrustedOptions(Options):
        trusted_registries: tuple[str, ...] = option(default=(), key="trusted-registries")

Instances are frozen dataclasses (keyword-only); ``TrustedOptions()`` has the defaults
and ``TrustedOptions.from_table({...})`` validates a TOML table: values are converted to
the annotated types, unknown keys are errors, and ``OptionsError.errors()`` names each
bad key. Validation uses pydantic, imported and set up for a class only when a table is
validated: importing pydantic and building its models cost a start ~60 ms, and most
runs validate nothing (no configuration file, or none for most rules).

Kept rather than plain pydantic models because the saving is material: importing pydantic
and validating one model is ~490M instructions, a third of a whole cold ``dflint check``
of one file (~1.5G) — ~45 ms of the ~135 ms an editor save or a pre-commit run waits
(measured 2026-12-07). Re-measure: ``valgrind --tool=callgrind python -c "import
pydantic; ..."`` against ``python -c pass``, or ``python -m benchmarks.lint --only cold``.

A ``__post_init__`` may check values further; a ``ValueError`` it raises is reported like
a type error.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from dflint.records import frozen_in_place

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda function: function


__all__ = ["Options", "OptionsError", "option"]

T = TypeVar("T")


def option(
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Callable[[], Any] | Any = dataclasses.MISSING,
    key: str | None = None,
    doc: str | None = None,
) -> Any:
    """A field whose config key is ``key`` (e.g. ``"build-args"`` for ``build_args``);
    either name is accepted in a table. ``doc`` says what the key does, for the generated
    configuration reference (a rule's options are described in its docstring instead)."""
    metadata = {"key": key} if key is not None else {}
    if doc is not None:
        metadata["doc"] = doc
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class OptionsError(ValueError):
    """A table that does not validate; ``errors()`` lists the problems like pydantic's
    (``loc``: the key path, ``msg``, ``type``: ``"extra_forbidden"`` for unknown keys,
    ``input``)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(p["msg"]) for p in problems))
        self._problems = problems

    def errors(self) -> list[dict[str, Any]]:
        return list(self._problems)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(option,))
class Options:
    """Base of a configuration table (see the module docstring)."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]  # for the type checker
    _validator: ClassVar[Any] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in vars(cls).items():
            if type(value).__module__.startswith("pydantic"):
                raise TypeError(
                    f"{cls.__qualname__}.{name}: a pydantic {type(value).__name__}; "
                    "declare option fields with dflint.rule.option(default=..., key=...)"
                )
        frozen_in_place(cls, kw_only=True)
        cls._validator = None

    @classmethod
    def table_keys(cls) -> dict[str, str]:
        """Field name -> the key a table spells it with."""
        return {f.name: f.metadata.get("key") or f.name for f in dataclasses.fields(cls)}

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> Self:
        """Validate a config table (``OptionsError`` when it is bad)."""
        from pydantic import ValidationError

        if cls._validator is None:
            try:
                cls._validator = _pydantic_model(cls)
            except Exception as exc:  # e.g. a type only imported for type checking
                reason = f"{cls.__qualname__} cannot be validated: {type(exc).__name__}: {exc}"
                raise OptionsError(
                    [{"loc": (), "msg": reason, "type": "definition_error", "input": None}]
                ) from None
        try:
            checked = cls._validator.model_validate(dict(table))
        except ValidationError as exc:
            raise OptionsError(
                [{k: e[k] for k in ("loc", "msg", "type", "input") if k in e} for e in exc.errors()]
            ) from None
        values = {f.name: getattr(checked, f"f{i}") for i, f in enumerate(dataclasses.fields(cls))}
        try:
            return cls(**values)
        except ValueError as exc:
            problem = {"loc": (), "msg": str(exc), "type": "value_error", "input": dict(table)}
            raise OptionsError([problem]) from None


def _pydantic_model(cls: type[Options]) -> Any:
    """A pydantic model with ``cls``'s fields, types, defaults and keys.

    Its fields are named ``f0``, ``f1``, ... and found under the key or the field name,
    so that no name of ours can clash with one of pydantic's (``schema``, ``json``).
    """
    from pydantic import AliasChoices, ConfigDict, Field, create_model

    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for i, f in enumerate(dataclasses.fields(cls)):
        spec: dict[str, Any] = {}
        if f.default is not dataclasses.MISSING:
            spec["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            spec["default_factory"] = f.default_factory
        key = f.metadata.get("key") or f.name
        spec["validation_alias"] = AliasChoices(key, f.name) if key != f.name else key
        fields[f"f{i}"] = (hints[f.name], Field(**spec))
    config = ConfigDict(extra="forbid", frozen=True)
    return create_model(f"{cls.__name__}Table", __config__=config, **fields)
