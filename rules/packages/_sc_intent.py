"""ShellCheck findings that are true but change nothing in a build, or whose advice
breaks what the script means (see the DF360 docstring): text written to a file keeps
its `$` on purpose, a list of packages is split on purpose, `$(nproc)` prints one word."""

from __future__ import annotations

import re
from typing import Protocol

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.shell import ShellCommand
from dflint.source import Span

from ._packages import MANAGERS


class Script(Protocol):
    """A script given to ShellCheck: its text and the RUN it is from."""

    @property
    def text(self) -> str: ...

    @property
    def node(self) -> ast.Run | ast.Onbuild | None: ...


# SC2016: "Expressions don't expand in single quotes". Text written to a file on purpose
# (`echo 'export PATH="$HOME/bin:$PATH"' >> ~/.bashrc`, `printf '...$1...' > script`,
# `{ echo 'a=${X}'; } > php.ini`, `sed -i`, `| tee`) is meant to keep its `$`: the file
# expands it later.
_SINGLE_QUOTED_EXPANSION = 2016
# SC2086: "Double quote to prevent globbing and word splitting". A variable holding a
# list of words (`$EXTRA_ARGS`, `${BUILD_FLAGS}`, `$BUILD_DEPS`, `$savedAptMark`) is
# split on purpose: POSIX sh has no arrays, and quoting it would pass one argument.
_UNQUOTED = 2086
_LIST_NAME = lazy(
    r"(?:[A-Za-z0-9_]*_)?(?:args|flags|opts|options|packages|pkgs|deps)"
    r"|[A-Za-z0-9_]*(?:packages|pkgs|deps)[A-Za-z0-9_]*|savedAptMark",
    re.IGNORECASE,
)
_VARIABLE = lazy(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
# SC2046: "Quote this to prevent word splitting" (a command substitution) and SC2155:
# "Declare and assign separately to avoid masking return values".
_UNQUOTED_SUBSTITUTION = 2046
_MASKED_STATUS = 2155
# SC2089/SC2090: quotes inside a variable's value are kept literally.
_LITERAL_QUOTES = frozenset({2089, 2090})
_TEXT_WRITERS = frozenset({"echo", "printf", "cat"})
_FILE_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>"})
# Commands whose arguments are package names: a list variable there is split on purpose.
_PACKAGE_TOOLS = MANAGERS | frozenset(
    {"apt-mark", "xx-apt", "xx-apt-get", "xx-apk", "dpkg", "rpm", "pip", "pip3", "npm"}
    | {"yarn", "pnpm", "gem", "pecl", "docker-php-ext-install", "docker-php-ext-enable"}
    | {"install-php-extensions", "conda", "mamba"}
)
# Commands that print one word (a number, an architecture, a path without spaces): the
# output of `$(nproc)` cannot be split, and these do not fail in a way that matters.
_ONE_WORD = frozenset(
    {"nproc", "uname", "arch", "getconf", "id", "whoami", "mktemp", "basename", "dirname"}
    | {"pwd", "hostname", "sysctl", "xx-info", "xx-cargo", "lsb_release"}
)
_ONE_WORD_WITH = {"dpkg": "--print-architecture", "apk": "--print-arch", "go": "env"}
# Filters that keep one word one word, and the `|| echo 1` fallbacks after them.
_WORD_FILTERS = frozenset({"sed", "tr", "cut", "awk", "head", "tail", "echo"})
# Tools that print compiler or linker flags to be split into words (`$(pkg-config ...)`).
_FLAG_TOOL = lazy(r"[A-Za-z0-9_.+-]*[-_]config")


def _command_at(model: Model, script: Script, span: Span) -> ShellCommand | None:
    """The (innermost) command whose words or redirects hold ``span``."""
    if script.node is None:
        return None
    found = None
    for command in model.script(script.node).commands:
        end = max([command.span.end, *(r.span.end for r in command.redirects)])
        if command.span.start <= span.start < end and (
            found is None or command.span.start >= found.span.start
        ):
            found = command
    return found


def _writes_text(model: Model, script: Script, span: Span) -> bool:
    """The command at ``span`` writes literal text into a file."""
    if script.node is None:
        return False
    commands = model.script(script.node).commands
    for index, command in enumerate(commands):
        end = max([command.span.end, *(r.span.end for r in command.redirects)])
        if not command.span.start <= span.start < end:
            continue
        program = command.program
        if program == "sed":
            return command.has_flag("-i", "--in-place")
        if program not in _TEXT_WRITERS:
            return False
        if command.output_to_file or any(
            r.operator in _FILE_REDIRECTS
            and r.target is not None
            and r.target.value not in ("/dev/null", "/dev/stdout", "/dev/stderr")
            for r in command.redirects
        ):
            return True
        following = commands[index + 1] if index + 1 < len(commands) else None
        return command.in_pipeline and following is not None and following.program == "tee"
    return False


def _split_on_purpose(model: Model, script: Script, span: Span) -> bool:
    """The unquoted variable at ``span`` holds a list of words to split: its name says
    so, a package manager gets it as arguments, or it was assigned a list of words (in
    the RUN, or by ARG/ENV)."""
    text = model.source.text[span.start : span.end]
    match = _VARIABLE.fullmatch(text)
    if match is None:
        return False
    name = match.group(1)
    if _LIST_NAME.fullmatch(name):
        return True
    command = _command_at(model, script, span)
    if command is not None and command.program in _PACKAGE_TOOLS:
        return True
    value = model.scope_at(script.node).values.get(name) if script.node is not None else None
    if isinstance(value, str) and len(value.split()) > 1:
        return True
    # `NAME="gcc make"`: a literal list of words (not a substitution's output)
    assigned = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}=([\"'])([^\"'$`]*)\1")
    return any(len(m.group(2).split()) > 1 for m in assigned.finditer(script.text))


def _substitution_commands(text: str) -> list[list[str]] | None:
    """The commands (as words) of ``$(...)`` or a backtick substitution, split at `|`,
    `||`, `&&` and `;`; None when ``text`` is not one."""
    if text.startswith("$(") and text.endswith(")"):
        inner = text[2:-1]
    elif len(text) > 1 and text[0] == text[-1] == "`":
        inner = text[1:-1]
    else:
        return None
    if "$(" in inner or "`" in inner:
        return None
    return [part.split() for part in re.split(r"\|\||&&|[|;]", inner) if part.strip()]


def _one_word(commands: list[list[str]]) -> bool:
    """The substitution prints one word: `$(nproc)`, `$(uname -m | sed ...)`,
    `$(nproc || getconf _NPROCESSORS_ONLN || echo 1)`."""
    return prints_one_word(commands[0]) and all(
        prints_one_word(words) or (words and words[0] in _WORD_FILTERS) for words in commands[1:]
    )


def prints_one_word(words: list[str]) -> bool:
    """The command ``words`` prints one word and does not fail in a way that matters:
    `nproc`, `uname -m`, `dpkg --print-architecture`, `date +%s`."""
    if not words:
        return False
    name = words[0].rsplit("/", 1)[-1]
    if name in _ONE_WORD:
        return True
    if name == "date":  # `date +%s` prints one word, `date` several
        return len(words) > 1 and all(w.startswith("+") for w in words[1:])
    needed = _ONE_WORD_WITH.get(name)
    return needed is not None and needed in words[1:]


def _substitution_splits_nothing(model: Model, script: Script, span: Span, code: int) -> bool:
    """SC2046/SC2155 on a substitution whose splitting or status changes nothing: it
    prints one word (`-j$(nproc)`, `GNUPGHOME="$(mktemp -d)"`), or flags meant to be
    split (`$(pkg-config --cflags x)`), or package names for a package manager."""
    text = model.source.text[span.start : span.end]
    if code == _MASKED_STATUS:  # the span is the name: the substitution follows `=`
        rest = model.source.text[span.end : span.end + 200]
        match = re.match(r"=\"?(\$\([^()]*\)|`[^`]*`)", rest)
        text = match.group(1) if match else ""
    commands = _substitution_commands(text)
    if not commands:
        return False
    if _one_word(commands):
        return True
    if code != _UNQUOTED_SUBSTITUTION:
        return False
    if commands[0] and _FLAG_TOOL.fullmatch(commands[0][0].rsplit("/", 1)[-1]):
        return True
    command = _command_at(model, script, span)
    return command is not None and command.program in _PACKAGE_TOOLS


def _exported_value(model: Model, script: Script, span: Span) -> bool:
    """The span is in `export NAME="..."` and the script expands `$NAME` only inside
    double quotes: the value is for the programs that read it (`go build
    -ldflags="${LD_EXTRA} -s"`), which read its quotes themselves."""
    text = model.source.text
    line_start = text.rfind("\n", 0, span.start) + 1
    match = re.match(r"\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=", text[line_start : span.end + 1])
    return match is not None and not _expanded_unquoted(script.text, match.group(1))


def _expanded_unquoted(script: str, name: str) -> bool:
    """Whether ``script`` expands `$name` or `${name}` outside double quotes."""
    quote = ""
    i = 0
    while i < len(script):
        ch = script[i]
        if ch == "\\":
            i += 2
            continue
        if quote == "'":
            quote = "" if ch == "'" else quote
        elif ch == '"':
            quote = "" if quote else '"'
        elif ch == "'" and not quote:
            quote = "'"
        elif ch == "$" and not quote:
            match = _VARIABLE.match(script, i)
            if match is not None and match.group(1) == name:
                return True
        i += 1
    return False


def says_nothing(model: Model, script: Script, code: int, span: Span) -> bool:
    """Whether ShellCheck's finding ``code`` at ``span`` is true but following it changes
    nothing in the build, or breaks what the script means to do."""
    if code == _SINGLE_QUOTED_EXPANSION:
        return _writes_text(model, script, span)
    if code == _UNQUOTED:
        return _split_on_purpose(model, script, span)
    if code in (_UNQUOTED_SUBSTITUTION, _MASKED_STATUS):
        return _substitution_splits_nothing(model, script, span, code)
    if code in _LITERAL_QUOTES:
        return _exported_value(model, script, span)
    return False
