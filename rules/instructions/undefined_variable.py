r"""A variable that is not defined where Docker expands it.

## What it does
Checks the words BuildKit itself expands — `ENV`, `LABEL`, `ARG` defaults, `COPY`/`ADD`
paths, `--chown`/`--chmod`/`--checksum` and unquoted heredoc bodies, `WORKDIR`, `USER`,
`VOLUME`, `STOPSIGNAL` and `RUN --mount` values — for `$NAME` that no `ARG` or `ENV`
before it defines in the stage (or its parent stages). `RUN`, `CMD` and `ENTRYPOINT`
text is the shell's business and is not checked; `\$NAME` and `'$NAME'` are literal.

The ENV of an external base image is not known to a linter, so a name is only flagged
in a stage on such an image when it cannot plausibly come from there: it is declared
elsewhere in the file (a global ARG not re-declared in the stage, an ARG of another
stage, an ENV set only later), it is a near-miss of a visible name, or it contains
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
- `build-args`: names passed with `--build-arg`. They matter to `undefined-arg-in-from`;
  inside a stage a build arg is only visible through an `ARG`, so they do not silence
  this rule.
- `image-env`: the ENV names images define, as `{ image = [names] }`. The key is an
  image name (`python`, `ghcr.io/org/base`) or name with tag (`python:3.12`); for a
  listed image its ENV counts as known, so any other undefined name is flagged. The
  key `"*"` adds names to every image and does not make any image's ENV known.

## References
- [Dockerfile reference: environment replacement](https://docs.docker.com/reference/dockerfile/#environment-replacement)
- [Docker build checks: UndefinedVar](https://docs.docker.com/reference/build-checks/undefined-var/)
"""

from collections.abc import Iterable, Iterator, Mapping

from dflint import ast
from dflint.model import UNKNOWN, Model, Scope, Stage, Value
from dflint.model.scope import Layered, VarRef, expand
from dflint.parse.validate import suggest
from dflint.records import record
from dflint.rule import Context, Finding, FixAvailability, Rule, Severity
from dflint.source import Span

from .._shared._variables import VariableOptions, reference_span

# Predefined proxy ARGs; BuildKit passes them to builds without any declaration.
_PROXY_ARGS = frozenset(
    f(name)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
    for f in (str.upper, str.lower)
)
_EXPANDED_FLAGS = ("chown", "chmod", "checksum")


@record
class _Word:
    text: str
    span: Span
    extra: frozenset[str] = frozenset()  # names declared earlier in the same ARG
    sets: str | None = None  # the ENV key this value is assigned to (``PATH=$PATH:/x``)
    same_instruction: frozenset[str] = frozenset()  # keys of earlier pairs of this ENV


def _words(node: ast.Instruction) -> Iterator[_Word]:
    if isinstance(node, (ast.Env, ast.Label)):
        earlier_keys: set[str] = set()
        for pair in node.pairs:
            yield _Word(pair.key.text, pair.key.span)
            yield _Word(
                pair.value.text,
                pair.value.span,
                sets=pair.key.text,
                same_instruction=frozenset(earlier_keys),
            )
            if isinstance(node, ast.Env):
                earlier_keys.add(pair.key.text)
    elif isinstance(node, ast.Arg):
        earlier: set[str] = set()
        for decl in node.args:
            if decl.default is not None:
                yield _Word(decl.default.text, decl.default.span, frozenset(earlier))
            earlier.add(decl.name.text)
    elif isinstance(node, ast.Copy):
        for word in node.args:
            if not word.text.startswith("<<"):
                yield _Word(word.value, word.span)
        for flag in node.flags:
            if flag.name in _EXPANDED_FLAGS and flag.value is not None:
                yield _Word(flag.value, flag.value_span or flag.span)
        for heredoc in node.heredocs:
            if heredoc.expand:
                yield _Word(heredoc.content, heredoc.body_span)
    elif isinstance(node, (ast.Workdir, ast.User, ast.StopSignal)):
        if node.value is not None:
            yield _Word(node.value.text, node.value.span)
    elif isinstance(node, ast.Volume):
        for word in node.args:
            yield _Word(word.value, word.span)
    elif isinstance(node, ast.Run):
        for flag in node.flags:
            if flag.name == "mount" and flag.value is not None:
                yield _Word(flag.value, flag.value_span or flag.span)


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
        names, image_known = _image_env(model.root(stage), ctx.options)
        extra: dict[str, Value] = dict.fromkeys(names | _PROXY_ARGS, UNKNOWN)
        hints = _Hints(model.final_state(stage).scope.values)
        for node in stage.instructions:
            words = [w for w in _words(node) if "$" in w.text]  # others expand nothing
            if not words:
                continue
            scope = model.scope_at(node)
            closed = not scope.open or image_known
            for word in words:
                # Layered, not merged: a merged copy of the scope per word is quadratic.
                values = Layered(scope.values, dict.fromkeys(word.extra, UNKNOWN), extra)
                expanded = expand(word.text, Scope(values), escape)
                reported: set[str] = set()
                for ref in expanded.references:
                    if ref.state != "unset" or ref.name in reported or not _is_name(ref.name):
                        continue
                    reported.add(ref.name)
                    hint = hints.suggest(ref.name, scope.values)
                    if not closed and not _implausible_image_env(ref, word, declared, hint):
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
    """``suggest(name, sorted(scope))`` for the scopes of one stage, without comparing
    ``name`` with every name of every scope: the names within suggestion distance are
    found once per name among all the names the stage ever has in scope (scopes only
    grow along a stage, up to its final one), then filtered by the scope asked about."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = names
        self.by_length: dict[int, list[str]] | None = None  # made on the first question
        self.near: dict[str, list[str]] = {}

    def suggest(self, name: str, scope: Mapping[str, Value]) -> str | None:
        if name in scope:
            return None  # as suggest(): a name in scope is no typo
        near = self.near.get(name)
        if near is None:
            if self.by_length is None:
                self.by_length = {}
                for known in self.names:
                    self.by_length.setdefault(len(known), []).append(known)
            # suggest() keeps the first option at the smallest distance below 3, in sorted
            # order: only names at most 2 characters longer or shorter can be that close.
            lengths = range(len(name) - 2, len(name) + 3)
            close = sorted(c for n in lengths for c in self.by_length.get(n, ()))
            near = self.near[name] = [c for c in close if suggest(name, [c], True) is not None]
        return suggest(name, [c for c in near if c in scope], case_sensitive=True)


def _is_name(name: str) -> bool:
    """``$1``, ``$@`` and the like are shell parameters, not variables a build defines."""
    return name[:1].isalpha() or name[:1] == "_"


def _implausible_image_env(
    ref: VarRef, word: _Word, declared: frozenset[str], hint: str | None
) -> bool:
    """The name cannot be expected from an unknown base image's ENV.

    ``ENV PATH=$PATH:/x`` extends what the image set: a name in its own assignment is
    no evidence that the file, rather than the image, defines it.
    """
    if ref.name in declared and ref.name != word.sets:
        return True
    return hint is not None or ref.name != ref.name.upper()


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
