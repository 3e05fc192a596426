"""Variables in build declarations: compose interpolation (with the project's ``.env``)
and bake ``${VAR}`` at the variables' defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dflint.lazy_re import lazy
from dflint.model.declarations._common import Unknowable

_COMPOSE_VAR = lazy(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
_COMPOSE_OPERATOR = lazy(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?$", re.DOTALL
)


def compose_value(text: str, variables: Mapping[str, str] | None = None) -> str:
    """``text`` with compose interpolation: ``variables`` (the project's ``.env`` file)
    first, then the defaults of ``${VAR:-default}``/``${VAR-default}``; raises
    :class:`Unknowable` for a variable that is neither (its value would come from the
    shell that runs compose)."""
    known = variables or {}

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        expression = match.group("braced")
        if expression is None:
            expression = match.group("bare")
        parsed = _COMPOSE_OPERATOR.match(expression)
        if parsed is None:
            raise Unknowable(f"`{match.group(0)}` cannot be evaluated")
        name, op, arg = parsed.group("name", "op", "arg")
        value = known.get(name)
        is_set = value is not None and (value != "" or not (op or "").startswith(":"))
        if op in ("-", ":-"):
            return value if is_set and value is not None else compose_value(arg, known)
        if op in ("+", ":+"):
            return compose_value(arg, known) if is_set else ""
        if value is not None and (op is None or is_set):
            return value
        raise Unknowable(f"`{match.group(0)}` is not set in the project's `.env` file")

    return _COMPOSE_VAR.sub(one, text)


_DOTENV_LINE = lazy(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(?P<value>.*)$")


def read_dotenv(path: Path) -> dict[str, str]:
    """The variables of a compose project's ``.env`` file (``KEY=value`` lines, quotes,
    comments; a value may use the variables before it); ``{}`` when there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    variables: dict[str, str] = {}
    for line in text.splitlines():
        found = _DOTENV_LINE.match(line)
        if found is None:
            continue
        raw = found.group("value").strip()
        if raw[:1] in ("'", '"'):
            end = raw.find(raw[0], 1)
            value = raw[1:end] if end != -1 else raw[1:]
            if raw[0] == '"':
                try:
                    value = compose_value(value, variables)
                except Unknowable:
                    continue
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
            try:
                value = compose_value(value, variables)
            except Unknowable:
                continue
        variables[found.group("key")] = value
    return variables


_HCL_VAR = lazy(r"\$\{\s*(?P<expr>[^}]*?)\s*\}")


def unquote(value: Any) -> Any:
    # python-hcl2 keeps the quotes of string literals (and of block labels).
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def bake_value(value: Any, variables: Mapping[str, str]) -> str:
    """A bake string with ``${VAR}`` at the variables' defaults; raises :class:`Unknowable`
    for anything else (functions, expressions, unknown variables, non-strings)."""
    text = unquote(value)
    if not isinstance(text, str):
        raise Unknowable(f"{value!r} is not a string")

    def one(match: re.Match[str]) -> str:
        name = match.group("expr")
        if name in variables:
            return variables[name]
        raise Unknowable(f"`{match.group(0)}` is not a variable with a default")

    resolved = _HCL_VAR.sub(one, text)
    if "${" in resolved:
        raise Unknowable(f"`{text}` cannot be evaluated")
    return resolved
