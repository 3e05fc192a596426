"""`npm install` of a package without a version.

## What it does
Flags `npm install` commands (and its aliases `npm i`, `npm add`, ...) in `RUN` and
`ONBUILD RUN` naming packages that have no version: `express`, `@scope/pkg`,
`express@latest`, or a git repository without a `#ref`. One finding per command, on
its first unpinned package, names them all (the others are related locations). Installing from
`package.json` (no package named), versions and ranges (`express@4.21.1`),
`#ref`-pinned git and GitHub specs, tarballs and local paths pass.

## Why is this bad?
Without a version, each build installs whatever the registry marks as latest that day:
builds stop being reproducible, and a new major release can break them without a
change to the Dockerfile. `@latest` says the same thing explicitly.

## Example
```dockerfile
FROM node:22-slim
RUN npm install -g pnpm
```

## Use instead
```dockerfile
FROM node:22-slim
RUN npm install -g pnpm@9.12.1
```

## References
- [npm install](https://docs.npmjs.com/cli/commands/npm-install)
- [hadolint DL3016](https://github.com/hadolint/hadolint/wiki/DL3016)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import Unpinned, pin_finding, spec_message
from ._pkg_rules import package_values
from ._sh_runs import scripts

_INSTALL = frozenset(
    {"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal"}
    | {"isntall", "add"}
)
_TAKES_VALUE = (
    "--prefix", "--loglevel", "--registry", "--tag", "-w", "--workspace", "--omit",
    "--include", "--cache", "--userconfig", "--install-strategy", "--save-prefix",
    "--before", "--otp", "-C",
)  # fmt: skip
_LOCAL = (".", "/", "~", "file:")
_TARBALLS = (".tgz", ".tar.gz", ".tar")
_GIT = ("git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:")


def _unpinned(spec: str) -> bool:
    if spec.startswith(_LOCAL) or spec.endswith(_TARBALLS) or "#" in spec:
        return False
    if spec.startswith(_GIT):
        return True  # a repository without `#ref` installs its default branch
    if "://" in spec:
        return False  # a tarball URL
    _, at, version = spec[1:].partition("@")
    if not at:
        # `user/repo` is a GitHub repository; `@scope/name` and `name` are packages
        return True
    return version in ("", "latest")


def _repository(spec: str) -> bool:
    return spec.startswith(_GIT) or ("/" in spec and not spec.startswith("@"))


def _message(found: list[Unpinned]) -> str:
    return spec_message(
        found,
        lambda s: f"{s.removesuffix('@latest')}@<version>",
        "#<ref>",
        _repository,
        "a repository",
    )


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("npm"):
            operands = command.positional(_TAKES_VALUE)
            if not operands or operands[0].value not in _INSTALL:
                continue
            found = [
                (word, value)
                for word in operands[1:]
                for value in package_values(model, site.node, word, site.script) or ()
                if _unpinned(value)
            ]
            if not found:
                continue
            yield pin_finding(ctx, found, _message(found), lambda spec: f"Pin `{spec}`")


RULE = Rule(
    code="DF340",
    name="npm-install-unpinned",
    summary="`npm install` without a version",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3016",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
    needs=Needs(programs=("npm",)),
)
