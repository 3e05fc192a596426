"""Option types and defaults as a reader of a TOML file sees them.

``frozenset[str]`` is "array of strings", ``FailLevel.WARNING`` is ``"warning"``: the
reference pages describe what to write in ``pyproject.toml`` or ``.dflint.toml``, not
the Python that validates it.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
from enum import Enum
from typing import Any

from dflint.options import Options

_SCALARS: dict[object, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    datetime.date: "date",
}
_ARRAYS = (tuple, list, frozenset, set)


@dataclasses.dataclass(frozen=True)
class Field:
    """One key of a configuration table."""

    key: str
    name: str
    type: str
    default: str
    doc: str


def describe_type(annotation: object) -> str:
    """A TOML-level description of an annotated type."""
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f'`"{m.value}"`' for m in annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f'`"{a}"`' for a in args)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        inner = " or ".join(describe_type(a) for a in kept)
        return f"{inner} (optional)" if len(kept) < len(args) else inner
    if origin in _ARRAYS:
        item = args[0] if args else Any
        return f"array of {_plural(describe_type(item))}"
    if origin is dict:
        value = args[1] if len(args) == 2 else Any
        return f"table of {_plural(describe_type(value))}"
    return "any value"


def _plural(description: str) -> str:
    if description in ("string", "boolean", "integer", "number", "date"):
        return description + "s"
    for single in ("array of ", "table of "):
        if description.startswith(single):
            return single.replace(" of ", "s of ") + description[len(single) :]
    if description.startswith("one of "):
        return "values, each " + description
    return description


def describe_value(value: object) -> str:
    """A default value as TOML would spell it, in a code span."""
    return f"`{_toml(value)}`"


def _toml(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _toml(value.value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, (frozenset, set)):
        return "[" + ", ".join(sorted(_toml(v) for v in value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


_OPTION_ITEM_RE = re.compile(r"^- `([A-Za-z0-9_-]+)`:\s*(.*)$")


def option_docs(body: str) -> tuple[str, dict[str, str]]:
    """A rule's ``## Options`` section split into its prose and, per key, the text of its
    ``- `key`: ...`` item (continuation lines joined)."""
    prose: list[str] = []
    items: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines():
        m = _OPTION_ITEM_RE.match(line)
        if m is not None:
            current = items.setdefault(m.group(1), [m.group(2)])
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        else:
            current = None
            prose.append(line)
    return "\n".join(prose).strip(), {k: " ".join(v) for k, v in items.items()}


def fields(options: type[Options], docs: dict[str, str] | None = None) -> list[Field]:
    """The keys of a table class: config key, type, default and what it does (the field's
    ``doc``, else the text ``docs`` has under its key or field name)."""
    try:
        hints = typing.get_type_hints(options)
    except NameError:  # a type imported only for type checking: show it as written
        hints = {}
    out = []
    for f in dataclasses.fields(options):
        if f.default is not dataclasses.MISSING:
            default: object = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        annotation = hints.get(f.name)
        kind = describe_type(annotation) if annotation is not None else f"`{f.type}`"
        key = f.metadata.get("key") or f.name
        doc = f.metadata.get("doc") or (docs or {}).get(key) or (docs or {}).get(f.name, "")
        out.append(Field(key, f.name, kind, describe_value(default), doc))
    return out
