"""Orchestration: parse, build the model, run the selected rules. Knows no rule details."""

from __future__ import annotations

import contextlib
import fnmatch
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from dflint import ast, model, suppress
from dflint.model.shell import ALL_DIALECTS
from dflint.parse import parse
from dflint.records import record
from dflint.registry import AnyRule, ExternalFilter, Registry, default_registry
from dflint.rule import (
    RULE_CRASHED_CODE,
    RULE_CRASHED_NAME,
    Finding,
    Needs,
    Options,
    OptionsError,
    OptionsT,
    Outcome,
    Severity,
)
from dflint.settings import DEFAULT_SETTINGS, ConfigError, Settings
from dflint.source import LineIndex, SourceFile, Span

if TYPE_CHECKING:
    from dflint.model.context import BuildContext, ContextCache
    from dflint.model.declarations import ContextChoice


def load_context(
    root: Path,
    dockerfile: Path | None = None,
    *,
    cache: ContextCache | None = None,
    named_contexts: Iterable[str] = (),
    project_images: Iterable[str] = (),
    ships_image: bool = True,
    env_files: Iterable[Path] = (),
) -> BuildContext:
    """The build context at ``root`` (its ignore file is read now, files lazily).

    With a ``cache``, Dockerfiles with the same root and ignore file share one context
    (listed once); only for files that do not change during the run. ``named_contexts``:
    the names the build declares besides the main context (``COPY --from=<name>``);
    ``project_images``: the images builds declared in the repository tag;
    ``ships_image``: False when the declared builds keep no image (cache-only outputs);
    ``env_files``: the files the declared services read as environment (compose
    ``env_file``), kept when inside the context.
    Raises ``OSError`` (``NotADirectoryError``) when ``root`` is not a directory.
    """
    from dflint.model.context import BuildContext

    if cache is not None:
        context = cache.load(root, dockerfile)
    else:
        context = BuildContext.load(root, dockerfile)
    named = frozenset(named_contexts)
    images = frozenset(project_images)
    env = tuple(
        path.relative_to(context.root).as_posix()
        for path in env_files
        if path != context.root and path.is_relative_to(context.root)
    )
    if named or images or not ships_image or env:
        return replace(
            context,
            named_contexts=named,
            project_images=images,
            ships_image=ships_image,
            declared_env_files=env,
        )
    return context


@record
class LintResult:
    """The findings for one Dockerfile, sorted by position."""

    source: SourceFile
    dockerfile: ast.Dockerfile
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()  # diagnostics about the run (``--verbose``), deduplicated
    # The root of the build context the file was linted with: the files a fix creates
    # (``Fix.creates``) are relative to it. None when no context was known.
    context_root: Path | None = None
    # Which build context the front end chose for the file and why (``--context``, a
    # compose/bake/workflow declaration, or the Dockerfile's folder); None when it chose
    # none (stdin without a file name, a library call).
    context_choice: ContextChoice | None = None

    @property
    def path(self) -> str:
        return self.source.path

    def reference_line(self, finding: Finding) -> int:
        """The 1-based line BuildKit's checks and hadolint report ``finding`` at: the
        line of its ``anchor`` (the first line of its instruction, which the engine
        sets when the finding starts on a later line, or the line the rule names),
        else of its span. Parity tests compare this line; reports show ``span``."""
        at = finding.anchor if finding.anchor is not None else finding.span
        return self.source.lines.line_of(at.start)


@record
class PreparedRule:
    rule: AnyRule
    options: Options
    severity: Severity
    # For rules with ``external_prefix``: which external codes are kept and their
    # severity overrides (longest matching prefix wins).
    external: ExternalFilter = field(default=ExternalFilter())
    external_severity: tuple[tuple[str, Severity], ...] = ()
    # Which split equivalents (``Finding.equivalents``: DF001's DL3043, DL3061) are kept.
    equivalents: ExternalFilter = field(default=ExternalFilter())
    # Severity overrides of split equivalents (`severity = { DL3064 = "error" }`): for the
    # findings that carry the code; the most severe of them wins.
    equivalent_severity: tuple[tuple[str, Severity], ...] = ()
    # An opt-in rule of an experimental BuildKit check that the selection would take were
    # it on by default: it runs only where a file's `# check=experimental=` (or an
    # instruction's check comment) turns that check on, as `docker build --check` does.
    on_request: bool = False

    @property
    def explicit(self) -> tuple[str, ...]:
        """The external codes or prefixes named explicitly (``Context.explicit``)."""
        return (*self.external.named, *(prefix for prefix, _ in self.external_severity))


_DEFAULT_OPTIONS: dict[type[Options], Options] = {}


def default_options(options: type[OptionsT]) -> OptionsT:
    """``options`` with every field at its default (made once per class)."""
    made = _DEFAULT_OPTIONS.get(options)
    if made is None:
        try:
            made = options()
        except (TypeError, ValueError):  # a required field, or its own check fails:
            made = options.from_table({})  # OptionsError says which
        _DEFAULT_OPTIONS[options] = made
    assert isinstance(made, options)
    return made


def _options_for(rule: AnyRule, settings: Settings, origin: str) -> Options:
    """The rule's table, over its option group's table (shared by several rules)."""
    table: dict[str, Any] = {}
    if rule.option_group is not None:
        table.update(settings.rules.get(rule.option_group, {}))
    table.update(settings.rules.get(rule.name) or settings.rules.get(rule.code) or {})
    try:
        options: Options = (
            rule.options.from_table(table) if table else default_options(rule.options)
        )
        return options
    except OptionsError as exc:
        problems = "; ".join(
            f"unknown option `{'.'.join(map(str, e['loc']))}`"
            if e["type"] == "extra_forbidden"
            else f"`{'.'.join(map(str, e['loc']))}`: {e['msg']}"
            if e["loc"]
            else str(e["msg"])  # about the table as a whole
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
        for selectors in settings.per_file_ignores.values():
            for sel in selectors:  # checked now, not only when a file matches the pattern
                if registry.external(sel) is None:
                    registry.match(sel)
        selection = (
            select if select is not None else settings.select,
            (*settings.extend_select, *extend_select),
            (*settings.ignore, *ignore),
        )
        rules = registry.select(*selection)
        chosen = set(map(id, rules))
        requested = [
            rule
            for rule in registry.rules
            if id(rule) not in chosen
            and not rule.default_enabled
            and suppress.EXPERIMENTAL_CHECKS.intersection(rule.buildkit)
            and registry.would_select(rule, *selection)
        ]
    except SelectorError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    prepared = []
    for rule in (*rules, *requested):
        severity = rule.severity
        external_severity: list[tuple[str, Severity]] = []
        equivalent_severity: list[tuple[str, Severity]] = []
        for key, sev in settings.severity.items():
            part = registry.external(key)
            if part is not None:
                if part[0] is rule:
                    external_severity.append((part[1], sev))
                continue
            split = registry.split_equivalent(key)
            if split is not None:
                if split is rule:
                    equivalent_severity.append((key, sev))
                continue
            matched, _ = registry.match(key)
            if rule in matched:
                severity = sev
        prepared.append(
            PreparedRule(
                rule,
                _options_for(rule, settings, origin),
                severity,
                registry.external_filter(rule, *selection),
                tuple(sorted(external_severity, key=lambda kv: len(kv[0]))),
                registry.equivalent_filter(rule, *selection),
                tuple(equivalent_severity),
                id(rule) not in chosen,
            )
        )
    return prepared


def ignored_for_path(settings: Settings, path: str, registry: Registry) -> set[str]:
    """Codes switched off for ``path`` by ``per-file-ignores`` (test with :func:`is_off`).

    External code selectors (``SC2086``, ``SC20``) are kept as written, upper-cased.
    """
    codes: set[str] = set()
    posix = PurePath(path).as_posix()
    for pattern, selectors in settings.per_file_ignores.items():
        if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(PurePath(posix).name, pattern):
            for sel in selectors:
                part = registry.external(sel)
                if part is not None:
                    codes.add(part[1])
                    continue
                if registry.split_equivalent(sel) is not None:
                    codes.add(sel)  # some findings of one rule (Finding.equivalents)
                    continue
                matched, _ = registry.match(sel)
                codes.update(r.code for r in matched)
    return codes


def is_off(finding: Finding, off: set[str] | frozenset[str]) -> bool:
    """Whether ``per-file-ignores`` (:func:`ignored_for_path`) switch ``finding`` off."""
    if finding.code in off or (finding.equivalents and not off.isdisjoint(finding.equivalents)):
        return True
    ext = finding.external_code
    return ext is not None and any(ext.startswith(sel) for sel in off)


def _external(found: list[Finding], prepared: PreparedRule) -> list[Finding]:
    """Drop deselected external codes and split equivalents; apply the external codes'
    severity overrides."""
    out = []
    split = prepared.equivalents
    for finding in found:
        if (split.only is not None or split.skip) and not split.keeps_any(
            finding.equivalents or ()
        ):
            continue
        code = finding.external_code
        if code is None:
            out.append(finding)
            continue
        if not prepared.external.keeps(code):
            continue
        for prefix, severity in prepared.external_severity:  # shortest prefix first
            if code.startswith(prefix):
                finding = replace(finding, severity=severity)
        out.append(finding)
    return out


def _run(
    prepared: PreparedRule,
    m: model.Model,
    source: SourceFile,
    strict: bool,
    outcome: Outcome | None = None,
    notes: list[str] | None = None,
    not_run: set[str] | None = None,
) -> list[Finding]:
    rule = prepared.rule
    if rule.needs is not None and not needs_hold(rule.needs, m):
        return []  # nothing to say about this file (its module need not even load)
    ctx = rule.make_context(
        prepared.options,
        prepared.severity,
        source,
        outcome,
        notes,
        not_run,
        prepared.explicit if rule.external_prefix is not None else (),
    )
    try:
        found = list(rule.check(m, ctx))
        if rule.shells != ALL_DIALECTS and found:
            found = [f for f in found if m.dialect_at(f.span.start) in (None, *rule.shells)]
        if rule.splits_equivalents and found:  # None: every equivalent of the rule
            every = (*rule.hadolint, *rule.buildkit)
            found = [
                f if f.equivalents is not None else replace(f, equivalents=every) for f in found
            ]
            if prepared.equivalent_severity:
                found = [_equivalent_severity(f, prepared) for f in found]
        split = prepared.equivalents
        if rule.external_prefix is None and split.only is None and not split.skip:
            return found
        return _external(found, prepared)
    except Exception as exc:
        if strict:
            raise
        return [
            Finding(
                RULE_CRASHED_CODE,
                RULE_CRASHED_NAME,
                Severity.ERROR,
                f"Rule `{rule.code}` ({rule.name}) crashed: {type(exc).__name__}: {exc}",
                Span(0, 0),
            )
        ]


def needs_hold(needs: Needs, m: model.Model) -> bool:
    """Whether file ``m`` holds what a rule declares it needs (:class:`Needs`)."""
    if needs.instructions and m.keywords().isdisjoint(needs.instructions):
        return False
    if not needs.programs:
        return True
    programs = m.programs()
    for wanted in needs.programs:
        if wanted[-1] == "*":
            stem = wanted[:-1]
            if any(program.startswith(stem) for program in programs):
                return True
        elif wanted in programs:
            return True
    return False


def _equivalent_severity(finding: Finding, prepared: PreparedRule) -> Finding:
    """``finding`` at the most severe override of the split equivalents it carries."""
    named = [
        sev for code, sev in prepared.equivalent_severity if code in (finding.equivalents or ())
    ]
    if not named:
        return finding
    return replace(finding, severity=max(named, key=lambda sev: sev.rank))


def _requested(
    prepared: PreparedRule,
    m: model.Model,
    requested: suppress.Experimental,
    strict: bool,
    notes: list[str],
    not_run: set[str],
) -> list[Finding]:
    """The findings of an opt-in rule at the instructions whose check comment turns its
    BuildKit check on (the file's directive does not)."""
    names = prepared.rule.buildkit
    spans = [span for span, on in requested.instructions if on.intersection(names)]
    if not spans:
        return []
    found = _run(prepared, m, m.source, strict, notes=notes, not_run=not_run)
    return [f for f in found if any(s.start <= (f.anchor or f.span).start < s.end for s in spans)]


def build(text: str, path: str = "<stdin>", *, context: BuildContext | None = None) -> model.Model:
    """Parse ``text`` and build its model, as :func:`lint_text` does (see :func:`prefetch`)."""
    return model.build(SourceFile(text, path), parse(text), context=context)


def prefetch(batch: Sequence[tuple[model.Model, Sequence[PreparedRule]]]) -> None:
    """Let each rule with a ``prefetch`` hook start its external work for every file of
    ``batch`` (a model and the rules selected for it) at once. Only an optimization: the
    findings of :func:`lint_text` are the same with or without it; errors are ignored."""
    by_rule: dict[int, tuple[AnyRule, list[model.Model]]] = {}
    for m, rules in batch:
        for prepared in rules:
            if prepared.rule.prefetch is not None:
                by_rule.setdefault(id(prepared.rule), (prepared.rule, []))[1].append(m)
    for rule, models in by_rule.values():
        assert rule.prefetch is not None
        with contextlib.suppress(Exception):  # check runs (and reports) anyway
            rule.prefetch(models)


_Phases = tuple[tuple[PreparedRule, ...], tuple[PreparedRule, ...], tuple[PreparedRule, ...]]
_last_phases: tuple[Sequence[PreparedRule], _Phases] | None = None


def _phases(rules: Sequence[PreparedRule]) -> _Phases:
    """``rules`` in the order :func:`lint_text` runs them: the plain ones, then those with
    external work (started first, so the tool runs while the others do theirs; findings
    are sorted, so the order is not seen), then those that need the suppressions. The
    last answer is kept: a run passes the same list for file after file."""
    global _last_phases
    last = _last_phases
    if last is not None and last[0] is rules and sum(map(len, last[1])) == len(rules):
        return last[1]
    now = tuple(p for p in rules if p.rule.prefetch is None and not p.rule.after_suppression)
    external = tuple(
        p for p in rules if p.rule.prefetch is not None and not p.rule.after_suppression
    )
    later = tuple(p for p in rules if p.rule.after_suppression)
    phases = (now, external, later)
    _last_phases = (rules, phases)
    return phases


class Superseded(Exception):
    """Raised by :func:`lint_text` when its ``stop`` says the result is no longer wanted."""


# Identical messages of one rule in one instruction, from a rule that does not say what
# repeats (``Finding.repeats``), are kept as they are up to this many: ordinary files have
# a few (one per `apt-get install` of a RUN); a hostile one has thousands.
IDENTICAL_KEPT = 100


def bound_repeats(findings: list[Finding], dockerfile: ast.Dockerfile) -> list[Finding]:
    """``findings`` (in text order) with repeats of one problem in one instruction cut to
    the first, whose message says how many more there are; distinct problems all stay.

    A group is one rule's findings in one instruction (or between two: in the comments
    after it) that are suppressed alike and are either of one ``Finding.repeats`` kind
    (three or more: two read better as two) or, for a rule that gives no kind, carry one
    same message (more than :data:`IDENTICAL_KEPT`). A hostile or broken file, such as a
    LABEL of 35,000 words without `=`, thus cannot flood a report, an editor or CI logs.
    """
    starts = [node.span.start for node in dockerfile.instructions]
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, finding in enumerate(findings):
        where = bisect_right(starts, finding.span.start)
        what = finding.repeats if finding.repeats is not None else ("message", finding.message)
        key = (finding.code, finding.external_code, finding.suppressed, where, what)
        groups.setdefault(key, []).append(i)
    dropped: set[int] = set()
    summary: dict[int, Finding] = {}
    for members in groups.values():
        kind = findings[members[0]].repeats
        if len(members) <= (2 if kind is not None else IDENTICAL_KEPT):
            continue
        more = len(members) - 1
        first = findings[members[0]]
        what = kind if kind is not None else "times in this instruction"
        summary[members[0]] = replace(first, message=f"{first.message}; and {more:,} more {what}")
        dropped.update(members[1:])
    if not dropped:
        return findings
    return [summary.get(i, f) for i, f in enumerate(findings) if i not in dropped]


def lint_text(
    text: str,
    path: str = "<stdin>",
    rules: Sequence[PreparedRule] | None = None,
    *,
    strict: bool = False,
    registry: Registry | None = None,
    hadolint_pragmas: bool = True,
    buildkit_check: str | None = None,
    context: BuildContext | None = None,
    built: model.Model | None = None,
    stop: Callable[[], bool] | None = None,
) -> LintResult:
    """Lint one Dockerfile's text. ``strict`` re-raises rule crashes (tests).

    ``context`` is the build context (see :func:`load_context`); without it the rules
    about the context's files stay silent. ``built``: the model :func:`build` made of
    this same ``text``, ``path`` and ``context`` (then not built again). ``stop``: asked
    after the parse and before each rule; when it answers True the lint is abandoned with
    :class:`Superseded` (a language server stops the lint of a text edited since).
    ``buildkit_check``: BuildKit's ``BUILDKIT_DOCKERFILE_CHECK`` value (the
    ``buildkit-check`` setting), which replaces the file's ``# check=`` directive.
    """
    if rules is None:
        rules = prepare(DEFAULT_SETTINGS)
    m = built
    if m is None or m.context is not context or (m.source.text, m.source.path) != (text, path):
        m = build(text, path, context=context)
    source, dockerfile = m.source, m.dockerfile
    findings: list[Finding] = []
    notes: list[str] = []
    not_run: set[str] = set()  # rules that could not check the file (Context.skipped)
    now, external, later = _phases(rules)
    if stop is not None and stop():
        raise Superseded
    if external:
        prefetch([(m, external)])
    requested: suppress.Experimental | None = None
    for prepared in (*now, *external):
        if stop is not None and stop():
            raise Superseded
        if prepared.on_request:
            requested = requested or suppress.experimental(dockerfile, buildkit_check)
            if not requested.file.intersection(prepared.rule.buildkit):
                findings.extend(_requested(prepared, m, requested, strict, notes, not_run))
                continue
        findings.extend(_run(prepared, m, source, strict, notes=notes, not_run=not_run))
    outcome = suppress.apply(
        findings, dockerfile, text, registry or default_registry(), hadolint_pragmas, buildkit_check
    )
    final = list(outcome.findings)
    for prepared in later:
        if stop is not None and stop():
            raise Superseded
        final.extend(_run(prepared, m, source, strict, outcome, notes, not_run))
    final.sort(key=lambda f: (f.span.start, f.span.end, f.code, f.external_code or ""))
    final = anchored(bound_repeats(final, dockerfile), dockerfile, source.lines)
    root = context.root if context is not None else None
    return LintResult(source, dockerfile, tuple(final), tuple(dict.fromkeys(notes)), root)


def anchored(
    findings: list[Finding], dockerfile: ast.Dockerfile, lines: LineIndex
) -> list[Finding]:
    """``findings`` with an ``anchor`` at the first line of their instruction where they
    start on a later line of it (rules may set another anchor), so that
    ``LintResult.reference_line`` needs no syntax tree (a pool's results have none)."""
    nodes = dockerfile.instructions
    starts = [node.span.start for node in nodes]
    out = []
    for finding in findings:
        if finding.anchor is None:
            at = finding.span.start
            index = bisect_right(starts, at) - 1
            if index >= 0:
                node = nodes[index]
                line = lines.line_of(node.span.start)
                if at < max(node.span.end, node.span.start + 1) and lines.line_of(at) != line:
                    finding = replace(finding, anchor=Span(node.span.start, node.span.start))
        out.append(finding)
    return out
