"""Orchestration: parse, build the model, run the selected rules. Knows no rule details."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dflint import ast, model, suppress
from dflint.config import ConfigError, Settings
from dflint.parse import parse
from dflint.registry import AnyRule, Registry, default_registry
from dflint.rule import (
    Context,
    Finding,
    FixAvailability,
    NoOptions,
    Options,
    Rule,
    Severity,
)
from dflint.source import SourceFile, Span

if TYPE_CHECKING:
    from dflint.model.context import BuildContext


def load_context(root: Path, dockerfile: Path | None = None) -> BuildContext:
    """The build context at ``root`` (its ignore file is read now, files lazily).

    Raises ``OSError`` (``NotADirectoryError``) when ``root`` is not a directory.
    """
    from dflint.model.context import BuildContext

    return BuildContext.load(root, dockerfile)


_CRASH_DOC = """A rule raised an internal error on this file.

## What it does
Reports that a rule crashed instead of finishing its check. The other rules still ran.

## Why is this bad?
A crashed rule may have missed real problems. It is a bug in dflint or in a rule pack;
please report it with the Dockerfile that triggers it.

## Example
```dockerfile
FROM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""


def _no_check(m: model.Model, ctx: Context[NoOptions]) -> Any:
    return iter(())


RULE_CRASHED: Rule[NoOptions] = Rule(
    code="DF000",
    name="rule-crashed",
    summary="A rule crashed on this file",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=_CRASH_DOC,
    options=NoOptions,
    check=_no_check,
)


@dataclass(frozen=True, slots=True)
class LintResult:
    """The findings for one Dockerfile, sorted by position."""

    source: SourceFile
    dockerfile: ast.Dockerfile
    findings: tuple[Finding, ...]

    @property
    def path(self) -> str:
        return self.source.path


@dataclass(frozen=True, slots=True)
class PreparedRule:
    rule: AnyRule
    options: Options
    severity: Severity


def _options_for(rule: AnyRule, settings: Settings, origin: str) -> Options:
    """The rule's table, over its option group's table (shared by several rules)."""
    table: dict[str, Any] = {}
    if rule.option_group is not None:
        table.update(settings.rules.get(rule.option_group, {}))
    table.update(settings.rules.get(rule.name) or settings.rules.get(rule.code) or {})
    try:
        options: Options = rule.options.model_validate(table)
        return options
    except ValidationError as exc:
        problems = "; ".join(
            f"unknown option `{'.'.join(map(str, e['loc']))}`"
            if e["type"] == "extra_forbidden"
            else f"`{'.'.join(map(str, e['loc']))}`: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"{origin}: rules.{rule.name}: {problems}") from exc


def prepare(
    settings: Settings,
    registry: Registry | None = None,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    origin: str = "configuration",
) -> list[PreparedRule]:
    """Resolve settings plus CLI selectors into the rules to run, with options."""
    from dflint.registry import SelectorError

    registry = registry or default_registry()
    try:
        groups = {r.option_group for r in registry.rules if r.option_group}
        for key in settings.rules:
            if registry.get(key) is None and key not in groups:
                raise SelectorError(f"unknown rule {key!r} in `rules`")
        for key in settings.severity:
            registry.match(key)
        rules = registry.select(
            select if select is not None else settings.select,
            (*settings.extend_select, *extend_select),
            (*settings.ignore, *ignore),
        )
    except SelectorError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    prepared = []
    for rule in rules:
        severity = rule.severity
        for key, sev in settings.severity.items():
            matched, _ = registry.match(key)
            if rule in matched:
                severity = sev
        prepared.append(PreparedRule(rule, _options_for(rule, settings, origin), severity))
    return prepared


def ignored_for_path(settings: Settings, path: str, registry: Registry) -> set[str]:
    """Codes switched off for ``path`` by ``per-file-ignores``."""
    codes: set[str] = set()
    posix = PurePath(path).as_posix()
    for pattern, selectors in settings.per_file_ignores.items():
        if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(PurePath(posix).name, pattern):
            for sel in selectors:
                matched, _ = registry.match(sel)
                codes.update(r.code for r in matched)
    return codes


def _run(
    prepared: PreparedRule,
    m: model.Model,
    source: SourceFile,
    strict: bool,
    outcome: suppress.Outcome | None = None,
) -> list[Finding]:
    rule = prepared.rule
    ctx = rule.make_context(prepared.options, prepared.severity, source, outcome)
    try:
        return list(rule.check(m, ctx))
    except Exception as exc:
        if strict:
            raise
        return [
            Finding(
                RULE_CRASHED.code,
                RULE_CRASHED.name,
                Severity.ERROR,
                f"Rule `{rule.code}` ({rule.name}) crashed: {type(exc).__name__}: {exc}",
                Span(0, 0),
            )
        ]


def lint_text(
    text: str,
    path: str = "<stdin>",
    rules: Sequence[PreparedRule] | None = None,
    *,
    strict: bool = False,
    registry: Registry | None = None,
    hadolint_pragmas: bool = True,
    context: BuildContext | None = None,
) -> LintResult:
    """Lint one Dockerfile's text. ``strict`` re-raises rule crashes (tests).

    ``context`` is the build context (see :func:`load_context`); without it the rules
    about the context's files stay silent.
    """
    if rules is None:
        rules = prepare(Settings())
    source = SourceFile(text, path)
    dockerfile = parse(text)
    m = model.build(source, dockerfile, context=context)
    findings: list[Finding] = []
    later: list[PreparedRule] = []
    for prepared in rules:
        if prepared.rule.after_suppression:
            later.append(prepared)
        else:
            findings.extend(_run(prepared, m, source, strict))
    outcome = suppress.apply(
        findings, dockerfile, text, registry or default_registry(), hadolint_pragmas
    )
    final = list(outcome.findings)
    for prepared in later:
        final.extend(_run(prepared, m, source, strict, outcome))
    final.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return LintResult(source, dockerfile, tuple(final))
