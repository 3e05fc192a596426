"""`yarn install` leaves the package cache in a shipped image.

## What it does
Flags `yarn`, `yarn install`, `yarn add` and `yarn global add` in `RUN` (and
`ONBUILD RUN`) of the final stage and the stages it is built `FROM` when the same RUN
does not clean the cache afterwards: `yarn cache clean`, or `rm -rf` of a yarn cache
directory (or of the `--cache-folder`/`YARN_CACHE_FOLDER` it used). A cache or tmpfs
mount over yarn's cache folder passes: `~/.cache/yarn` (`/usr/local/share/.cache/yarn`
for root in the node images), `~/.yarn/berry/cache` or a project's `.yarn/cache`, or the
folder set by `--cache-folder` or `YARN_CACHE_FOLDER` (on the command, exported earlier
in the RUN, or by `ENV`); a mount anywhere else leaves the cache in the layer.
Build stages whose files are only copied from are not checked.

## Why is this bad?
Yarn keeps a copy of every package it downloads in its cache. In the image that cache
is never used again, but it ships in the layer and is often as large as
`node_modules` itself. Cleaning it in a later RUN does not help: the earlier layer
still holds it.

## Example
```dockerfile
FROM node:22-slim
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
```

## Use instead
```dockerfile
FROM node:22-slim
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
```

## References
- [yarn cache](https://classic.yarnpkg.com/en/docs/cli/cache)
- [hadolint DL3060](https://github.com/hadolint/hadolint/wiki/DL3060)
"""

from collections.abc import Iterator, Mapping

from dflint.model import Model, Value
from dflint.model.shell import POSIX, Script, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._sh_runs import cache_mount_targets, scripts, shipping_stages

_TAKES_VALUE = ("--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--cwd")


# Options that make a bare `yarn` print something instead of installing.
_INFO = frozenset({"--version", "-v", "-V", "--help", "-h"})


def _installs(command: ShellCommand) -> bool:
    operands = [w.value for w in command.positional(_TAKES_VALUE)]
    if not operands:
        return not any(w.value in _INFO for w in command.args)  # `yarn --version`
    return operands[0] in ("install", "add") or operands[:2] == ["global", "add"]


def _cleans(command: ShellCommand, folder: str | None) -> bool:
    """Whether ``command`` empties the yarn cache (``folder``: a relocated one)."""
    if command.program == "yarn":
        return [w.value for w in command.positional()][:2] == ["cache", "clean"]
    if command.program == "rm":
        for word in command.positional():
            path = (word.value or "").rstrip("/*") or None
            if path is None:
                continue
            if ("yarn" in path and "cache" in path.lower()) or path == folder:
                return True
    return False


# Where yarn keeps its cache: classic yarn in `~/.cache/yarn` (`/usr/local/share/.cache/yarn`
# for root in the node images), Yarn 2+ in `~/.yarn/berry/cache` or the project's
# `.yarn/cache`. A mount on a folder holding one of these (`~/.cache`) counts too.
_DEFAULT = "/usr/local/share/.cache/yarn"
_CACHE_ENDS = ("/.cache/yarn", "/.cache", "/.yarn/berry/cache", "/.yarn/berry", "/.yarn/cache")


def _cache_folder(command: ShellCommand, script: Script, env: Mapping[str, Value]) -> str | None:
    """The relocated cache folder: `--cache-folder`, else `YARN_CACHE_FOLDER` set on the
    command, exported earlier in the RUN, or by ENV."""
    folder = command.option_value("--cache-folder") or command.assigned_value("YARN_CACHE_FOLDER")
    if folder is None:
        exported = script.assigned_before("YARN_CACHE_FOLDER", command.span.start, exported=True)
        if exported is not None and exported.value is not None:
            folder = exported.value.split("=", 1)[1]
    if folder is None:
        value = env.get("YARN_CACHE_FOLDER")
        folder = value if isinstance(value, str) else None
    return folder.rstrip("/") if folder else None


def _mounted(targets: list[str], folder: str | None) -> bool:
    """A cache or tmpfs mount on yarn's cache folder (or a folder holding it)."""
    for target in targets:
        if folder is not None:
            if folder == target or folder.startswith(target.rstrip("/") + "/"):
                return True
        elif target.endswith(_CACHE_ENDS):
            return True
    return False


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    shipped = shipping_stages(model)
    for site in scripts(model):
        if not site.onbuild and (site.stage is None or site.stage.index not in shipped):
            continue
        targets = cache_mount_targets(site.run)
        commands = site.script.commands
        for i, command in enumerate(commands):
            if command.program != "yarn" or not _installs(command):
                continue
            folder = _cache_folder(command, site.script, model.env_at(site.node))
            if _mounted(targets, folder):
                continue
            if any(_cleans(later, folder) for later in commands[i + 1 :]):
                continue
            yield ctx.finding(
                command.span,
                "Yarn's package cache stays in the image; run `yarn cache clean` in the same "
                f"RUN, or mount a cache (`--mount=type=cache,target={folder or _DEFAULT}`)",
            )
            break


RULE = Rule(
    code="DF343",
    name="yarn-cache-not-cleaned",
    summary="`yarn install` without `yarn cache clean`",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3060",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size",),
    needs=Needs(programs=("yarn",)),
)
