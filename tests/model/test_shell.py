"""Table tests for ``dflint.model.shell``: RUN text -> simple commands with exact spans."""

from __future__ import annotations

import random
import re

import pytest

from dflint import ast
from dflint.model.shell import Script, ShellCommand, ShellWord, is_posix_shell, shebang_program
from dflint.model.shell_parse import parse_shell, run_commands
from dflint.parse import parse
from dflint.source import Span


def _names(script: Script) -> list[str | None]:
    return [c.name.value for c in script.commands]


def _args(command: ShellCommand) -> list[str | None]:
    return [a.value for a in command.args]


def _text(source: str, span: Span) -> str:
    return source[span.start : span.end]


def _runs(source: str) -> list[ast.Run | ast.Onbuild]:
    return [n for n in parse(source).instructions if isinstance(n, ast.Run | ast.Onbuild)]


def _run(source: str, shell: tuple[str, ...] = ("/bin/sh", "-c")) -> Script:
    dockerfile = parse(source)
    runs = [n for n in dockerfile.instructions if isinstance(n, ast.Run | ast.Onbuild)]
    assert len(runs) == 1, runs
    return run_commands(runs[0], source, dockerfile.escape, shell)


# -- sequencing --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("a", [(None, "a")]),
        (
            "a && b || c; d & e | f",
            [(None, "a"), ("&&", "b"), ("||", "c"), (";", "d"), ("&", "e"), ("|", "f")],
        ),
        ("a\nb\n\nc", [(None, "a"), (";", "b"), (";", "c")]),
        ("a &&\n  b", [(None, "a"), ("&&", "b")]),
        ("a |& b", [(None, "a"), ("|", "b")]),
        (
            "a && (b; c) || { d; e; }",
            [(None, "a"), ("&&", "b"), (";", "c"), ("||", "d"), (";", "e")],
        ),
        (
            "if a; then b; elif c; then d; else e; fi",
            [(None, "a"), (";", "b"), (";", "c"), (";", "d"), (";", "e")],
        ),
        ("for x in 1 2; do y; done; while a; do b; done", [(None, "y"), (";", "a"), (";", "b")]),
        ("case $x in a) b;; *) c;; esac; d", [(None, "b"), (";", "c"), (";", "d")]),
        # the bars between patterns are no pipes; a pipe in the body is
        ("case $x in a|b|c) d;; *) e | f;; esac", [(None, "d"), (";", "e"), ("|", "f")]),
        ("until a; do b; done", [(None, "a"), (";", "b")]),
        ("f() { g; }; f", [(None, "g"), (";", "f")]),
        (
            "x && y $(z && w) `q`",
            [(None, "x"), (None, "z"), ("&&", "w"), (None, "q"), ("&&", "y")],
        ),
        ("a # comment && b\nc", [(None, "a"), (";", "c")]),
        ("A=1; export B=2 C; unset D", [(";", "export"), (";", "unset")]),
        ("", []),
        ("   \n\t ", []),
        ("# only a comment", []),
    ],
)
def test_sequence(code: str, expected: list[tuple[str | None, str]]) -> None:
    script = parse_shell(code)
    assert [(c.operator_before, c.name.value) for c in script.commands] == expected
    assert not script.has_errors


@pytest.mark.parametrize(
    ("code", "name", "flags"),
    [
        ("(a)", "a", {"in_subshell"}),
        ("a | b", "a", {"in_pipeline"}),
        ("a | b", "b", {"in_pipeline"}),
        ("! a", "a", {"negated"}),
        ("! a | b", "b", {"in_pipeline", "negated"}),
        ("echo $(a)", "a", {"in_substitution"}),
        ("echo `a`", "a", {"in_substitution"}),
        ('echo "x$(a)"', "a", {"in_substitution"}),
        ("diff <(a) b", "a", {"in_substitution"}),
        ("X=$(a)", "a", {"in_substitution"}),
        ("echo ${X:-$(a)}", "a", {"in_substitution"}),
        ("if a; then b; fi", "b", {"in_control"}),
        ("for i in $(a); do b; done", "a", {"in_substitution", "in_control"}),
        ("while a; do b; done", "a", {"in_control"}),
        ("case x in y) a;; esac", "a", {"in_control"}),
        ("f() { a; }", "a", {"in_function"}),
        ("{ a; }", "a", set()),
        ("a", "a", set()),
        ("(b | a)", "a", {"in_subshell", "in_pipeline"}),
        ("{ a; b; } > /etc/x.ini", "a", {"output_to_file"}),
        ("(a) >> x.conf", "a", {"in_subshell", "output_to_file"}),
        ("for i in 1; do a; done > f", "a", {"in_control", "output_to_file"}),
        ("{ a; } &> log", "a", {"output_to_file"}),
        ("{ a; } > /dev/null", "a", set()),
        ("{ a; } 2> err", "a", set()),
        ("{ a; } < in", "a", set()),
        ("a > f", "a", set()),  # its own redirect: `redirects`, not a group's
    ],
)
def test_context_flags(code: str, name: str, flags: set[str]) -> None:
    all_flags = (
        *("in_subshell", "in_pipeline", "in_substitution", "in_control", "in_function"),
        "output_to_file",
    )
    (command,) = parse_shell(code).commands_named(name)
    assert {f for f in (*all_flags, "negated") if getattr(command, f)} == flags


# -- words ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "values"),
    [
        ("echo a 'b c' \"d e\" f\\ g", ["a", "b c", "d e", "f g"]),
        ('echo "a\\"b\\$c\\x" \'a\\b\'', ['a"b$c\\x', "a\\b"]),
        ("echo x'y'\"z\"", ["xyz"]),
        ("echo $'a\\tb\\x41\\101'", ["a\tbAA"]),
        ('echo $x "$y" ${z} "a$(b)" $((1+2))', [None, None, None, None, None]),
        ("echo *.c ~/x {a,b} 10", ["*.c", "~/x", "{a,b}", "10"]),
        ('echo pkg=1.0 --opt="a b"', ["pkg=1.0", "--opt=a b"]),
        ("echo ''", [""]),
        ("echo é 'ü' \"日本\"", ["é", "ü", "日本"]),
    ],
)
def test_word_values(code: str, values: list[str | None]) -> None:
    (command,) = parse_shell(code).commands_named("echo")
    assert _args(command) == values
    for arg in command.args:
        assert _text(code, arg.span) == arg.text


def test_redirects_are_not_arguments() -> None:
    code = "cmd a >/dev/null 2>&1 b < in c"
    (command,) = parse_shell(code).commands
    assert _args(command) == ["a", "b", "c"]
    assert _text(code, command.span) == code
    assert [(r.operator, r.target.value if r.target else None) for r in command.redirects] == [
        (">", "/dev/null"),
        ("2>&", "1"),
        ("<", "in"),
    ]
    (herestring,) = parse_shell("cat <<<'s' x").commands
    assert [(r.operator, r.target.value if r.target else None) for r in herestring.redirects] == [
        ("<<<", "s")
    ]
    assert [_text(code, r.span) for r in command.redirects] == [">/dev/null", "2>&1", "< in"]


@pytest.mark.parametrize(
    ("code", "redirected"),
    [
        # tree-sitter-bash hangs the redirect on the whole list; bash gives it to the
        # last command only
        ("a && b >> /f", [[], [(">>", "/f")]]),
        ("a && b && c > /f 2>&1", [[], [], [(">", "/f"), ("2>&", "1")]]),
        ("a && b | c > /f", [[], [], [(">", "/f")]]),
        ("a > /f && b", [[(">", "/f")], []]),
        ("a || echo x >>~/.profile", [[], [(">>", "~/.profile")]]),
    ],
)
def test_redirect_after_a_list_is_the_last_commands(
    code: str, redirected: list[list[tuple[str, str | None]]]
) -> None:
    commands = parse_shell(code).commands
    assert [
        [(r.operator, r.target.value if r.target else None) for r in c.redirects] for c in commands
    ] == redirected


def test_assignment_prefix() -> None:
    code = 'DEBIAN_FRONTEND=noninteractive X="a b" apt-get install -y curl'
    (command,) = parse_shell(code).commands
    assert command.name.value == "apt-get"
    assert [a.value for a in command.assignments] == ["DEBIAN_FRONTEND=noninteractive", "X=a b"]
    assert command.assigned_value("X") == "a b"
    assert command.assigned_value("Y") is None
    assert _text(code, command.span) == code
    assert _text(code, command.name.span) == "apt-get"


def test_standalone_assignment_is_not_a_command() -> None:
    assert parse_shell("A=1 B=2").commands == ()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # the shell finds the closing backtick first: the comment ends there
        (
            "apt-get install -y a `# why` b && rm -rf x",
            [("apt-get", ["install", "-y", "a", "b"]), ("rm", ["-rf", "x"])],
        ),
        ('echo "it\'s" `# note` b', [("echo", ["it's", "b"])]),
        ("echo '`# quoted`' b", [("echo", ["`# quoted`", "b"])]),
        ("echo a # c `x` && rm y", [("echo", ["a"])]),  # a real comment still ends the line
        ("echo `date` b", [("date", []), ("echo", [None, "b"])]),
    ],
)
def test_comment_in_backticks_ends_at_the_backtick(
    code: str, expected: list[tuple[str, list[str | None]]]
) -> None:
    commands = parse_shell(code).commands
    assert [(c.program, [w.value for w in c.args]) for c in commands] == expected


def test_standalone_assignments_are_script_variables() -> None:
    code = 'pkgs="curl git"; f() { inner=1; }; (sub=1); x=$(y=2 cmd) && last=1'
    script = parse_shell(code)
    assert [w.value for w in script.variables] == ["pkgs=curl git", None, "last=1"]
    assert [_text(code, w.span) for w in script.variables] == [
        'pkgs="curl git"',
        "x=$(y=2 cmd)",
        "last=1",
    ]


@pytest.mark.parametrize(
    ("code", "name", "exported", "expected"),
    [
        ('pkgs="a b"; apt-get install $pkgs', "pkgs", False, "pkgs=a b"),
        ("pkgs=a; pkgs=b; apt-get install $pkgs", "pkgs", False, "pkgs=b"),
        ("apt-get install $pkgs; pkgs=a", "pkgs", False, None),  # set after the command
        ("P=1; pip install x", "P", True, None),  # not exported: pip does not see it
        ("export P=1 Q; pip install x", "P", True, "P=1"),
        ("declare -x P=0; pip install x", "P", True, "P=0"),
        ("declare P=0; pip install x", "P", True, None),
        ("readonly P=0; pip install x", "P", False, "P=0"),
        ("f() { export P=1; }; pip install x", "P", True, None),  # only when f is called
        ("bash -c 'export P=1 && pip install x'", "P", True, "P=1"),
    ],
)
def test_assigned_before(code: str, name: str, exported: bool, expected: str | None) -> None:
    script = parse_shell(code)
    last = script.commands[-1]
    word = script.assigned_before(name, last.span.start, exported=exported)
    assert (word.value if word is not None else None) == expected


# -- wrappers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "name", "args", "wrappers", "assignments"),
    [
        ("sudo apt-get update", "apt-get", ["update"], ("sudo",), []),
        ("sudo -u app -E -H pip install x", "pip", ["install", "x"], ("sudo",), []),
        ("sudo --user=app A=1 npm i", "npm", ["i"], ("sudo",), ["A=1"]),
        ("sudo -l", "sudo", ["-l"], (), []),
        ("sudo", "sudo", [], (), []),
        ("env -i A=b PATH=/x cmd y", "cmd", ["y"], ("env",), ["A=b", "PATH=/x"]),
        ("env -u X - cmd", "cmd", [], ("env",), []),
        ("env", "env", [], (), []),
        ("xargs -n1 -I{} -P 4 rm {}", "rm", ["{}"], ("xargs",), []),
        ("xargs -0 --max-args 2 apt-get install", "apt-get", ["install"], ("xargs",), []),
        ("nice -n 10 make", "make", [], ("nice",), []),
        ("nice -10 make", "make", [], ("nice",), []),
        ("time -p make all", "make", ["all"], ("time",), []),
        ("nohup node s.js", "node", ["s.js"], ("nohup",), []),
        ("exec -a name node s.js", "node", ["s.js"], ("exec",), []),
        ("command curl x", "curl", ["x"], ("command",), []),
        ("command -v curl", "command", ["-v", "curl"], (), []),
        ("timeout 10 curl x", "curl", ["x"], ("timeout",), []),
        ("timeout -s KILL --kill-after=5 10s wget x", "wget", ["x"], ("timeout",), []),
        ("gosu app:app node s", "node", ["s"], ("gosu",), []),
        ("/usr/bin/sudo /usr/bin/apt-get x", "/usr/bin/apt-get", ["x"], ("sudo",), []),
        (
            "sudo env A=1 xargs -r nice apt-get",
            "apt-get",
            [],
            ("sudo", "env", "xargs", "nice"),
            ["A=1"],
        ),
        ("sudo $CMD x", None, ["x"], ("sudo",), []),
        ("sudo -- ls", "ls", [], ("sudo",), []),
    ],
)
def test_wrappers(
    code: str,
    name: str | None,
    args: list[str],
    wrappers: tuple[str, ...],
    assignments: list[str],
) -> None:
    (command,) = parse_shell(code).commands
    assert command.name.value == name
    assert _args(command) == args
    assert command.wrappers == wrappers
    assert [a.value for a in command.assignments] == assignments
    assert _text(code, command.span) == code


@pytest.mark.parametrize(
    ("code", "expected", "wrappers"),
    [
        ("sh -c 'apt-get update && apt-get install -y x'", ["apt-get", "apt-get"], ("sh",)),
        ('bash -c "a; b"', ["a", "b"], ("bash",)),
        ("/bin/bash -euxo pipefail -c 'a | b'", ["a", "b"], ("bash",)),
        ("bash -ec 'a'", ["a"], ("bash",)),
        ("sh -c 'a' name arg", ["a"], ("sh",)),
        ("sudo -u x bash -c 'env A=1 b'", ["b"], ("sudo", "bash", "env")),
        ("su -c 'useradd x' root", ["useradd"], ("su",)),
        ("su - app -c 'npm ci'", ["npm"], ("su",)),
        ("su app --command='npm ci'", ["npm"], ("su",)),
        ("su -lc 'a'", ["a"], ("su",)),
        ('sh -c "sh -c \'bash -c \\"x\\"\'"', ["x"], ("sh", "sh", "bash")),
        ('bash -c "$SCRIPT"', ["bash"], ()),
        ("bash script.sh", ["bash"], ()),
        ("sh -c", ["sh"], ()),
        ("su - app", ["su"], ()),
    ],
)
def test_shell_c(code: str, expected: list[str], wrappers: tuple[str, ...]) -> None:
    script = parse_shell(code)
    assert _names(script) == expected
    assert all(c.wrappers == wrappers for c in script.commands)


def test_shell_c_spans_point_into_the_string() -> None:
    code = "X=1 sh -c 'apt-get install -y \"cürl\" && l\\s' && echo"
    script = parse_shell(code)
    assert [(c.operator_before, c.name.value) for c in script.commands] == [
        (None, "apt-get"),
        ("&&", "ls"),
        ("&&", "echo"),
    ]
    first, second, _ = script.commands
    assert _text(code, first.span) == 'apt-get install -y "cürl"'
    assert _text(code, first.args[2].span) == '"cürl"'
    assert first.args[2].value == "cürl"
    assert [a.value for a in first.assignments] == ["X=1"]
    assert _text(code, second.name.span) == "l\\s"


def test_shell_c_with_escapes_inside_double_quotes() -> None:
    code = 'sh -c "echo \\"a b\\" && ls"'
    script = parse_shell(code)
    echo, ls = script.commands
    assert _args(echo) == ["a b"]
    assert _text(code, echo.args[0].span) == '\\"a b\\"'
    assert _text(code, ls.span) == "ls"


def test_nested_heredoc_read_by_a_shell() -> None:
    code = "bash <<'X'\napt-get update\nX\ncat <<Y\nnot a command\nY\n"
    script = parse_shell(code)
    assert _names(script) == ["apt-get", "cat"]
    assert script.commands[0].wrappers == ("bash",)
    assert _text(code, script.commands[0].span) == "apt-get update"


# -- flags -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "flags", "expected"),
    [
        ("apt-get install -y x", ("-y", "--yes"), True),
        ("apt-get install -qy x", ("-y",), True),
        ("apt-get -yq install x", ("-q",), True),
        ("apt-get install --yes x", ("-y", "--yes"), True),
        ("apt-get install --assume-yes=true x", ("--assume-yes",), True),
        ("apt-get install x", ("-y", "--yes"), False),
        ("apt-get install -q=2 x", ("-q=2",), True),
        ("apt-get install -qq x", ("-qq",), True),
        ("apt-get install -q x", ("-qq",), False),
        ("apt-get -oAPT::Get::Assume-Yes=1 install", ("-y",), False),
        ("apt-get install -- -y", ("-y",), False),
        ("apt-get install yes", ("-y", "--yes"), False),
        ("pip install --no-cache-dir x", ("--no-cache-dir",), True),
        ("pip install --no-cache-dirs x", ("--no-cache-dir",), False),
        ("apt-get install $Y x", ("-y",), False),
        ("wget -nv x", ("-nv",), True),
        ("wget -q x", ("--progress",), False),
    ],
)
def test_has_flag(code: str, flags: tuple[str, ...], expected: bool) -> None:
    (command,) = parse_shell(code).commands
    assert command.has_flag(*flags) is expected


@pytest.mark.parametrize(
    ("code", "takes_value", "expected"),
    [
        ("apt-get install -y curl git=1:2", (), ["install", "curl", "git=1:2"]),
        ("apt-get install -t bookworm curl", ("-t",), ["install", "curl"]),
        ("apt-get install -t bookworm curl", (), ["install", "bookworm", "curl"]),
        ("rm -rf -- -x y", (), ["-x", "y"]),
        ("pip install -r req.txt .", ("-r",), ["install", "."]),
        ("npm i $PKG -", (), ["i", None, "-"]),
    ],
)
def test_positional(code: str, takes_value: tuple[str, ...], expected: list[str | None]) -> None:
    (command,) = parse_shell(code).commands
    assert [w.value for w in command.positional(takes_value)] == expected


@pytest.mark.parametrize(
    ("code", "flags", "expected"),
    [
        ("wget --progress=dot:giga x", ("--progress",), "dot:giga"),
        ("useradd -u 1000 app", ("-u", "--uid"), "1000"),
        ("useradd --uid=1000 app", ("-u", "--uid"), "1000"),
        ("useradd app", ("-u",), None),
        ("useradd app -u", ("-u",), None),
        ("x -- -u 1", ("-u",), None),
    ],
)
def test_option_value(code: str, flags: tuple[str, ...], expected: str | None) -> None:
    (command,) = parse_shell(code).commands
    assert command.option_value(*flags) == expected


def test_commands_named() -> None:
    script = parse_shell("/usr/bin/apt-get update && apt install x && sudo apt-get y && $X")
    assert [c.args[0].value for c in script.commands_named("apt-get")] == ["update", "y"]
    assert len(script.commands_named("apt-get", "apt")) == 3
    assert len(script.commands_named("/usr/bin/apt-get")) == 1
    assert script.commands_named("yum") == ()
    assert script.commands[0].program == "apt-get"
    assert script.commands[-1].program is None


# -- shells ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/bin/sh", "-c"], True),
        (["/bin/bash", "-o", "pipefail", "-c"], True),
        (["powershell", "-Command"], False),
        (["pwsh", "-c"], False),
        (["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-c"], False),
        (["cmd", "/S", "/C"], False),
        (["cmd.exe", "/C"], False),
        (["C:\\VsDevCmd.bat", "&&", "cmd", "/S", "/C"], False),
        ([], True),
    ],
)
def test_is_posix_shell(argv: list[str], expected: bool) -> None:
    assert is_posix_shell(argv) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("#!/bin/bash\nx", "bash"),
        ("#!/usr/bin/env python3\nx", "python3"),
        ("#!/usr/bin/env -S bash -e\n", "bash"),
        ("#! /bin/sh -e\n", "sh"),
        ("echo\n", None),
        ("#!\n", None),
    ],
)
def test_shebang_program(body: str, expected: str | None) -> None:
    assert shebang_program(body) == expected


# -- whole RUN instructions ---------------------------------------------------------------------
def _unfold(original: str, escape: str) -> str:
    """The logical text of an original span: continuations and comment lines removed."""
    lines = re.split(r"(?<=\n)", original)
    out: list[str] = []
    continuing = False
    for line in lines:
        if continuing and line.lstrip(" \t").startswith("#"):
            continue
        if continuing and not line.strip():
            continue
        body = line.rstrip("\r\n")
        match = re.search(rf"(?<!{re.escape(escape)}){re.escape(escape)}[ \t]*$", body)
        continuing = bool(match) and line.endswith("\n")
        out.append(body[: match.start()] if continuing and match else body)
    return "".join(out)


def _check_spans(source: str, script: Script, escape: str = "\\") -> None:
    for command in script.commands:
        for word in command.words:
            assert _unfold(_text(source, word.span), escape) == word.text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "FROM x\nRUN apt-get update \\\n# a comment\n  && apt-get install -y curl \\\n\n"
            "    # another\n  && rm -rf /var/lib/apt/lists/*\n",
            [
                ("apt-get", ["update"]),
                ("apt-get", ["install", "-y", "curl"]),
                ("rm", ["-rf", "/var/lib/apt/lists/*"]),
            ],
        ),
        (
            "# escape=`\nFROM x\nRUN echo a `\n  # c\n  && echo c:\\ `\n  && dir\n",
            [("echo", ["a"]), ("echo", ["c: "]), ("dir", [])],
        ),
        (
            'FROM x\r\nRUN apt-get update \\\r\n  && apt-get install -y "cürl" \\\r\n'
            "# c\r\n  && echo 日本\r\n",
            [("apt-get", ["update"]), ("apt-get", ["install", "-y", "cürl"]), ("echo", ["日本"])],
        ),
        (
            "\ufeffRUN --mount=type=cache,target=/root/.cache pip install \\\n  x",
            [("pip", ["install", "x"])],
        ),
        ("FROM x\nONBUILD RUN sudo apt-get update", [("apt-get", ["update"])]),
        ("FROM x\nonbuild   run  echo   a", [("echo", ["a"])]),
        ("FROM x\nRUN echo 'unclosed", [("echo", [])]),  # best effort, has_errors
        ("FROM x\nRUN \\\n  echo \\\n  é\n", [("echo", ["é"])]),
    ],
)
def test_shell_form_run(source: str, expected: list[tuple[str, list[str]]]) -> None:
    escape = "`" if "escape=`" in source else "\\"
    script = _run(source)
    assert [(c.name.value, _args(c)) for c in script.commands] == expected
    _check_spans(source, script, escape)


def test_run_name_spans_across_continuations() -> None:
    source = "FROM x\nRUN a \\\n # c\n && bé \\\n  c \\\n# d\n\\\n  && d\n"
    script = _run(source)
    _a, b, d = script.commands
    assert _text(source, b.name.span) == "bé"
    assert _text(source, b.span) == "bé \\\n  c"
    assert _text(source, d.span) == "d"
    assert source.index("d\n", source.index("&& d")) == d.span.start


@pytest.mark.parametrize(
    ("source", "expected", "wrappers"),
    [
        (
            'FROM x\nRUN ["apt-get", "install", "-y", "x"]',
            [("apt-get", ["install", "-y", "x"])],
            (),
        ),
        (
            'FROM x\nRUN ["sh", "-c", "apt-get update && sudo ls"]',
            [("apt-get", ["update"]), ("ls", [])],
            ("sh",),
        ),
        (
            'FROM x\nRUN ["/bin/bash", "-c", "echo \\"a\\" \\u00e9"]',
            [("echo", ["a", "é"])],
            ("bash",),
        ),
        ("FROM x\nRUN []", [], ()),
    ],
)
def test_exec_form_run(
    source: str, expected: list[tuple[str, list[str]]], wrappers: tuple[str, ...]
) -> None:
    script = _run(source)
    assert [(c.name.value, _args(c)) for c in script.commands] == expected
    assert all(c.wrappers[: len(wrappers)] == wrappers for c in script.commands)


def test_exec_form_sh_c_spans() -> None:
    source = 'FROM x\nRUN ["sh", "-c", \\\n  "a \\"b c\\" && \\u00e9d"]\n'
    script = _run(source)
    a, ed = script.commands
    assert _text(source, a.args[0].span) == '\\"b c\\"'
    assert a.args[0].value == "b c"
    assert _text(source, ed.name.span) == "\\u00e9d"
    assert ed.name.value == "éd"


def test_exec_form_without_shell_c() -> None:
    source = 'FROM x\nRUN ["apt-get", "install", "-y"]'
    (command,) = _run(source).commands
    assert command.name.text == '"apt-get"'
    assert _text(source, command.name.span) == '"apt-get"'
    assert command.has_flag("-y")


@pytest.mark.parametrize(
    ("source", "names", "uses"),
    [
        (
            "FROM x\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n",
            ["apt-get", "apt-get"],
            [("sh", True)],
        ),
        ("FROM x\nRUN <<EOF bash -e\nset -x\ncd /x\nEOF\n", ["set", "cd"], [("bash", True)]),
        ("FROM x\nRUN bash <<'EOF'\ncd /x\nEOF\n", ["cd"], [("bash", True)]),
        ("FROM x\nRUN sudo sh -s <<EOF\nls\nEOF\n", ["ls"], [("sh", True)]),
        ("FROM x\nRUN <<EOF\n#!/bin/bash\nls\nEOF\n", ["ls"], [("bash", True)]),
        ("FROM x\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n", [], [("python3", False)]),
        ("FROM x\nRUN python3 <<EOF\nimport os\nEOF\n", ["python3"], [("python3", False)]),
        (
            "FROM x\nRUN <<A cat > /a && <<B bash && echo done\nfoo\nA\nls\nB\n",
            ["cat", "ls", "echo"],
            [("cat", False), ("bash", True)],
        ),
        ("FROM x\nRUN bash -c 'x' <<EOF\nnot run\nEOF\n", ["x"], [(None, False)]),
        ("FROM x\nRUN bash script.sh <<EOF\ninput\nEOF\n", ["bash"], [("bash", False)]),
        ("FROM x\nRUN <<-EOF\n\tls\n\tEOF\n", ["ls"], [("sh", True)]),
        ("FROM x\nONBUILD RUN <<EOF\nls\nEOF\n", ["ls"], [("sh", True)]),
    ],
)
def test_heredoc_run(source: str, names: list[str], uses: list[tuple[str | None, bool]]) -> None:
    script = _run(source)
    assert _names(script) == names
    assert [(u.program, u.shell) for u in script.heredocs] == uses
    _check_spans(source, script)


def test_heredoc_body_spans_and_order() -> None:
    source = "FROM x\nRUN apt-get update && <<EOF bash && echo end\napt-get install -y é\nEOF\n"
    script = _run(source)
    assert [(c.operator_before, c.name.value) for c in script.commands] == [
        (None, "apt-get"),
        ("&&", "apt-get"),
        ("&&", "echo"),
    ]
    install = script.commands[1]
    assert install.wrappers == ("bash",)
    assert _text(source, install.span) == "apt-get install -y é"
    assert _text(source, install.args[2].span) == "é"


def test_windows_shells_are_not_parsed_as_sh() -> None:
    source = "FROM x\nRUN Get-ChildItem | Select-Object x\n"
    script = _run(source, shell=("powershell", "-Command"))
    assert script.non_posix
    assert script.dialect == "powershell"
    assert [c.program for c in script.commands] == ["get-childitem", "select-object"]
    exec_form = _run('FROM x\nRUN ["apt-get", "x"]', shell=("cmd", "/S", "/C"))
    assert _names(exec_form) == ["apt-get"]
    assert exec_form.dialect == "cmd"
    shebang = _run("FROM x\nRUN <<EOF\n#!/bin/sh\nls\nEOF\n", shell=("pwsh", "-c"))
    assert _names(shebang) == ["ls"]
    plain = _run("FROM x\nRUN <<EOF\nls\nEOF\n", shell=("pwsh", "-c"))
    assert plain.non_posix
    assert plain.commands == ()


def test_run_without_command() -> None:
    dockerfile = parse("FROM x\nRUN\nONBUILD COPY a b\n")
    for node in dockerfile.instructions[1:]:
        assert isinstance(node, ast.Run | ast.Onbuild)
        assert run_commands(node, "FROM x\nRUN\nONBUILD COPY a b\n", "\\") == Script()


# -- robustness --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "code",
    [
        "echo 'unclosed",
        'echo "unclosed $(',
        "a && && b",
        "if then fi done esac ;; ) } ]]",
        "$(((((((",
        "cat <<EOF\nno end",
        "sh -c 'sh -c \"sh -c",
        "su -c",
        "sudo -u",
        "timeout",
        "xargs -I",
        "\x00\x01\x02 \udcff \ud800",
        "a\\",
        "`",
        "((",
        "echo $'\\x",
        "f() {",
        "\\\n\\\n",
    ],
)
def test_bad_shell_never_raises(code: str) -> None:
    script = parse_shell(code)
    for command in script.commands:
        assert 0 <= command.span.start <= command.span.end <= len(code)


def test_unclosed_quote_is_flagged() -> None:
    script = parse_shell("apt-get install 'x && y")
    assert script.has_errors
    assert _names(script) == ["apt-get"]


def test_binary_junk() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        for text in (data.decode("latin-1"), data.decode("utf-8", "surrogateescape")):
            script = parse_shell(text)
            for command in script.commands:
                assert command.span.end <= len(text)
            source = "FROM x\nRUN " + text.replace("\n", " ")
            for node in _runs(source):
                run_commands(node, source, "\\")


def test_long_and_chain() -> None:
    # No timing assert (machines are noisy): a quadratic walk would take minutes here.
    code = " && ".join(f"apt-get install -y pkg{i}" for i in range(5000))
    script = parse_shell(code)
    assert len(script.commands) == 5000
    assert script.commands[-1].operator_before == "&&"
    assert _text(code, script.commands[-1].span) == "apt-get install -y pkg4999"


def test_long_continued_run() -> None:
    body = " \\\n".join(f"  && apt-get install -y p{i}" for i in range(2000))
    source = "FROM x\nRUN true" + body + "\n"
    script = _run(source)
    assert len(script.commands) == 2001
    _check_spans(source, script)


@pytest.mark.parametrize("depth", [50, 1000, 5000])
def test_deep_nesting(depth: int) -> None:
    script = parse_shell("( " * depth + "echo hi" + " )" * depth)
    assert _names(script) == ["echo"]
    assert script.commands[0].in_subshell
    nested = parse_shell("echo " + "$(" * depth + "x" + ")" * depth)
    assert _names(nested)[0] == "x"
    assert _names(nested)[-1] == "echo"


def test_shell_word_is_a_value() -> None:
    # A record (dflint.records): equal and hashed by value, read-only for the type checker.
    word = ShellWord("a", "a", Span(0, 1))
    assert word == ShellWord("a", "a", Span(0, 1))
    assert {word: 1}[ShellWord("a", "a", Span(0, 1))] == 1
    with pytest.raises(AttributeError):
        word.other = "b"  # type: ignore[attr-defined]  # slots: no new attributes


# -- mapping a command's offsets to the file -------------------------------------------


def test_pieces_map_as_the_line_map_does() -> None:
    """``Pieces.of(map, base)`` is ``Shift(map, base)`` in one step, for random lines."""
    from dflint.model.shell_walk import Pieces, Shift
    from dflint.parse.scan import LineMap

    rng = random.Random(7)
    for _ in range(300):
        line_map, length, original = LineMap(), 0, rng.randrange(0, 50)
        for _ in range(rng.randrange(1, 5)):
            line_map.add(length, original)
            size = rng.randrange(1, 30)
            length += size
            original += size + rng.randrange(1, 8)  # the escape and newline between
        base = rng.randrange(0, length)
        fast, reference = Pieces.of(line_map, base), Shift(line_map, base)
        for start in range(length - base):
            assert fast.offset(start) == reference.offset(start)
            for end in range(max(0, start - 2), length - base + 1):
                assert fast.span(start, end) == reference.span(start, end)


def test_one_line_commands_map_as_through_their_logical_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A RUN on one physical line skips assembling its logical line again; its commands
    and every span are the same as when it is assembled."""
    from benchmarks.generate import generate_lint_corpus
    from dflint import engine
    from dflint.model import shell_parse as shell

    texts = [
        *generate_lint_corpus(3, 60),
        "FROM alpine\nRUN   echo \"a b\" 'c'\tx=1 y | tee  /log # tail\n",
        "FROM alpine\r\nRUN a && \\\r\n  b\r\nRUN c; d\r\n",
        "\ufeffRUN x\n",
    ]

    def scripts() -> list[object]:
        found: list[object] = []
        for text in texts:
            m = engine.build(text, "Dockerfile")
            for node in m.instructions(ast.Run):
                found.append(shell.run_commands(node, text, m.dockerfile.escape))
                found.append(shell.command_source(node, text, m.dockerfile.escape))
        return found

    def normalized(items: list[object]) -> list[object]:
        # command_source's offset function is compared through what it returns
        return [
            (item[0], [item[1](i) for i in range(len(item[0]))])
            if isinstance(item, tuple)
            else item
            for item in items
        ]

    shortcuts: list[bool] = []
    real = shell._command_line

    def counted(run: ast.Run, word: ast.Word, text: str, escape: str) -> object:
        line = real(run, word, text, escape)
        shortcuts.append(line is None)
        return line

    def assembled(run: ast.Run, word: ast.Word, text: str, escape: str) -> object:
        return shell._logical_line(run, text, escape)

    monkeypatch.setattr(shell, "_command_line", counted)
    fast = normalized(scripts())
    assert any(shortcuts)  # both paths are exercised
    assert not all(shortcuts)
    monkeypatch.setattr(shell, "_command_line", assembled)
    assert normalized(scripts()) == fast
