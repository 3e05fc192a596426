"""`go install`, `go get` or `go run` of a remote module without a fixed version.

## What it does
Flags `go install`, `go get` and `go run` commands in `RUN` and `ONBUILD RUN` given
remote packages without `@version`, or with a moving query: `@latest`, `@upgrade`,
`@patch`, `@master`, `@main`, `@HEAD`. One finding per command, on its first such
package, names them all (the others are related locations). Local packages (`.`,
`./cmd/x`, `../x`, `*.go` files), standard-library and in-module paths (no dot in the
first path element), `@none` (removal) and option values (`-tags x`, `-ldflags "..."`)
pass.

## Why is this bad?
Without a fixed version, Go resolves the newest release (or branch head) of that day:
the image stops being reproducible, and an upstream change can break the build or
bring in unreviewed code.

## Example
```dockerfile
FROM golang:1.23
RUN go install golang.org/x/tools/gopls@latest
```

## Use instead
```dockerfile
FROM golang:1.23
RUN go install golang.org/x/tools/gopls@v0.16.2
```

## References
- [go install](https://go.dev/ref/mod#go-install)
- [hadolint DL3062](https://github.com/hadolint/hadolint/wiki/DL3062)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import ShellWord
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import named, pin_finding, several
from ._sh_runs import scripts

_VERBS = frozenset({"install", "get", "run"})
# Build flags whose value is the next word (unless written `-flag=value`).
_TAKES_VALUE = frozenset(
    {"-o", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-C"}
    | {"-buildmode", "-compiler", "-gccgoflags", "-installsuffix", "-pkgdir", "-toolexec"}
    | {"-overlay", "-pgo", "-exec", "-covermode", "-coverpkg"}
)
_MOVING = frozenset({"latest", "upgrade", "patch", "master", "main", "HEAD"})


def _packages(args: tuple[ShellWord, ...], verb: str) -> list[ShellWord]:
    found: list[ShellWord] = []
    i = 0
    while i < len(args):
        value = args[i].value
        if value is not None and value.startswith("-") and len(value) > 1:
            flag = "-" + value.lstrip("-")
            i += 2 if flag in _TAKES_VALUE and "=" not in value else 1
            continue
        found.append(args[i])
        if verb == "run" and not (value or "").endswith(".go"):
            break  # what follows the package of `go run` is the program's arguments
        i += 1
    return found


def _problem(spec: str) -> str | None:
    path, at, version = spec.partition("@")
    if path.startswith((".", "/")) or path.endswith(".go") or "." not in path.split("/")[0]:
        return None  # local directory or file, standard library, package of this module
    if not at:
        return "has no version"
    if version in _MOVING:
        return f"uses the moving version `@{version}`"
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("go"):
            if not command.args or command.args[0].value not in _VERBS:
                continue
            verb = command.args[0].value or ""
            found = [
                (word, word.value)
                for word in _packages(command.args[1:], verb)
                if word.value is not None and _problem(word.value) is not None
            ]
            if not found:
                continue
            first = found[0][1]
            path = first.partition("@")[0]
            if several(found):
                problem = "have no fixed version"
                shown = f"{named(found)} given to `go {verb}`"
            else:
                problem = _problem(first) or ""
                shown = f"`go {verb} {first}`"
            yield pin_finding(
                ctx,
                found,
                f"{shown} {problem}; pin a release (`{path}@v1.2.3`) so that every build "
                "gets the same code",
                lambda spec: f"`{spec}` {_problem(spec)}",
            )


RULE = Rule(
    code="DF342",
    name="go-install-unpinned",
    summary="`go install` of a remote module without a fixed version",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3062",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
    needs=Needs(programs=("go",)),
)
