"""`gem install` of a gem without a version.

## What it does
Flags `gem install` (or `gem i`) commands in `RUN` and `ONBUILD RUN` naming gems that
have no version: neither `name:version` nor a `-v`/`--version` option (`-v 7.2`, `-v7.2`,
`--version=7.2`). One finding per command, on its first unpinned gem, names them all
(the others are related locations). Local `.gem` files pass. Options are no gems, nor
is the value of an option that takes one (any option RubyGems does not list as a
switch is read so), nor anything after `--` (build arguments for the gem).

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
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import named, pin_finding, several
from ._sh_runs import scripts

_TAKES_VALUE = (
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--document", "--build-root",
    "-P", "--trust-policy", "-s", "--source", "-p", "--http-proxy", "--platform", "-g",
    "--file", "--without", "--with", "--bulk-threshold", "--config-file",
)  # fmt: skip
# `gem install` options that take no value (RubyGems' command reference); any other
# option without `=` is read as taking the next word, which is then no gem.
_SWITCHES = frozenset(
    {
        *("-N", "--no-document", "-f", "--force", "--no-force", "-w", "--wrappers"),
        *("--no-wrappers", "-E", "--env-shebang", "--no-env-shebang", "-l", "--local"),
        *("-r", "--remote", "-b", "--both", "-q", "--quiet", "-V", "--verbose", "--no-verbose"),
        *("--backtrace", "--debug", "--norc", "--user-install", "--no-user-install"),
        *("--ignore-dependencies", "--development", "--development-all", "--conservative"),
        *("--minimal-deps", "--pre", "--prerelease", "--no-prerelease", "--clear-sources"),
        *("--lock", "--no-lock", "--suggestions", "--no-suggestions", "--default"),
        *("--explain", "--post-install-message", "--no-post-install-message", "--vendor"),
        *("--format-executable", "--no-format-executable", "--update-sources", "--silent"),
        *("--no-http-proxy", "--rdoc", "--no-rdoc", "--ri", "--no-ri", "-u"),
    }
)


def _takes_value(option: str) -> bool:
    """Whether a `gem install` option takes the next word: a listed one, or any option
    that is no known switch (`--with-pg-config /usr/bin/pg_config`)."""
    return option in _TAKES_VALUE or (
        "=" not in option and option not in _SWITCHES and not _attached_version(option)
    )


def _attached_version(value: str) -> bool:
    return value.startswith("-v") and len(value) > 2


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("gem"):
            # after `--` come the gems' build arguments
            operands = command.positional(_takes_value, after_dashes=False)
            if not operands or operands[0].value not in ("install", "i"):
                continue
            if command.option_value("-v", "--version") is not None or any(
                w.value is not None and _attached_version(w.value) for w in command.args
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
    needs=Needs(programs=("gem",)),
)
