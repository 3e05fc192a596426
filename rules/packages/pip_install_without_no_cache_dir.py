"""`pip install` keeps its download cache in the image.

## What it does
Flags `pip install` (also `pip3`, `python -m pip`, behind `sudo`/`env`, in `sh -c`
strings, heredoc scripts, exec form and `ONBUILD RUN`) without `--no-cache-dir`. It
passes when `PIP_NO_CACHE_DIR` is set by `ENV`, by `export` earlier in the RUN or as a
prefix of the command (pip disables the cache for any boolean value, `0` and `false`
included; an empty value leaves it on), when `--no-cache-dir` comes before the
subcommand (`pip --no-cache-dir install`), or when the RUN mounts a cache or tmpfs over
pip's cache folder: the `--cache-dir`/`PIP_CACHE_DIR` path when one is set, else
`~/.cache/pip` (or `~/.cache`).

On Windows (a PowerShell or cmd RUN, or a Windows base image) the advice is
`--no-cache-dir` alone: there pip keeps its cache under `%LOCALAPPDATA%\\pip\\Cache`, and
cache mounts are for Linux builds.

`pipx`, `pipenv` and `uv` manage their own caches and are not checked. Like pip, it
reads an unambiguous prefix of the option as the option (`--no-cache`).

Only stages whose files end up in an image are checked: the final stage, stages that
no other stage uses (built with `--target`), stages copied as a whole (`COPY --from=s /
/`) and the stages those are built `FROM`. A builder stage that other stages only copy
files from keeps its cache to itself.

## Why is this bad?
pip stores every downloaded wheel and source archive under `~/.cache/pip`. In an image
that cache is never used again, but it ships in the layer and often adds tens or
hundreds of megabytes.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install flask==3.0.3
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask==3.0.3
```

## Fix safety
Inserting `--no-cache-dir` after `install` is safe: only pip's download cache stays
out of the layer.

## References
- [pip: caching](https://pip.pypa.io/en/stable/topics/caching/)
- [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
"""

from collections.abc import Iterator, Mapping

from dflint import ast
from dflint.model import Model
from dflint.model.scope import Unknown
from dflint.model.shell import Script, ShellCommand
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._stages import ran_before
from ._edits import insert_after
from ._sh_pip import pip_installs
from ._sh_runs import cache_mount_targets, scripts, shipped_stages

# pip reads an unambiguous prefix of a long option as the option: `--no-cache` and even
# `--no-ca` are `--no-cache-dir` (`--no-c` is not: `--no-clean`, `--no-color`, ...).
_NO_CACHE = "--no-cache-dir"
_SHORTEST = "--no-ca"


def _no_cache(value: str) -> bool:
    name = value.split("=", 1)[0]
    return name.startswith(_SHORTEST) and _NO_CACHE.startswith(name)


def _disables_cache(value: str | Unknown) -> bool:
    """pip turns the cache off for `PIP_NO_CACHE_DIR` set to any boolean, "0" and "false"
    included (a compatibility rule of its `--no-cache-dir` callback), and fails on other
    words; only an empty value leaves the cache on. An unknown value is taken to be set."""
    return not isinstance(value, str) or value != ""


def _set_for(command: ShellCommand, script: Script, from_env: bool) -> bool:
    """Whether `PIP_NO_CACHE_DIR` turns the cache off for ``command``: a prefix assignment,
    else the last `export` before it in the RUN, else the `ENV` in effect."""
    prefix = "PIP_NO_CACHE_DIR="
    for word in reversed(command.assignments):
        if word.text.startswith(prefix):
            return word.value is None or _disables_cache(word.value[len(prefix) :])
    exported = script.assigned_before("PIP_NO_CACHE_DIR", command.span.start, exported=True)
    if exported is not None:
        return exported.value is None or _disables_cache(exported.value[len(prefix) :])
    return from_env


def _cache_dir_mounted(targets: list[str], cache_dir: str | None) -> bool:
    """A cache or tmpfs mount on pip's cache folder: the one `--cache-dir`/`PIP_CACHE_DIR`
    names, else `~/.cache/pip` (or a folder holding it)."""
    for target in targets:
        if cache_dir is not None:
            folder = cache_dir.rstrip("/")
            if folder == target or folder.startswith(target.rstrip("/") + "/"):
                return True
        elif target.endswith(("/.cache/pip", "/.cache")):
            return True
    return False


def _cache_advice(
    model: Model, node: ast.Instruction, env: Mapping[str, object], cache_dir: str | None
) -> str:
    """The advice, with a cache mount at the folder pip uses: the one the command sets,
    else `$HOME/.cache/pip` when the Dockerfile sets HOME, else root's when the RUN runs as
    root; for another user whose home is not known here, no path is named."""
    if cache_dir is None:
        home = env.get("HOME")
        user = model.user_at(node)
        if isinstance(user, Unknown) and not ran_before(model, node, ast.User):
            user = ""  # the base image's user, root in nearly every image: as assumed before
        if isinstance(home, str) and home.startswith("/"):
            cache_dir = home.rstrip("/") + "/.cache/pip"
        elif isinstance(user, str) and user.partition(":")[0] in ("", "root", "0"):
            cache_dir = "/root/.cache/pip"
        else:
            return (
                "add `--no-cache-dir` or mount a cache (`RUN --mount=type=cache,target=...`) "
                f"at the `.cache/pip` folder in the home of user `{user}`"
                if isinstance(user, str)
                else "add `--no-cache-dir` or mount a cache at the RUN user's `.cache/pip`"
            )
    return (
        "add `--no-cache-dir` or mount a cache with `RUN --mount=type=cache,"
        f"target={cache_dir.rstrip('/')}`"
    )


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    shipped = shipped_stages(model)
    for site in scripts(model):
        if not site.onbuild and site.stage is not None and site.stage.index not in shipped:
            continue  # a builder stage: other stages copy files out, its cache stays behind
        env = model.env_at(site.node)
        from_env = _disables_cache(env.get("PIP_NO_CACHE_DIR", ""))
        targets = cache_mount_targets(site.run)
        for install in pip_installs(site.script):
            if install.tool != "pip" or any(_no_cache(w.value or "") for w in install.options):
                continue
            if _set_for(install.command, site.script, from_env):
                continue
            cache_dir = install.option_value("--cache-dir")
            if cache_dir is None:
                cache_dir = install.command.assigned_value("PIP_CACHE_DIR")
            if cache_dir is None:
                value = env.get("PIP_CACHE_DIR")
                cache_dir = value if isinstance(value, str) else None
            if _cache_dir_mounted(targets, cache_dir):
                continue
            edit = insert_after(model, site.node, install.verb, "--no-cache-dir")
            if site.script.non_posix or model.on_windows(site.node):
                # pip's cache is under %LOCALAPPDATA% there, and BuildKit's cache mounts
                # are a Linux feature: the option is the advice
                advice = "add `--no-cache-dir`"
            else:
                advice = _cache_advice(model, site.node, env, cache_dir)
            yield ctx.finding(
                install.verb.span,
                f"`pip install` leaves its download cache in the layer; {advice}",
                fix=Fix("Add `--no-cache-dir`", (edit,)) if edit else None,
            )


RULE = Rule(
    code="DF339",
    name="pip-install-without-no-cache-dir",
    summary="`pip install` without `--no-cache-dir`",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3042",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size",),
    # pip, pip3, pip3.12; `python -m pip`
    needs=Needs(programs=("pip*", "python*")),
)
