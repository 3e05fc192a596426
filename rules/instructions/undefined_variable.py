r"""A variable that is not defined where Docker expands it.

## What it does
Checks the words BuildKit itself expands — `ENV`, `LABEL`, `ARG` defaults, `COPY`/`ADD`
paths, `--chown`/`--chmod`/`--checksum` and unquoted heredoc bodies, `WORKDIR`, `USER`,
`VOLUME`, `STOPSIGNAL` and `RUN --mount` values — for `$NAME` that no `ARG` or `ENV`
before it defines in the stage (or its parent stages), and for shell parameters (`$1`,
`$@`, `$$`), which Docker replaces with nothing there. `RUN`, `CMD` and `ENTRYPOINT`
text is the shell's business and is not checked; `\$NAME` and `'$NAME'` are literal.

The ENV of an external base image is not known to a linter, so a name is only flagged
in a stage on such an image when it cannot plausibly come from there: it is declared
elsewhere in the file (a global ARG not re-declared in the stage, an ARG of another
stage, an ENV set only later; not for a base named by a variable, `FROM
base-${TARGETARCH}`, which may be any of the file's stages), it is a near-miss of a
visible name (`$PAHT`; not a longer name around it, such as `$GOPATH`), or it contains
lower-case letters (image ENV names are upper-case by convention). `$PATH`,
`$PYTHON_VERSION` and the like are never flagged unless `image-env` says what the
image defines. In a stage on `scratch` every undefined name is flagged.

## Why is this bad?
An undefined variable expands to an empty string without any error: `COPY $SRC /app`
copies the whole context, `WORKDIR $HOME/app` becomes `/app`. Usually it is a typo or
a global `ARG` that was not re-declared after `FROM`.

## Example
```dockerfile
ARG VERSION=1.2.3
FROM alpine:3.20
LABEL org.opencontainers.image.version=$VERSION
```

## Use instead
```dockerfile
ARG VERSION=1.2.3
FROM alpine:3.20
ARG VERSION
LABEL org.opencontainers.image.version=$VERSION
```

## Options
Shared with `undefined-arg-in-from` (set them once in `[tool.dflint.rules.variables]`):
- `build-args`: names passed with `--build-arg`. A build arg is only visible through an
  `ARG` (in a stage, and for `FROM` a global one), so they silence neither rule.
- `image-env`: the ENV names images define, as `{ image = [names] }`. The key is an
  image name (`python`, `ghcr.io/org/base`) or name with tag (`python:3.12`); for a
  listed image its ENV counts as known, so any other undefined name is flagged. The
  key `"*"` adds names to every image and does not make any image's ENV known.

## References
- [Dockerfile reference: environment replacement](https://docs.docker.com/reference/dockerfile/#environment-replacement)
- [Docker build checks: UndefinedVar](https://docs.docker.com/reference/build-checks/undefined-var/)
"""

from collections.abc import Iterator, Mapping
from itertools import islice

from dflint import ast
from dflint.model import UNKNOWN, Model, Scope, Stage, Value
from dflint.model.scope import Layered, VarRef, expand
from dflint.parse.validate import levenshtein, suggest
from dflint.rule import Context, Finding, FixAvailability, Rule, Severity

from .._shared._variables import (
    ExpandedWord,
    VariableOptions,
    expanded_words,
    reference_span,
)

# Predefined proxy ARGs; BuildKit passes them to builds without any declaration.
_PROXY_ARGS = frozenset(
    f(name)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
    for f in (str.upper, str.lower)
)


def _image_env(root: Stage, options: VariableOptions) -> tuple[frozenset[str], bool]:
    """Names the root image defines per config, and whether its ENV is then known."""
    names = options.image_env.get("*", frozenset())
    ref = root.image
    if ref is None or ref.has_variables:
        return names, False
    keys = [ref.name, ref.full_name, ref.text]
    if ref.tag:
        keys += [f"{ref.name}:{ref.tag}", f"{ref.full_name}:{ref.tag}"]
    for key in keys:
        if key in options.image_env:
            return names | options.image_env[key], True
    return names, False


def _declared_names(model: Model) -> frozenset[str]:
    names: set[str] = set()
    for node in model.dockerfile.instructions:
        target = node.trigger if isinstance(node, ast.Onbuild) else node
        if isinstance(target, ast.Arg):
            names.update(decl.name.text for decl in target.args)
        elif isinstance(target, ast.Env):
            names.update(pair.key.text for pair in target.pairs)
    return frozenset(names)


def _message(name: str, model: Model, declared: frozenset[str], hint: str | None) -> str:
    did_you_mean = f" (did you mean `${hint}`?)" if hint else ""
    if name in model.meta_scope.values:
        return (
            f"`${name}` is a global ARG, which a stage does not see{did_you_mean}; "
            f"re-declare it with `ARG {name}` after `FROM`"
        )
    if name in declared:
        return (
            f"`${name}` is not defined at this point of the stage{did_you_mean}; "
            f"declare it with `ARG` or `ENV` before this instruction"
        )
    return (
        f"`${name}` is not defined{did_you_mean}; declare it with `ARG {name}` or "
        f"`ENV {name}=...` first"
    )


def check(model: Model, ctx: Context[VariableOptions]) -> Iterator[Finding]:
    declared = _declared_names(model)
    escape = model.dockerfile.escape
    for stage in model.stages:
        root = model.root(stage)
        names, image_known = _image_env(root, ctx.options)
        # `FROM base-${TARGETARCH}`: a base named by a variable may be any of the file's
        # stages, so what they declare may be inherited here.
        elsewhere = frozenset() if root.image is not None and root.image.has_variables else declared
        # Every image has a PATH (BuildKit gives `scratch` one too).
        extra: dict[str, Value] = dict.fromkeys(names | _PROXY_ARGS | set(_ALWAYS_SET), UNKNOWN)
        hints = _Hints(model, stage)
        for position, node in enumerate(stage.instructions):
            words = [w for w in expanded_words(node) if "$" in w.text]  # others expand nothing
            if not words:
                continue
            scope = model.scope_at(node)
            closed = not scope.open or image_known
            for word in words:
                # Layered, not merged: a merged copy of the scope per word is quadratic.
                values = Layered(scope.values, word.extra, extra)
                expanded = expand(word.text, Scope(values), escape)
                reported: set[str] = set()
                for ref in expanded.references:
                    if ref.state != "unset" or ref.name in reported:
                        continue
                    reported.add(ref.name)
                    if not _is_name(ref.name):
                        yield ctx.finding(
                            reference_span(word.span, word.text, ref),
                            _SHELL_PARAMETER.format(name=ref.name),
                        )
                        continue
                    hint = hints.suggest(ref.name, scope.values, position)
                    if hint is None and ref.name not in _ALWAYS_SET:
                        # Every image has a PATH (BuildKit sets one for `scratch` too):
                        # `$PAHT` is a typo of it, as BuildKit's check says.
                        hint = suggest(ref.name, sorted(_ALWAYS_SET), case_sensitive=True)
                    if not closed and not _implausible_image_env(ref, word, elsewhere, hint):
                        continue
                    if ref.name in word.same_instruction:
                        message = (
                            f"`${ref.name}` is set by this same `ENV`, which expands every "
                            "value with the variables from before it; set it in an earlier "
                            "`ENV`"
                        )
                    else:
                        message = _message(ref.name, model, declared, hint)
                    yield ctx.finding(reference_span(word.span, word.text, ref), message)


class _Hints:
    """``suggest(name, sorted(scope))`` for the scopes of one stage, asked in the order of
    its instructions, without comparing ``name`` with the whole scope at every question
    (quadratic in a stage of thousands of ARGs and RUNs).

    ``suggest`` keeps the first name in sorted order at the smallest distance below 3;
    only names at most 2 characters longer or shorter can be that close. Scopes only grow
    along a stage, so per asked name those names of the stage's final scope are ordered
    by the instruction whose scope they enter, and each question adds the ones that have
    entered since the last, keeping the best so far. A small scope is simply read."""

    def __init__(self, model: Model, stage: Stage) -> None:
        self.model = model
        self.stage = stage
        self.entry: dict[str, int] | None = None  # made on the first large question
        self.by_length: dict[int, list[str]] = {}
        self.asked: dict[str, _Asked] = {}

    def suggest(self, name: str, scope: Mapping[str, Value], position: int) -> str | None:
        if name in scope:
            return None  # as suggest(): a name in scope is no typo
        few = list(islice(scope, 65))
        if len(few) <= 64:  # few names: read them
            return suggest(name, sorted(few), case_sensitive=True)
        asked = self.asked.get(name)
        if asked is None:
            asked = self.asked[name] = _Asked(name, self._close(name))
        return asked.best_at(position, scope)

    def _close(self, name: str) -> list[tuple[int, str]]:
        """The names that could be suggested for ``name``, by (entry, name)."""
        if self.entry is None:
            self.entry = self._entries()
            for known in self.entry:
                self.by_length.setdefault(len(known), []).append(known)
        lengths = range(len(name) - 2, len(name) + 3)
        return sorted((self.entry[c], c) for n in lengths for c in self.by_length.get(n, ()))

    def _entries(self) -> dict[str, int]:
        """Per name of the stage's final scope, the first instruction (by position in the
        stage) whose scope may hold it: 0 for what the stage starts with or for a name
        set in a way not read here (checked at each question instead)."""
        model, stage = self.model, self.stage
        final = model.final_state(stage).scope.values
        entry = dict.fromkeys(final, 0)
        if not stage.instructions:
            return entry
        first = model.scope_at(stage.instructions[0]).values
        for position, node in enumerate(stage.instructions):
            if isinstance(node, ast.Arg):
                keys = [decl.name.text for decl in node.args]
            elif isinstance(node, ast.Env):
                keys = [pair.key.text for pair in node.pairs]
            else:
                continue
            for key in keys:
                if entry.get(key) == 0 and key not in first:
                    entry[key] = position + 1
        return entry


class _Asked:
    """The candidates for one asked name, those that have entered the scope so far, and
    the best of them (smallest distance, then first in sorted order)."""

    def __init__(self, name: str, close: list[tuple[int, str]]) -> None:
        self.name = name
        self.close = close
        self.next = 0  # close[:next] have entered a scope asked about
        self.unsure: list[str] = []  # entered by position, not yet in the scope asked
        self.best: tuple[int, str] | None = None

    def best_at(self, position: int, scope: Mapping[str, Value]) -> str | None:
        while self.next < len(self.close) and self.close[self.next][0] <= position:
            self.unsure.append(self.close[self.next][1])
            self.next += 1
        still = []
        for option in self.unsure:
            if option not in scope:
                still.append(option)
                continue
            dist = levenshtein(self.name, option, 3)
            if dist < 3 and (self.best is None or (dist, option) < self.best):
                self.best = (dist, option)
        self.unsure = still
        return self.best[1] if self.best is not None else None


_ALWAYS_SET = ("PATH",)
# Docker expands ``$1``, ``$@`` and the like in these words too, always to nothing: in a
# heredoc meant as a script they are the shell's, which never sees them.
_SHELL_PARAMETER = (
    "`${name}` is a shell parameter, which Docker replaces with nothing in this "
    "instruction; escape it as `\\${name}` to keep it for the shell"
)


def _is_name(name: str) -> bool:
    """``$1``, ``$@`` and the like are shell parameters, not variables a build defines."""
    return name[:1].isalpha() or name[:1] == "_"


def _implausible_image_env(
    ref: VarRef, word: ExpandedWord, declared: frozenset[str], hint: str | None
) -> bool:
    """The name cannot be expected from an unknown base image's ENV.

    ``ENV PATH=$PATH:/x`` extends what the image set: a name in its own assignment is
    no evidence that the file, rather than the image, defines it.
    """
    if ref.name in declared and ref.name != word.sets:
        return True
    # A near-miss of a visible name is a typo (`$PAHT`), but a longer name built around
    # it is another variable an image may well set (`$GOPATH` on `golang`, not `$PATH`).
    near_miss = hint is not None and hint not in ref.name
    return near_miss or ref.name != ref.name.upper()


RULE = Rule(
    code="DF150",
    name="undefined-variable",
    summary="Undefined variable in an expanded word",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("UndefinedVar",),
    doc=__doc__ or "",
    options=VariableOptions,
    check=check,
    tags=("correctness",),
    option_group="variables",
)
