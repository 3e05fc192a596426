"""`pip install` commands inside RUN, as the pip rules need them.

Recognises ``pip``, ``pip3``, ``pip3.12``, ``python -m pip``, and (for pinning only)
``pipx install`` and ``uv pip install``; splits the arguments into options and
requirement words the way pip reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dflint.lazy_re import lazy
from dflint.model.shell import Script, ShellCommand, ShellWord
from dflint.records import record

_PIP = re.compile(r"pip[0-9.]*")
_PYTHON = lazy(r"python[0-9.]*")
# `pip install` options whose value is the next word (unless given as `--opt=value`).
_TAKES_VALUE = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url"}
    | {"--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root"}
    | {"--src", "--upgrade-strategy", "--platform", "--python-version", "--implementation"}
    | {"--abi", "--progress-bar", "--cache-dir", "--log", "--proxy", "--retries"}
    | {"--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert"}
    | {"--global-option", "--config-settings", "-C", "--report", "--only-binary"}
    | {"--no-binary", "--python", "--group", "--suffix", "--root-user-action"}
    | {"--use-feature", "--use-deprecated", "--keyring-provider", "--build-constraint"}
)
# `uv pip install` options whose value is the next word, beyond pip's (uv's CLI reference).
_UV_TAKES_VALUE = _TAKES_VALUE | frozenset(
    {"--requirements", "--constraints", "--override", "--overrides", "--exclude"}
    | {"--excludes", "-b", "--build-constraint", "--build-constraints", "--extra", "-P"}
    | {"--upgrade-package", "--reinstall-package", "--refresh-package", "--no-build-package"}
    | {"--no-binary-package", "--no-build-isolation-package", "--index", "--default-index"}
    | {"--index-strategy", "--keyring-provider", "--resolution", "--prerelease"}
    | {"--fork-strategy", "--exclude-newer", "--exclude-newer-package", "--config-setting"}
    | {"--config-settings-package", "--link-mode", "-p", "--python-platform"}
    | {"--python-preference", "--torch-backend", "--color", "--allow-insecure-host"}
    | {"--directory", "--project", "--config-file", "--dependency-metadata"}
)


@record
class PipInstall:
    command: ShellCommand
    tool: str  # "pip", "pipx", "uv pip" (as it reads in a message)
    verb: ShellWord  # the `install` word
    options: tuple[ShellWord, ...]  # the options (and values) before and after `install`
    requirements: tuple[ShellWord, ...]  # requirement specifiers, paths and URLs

    def has_option(self, *names: str) -> bool:
        return any(
            w.value is not None and (w.value in names or w.value.split("=", 1)[0] in names)
            for w in self.options
        )

    def option_value(self, *names: str) -> str | None:
        words = self.options
        for i, word in enumerate(words):
            value = word.value or ""
            name, eq, attached = value.partition("=")
            if name in names:
                if eq:
                    return attached
                return words[i + 1].value if i + 1 < len(words) else None
        return None


def _after(command: ShellCommand) -> tuple[str, int] | None:
    """The tool name and the index of the `install` word in ``command.args``."""
    program = command.program or ""
    if not program.startswith(("pip", "python", "uv")):
        return None  # the common case, decided before looking at the arguments
    values = [w.value for w in command.args]
    if _PIP.fullmatch(program):
        start, tool = 0, "pip"
    elif _PYTHON.fullmatch(program) and values[:2] == ["-m", "pip"]:
        start, tool = 2, "pip"
    elif program == "pipx":
        start, tool = 0, "pipx"
    elif program == "uv" and values[:1] == ["pip"]:
        start, tool = 1, "uv pip"
    else:
        return None
    # Global options (`pip --quiet install`, `pip --no-cache-dir install`, `pip --log
    # /tmp/pip.log install`): they apply to the install like the options after it.
    i = start
    while i < len(values) and (values[i] or "").startswith("-"):
        takes_value = values[i] in _TAKES_VALUE
        i += 2 if takes_value else 1
    if i < len(values) and values[i] == "install":
        return tool, i
    return None


def pip_installs(script: Script) -> tuple[PipInstall, ...]:
    """The pip/pipx/uv pip install commands of ``script`` (found once per script)."""
    return script.memo("pip_installs", lambda s: tuple(_pip_installs(s)))


def _pip_installs(script: Script) -> Iterator[PipInstall]:
    for command in script.commands:
        found = _after(command)
        if found is None:
            continue
        tool, at = found
        first = {"pip": 0, "pipx": 0, "uv pip": 1}[tool]
        if command.args[:1] and command.args[0].value == "-m":
            first = 2  # `python -m pip`
        options: list[ShellWord] = list(command.args[first:at])  # the global ones
        requirements: list[ShellWord] = []
        args = command.args[at + 1 :]
        i = 0
        while i < len(args):
            word = args[i]
            value = word.value
            if value is not None and value.startswith("-") and len(value) > 1:
                options.append(word)
                takes_value = _UV_TAKES_VALUE if tool == "uv pip" else _TAKES_VALUE
                if value in takes_value and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            else:
                requirements.append(word)
            i += 1
        yield PipInstall(command, tool, command.args[at], tuple(options), tuple(requirements))
