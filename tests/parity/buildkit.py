"""BuildKit's build checks and dflint's equivalents, side by side.

The oracle is ``buildkit-oracle``: a program built from BuildKit's own code that answers,
for any Dockerfile text, what ``docker build --check`` reports (base images stubbed: each
has ``ENV PATH=...`` and platform linux/amd64 unless a request says otherwise). It is
looked up in this order: the ``DFLINT_BUILDKIT_ORACLE`` environment variable (a path),
then ``shared/tools/buildkit-oracle/buildkit-oracle`` beside the repository or beside one
of its parent folders. Tests skip with :data:`MISSING` as the reason when it is absent.

dflint's side: the rules whose ``buildkit=`` names a check, selected by those names, with
the same build arguments, ``.dockerignore`` and base-image facts the oracle was given. A
finding counts as the check its rule (or, where the findings say which equivalents they
are, the finding's ``equivalents``) names, on the line ``LintResult.reference_line`` gives.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dflint import engine
from dflint.model.context import BuildContext
from dflint.registry import default_registry
from dflint.rule import Finding
from dflint.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ENV_VAR = "DFLINT_BUILDKIT_ORACLE"
_RELATIVE = Path("shared", "tools", "buildkit-oracle", "buildkit-oracle")

# The 22 checks of `docker build --check` (BuildKit's linter/ruleset.go).
CHECKS = (
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
)

Pair = tuple[str, int]  # (check name, 1-based line)


def oracle_path() -> Path | None:
    """The oracle program, or None when it is not on this machine."""
    given = os.environ.get(ENV_VAR)
    if given:
        path = Path(given)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for folder in (ROOT, *ROOT.parents):
        candidate = folder.parent / _RELATIVE
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


MISSING = (
    f"the BuildKit check oracle is not here (set {ENV_VAR} to its path, or put it at "
    f"../{_RELATIVE.as_posix()} beside the repository)"
)


@dataclass(frozen=True)
class Inputs:
    """One Dockerfile and what the build gives it besides the text."""

    dockerfile: str
    dockerignore: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    check_build_arg: str | None = None  # BUILDKIT_DOCKERFILE_CHECK
    image_env: Mapping[str, Sequence[str]] = field(default_factory=dict)  # ref -> ["K=V"]
    image_platforms: Mapping[str, str] = field(default_factory=dict)  # ref -> "os/arch"
    # Files of the build context besides the ignore file (dflint looks at them; BuildKit's
    # check reads only the ignore file). Used when ``dockerignore`` is given.
    context_files: tuple[str, ...] = ()
    # A Dockerfile on disk: its folder is the build context dflint reads (instead of a
    # temporary one made of ``context_files``).
    context_root: Path | None = None

    def request(self) -> dict[str, Any]:
        req: dict[str, Any] = {"dockerfile": self.dockerfile}
        if self.dockerignore is not None:
            req["dockerignore"] = self.dockerignore
        if self.build_args:
            req["build_args"] = dict(self.build_args)
        if self.check_build_arg is not None:
            req["check_build_arg"] = self.check_build_arg
        if self.image_env:
            req["image_env"] = {k: list(v) for k, v in self.image_env.items()}
        if self.image_platforms:
            req["image_platforms"] = dict(self.image_platforms)
        return req


@dataclass(frozen=True)
class Answer:
    """What the oracle answered: the warnings, and whether BuildKit rejected the file."""

    pairs: frozenset[Pair]
    details: tuple[tuple[str, int, str], ...]
    error: str | None  # BuildKit rejects the file (parse, instruction or build error)


class Oracle:
    """One long-lived oracle process: a JSON request per line in, an answer per line out."""

    def __init__(self, path: Path) -> None:
        self._process = subprocess.Popen(
            [str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._next = 0
        atexit.register(self.close)

    def ask(self, inputs: Inputs) -> Answer:
        process = self._process
        assert process.stdin is not None
        assert process.stdout is not None
        self._next += 1
        req = inputs.request() | {"id": self._next}
        process.stdin.write(json.dumps(req) + "\n")
        process.stdin.flush()
        resp = json.loads(process.stdout.readline())
        if resp.get("oracle_error"):
            raise RuntimeError(f"buildkit-oracle failed: {resp['oracle_error']}")
        lint = resp.get("lint") or []
        details = tuple((w["rule"], w["line"], w["detail"]) for w in lint)
        error = resp.get("parse_error") or resp.get("instructions_error") or resp.get("lint_error")
        return Answer(frozenset((w[0], w[1]) for w in details), details, error)

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=10)
        if self._process.stdout is not None:
            self._process.stdout.close()


@cache
def oracle() -> Oracle | None:
    path = oracle_path()
    return Oracle(path) if path is not None else None


# ------------------------------------------------------------------------ dflint's side
# The oracle's stub gives every base image this ENV and no other.
_STUB_ENV = ("PATH",)


def _names(env: Sequence[str]) -> list[str]:
    return [item.split("=", 1)[0] for item in env]


def settings_for(inputs: Inputs) -> Settings:
    """dflint's settings that tell it what the oracle is told: the build-arg names and
    the ENV of each base image (``image_env``, else the stub's ``PATH`` alone)."""
    return _settings(*_key(inputs))


_Key = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]


def _key(inputs: Inputs) -> _Key:
    env = {ref: tuple(_names(items)) for ref, items in inputs.image_env.items()}
    for stage in engine.build(inputs.dockerfile, "Dockerfile").stages:
        image = stage.image
        if image is not None and not image.has_variables and image.text not in env:
            env[image.text] = _STUB_ENV
    return tuple(sorted(inputs.build_args)), tuple(sorted(env.items()))


def _settings(
    build_args: tuple[str, ...], image_env: tuple[tuple[str, tuple[str, ...]], ...]
) -> Settings:
    variables: dict[str, Any] = {}
    if build_args:
        variables["build-args"] = list(build_args)
    if image_env:
        variables["image-env"] = {ref: list(names) for ref, names in image_env}
    rules: dict[str, dict[str, Any]] = {"variables": variables} if variables else {}
    # The default set of BuildKit's equivalents: the opt-in one of its experimental check
    # runs where the file (or the BUILDKIT_DOCKERFILE_CHECK build argument, dflint's
    # `buildkit-check` setting) asks for it.
    others = tuple(r.code for r in default_registry().rules if not set(r.buildkit) & set(CHECKS))
    return Settings(select=None, ignore=others, rules=rules)


@cache
def _prepared(key: _Key) -> list[engine.PreparedRule]:
    return engine.prepare(_settings(*key))


_CHECK_OF_RULE: dict[str, str] = {}


def check_of(finding: Finding) -> str | None:
    """The BuildKit check a finding stands for (its rule's, or where the rule's findings
    say which equivalents they are, the finding's own)."""
    if finding.equivalents is not None:
        named = [name for name in finding.equivalents if name in CHECKS]
        return named[0] if len(named) == 1 else None
    if not _CHECK_OF_RULE:
        for rule in default_registry().rules:
            names = [name for name in rule.buildkit if name in CHECKS]
            if len(names) == 1:
                _CHECK_OF_RULE[rule.code] = names[0]
    return _CHECK_OF_RULE.get(finding.code)


def _context(folder: Path, inputs: Inputs) -> BuildContext:
    assert inputs.dockerignore is not None
    (folder / ".dockerignore").write_text(inputs.dockerignore, encoding="utf-8")
    (folder / "Dockerfile").write_text(inputs.dockerfile, encoding="utf-8")
    for name in inputs.context_files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return BuildContext.load(folder, folder / "Dockerfile")


def dflint_pairs(inputs: Inputs) -> frozenset[Pair]:
    """The (check, line) pairs dflint reports through its equivalents (unsuppressed)."""
    prepared = _prepared(_key(inputs))
    text = inputs.dockerfile
    check = inputs.check_build_arg
    if inputs.dockerignore is None:
        result = engine.lint_text(text, "Dockerfile", prepared, buildkit_check=check)
    elif inputs.context_root is not None:
        context = BuildContext.load(inputs.context_root)
        result = engine.lint_text(
            text, "Dockerfile", prepared, buildkit_check=check, context=context
        )
    else:
        with tempfile.TemporaryDirectory(prefix="dflint-bk-") as tmp:
            context = _context(Path(tmp), inputs)
            result = engine.lint_text(
                text, "Dockerfile", prepared, buildkit_check=check, context=context
            )
    pairs = set()
    for finding in result.findings:
        if finding.suppressed:
            continue
        check = check_of(finding)
        if check is not None:
            pairs.add((check, result.reference_line(finding)))
    return frozenset(pairs)


def by_check(pairs: Iterable[Pair]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for check, line in pairs:
        out.setdefault(check, set()).add(line)
    return out
