"""`gem install` of a gem without a version.

## What it does
Flags `gem install` (or `gem i`) commands in `RUN` and `ONBUILD RUN` naming gems that
have no version: neither `name:version` nor a `-v`/`--version` option (`-v 7.2`, `-v7.2`,
`--version=7.2`). One finding per command, on its first unpinned gem, names them all
(the others are related locations). Local `.gem` files pass.

## Why is this bad?
Without a version, each build installs the newest release of that day: builds stop
being reproducible, and a new major release can break them without a change to the
Dockerfile.

## Example
```dockerfile
FROM ruby:3.3-slim
RUN gem install bundler
```

## Use instead
```dockerfile
FROM ruby:3.3-slim
RUN gem install bundler:2.5.22
```

## References
- [gem install](https://guides.rubygems.org/command-reference/#gem-install)
- [hadolint DL3028](https://github.com/hadolint/hadolint/wiki/DL3028)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._pins import named, pin_finding, several
from ._sh_runs import scripts

_TAKES_VALUE = (
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--document", "--build-root",
    "-P", "--trust-policy", "-s", "--source", "-p", "--http-proxy", "--platform", "-g",
    "--file", "--without", "--with",
)  # fmt: skip


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("gem"):
            operands = command.positional(_TAKES_VALUE)
            if not operands or operands[0].value not in ("install", "i"):
                continue
            if command.option_value("-v", "--version") is not None or any(
                w.value is not None and w.value.startswith("-v") and len(w.value) > 2
                for w in command.args
            ):
                continue  # one version for the gems named
            found = [
                (word, word.value)
                for word in operands[1:]
                if word.value is not None
                and ":" not in word.value
                and not word.value.endswith(".gem")
            ]
            if not found:
                continue
            first = found[0][1]
            versions = "versions" if several(found) else "a version"
            yield pin_finding(
                ctx,
                found,
                f"Pin {named(found)} to {versions} (`{first}:<version>` or `-v <version>`) "
                "so that every build installs the same thing",
                lambda gem: f"Pin `{gem}`",
            )


RULE = Rule(
    code="DF341",
    name="gem-install-unpinned",
    summary="`gem install` without a version",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3028",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
)
