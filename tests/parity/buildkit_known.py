"""Known differences between dflint's equivalents and BuildKit's checks.

Each kind is a precise test of one (check, line) pair that only one side reports, and
says why dflint differs: BuildKit is wrong there, dflint is deliberately stricter, or
BuildKit's run knew something the file does not say (the image a build argument names).
The differential test fails on every other difference; ``buildkit_agreement`` counts
these as explained.

Kinds (side that reports the pair; check; why):

- ``exec-prefix`` (BuildKit; JSONArgsRecommended): `CMD exec app` replaces the shell
  with the program, so signals reach it.
- ``ignore-exceptions`` (dflint; CopyIgnoredFile): BuildKit's check gives up on ignore
  files with `!` exceptions; dflint evaluates them.
- ``image-env-source`` (BuildKit; CopyIgnoredFile): the source expands a base image's
  ENV value, which dflint does not know.
- ``unset-source`` (BuildKit; CopyIgnoredFile): a source starts with a variable the file
  does not set; BuildKit judges it empty, dflint does not guess.
- ``onbuild-trigger`` (BuildKit; CopyIgnoredFile): BuildKit runs a parent stage's
  `ONBUILD COPY` in the child and reports it at the child's `FROM`.
- ``image-from-build-arg`` (BuildKit; UndefinedVar, WorkdirRelativePath): the stage's
  image is named by a build argument, so dflint does not know its ENV.
- ``unset-workdir`` (BuildKit; WorkdirRelativePath): `WORKDIR $X` with `X` undefined or
  an ARG without a default; BuildKit judges a build without build arguments (empty,
  relative), dflint does not guess the value (an undefined `$X` is reported).
- ``secret-*`` (BuildKit; SecretsUsedInArgOrEnv): DF604 passes empty or yes/no values
  and names that say where a secret is (`_HOST`, `_FILE`). Its findings that only
  hadolint's DL3064 makes (more names, global ARGs, ONBUILD) carry that code alone
  (``Finding.equivalents``), so they are no difference here.
- ``onbuild-legacy`` (dflint; LegacyKeyValueFormat): an `ONBUILD ENV a b` is reported
  where it is written; BuildKit warns in each child build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from dflint import ast, engine
from dflint.model import Model
from dflint_rules.security.secret_in_arg_or_env import looks_secret
from tests.parity.buildkit import Answer, Inputs, Pair

# BuildKit's SecretsUsedInArgOrEnv (linter/ruleset.go), to tell the names it reports.
_BUILDKIT_SECRET = re.compile(
    r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)"
)
_BUILDKIT_NOT_SECRET = re.compile(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")
_STUB_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

Explainer = Callable[[str, Pair, Inputs, Answer, Model], "str | None"]


@lru_cache(maxsize=64)
def _model(text: str) -> Model:
    return engine.build(text, "Dockerfile")


def _node_at(model: Model, line: int) -> ast.Instruction | None:
    lines = model.source.lines
    for node in model.dockerfile.instructions:
        if lines.line_of(node.span.start) == line:
            return node
    return None


def _target(node: ast.Instruction) -> ast.Instruction:
    return node.trigger if isinstance(node, ast.Onbuild) and node.trigger is not None else node


def _image_from_build_arg(model: Model, node: ast.Instruction) -> bool:
    stage = model.stage_of(node)
    if stage is None:
        return False
    root = model.root(stage)
    return root.image is not None and root.image.has_variables


def _json_args(side: str, pair: Pair, inputs: Inputs, answer: Answer, model: Model) -> str | None:
    node = _node_at(model, pair[1])
    command = getattr(node, "command", None)
    text = command.shell_text if command is not None else None
    if side == "oracle" and text is not None and text.split(None, 1)[:1] == ["exec"]:
        return "exec-prefix"
    return None


def _copy_ignored(
    side: str, pair: Pair, inputs: Inputs, answer: Answer, model: Model
) -> str | None:
    ignore = inputs.dockerignore or ""
    if side == "dflint" and any(line.strip().startswith("!") for line in ignore.splitlines()):
        return "ignore-exceptions"
    if side != "oracle":
        return None
    details = [d for c, line, d in answer.details if c == pair[0] and line == pair[1]]
    if details and all(_STUB_PATH in d for d in details):
        return "image-env-source"
    node = _node_at(model, pair[1])
    if isinstance(node, ast.From):
        return _onbuild_parent(model, node)
    if isinstance(node, (ast.Copy, ast.Add)) and any("$" in w.text for w in node.sources):
        return "unset-source"
    return None


def _onbuild_parent(model: Model, node: ast.From) -> str | None:
    """BuildKit runs the ONBUILD triggers of a parent stage in the child and reports
    them at the child's FROM."""
    stage = model.stage_of(node)
    parents = model.lineage(stage)[1:] if stage is not None else ()
    if any(isinstance(n, ast.Onbuild) for p in parents[:1] for n in p.instructions):
        return "onbuild-trigger"
    return None


def _variables(side: str, pair: Pair, inputs: Inputs, answer: Answer, model: Model) -> str | None:
    node = _node_at(model, pair[1])
    if side != "oracle" or node is None:
        return None
    if _image_from_build_arg(model, node):
        return "image-from-build-arg"
    if isinstance(node, ast.Workdir) and node.value and node.value.text.startswith("$"):
        scope = model.scope_at(node)
        name = re.split(r"[}:/-]", node.value.text.lstrip("${"))[0]
        value = scope.values.get(name)
        if value is None or not isinstance(value, str):
            return "unset-workdir"  # undefined, or an ARG without a default
    return None


def _names(node: ast.Instruction) -> list[tuple[str, str | None]]:
    target = _target(node)
    if isinstance(target, ast.Arg):
        return [(d.name.text, d.default.text if d.default else None) for d in target.args]
    if isinstance(target, ast.Env):
        return [(p.key.text, p.value.text) for p in target.pairs]
    return []


def _buildkit_secret(name: str) -> bool:
    return bool(_BUILDKIT_SECRET.search(name)) and not _BUILDKIT_NOT_SECRET.search(name)


def _secrets(side: str, pair: Pair, inputs: Inputs, answer: Answer, model: Model) -> str | None:
    node = _node_at(model, pair[1])
    if node is None:
        return None
    names = _names(node)
    if side == "dflint":
        return None
    flagged = [(n, v) for n, v in names if _buildkit_secret(n)]
    if flagged and all(not looks_secret(n) for n, _ in flagged):
        return "secret-not-a-secret-name"  # `_HOST`, `ALLOW_EMPTY_`, `VITE_`...
    if flagged and all(v is not None and v.strip().lower() in _EMPTY_OR_SWITCH for _, v in flagged):
        return "secret-empty-or-switch-value"
    return None


_EMPTY_OR_SWITCH = frozenset({"", '""', "''", "yes", "no", "true", "false", "on", "off", "0", "1"})


def _legacy(side: str, pair: Pair, inputs: Inputs, answer: Answer, model: Model) -> str | None:
    node = _node_at(model, pair[1])
    return "onbuild-legacy" if side == "dflint" and isinstance(node, ast.Onbuild) else None


_BY_CHECK: dict[str, Explainer] = {
    "JSONArgsRecommended": _json_args,
    "CopyIgnoredFile": _copy_ignored,
    "UndefinedVar": _variables,
    "WorkdirRelativePath": _variables,
    "SecretsUsedInArgOrEnv": _secrets,
    "LegacyKeyValueFormat": _legacy,
}


def explain(side: str, pair: Pair, inputs: Inputs, answer: Answer) -> str | None:
    """The kind of known difference ``pair`` is when only ``side`` ("oracle" or
    "dflint") reports it, or None."""
    explainer = _BY_CHECK.get(pair[0])
    if explainer is None:
        return None
    return explainer(side, pair, inputs, answer, _model(inputs.dockerfile))
