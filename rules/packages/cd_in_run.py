"""A RUN changes directory with `cd` instead of using `WORKDIR`.

## What it does
Flags `cd` in `RUN` instructions (shell form, exec form, `sh -c` strings and heredoc
scripts; in PowerShell and cmd scripts also `Set-Location`, `sl`, `chdir` and `pushd`)
into a folder that exists before the RUN and stays after it: once per RUN, at the first
such `cd`. A `cd` inside a subshell, `(cd build && make)`, is scoped on purpose and
passes, and so is a `cd` that `WORKDIR` cannot replace without splitting the RUN:
- into a folder the same RUN creates: `mkdir build && cd build`, `git clone URL && cd
  repo`, `bench init DIR`, an unpacked archive, the PHP images' `docker-php-source
  extract`, `$(mktemp -d)`, or a folder held in a variable the RUN sets
  (`dir="$(mktemp -d)"; cd "$dir"`);
- into a scratch folder: `/tmp`, `/var/tmp`, a `--mount=type=cache` or `tmpfs` target
  of the RUN;
- into a folder the same RUN deletes at the end (`cd /usr/src/python && make install &&
  rm -rf /usr/src/python`);
- to the folder an archive is then unpacked into (`cd /usr/local/bin && tar -xzf
  /tmp/tool.tgz`: `tar -C` is the alternative);
- back out: `cd /`, `cd ..`, `cd -`.

## Why is this bad?
A `cd` lasts only until the end of its RUN; every later instruction starts again in
the `WORKDIR`. Chains of `cd` make it hard to see where a command runs and easy to run
the next RUN in the wrong directory. `WORKDIR` states the directory once, creates it
if needed and applies to `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` alike.

## Example
```dockerfile
FROM golang:1.23
COPY . /src
RUN cd /src && go build -o /app .
```

## Use instead
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /app .
```

## References
- [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
- [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
"""

import posixpath
from collections.abc import Iterator, Sequence

from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.shell import ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._paths import is_absolute
from ._sh_runs import cache_mount_targets, scripts

# `cd` back out (to `/`, up, home, the previous directory): nothing to put in a WORKDIR.
_RETURNS = frozenset({"", "/", "\\", "-", "~", "..", "$OLDPWD", "${OLDPWD}", "$HOME", "${HOME}"})
# `<tool> init DIR`, `git clone URL [DIR]`, `cargo new DIR`, `composer create-project P DIR`
_CREATING_VERBS = frozenset({"init", "new", "clone", "create", "create-project", "startproject"})
_ARCHIVERS = frozenset({"tar", "bsdtar", "unzip", "7z", "7za"})
# Scratch folders: a `cd` there is for temporary work, never a WORKDIR for what follows.
_SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "$TMPDIR", "${TMPDIR}")
# `docker-php-source extract` (the official PHP images) unpacks PHP's sources here, and
# `docker-php-source delete` removes them again.
_PHP_SOURCE = "/usr/src/php"
_VARIABLE = lazy(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


# PowerShell's and cmd's ways to change directory (`popd` goes back, like `cd -`).
_WINDOWS_CD = frozenset({"cd", "chdir", "set-location", "sl", "pushd"})
_WINDOWS_MKDIR = frozenset({"mkdir", "md", "new-item", "ni"})
_WINDOWS_UNPACK = frozenset({"expand-archive", "tar"})


def _clean(path: str, windows: bool = False) -> str:
    if windows:  # case-insensitive, either slash
        path = path.replace("\\", "/").lower().rstrip("/") or path
    path = posixpath.normpath(path) if path else path
    return path.removeprefix("./")


def _windows_created(command: ShellCommand) -> tuple[list[str], bool]:
    """What a PowerShell or cmd command creates: `mkdir`/`md`/`New-Item` folders,
    `Expand-Archive -DestinationPath` (or into the current folder), `git clone`."""
    program = command.program or ""
    if program in _WINDOWS_MKDIR:
        if program in ("new-item", "ni"):
            if (_parameter(command, "-itemtype", "-type") or "").lower() != "directory":
                return [], False
            path = _parameter(command, "-path", "-name")
            if path:
                return [path], False
        named = command.positional(("-ItemType", "-Type", "-itemtype", "-type"))
        return [w.value for w in named if w.value], False
    if program in _WINDOWS_UNPACK:
        into = _parameter(command, "-destinationpath", "-c")
        return ([into], False) if into else ([], True)
    words = [w.value for w in command.args]
    if words and words[0] == "clone":
        return _cloned(words[1:]), False
    if program == "docker-php-source" and words[:1] == ["extract"]:
        return [_PHP_SOURCE], False  # the PHP images' helper unpacks the sources there
    return [], False


def _parameter(command: ShellCommand, *names: str) -> str | None:
    """The value after a PowerShell parameter (case-insensitive: `-Path x`, `-path x`)."""
    args = command.args
    for i, arg in enumerate(args[:-1]):
        if (arg.value or "").lower() in names:
            return args[i + 1].value
    return None


def _cloned(words: Sequence[str | None]) -> list[str]:
    """What `git clone [options] URL [DIR]` creates: DIR, or the repository's name (the
    words of option values like `--depth 1` are skipped by finding the URL)."""
    for i, word in enumerate(words):
        if word and ("://" in word or word.endswith(".git") or word.startswith("git@")):
            rest = [w for w in words[i + 1 :] if w]
            name = posixpath.basename(word.rstrip("/")).removesuffix(".git")
            return rest[:1] or [name]
    return [w for w in words if w]


def _created(command: ShellCommand) -> tuple[list[str], bool]:
    """The directories ``command`` creates, and whether it extracts an archive into the
    current directory (where its top folder, name unknown, appears)."""
    program = command.program or ""
    words = [w.value for w in command.positional()]
    known = [w for w in words if w]
    if program == "mkdir":
        return known, False
    if program in ("cp", "mv") and len(words) >= 2 and words[-1]:
        return [words[-1]], False
    if program in _ARCHIVERS:
        into = command.option_value("-C", "--directory", "-d", "-o")
        return ([into], False) if into else ([], True)
    if words and words[0] == "clone":
        return _cloned(words[1:]), False
    if program == "docker-php-source" and words[:1] == ["extract"]:
        return [_PHP_SOURCE], False  # the PHP images' helper unpacks the sources there
    if words and words[0] in _CREATING_VERBS:
        return known[1:], False
    return [], False


def _advisable(
    commands: Sequence[ShellCommand],
    set_here: frozenset[str] = frozenset(),
    mounted: Sequence[str] = (),
) -> ShellCommand | None:
    """The first `cd` that `WORKDIR` could replace: into a folder that exists before the
    RUN and stays. A `cd` into what the RUN creates (`git clone ... && cd repo`, `mkdir
    build && cd build`, an extracted archive), into a scratch folder (`/tmp`), to where an
    archive is unpacked next, back out (`cd /`, `cd ..`) or inside a subshell is left
    alone; so is one into a folder named by a variable in ``set_here`` (set by the RUN
    itself), under a ``mounted`` cache or tmpfs target, or removed later in the RUN."""
    created: list[str] = []
    extracted = False  # an archive was unpacked into the current directory
    fresh = False  # the current directory is one the RUN created
    for index, command in enumerate(commands):
        if command.in_function:
            continue
        windows = command.dialect != "posix"
        if command.program not in (_WINDOWS_CD if windows else ("cd",)):
            made, unpacked = (_windows_created if windows else _created)(command)
            created.extend(_clean(m, windows) for m in made)
            extracted = extracted or unpacked
            continue
        operands = [w for w in command.args if not (w.value or "x").startswith("-")]
        if windows:  # `cd /d D:\app` (cmd), `Set-Location -Path C:\app`
            operands = [w for w in operands if (w.value or "").lower() != "/d"]
        text = operands[0].text if operands else ""
        if command.in_subshell:
            continue
        if text in _RETURNS or text.startswith(("../", "..\\")) or "$(" in text or "`" in text:
            fresh = "$(" in text or "`" in text  # `cd "$(mktemp -d)"`
            continue
        if set_here and _names_variable(text, set_here):
            fresh = True  # `dir="$(mktemp -d)"; cd "$dir"`: WORKDIR cannot read it
            continue
        target = _clean(text.strip("\"'"), windows)
        if _under(target, mounted) or _removed_later(target, commands[index + 1 :]):
            fresh = True  # nothing done there stays in the image
            continue
        absolute = target.startswith("/") or (windows and is_absolute(target))
        if _under(target, created) or (not absolute and (fresh or extracted)):
            fresh = True
            continue
        if _scratch(target) or _unpacks_next(commands[index + 1 :]):
            fresh = True  # what happens there is temporary, or `tar -C` says where
            continue
        return command
    return None


def _names_variable(text: str, names: frozenset[str]) -> bool:
    """Whether the `cd` operand expands one of the shell variables ``names``."""
    return any(match.group(1) in names for match in _VARIABLE.finditer(text))


def _under(target: str, folders: Sequence[str]) -> bool:
    """Whether ``target`` is one of ``folders`` or inside one."""
    return any(target == f or target.startswith(f.rstrip("/") + "/") for f in folders)


def _removed_later(target: str, rest: Sequence[ShellCommand]) -> bool:
    """Whether a later `rm -r` of the RUN removes ``target`` (or a folder holding it)."""
    if not target.startswith("/"):
        return False
    for command in rest:
        if command.program != "rm" or command.in_subshell:
            continue
        words = [w.value or "" for w in command.args]
        recursive = any(
            w == "--recursive"
            or (w.startswith("-") and not w.startswith("--") and "r" in w.lower())
            for w in words
        )
        removed = [posixpath.normpath(w) for w in words if w.startswith("/")]
        if recursive and any(r != "/" and _under(target, [r]) for r in removed):
            return True
    return False


def _scratch(target: str) -> bool:
    """A folder for temporary files: what a RUN does there is not the image's."""
    return _under(target, _SCRATCH)


def _unpacks_next(rest: Sequence[ShellCommand]) -> bool:
    """Whether an archive is unpacked in the directory a `cd` entered, before any other
    `cd`: the `cd` says where it goes (`tar -C DIR` is the alternative, not WORKDIR)."""
    for command in rest:
        if command.program == "cd" and not command.in_subshell:
            return False
        if command.program in _ARCHIVERS and _created(command)[1] and _extracts(command):
            return True
    return False


def _extracts(command: ShellCommand) -> bool:
    """Whether an archiver unpacks (`tar -xzf`, `tar xf`, `tar --extract`, `unzip`,
    `7z x`) rather than packs (`tar -czf`)."""
    if command.program != "tar" and command.program != "bsdtar":
        return command.program == "unzip" or any(w.value == "x" for w in command.args[:1])
    for index, word in enumerate(command.args):
        value = word.value or ""
        if value in ("--extract", "--get"):
            return True
        cluster = value[1:] if value.startswith("-") and not value.startswith("--") else ""
        if not cluster and index == 0 and not value.startswith("-"):
            cluster = value  # `tar xzf file`: the old form, without a dash
        if "x" in cluster:
            return True
    return False


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model, onbuild=False):
        script = site.script
        exported = (
            word
            for c in script.commands
            if c.program in ("export", "declare", "typeset", "local", "readonly")
            for word in c.args
        )
        set_here = frozenset(
            word.text.split("=", 1)[0]
            for word in (*script.variables, *exported)
            if "=" in word.text
        )
        command = _advisable(script.commands, set_here, cache_mount_targets(site.run))
        if command is None:
            continue
        operands = [w.text for w in command.args if not w.text.startswith("-")]
        if command.dialect != "posix":
            operands = [w for w in operands if w.lower() != "/d"]
        target = operands[0] if operands else None
        where = f"`WORKDIR {target}`" if target else "`WORKDIR`"
        yield ctx.finding(
            command.span,
            f"Use {where} instead of `{command.name.text}` to set the directory commands run in",
        )


RULE = Rule(
    code="DF331",
    name="cd-in-run",
    summary="`cd` in RUN instead of WORKDIR",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3003",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("readability",),
    needs=Needs(programs=tuple(sorted(_WINDOWS_CD))),  # `cd` is among them
)
