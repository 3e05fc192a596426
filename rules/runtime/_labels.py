"""Shared by the label rules: labels per stage, validators (the options: _label_options)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model, Stage
from dflint.records import record

from ._label_options import LabelType
from ._spdx_data import DEPRECATED, EXCEPTIONS, LICENSES


@record
class LabelUse:
    """One ``key=value`` of a LABEL, expanded (``None`` when a variable is unknown)."""

    node: ast.Label
    pair: ast.KeyValue
    key: str | None
    value: str | None
    stage: Stage


def labels(model: Model) -> Iterator[LabelUse]:
    """Every LABEL pair of every stage, expanded (computed once per model)."""
    return iter(model.memo("labels", lambda m: tuple(_labels(m))))


def _labels(model: Model) -> Iterator[LabelUse]:
    for stage in model.stages:
        for node in stage.instructions:
            if not isinstance(node, ast.Label):
                continue
            for pair in node.pairs:
                key = model.expand(pair.key, at=node).text
                value = model.expand(pair.value, at=node).text
                yield LabelUse(node, pair, key, value, stage)


def image_stages(model: Model) -> Iterator[Stage]:
    """Stages that end up as images: the final one and those no other stage uses.

    A stage used as a base (``FROM <stage>``) is judged through its children, which
    inherit from it; one used only through ``COPY --from``/``--mount`` is a build step.
    """
    used = {edge.target for edge in model.edges if edge.source != edge.target}
    final = model.final_stage
    for stage in model.stages:
        if stage is final or stage.index not in used:
            yield stage


def stage_chain(model: Model, stage: Stage) -> list[Stage]:
    """``stage`` and the stages it is built on through ``FROM <stage>``."""
    return list(model.lineage(stage))


def type_findings(
    model: Model, schema: dict[str, LabelType], wanted: LabelType
) -> Iterator[tuple[LabelUse, str]]:
    """Labels of type ``wanted`` with a known, non-empty value, and the value's problem."""
    for use in labels(model):
        if use.key is None or schema.get(use.key) != wanted or not use.value:
            continue
        problem = VALIDATORS[wanted](use.value)
        if problem is not None:
            yield use, problem


def _url(value: str) -> str | None:
    if any(c.isspace() for c in value):
        return "it contains whitespace"
    parts = urlsplit(value)
    if not parts.scheme or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme):
        return "it has no scheme such as `https://`"
    if not (parts.netloc or parts.path):
        return "it has nothing after the scheme"
    return None


_RFC3339 = lazy(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))"
)


def _rfc3339(value: str) -> str | None:
    match = _RFC3339.fullmatch(value)
    if match is None:
        return "use a full RFC 3339 timestamp such as `2024-05-01T12:00:00Z`"
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, min(second, 59))  # 60: a leap second
    except ValueError as exc:
        return str(exc)
    if second > 60 or (match.group(9) and (int(match.group(9)) > 23 or int(match.group(10)) > 59)):
        return "a field is out of range"
    return None


def _hash(value: str) -> str | None:
    if re.fullmatch(r"[0-9a-f]{7}|[0-9a-f]{40}|[0-9a-f]{64}", value):
        return None
    return "use a full (40 or 64) or short (7) lower-case hex commit hash"


# The regular expression published at semver.org for SemVer 2.0.0.
_SEMVER = lazy(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)


def _semver(value: str) -> str | None:
    if _SEMVER.fullmatch(value):
        return None
    if value[:1] in "vV" and _SEMVER.fullmatch(value[1:]):
        return "drop the `v` prefix"
    return "use `MAJOR.MINOR.PATCH` without leading zeros, e.g. `1.4.0` or `2.0.0-rc.1`"


_EMAIL = lazy(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+")


def _email(value: str) -> str | None:
    if not _EMAIL.fullmatch(value) or "" in value.partition("@")[2].split("."):
        return "use a plain address such as `team@example.org`"
    return None


_LICENSE_BY_LOWER = {name.lower(): name for name in LICENSES}
_EXCEPTION_BY_LOWER = {name.lower(): name for name in EXCEPTIONS}
_REF = lazy(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")


def _spdx(value: str) -> str | None:
    """Validate an SPDX license expression (``MIT``, ``MIT OR Apache-2.0``, ``... WITH ...``)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", value)
    pos = 0

    def license_id(token: str) -> str | None:
        name = token[:-1] if token.endswith("+") else token
        if name in LICENSES:
            return f"`{name}` is deprecated in SPDX" if name in DEPRECATED else None
        if _REF.fullmatch(token):
            return None
        canonical = _LICENSE_BY_LOWER.get(name.lower())
        if canonical is not None:
            return f"`{name}` is spelled `{canonical}` in SPDX"
        return f"`{token}` is not an SPDX license identifier"

    def term() -> str | None:
        nonlocal pos
        if pos >= len(tokens):
            return "the expression ends early"
        token = tokens[pos]
        pos += 1
        if token == "(":
            problem = expression()
            if problem:
                return problem
            if pos >= len(tokens) or tokens[pos] != ")":
                return "a `(` is not closed"
            pos += 1
            return None
        if token in (")", "AND", "OR", "WITH"):
            return f"`{token}` is out of place"
        problem = license_id(token)
        if problem:
            return problem
        if pos < len(tokens) and tokens[pos] == "WITH":
            if pos + 1 >= len(tokens):
                return "`WITH` needs an exception identifier"
            exception = tokens[pos + 1]
            pos += 2
            if exception not in EXCEPTIONS and not _REF.fullmatch(exception):
                canonical = _EXCEPTION_BY_LOWER.get(exception.lower())
                if canonical:
                    return f"`{exception}` is spelled `{canonical}` in SPDX"
                return f"`{exception}` is not an SPDX exception identifier"
        return None

    def expression() -> str | None:
        nonlocal pos
        problem = term()
        while problem is None and pos < len(tokens) and tokens[pos] in ("AND", "OR"):
            pos += 1
            problem = term()
        return problem

    problem = expression()
    if problem is None and pos < len(tokens):
        problem = f"`{tokens[pos]}` is out of place (join licenses with `AND`/`OR`)"
    return problem


def _text(value: str) -> str | None:
    return None


VALIDATORS = {
    "text": _text,
    "url": _url,
    "rfc3339": _rfc3339,
    "hash": _hash,
    "semver": _semver,
    "email": _email,
    "spdx": _spdx,
}
