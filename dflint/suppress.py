"""Inline and file-level suppressions.

* ``# dflint: ignore=CODE[,CODE...]`` — the next instruction (only blank lines and
  comments may come between; findings on those comments, such as a stage's description,
  are covered too); codes, rule names, hadolint codes and BuildKit check
  names are accepted. Text after `` # `` or `` -- `` is a reason.
* ``# dflint: ignore-file=CODE[,...]`` — the whole file, placed anywhere.
* BuildKit's ``# check=skip=Rule,...|all`` directive — the whole file; a ``# check=skip=``
  comment in an instruction's comment block — that instruction, except for BuildKit's
  checks of the whole file (:data:`FILE_CHECKS`), as ``docker build`` does.
* hadolint's ``# hadolint ignore=DL3008`` (the instruction on the next line only),
  ``# hadolint global ignore=...`` (the file) and ``# hadolint stage ignore=...`` (up to the
  next ``FROM``), mapped through each rule's ``hadolint=`` equivalents.

External codes (``SC2086``, or a prefix such as ``SC20``) suppress the findings of the
rule with that ``external_prefix`` whose ``Finding.external_code`` they match.

Suppressed findings stay in the result with ``suppressed=True``. dflint's own
suppressions that match nothing are reported by ``DF002 unused-suppression``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from heapq import heappop, heappush

from dflint import ast
from dflint.lazy_re import lazy
from dflint.records import record
from dflint.registry import Registry
from dflint.rule import Finding, Outcome, Suppression
from dflint.source import Span

_PRAGMA_STARTS = ("dflint", "hadolint")
_DFLINT_RE = lazy(
    r"^dflint:[ \t]*(ignore-file|ignore)[ \t]*=[ \t]*"
    r"([A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)[ \t]*(?:(?:#|--).*)?$"
)
_DFLINT_LOOSE_RE = lazy(r"^dflint[ \t]*:")
# hadolint: `#` optional spaces, lower-case `hadolint`, at least one space.
_HADOLINT_RE = lazy(
    r"^hadolint[ \t]+(?:(global|stage)[ \t]+)?ignore[ \t]*=[ \t]*"
    r"([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)[ \t]*(?:#.*)?$"
)
# Where ``str.splitlines`` cuts a line.
_LINE_BREAK = lazy("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CHECK_RE = lazy(r"^check[ \t]*=[ \t]*(\S+)")
# A syntax error or a crashed rule cannot be silenced by a comment (config can ignore them),
# except a syntax error that is a hadolint rule of its own, by that rule's code
# (`# hadolint ignore=DL3043` for `ONBUILD FROM`).
UNSUPPRESSIBLE = frozenset({"DF000", "DF001"})


def _by_equivalent(sup: Suppression, finding: Finding) -> bool:
    return bool(finding.equivalents) and not sup.external.isdisjoint(finding.equivalents or ())


def _split(codes: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in codes.split(",") if c.strip())


def _resolve(
    selectors: Sequence[str], registry: Registry, external: set[str] | None = None
) -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    unknown: list[str] = []
    for sel in selectors:
        part = registry.external(sel)
        if part is not None and external is not None:
            external.add(part[1])
            continue
        if external is not None and registry.split_equivalent(sel) is not None:
            external.add(sel)  # some findings of one rule (Finding.equivalents)
            continue
        rules = registry.equivalent(sel) or ([r] if (r := registry.get(sel)) else [])
        if not rules:
            try:
                rules, _ = registry.match(sel)
            except Exception:  # SelectorError: reported as unknown below
                rules = []
        if rules:
            codes.update(r.code for r in rules)
        else:
            unknown.append(sel)
    return codes, unknown


class _Index:
    """Which instruction follows a comment; instruction scopes by offset."""

    def __init__(self, dockerfile: ast.Dockerfile, text: str) -> None:
        self.nodes = dockerfile.instructions
        self.starts = [n.span.start for n in self.nodes]
        self.from_starts = [n.span.start for n in self.nodes if isinstance(n, ast.From)]
        self.text = text
        self._code_lines: list[int] | None = None
        self._overridden: dict[int, ast.Instruction] | None = None
        self.dockerfile = dockerfile

    def overridden(self) -> dict[int, ast.Instruction]:
        """See :func:`_overridden`; made on the first question."""
        if self._overridden is None:
            self._overridden = _overridden(self.dockerfile)
        return self._overridden

    def _code_line_starts(self) -> list[int]:
        """Per line that is neither blank nor a comment, where its text starts (in
        order); lines as ``str.splitlines`` cuts them. Made on the first question."""
        if self._code_lines is None:
            self._code_lines = []
            at = 0
            for line in self.text.splitlines(keepends=True):
                stripped = line.lstrip()
                if stripped and not stripped.startswith("#"):
                    self._code_lines.append(at + len(line) - len(stripped))
                at += len(line)
        return self._code_lines

    def next_instruction(self, offset: int) -> ast.Instruction | None:
        i = bisect_right(self.starts, offset)
        return self.nodes[i] if i < len(self.nodes) else None

    def only_blank_or_comments_between(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]``, cut into lines, holds only blank and comment
        lines; ``end`` starts an instruction. By bisection: a file of thousands of
        comments before one instruction is not read again per comment."""
        first_break = _LINE_BREAK.search(self.text, start, end)
        rest_of_line = self.text[start : first_break.start() if first_break else end].strip()
        if rest_of_line and not rest_of_line.startswith("#"):
            return False
        if first_break is None:
            return True
        code = self._code_line_starts()
        at = bisect_left(code, first_break.end())
        return at == len(code) or code[at] >= end

    def next_line_instruction(self, comment: ast.Comment) -> ast.Instruction | None:
        """hadolint: the instruction must start on the very next line."""
        node = self.next_instruction(comment.span.end)
        if node is None:
            return None
        between = self.text[comment.span.end : node.span.start]
        return node if between.count("\n") == 1 and not between.strip() else None

    def stage_scope(self, offset: int) -> Span:
        """From ``offset`` to the start of the next FROM after the one following it."""
        at = bisect_left(self.from_starts, offset)
        if at + 1 < len(self.from_starts):
            return Span(offset, self.from_starts[at + 1])
        return Span(offset, len(self.text))


def collect(
    dockerfile: ast.Dockerfile,
    text: str,
    registry: Registry,
    hadolint_pragmas: bool = True,
    buildkit_check: str | None = None,
) -> tuple[list[Suppression], list[ast.Comment]]:
    index = _Index(dockerfile, text)
    whole = Span(0, len(text))
    found: list[Suppression] = []
    malformed: list[ast.Comment] = []
    for comment in dockerfile.comments:
        body = comment.text
        if not body.startswith(_PRAGMA_STARTS):
            continue  # what every pattern below starts with (most comments: none)
        m = _DFLINT_RE.match(body)
        if m is not None:
            written = _split(m.group(2))
            external: set[str] = set()
            codes, unknown = _resolve(written, registry, external)
            if m.group(1) == "ignore-file":
                scope = whole
            else:
                node = index.next_instruction(comment.span.end)
                if node is None or not index.only_blank_or_comments_between(
                    comment.span.end, node.span.start
                ):
                    scope = Span(comment.span.start, comment.span.start)
                else:
                    # The comments between belong to the instruction too: a finding on
                    # its description comment (DF134) is the instruction's.
                    scope = Span(comment.span.end, node.span.end)
            found.append(
                Suppression(
                    comment.span,
                    frozenset(codes),
                    scope,
                    "dflint",
                    written,
                    tuple(unknown),
                    external=frozenset(external),
                )
            )
            continue
        if _DFLINT_LOOSE_RE.match(body):
            malformed.append(comment)
            continue
        if hadolint_pragmas:
            h = _HADOLINT_RE.match(body)
            if h is not None:
                written = _split(h.group(2))
                external = set()
                codes, _ = _resolve(written, registry, external)
                if h.group(1) == "global":
                    scope = whole
                elif h.group(1) == "stage":
                    scope = index.stage_scope(comment.span.end)
                else:
                    node = index.next_line_instruction(comment)
                    scope = node.span if node else Span(comment.span.start, comment.span.start)
                    if node is not None:
                        found.extend(_on_overridden(comment, node, codes, index, registry))
                found.append(
                    Suppression(
                        comment.span,
                        frozenset(codes),
                        scope,
                        "hadolint",
                        written,
                        external=frozenset(external),
                    )
                )
    found.extend(_buildkit(dockerfile, registry, whole, buildkit_check))
    return found, malformed


def check_option(value: str, key: str) -> tuple[str, ...] | None:
    """The rule names of ``key=`` (``skip``, ``experimental``) in a check directive value
    (cut at the first space), or None when it has no such part."""
    value = value.split(" ", 1)[0]
    for part in value.split(";"):
        name, sep, names = part.partition("=")
        if sep and name.strip() == key:
            return tuple(n.strip() for n in names.split(",") if n.strip())
    return None


def _file_check(dockerfile: ast.Dockerfile, override: str | None) -> tuple[Span, str] | None:
    """The file's check configuration and where it is written: the ``# check=``
    directive, or ``override`` (BuildKit's ``BUILDKIT_DOCKERFILE_CHECK`` build argument,
    the ``buildkit-check`` setting), which replaces it entirely as the build argument does."""
    if override is not None:
        return Span(0, 0), override
    directive = dockerfile.directive("check")
    return (directive.span, directive.value) if directive is not None else None


def _buildkit(
    dockerfile: ast.Dockerfile, registry: Registry, whole: Span, override: str | None = None
) -> list[Suppression]:
    out: list[Suppression] = []
    on = experimental(dockerfile, override)
    # An experimental check is out of reach of `skip=` where it was turned on, and of
    # `skip=all` everywhere (BuildKit: skip=all disables every non-experimental rule).
    config = _file_check(dockerfile, override)
    if config is not None:
        skips = check_option(config[1], "skip")
        if skips:
            unreached = on.file if "all" not in skips else EXPERIMENTAL_CHECKS
            out.append(_buildkit_suppression(config[0], skips, whole, registry, unreached))
    comments = _check_comments(dockerfile)
    overridden = _overridden(dockerfile) if comments else {}
    for node, value in comments:
        skips = check_option(value, "skip")
        if not skips:
            continue
        unreached = FILE_CHECKS | {REPEAT_CHECK}
        unreached |= on.at(node.span) if "all" not in skips else EXPERIMENTAL_CHECKS
        out.append(_buildkit_suppression(node.span, skips, node.span, registry, unreached))
        earlier = overridden.get(id(node))
        if earlier is not None and ("all" in skips or REPEAT_CHECK in skips):
            out.append(_buildkit_suppression(node.span, (REPEAT_CHECK,), earlier.span, registry))
    return out


# BuildKit's experimental checks: they run only where a `# check=experimental=` directive
# (or an instruction's check comment) names them or says `all`, and then no `skip=`
# reaches them (`skip=all` never does), as `docker build --check` does.
EXPERIMENTAL_CHECKS = frozenset({"InvalidDefinitionDescription"})


@record
class Experimental:
    """The experimental BuildKit checks a file turns on: in the whole file (its
    ``# check=`` directive) and, per instruction, by that instruction's check comment."""

    file: frozenset[str]
    instructions: tuple[tuple[Span, frozenset[str]], ...]

    def at(self, node: Span) -> frozenset[str]:
        """The checks turned on at the instruction ``node``."""
        return self.file.union(*(on for span, on in self.instructions if span == node))


def _experimental_named(value: str) -> frozenset[str]:
    names = check_option(value, "experimental") or ()
    return EXPERIMENTAL_CHECKS if "all" in names else EXPERIMENTAL_CHECKS.intersection(names)


def experimental(dockerfile: ast.Dockerfile, override: str | None = None) -> Experimental:
    """Which experimental BuildKit checks ``dockerfile`` turns on, and where
    (``override``: see :func:`_file_check`)."""
    config = _file_check(dockerfile, override)
    file = _experimental_named(config[1]) if config is not None else frozenset()
    instructions = []
    for node, value in _check_comments(dockerfile):
        on = _experimental_named(value)
        if on:
            instructions.append((node.span, on))
    return Experimental(file, tuple(instructions))


def _check_comments(dockerfile: ast.Dockerfile) -> list[tuple[ast.Instruction, str]]:
    """Each instruction with the value of the first ``check=`` comment of its comment
    block (BuildKit reads that one only)."""
    out = []
    for node in dockerfile.instructions:
        for text in node.comments:
            m = _CHECK_RE.match(text) if text.startswith("check") else None
            if m is not None:
                out.append((node, m.group(1)))
                break
    return out


# BuildKit's checks of the whole file: they read the file's `# check=` directive only, so
# a `# check=skip=` comment above one instruction does not reach them (as `docker build`).
FILE_CHECKS = frozenset(
    {"ConsistentInstructionCasing", "DuplicateStageName", "ReservedStageName"}
    | {"NoEmptyContinuation", "InvalidDefaultArgInFrom", "InvalidBaseImagePlatform"}
)


# BuildKit reports a repeated CMD, ENTRYPOINT or HEALTHCHECK at the earlier instruction,
# judged by the check comment of the next one of its kind in the stage (the repeat).
REPEAT_CHECK = "MultipleInstructionsDisallowed"
_REPEATED = (ast.Cmd, ast.Entrypoint, ast.Healthcheck)


def _overridden(dockerfile: ast.Dockerfile) -> dict[int, ast.Instruction]:
    """For each CMD, ENTRYPOINT and HEALTHCHECK that repeats one earlier in its stage
    (by ``id``), that earlier one."""
    out: dict[int, ast.Instruction] = {}
    last: dict[type, ast.Instruction] = {}
    for node in dockerfile.instructions:
        if isinstance(node, ast.From):
            last.clear()
        elif isinstance(node, _REPEATED):
            earlier = last.get(type(node))
            if earlier is not None:
                out[id(node)] = earlier
            last[type(node)] = node
    return out


def _on_overridden(
    comment: ast.Comment,
    node: ast.Instruction,
    codes: set[str],
    index: _Index,
    registry: Registry,
) -> list[Suppression]:
    """hadolint reports a repeated CMD, ENTRYPOINT or HEALTHCHECK at the repeat, dflint
    (as BuildKit) at the earlier one: a ``# hadolint ignore=`` above the repeat covers
    that finding too."""
    if not isinstance(node, _REPEATED):
        return []
    repeat = {r.code for r in registry.equivalent(REPEAT_CHECK)} & codes
    earlier = index.overridden().get(id(node)) if repeat else None
    if earlier is None:
        return []
    written = tuple(sorted(repeat))
    return [Suppression(comment.span, frozenset(repeat), earlier.span, "hadolint", written)]


def _buildkit_suppression(
    span: Span,
    skips: tuple[str, ...],
    scope: Span,
    registry: Registry,
    unreached: frozenset[str] = frozenset(),
) -> Suppression:
    # BuildKit rule names are case-sensitive: only exact equivalents count. A rule whose
    # findings name their equivalents (DF604) is covered where a finding is that check.
    names = (
        {name for r in registry.rules for name in r.buildkit}
        if "all" in skips
        else {name for name in skips if any(name in r.buildkit for r in registry.equivalent(name))}
    ) - unreached
    codes = set()
    split = set()
    for name in names:
        for r in registry.equivalent(name):
            if name not in r.buildkit:
                continue
            if r.splits_equivalents:
                split.add(name)
            else:
                codes.add(r.code)
    return Suppression(
        span,
        frozenset(codes),
        scope,
        "buildkit",
        skips,
        all_rules="all" in skips,
        external=frozenset(split),
    )


def apply(
    findings: Sequence[Finding],
    dockerfile: ast.Dockerfile,
    text: str,
    registry: Registry,
    hadolint_pragmas: bool = True,
    buildkit_check: str | None = None,
) -> Outcome:
    suppressions, malformed = collect(dockerfile, text, registry, hadolint_pragmas, buildkit_check)
    hits = _hits(findings, suppressions, Span(0, len(text)))
    out = [replace(f, suppressed=True) if hit else f for f, hit in zip(findings, hits, strict=True)]
    return Outcome(tuple(out), tuple(suppressions), tuple(malformed))


def _hits(findings: Sequence[Finding], suppressions: list[Suppression], whole: Span) -> list[bool]:
    """Which findings a suppression covers, marking the suppressions used.

    A finding is covered by a suppression naming its code whose scope holds the
    finding's start, or whose scope is the whole file. One sweep over the findings in
    text order with the scopes open at that point (not every suppression per finding,
    which is quadratic in a file with a suppression per instruction); the whole-file
    ones are looked up per code and external code."""
    hits = [False] * len(findings)
    file_wide = [s for s in suppressions if s.scope == whole]
    scoped = sorted(
        (s for s in suppressions if s.scope != whole and s.scope.start < s.scope.end),
        key=lambda s: s.scope.start,
    )
    by_kind: dict[tuple[str, str | None, tuple[str, ...] | None], list[Suppression]] = {}
    open_scopes: list[tuple[int, int]] = []  # (end, index in scoped), a heap
    added = 0
    for i in sorted(range(len(findings)), key=lambda i: findings[i].span.start):
        finding = findings[i]
        if finding.code in UNSUPPRESSIBLE and not finding.equivalents:
            continue
        at = finding.span.start
        while added < len(scoped) and scoped[added].scope.start <= at:
            heappush(open_scopes, (scoped[added].scope.end, added))
            added += 1
        while open_scopes and open_scopes[0][0] <= at:
            heappop(open_scopes)
        kind = (finding.code, finding.external_code, finding.equivalents)
        # A syntax error that is also a hadolint rule (DF001's DL3043) is silenced by
        # that code only, never by DF001 itself.
        covers = _by_equivalent if finding.code in UNSUPPRESSIBLE else Suppression.covers
        covering = by_kind.get(kind)
        if covering is None:
            covering = by_kind[kind] = [s for s in file_wide if covers(s, finding)]
            for sup in covering:  # the same for every finding of this kind
                sup.used.add(finding.code)
        hit = bool(covering)
        for _, index in open_scopes:
            sup = scoped[index]
            if covers(sup, finding):
                sup.used.add(finding.code)
                hit = True
        hits[i] = hit
    return hits
