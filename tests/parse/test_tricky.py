"""Every "Tricky example" of the reference (§16 of dockerfile-syntax.md) and the ✔ claims of
§1-§14, with BuildKit's own outputs at the reference commit.

Each case gives the exact input text and what BuildKit reports: the AST in ``Node.Dump()``
form, the heredocs, the escape token, a parser-layer error (``PARSE ERROR``) or the first
instruction-layer error with its line (``INSTRUCTION ERROR``; BuildKit stops at the first,
dflint reports all, so the first by position is compared), and the lines of
``NoEmptyContinuation`` warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dflint.parse import parse
from dflint.source import LineIndex
from tests.parse.buildkit_dump import Heredocs, dump, heredoc_summary

BOM = "\ufeff"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    ast: str | None = None  # None: a PARSE ERROR case (no AST to compare)
    heredocs: Heredocs = field(default_factory=list)
    escape: str = "\\"
    parse_error: str | None = None
    instruction_error: str | None = None
    error_line: int | None = None  # line of the instruction error, when BuildKit gives one
    # NoEmptyContinuation warnings: BuildKit reports one per instruction, at its last line
    empty_continuations: tuple[int, ...] = ()
    comments: dict[int, tuple[str, ...]] = field(default_factory=dict)  # PrevComment by index
    xfail: str | None = None  # "parser: <what is wrong>" for an L1 parser bug


CASES = [
    # ------------------------------------------------------------------ directives
    Case(
        "shebang-ends-directive-block",
        "#!/bin/sh\n# escape=`\nFROM a\nRUN echo `\n  hi\n",
        ast='(from "a") (run "echo `") (hi "")',
        instruction_error="unknown instruction: hi",
        error_line=5,
    ),
    Case(
        "escape-backtick",
        "# escape=`\nFROM a\nRUN echo `\n  hi\nCOPY c:\\ d:\\\n",
        ast='(from "a") (run "echo   hi") (copy "c:\\\\" "d:\\\\")',
        escape="`",
    ),
    Case(
        "directive-leading-whitespace",
        "   # escape=`\nFROM a\nRUN echo `\n  hi\n",
        ast='(from "a") (run "echo   hi")',
        escape="`",
    ),
    Case(
        "blank-line-ends-directive-block",
        "\n# escape=`\nFROM a\nRUN echo `\n  hi\n",
        ast='(from "a") (run "echo `") (hi "")',
        instruction_error="unknown instruction: hi",
        error_line=5,
    ),
    Case(
        "unknown-directive-ends-block",
        "# foo=bar\n# escape=`\nFROM a\nRUN echo `\n  hi\n",
        ast='(from "a") (run "echo `") (hi "")',
        instruction_error="unknown instruction: hi",
        error_line=5,
    ),
    Case(
        "duplicate-directive",
        "# escape=`\n# escape=\\\nFROM a\n",
        parse_error="only one escape parser directive can be used",
    ),
    Case(
        "duplicate-after-block-is-comment",
        "# foo=1\n# escape=`\n# escape=`\nFROM a\n",
        ast='(from "a")',
    ),
    Case(
        "invalid-escape",
        "# escape=x\nFROM a\n",
        parse_error="invalid escape token 'x' does not match ` or \\",
    ),
    Case(
        "bom-stripped",
        BOM + "# escape=`\nFROM a\nRUN echo `\n  hi\n",
        ast='(from "a") (run "echo   hi")',
        escape="`",
    ),
    # §2 ✔ claims
    Case("directive-spacing", "#\tEScApE = `\nFROM a\n", ast='(from "a")', escape="`"),
    Case("directive-no-space", "#escape=`\nFROM a\n", ast='(from "a")', escape="`"),
    Case(
        "directive-empty-value-ends-block",
        "# syntax=\n# escape=`\nFROM a\n",
        ast='(from "a")',
    ),
    Case(
        "directive-no-continuation",
        "# escape=\\\\\nFROM a\n",
        parse_error="invalid escape token '\\\\' does not match ` or \\",
    ),
    # ------------------------------------------------------------------ continuations
    Case(
        "comment-inside-continuation",
        "FROM a\nRUN echo a \\\n# inner comment\n  b\n",
        ast='(from "a") (run "echo a   b")',
    ),
    Case(
        "indented-comment-inside-continuation",
        "FROM a\nRUN echo a \\\n    # inner comment\n  b\n",
        ast='(from "a") (run "echo a   b")',
    ),
    Case(
        "empty-continuation-line",
        "FROM a\nRUN echo a \\\n\n  b\n",
        ast='(from "a") (run "echo a   b")',
        empty_continuations=(4,),
    ),
    Case(
        "several-empty-continuation-lines-warn-once",
        "FROM a\nRUN echo a \\\n\n  \n  b \\\n\n  c\nRUN d\n",
        ast='(from "a") (run "echo a   b   c") (run "d")',
        empty_continuations=(7,),
    ),
    Case(
        "whitespace-after-backslash",
        "FROM a\nRUN echo a \\   \n  b\n",
        ast='(from "a") (run "echo a   b")',
    ),
    Case(
        "escaped-escape-no-continuation",
        "FROM a\nRUN echo a\\\\\nRUN b\n",
        ast='(from "a") (run "echo a\\\\\\\\") (run "b")',
    ),
    Case(
        "triple-backslash-no-continuation",
        "FROM a\nRUN echo a\\\\\\\nRUN b\n",
        ast='(from "a") (run "echo a\\\\\\\\\\\\") (run "b")',
    ),
    Case(
        "backslash-only-line-continues",
        "FROM a\nRUN echo a \\\n\\\n b\n",
        ast='(from "a") (run "echo a  b")',
    ),
    Case(
        "continuation-at-eof",
        "FROM a\nRUN echo a \\",
        ast='(from "a") (run "echo a")',
    ),
    Case(
        "hash-not-at-line-start",
        "FROM a\nRUN echo a # not a comment\n",
        ast='(from "a") (run "echo a # not a comment")',
    ),
    Case(
        "comments-do-not-continue",
        "FROM a\n# comment \\\nRUN echo b\n",
        ast='(from "a") (run "echo b")',
    ),
    Case(
        "continuation-keeps-leading-whitespace",
        'FROM a\nRUN echo "\\\n     hello\\\n     world"\n',
        ast='(from "a") (run "echo \\"     hello     world\\"")',
    ),
    Case(
        "crlf",
        "FROM a\r\nRUN echo a \\\r\n b\r\n",
        ast='(from "a") (run "echo a  b")',
    ),
    Case(
        "lone-cr-is-not-a-line-break",
        "FROM a\nRUN echo a\rb\n",
        ast='(from "a") (run "echo a\\rb")',
    ),
    # §3 comment attachment (PrevComment)
    Case(
        "blank-line-does-not-reset-comments",
        "FROM a\n# foo\n\nARG foo\n",
        ast='(from "a") (arg "foo")',
        comments={1: ("foo",)},
    ),
    Case(
        "empty-comment-resets-comments",
        "FROM a\n# foo\n#\n# bar\nARG foo\n",
        ast='(from "a") (arg "foo")',
        comments={1: ("bar",)},
    ),
    Case(
        "directives-are-not-comments",
        "# escape=\\\n# about a\nFROM a\n",
        ast='(from "a")',
        comments={0: ("about a",)},
    ),
    Case(
        "continuation-comments-not-attached",
        "FROM a\nRUN a \\\n# inner\n b\nARG x\n",
        ast='(from "a") (run "a  b") (arg "x")',
        comments={1: (), 2: ()},
    ),
    # ------------------------------------------------------------------ keywords
    Case(
        "unknown-instruction-suggestion",
        "FROM a\nFOO bar\n",
        ast='(from "a") (foo "")',
        instruction_error="unknown instruction: FOO (did you mean FROM?)",
        error_line=2,
    ),
    Case(
        "only-arg-before-from",
        "RUN x\nFROM a\n",
        ast='(run "x") (from "a")',
        instruction_error="no build stage in current context",
    ),
    Case(
        "from-arity",
        "FROM a AS\n",
        ast='(from "a" "AS")',
        instruction_error="FROM requires either one or three arguments",
        error_line=1,
    ),
    Case(
        "stage-name-invalid",
        "FROM a AS 1x\n",
        ast='(from "a" "AS" "1x")',
        instruction_error='invalid name for build stage: "1x", '
        "name can't start with a number or contain symbols",
        error_line=1,
    ),
    Case(
        "stage-name-upper-case",
        "FROM a AS Foo_Bar.1-x\n",
        ast='(from "a" "AS" "Foo_Bar.1-x")',
    ),
    Case(
        "keywords-case-insensitive",
        "from a as b\nrUn x\n",
        ast='(from "a" "as" "b") (run "x")',
    ),
    # ------------------------------------------------------------------ flags
    Case(
        "flag-names-case-sensitive",
        "FROM a\nCOPY --FROM=x a b\n",
        ast='(from "a") (copy ["--FROM=x"] "a" "b")',
        instruction_error="unknown flag: --FROM",
        error_line=2,
    ),
    Case(
        "duplicate-flag",
        "FROM a\nCOPY --from=x --from=y a b\n",
        ast='(from "a") (copy ["--from=x" "--from=y"] "a" "b")',
        instruction_error="duplicate flag specified: --from",
        error_line=2,
    ),
    Case(
        "bool-flag-empty-value",
        "FROM a\nCOPY --link= a b\n",
        ast='(from "a") (copy ["--link="] "a" "b")',
        instruction_error="missing a value on flag: --link",
        error_line=2,
    ),
    Case(
        "string-flag-needs-value",
        "FROM a\nCOPY --from a b\n",
        ast='(from "a") (copy ["--from"] "a" "b")',
        instruction_error="missing a value on flag: --from",
        error_line=2,
    ),
    Case(
        "flags-only-before-first-arg",
        "FROM a\nCOPY a --from=x b\n",
        ast='(from "a") (copy "a" "--from=x" "b")',
    ),
    Case(
        "bare-double-dash",
        "FROM a\nCOPY --link -- --weird dst\n",
        ast='(from "a") (copy ["--link"] "--weird" "dst")',
    ),
    Case(
        "arg-ignores-flags",
        "FROM a\nARG --foo=1 x\n",
        ast='(from "a") (arg ["--foo=1"] "x")',
    ),
    Case(
        "stopsignal-ignores-flags",
        "FROM a\nSTOPSIGNAL --foo=1 9\n",
        ast='(from "a") (stopsignal ["--foo=1"] "9")',
    ),
    Case(
        "healthcheck-none-ignores-flags",
        "FROM a\nHEALTHCHECK --interval=5s NONE\n",
        ast='(from "a") (healthcheck ["--interval=5s"] "NONE")',
    ),
    Case(
        "onbuild-own-flags-invalid",
        "FROM a\nONBUILD --foo=1 RUN x\n",
        ast='(from "a") (onbuild ["--foo=1"] (run "x"))',
        instruction_error="unknown flag: --foo",
        error_line=2,
    ),
    Case(
        "unknown-flag-suggestion",
        "FROM a\nRUN --mont=type=cache,target=/x y\n",
        ast='(from "a") (run ["--mont=type=cache,target=/x"] "y")',
        instruction_error="unknown flag: --mont (did you mean mount?)",
        error_line=2,
    ),
    Case(
        "flag-quotes-processed",
        'FROM a\nCOPY --chown="a b" x y\n',
        ast='(from "a") (copy ["--chown=a b"] "x" "y")',
    ),
    Case(
        "add-has-no-from",
        "FROM a\nADD --from=x a b\n",
        ast='(from "a") (add ["--from=x"] "a" "b")',
        instruction_error="unknown flag: --from",
        error_line=2,
    ),
    Case(
        "mount-keys-case-insensitive",
        "FROM a\nRUN --mount=TYPE=CACHE,Target=/x y\n",
        ast='(from "a") (run ["--mount=TYPE=CACHE,Target=/x"] "y")',
    ),
    Case(
        "mount-from-variable",
        "FROM a\nRUN --mount=from=$X,target=/x y\n",
        ast='(from "a") (run ["--mount=from=$X,target=/x"] "y")',
        instruction_error="'from' doesn't support variable expansion, define alias stage instead",
        error_line=2,
    ),
    Case(
        "network-invalid",
        "FROM a\nRUN --network=bridge y\n",
        ast='(from "a") (run ["--network=bridge"] "y")',
        instruction_error='invalid network mode "bridge"',
        error_line=2,
    ),
    Case(
        "security-invalid",
        "FROM a\nRUN --security=foo y\n",
        ast='(from "a") (run ["--security=foo"] "y")',
        instruction_error='security "foo" is not valid',
        error_line=2,
    ),
    # ------------------------------------------------------------------ HEALTHCHECK
    Case(
        "duration-missing-unit",
        "FROM a\nHEALTHCHECK --interval=5 CMD x\n",
        ast='(from "a") (healthcheck ["--interval=5"] "CMD" "x")',
        instruction_error='time: missing unit in duration "5"',
        error_line=2,
    ),
    Case(
        "healthcheck-type-case-insensitive",
        "FROM a\nHEALTHCHECK cmd x\nHEALTHCHECK none\n",
        ast='(from "a") (healthcheck "cmd" "x") (healthcheck "none")',
    ),
    # ------------------------------------------------------------------ JSON
    Case(
        "single-quotes-not-json",
        "FROM a\nCMD ['a', 'b']\n",
        ast="(from \"a\") (cmd \"['a', 'b']\")",
    ),
    Case(
        "trailing-text-not-json",
        'FROM a\nCMD ["a"] b\n',
        ast='(from "a") (cmd "[\\"a\\"] b")',
    ),
    Case(
        "invalid-json-shell-form",
        'FROM a\nCMD ["a",]\n',
        ast='(from "a") (cmd "[\\"a\\",]")',
    ),
    Case(
        "json-non-string-element",
        'FROM a\nCMD ["a", 1]\n',
        parse_error="when using JSON array syntax, arrays must be comprised of strings only",
    ),
    Case(
        "unescaped-backslashes-not-json",
        'FROM a\nRUN ["c:\\windows\\system32\\tasklist.exe"]\n',
        ast='(from "a") (run "[\\"c:\\\\windows\\\\system32\\\\tasklist.exe\\"]")',
    ),
    Case(
        "json-spans-continuation",
        'FROM a\nCMD ["a", \\\n  "b"]\n',
        ast='(from "a") (cmd "a" "b")',
    ),
    Case("empty-exec-form", "FROM a\nCMD []\n", ast='(from "a") (cmd)'),
    Case(
        "shell-must-be-json",
        "FROM a\nSHELL /bin/bash -c\n",
        ast='(from "a") (shell "/bin/bash -c")',
        instruction_error="SHELL requires the arguments to be in JSON form",
        error_line=2,
    ),
    Case(
        "shell-empty-json",
        "FROM a\nSHELL []\n",
        ast='(from "a") (shell)',
        instruction_error="SHELL requires at least one argument",
        error_line=2,
    ),
    Case(
        "copy-add-json-form",
        'FROM a\nCOPY ["a b", "/c d/"]\nADD ["x", "y"]\n',
        ast='(from "a") (copy "a b" "/c d/") (add "x" "y")',
    ),
    Case(
        "copy-quotes-not-interpreted",
        'FROM a\nCOPY "a b" c\n',
        ast='(from "a") (copy "\\"a" "b\\"" "c")',
    ),
    Case(
        "json-escapes-decoded",
        'FROM a\nCMD ["a\\"b", "c\\\\d", "\\u0041"]\n',
        ast='(from "a") (cmd "a\\"b" "c\\\\d" "A")',
    ),
    # ------------------------------------------------------------------ ENV / LABEL / ARG
    Case(
        "legacy-env",
        "FROM a\nENV ONE TWO= THREE=world\n",
        ast='(from "a") (env "ONE" "TWO= THREE=world" "")',
    ),
    Case(
        "env-mixed-forms",
        "FROM a\nENV A=1 B\n",
        parse_error='Syntax error - can\'t find = in "B". Must be of the form: name=value',
    ),
    Case(
        "env-single-word",
        "FROM a\nENV A\n",
        parse_error="ENV must have two arguments",
    ),
    Case(
        "env-empty-values",
        'FROM a\nENV A= B=""\n',
        ast='(from "a") (env "A" "" "=" "B" "\\"\\"" "=")',
    ),
    Case(
        "env-quotes-kept",
        'FROM a\nENV "A"=1\n',
        ast='(from "a") (env "\\"A\\"" "1" "=")',
    ),
    Case(
        "env-blank-name",
        "FROM a\nENV =x\n",
        ast='(from "a") (env "" "x" "=")',
        instruction_error="ENV names can not be blank",
        error_line=2,
    ),
    Case(
        "env-quoted-value-with-space",
        'FROM a\nENV A="x y"\n',
        ast='(from "a") (env "A" "\\"x y\\"" "=")',
    ),
    Case("arg-no-legacy-form", "FROM a\nARG A b\n", ast='(from "a") (arg "A" "b")'),
    Case(
        "arg-blank-name",
        "FROM a\nARG =x\n",
        ast='(from "a") (arg "=x")',
        instruction_error="ARG names can not be blank",
        error_line=2,
    ),
    Case(
        "arg-no-args",
        "FROM a\nARG\n",
        ast='(from "a") (arg)',
        instruction_error="ARG requires at least one argument",
        error_line=2,
    ),
    Case("user-rest-is-one-arg", "FROM a\nUSER a b\n", ast='(from "a") (user "a b")'),
    # ------------------------------------------------------------------ ONBUILD
    Case(
        "onbuild-onbuild",
        "FROM a\nONBUILD ONBUILD RUN x\n",
        ast='(from "a") (onbuild (onbuild (run "x")))',
        instruction_error="Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        error_line=2,
    ),
    Case(
        "onbuild-from",
        "FROM a\nONBUILD from b\n",
        ast='(from "a") (onbuild (from "b"))',
        instruction_error="FROM isn't allowed as an ONBUILD trigger",
        error_line=2,
    ),
    Case(
        "onbuild-heredoc",
        "FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n",
        ast='(from "a") (onbuild (run "<<EOF"))',
        heredocs=[(2, [("EOF", "expand", "", 0, "echo hi\n")])],
    ),
    Case(
        "onbuild-unknown-trigger",
        "FROM a\nONBUILD FOO x\n",
        ast='(from "a") (onbuild (foo ""))',
    ),
    Case(
        "onbuild-trigger-flags",
        "FROM a\nONBUILD COPY --from=b x y\n",
        ast='(from "a") (onbuild (copy ["--from=b"] "x" "y"))',
    ),
    # ------------------------------------------------------------------ heredocs
    Case(
        "several-heredocs",
        "FROM a\nRUN <<A cat > f && <<B cat > g\na\nA\nb\nB\n",
        ast='(from "a") (run "<<A cat > f && <<B cat > g")',
        heredocs=[(2, [("A", "expand", "", 0, "a\n"), ("B", "expand", "", 0, "b\n")])],
    ),
    Case(
        "heredoc-chomp",
        "FROM a\nRUN <<-EOF\n\techo hi\n\tEOF\n",
        ast='(from "a") (run "<<-EOF")',
        heredocs=[(2, [("EOF", "expand", "chomp", 0, "\techo hi\n")])],
    ),
    Case(
        "heredoc-indented-terminator-without-chomp",
        "FROM a\nRUN <<EOF\n\techo hi\n\tEOF\nEOF\n",
        ast='(from "a") (run "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "\techo hi\n\tEOF\n")])],
    ),
    Case(
        "heredoc-terminator-exact",
        "FROM a\nRUN <<EOF\necho hi\nEOF \nEOF\n",
        ast='(from "a") (run "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "echo hi\nEOF \n")])],
    ),
    Case(
        "no-heredoc-in-exec-form",
        'FROM a\nRUN ["<<EOF"]\n',
        ast='(from "a") (run "<<EOF")',
    ),
    Case(
        "cmd-no-heredoc",
        "FROM a\nCMD <<EOF\necho\nEOF\n",
        ast='(from "a") (cmd "<<EOF") (echo "") (eof "")',
        instruction_error="unknown instruction: echo",
        error_line=3,
    ),
    Case(
        "heredoc-as-copy-destination",
        "FROM a\nCOPY x <<EOF\nEOF\n",
        ast='(from "a") (copy "x" "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "")])],
        instruction_error="COPY cannot accept a heredoc as a destination",
        error_line=2,
    ),
    Case(
        "heredoc-quoted-delimiter",
        'FROM a\nRUN <<E"O"F\nx $Y\nEOF\n',
        ast='(from "a") (run "<<E\\"O\\"F")',
        heredocs=[(2, [("EOF", "no-expand", "", 0, "x $Y\n")])],
    ),
    Case(
        "heredoc-on-continuation-line",
        "FROM a\nRUN --mount=type=cache,target=/x \\\n  <<EOF\necho\nEOF\n",
        ast='(from "a") (run ["--mount=type=cache,target=/x"] "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "echo\n")])],
    ),
    Case(
        "heredoc-file-descriptor",
        "FROM a\nRUN 3<<EOF cat /dev/fd/3\nx\nEOF\n",
        ast='(from "a") (run "3<<EOF cat /dev/fd/3")',
        heredocs=[(2, [("EOF", "expand", "", 3, "x\n")])],
    ),
    Case(
        "here-string-not-heredoc",
        "FROM a\nRUN cat <<<hello\n",
        ast='(from "a") (run "cat <<<hello")',
    ),
    Case(
        "heredoc-hash-lines-are-content",
        "FROM a\nRUN <<EOF\n# not a dockerfile comment\nEOF\n",
        ast='(from "a") (run "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "# not a dockerfile comment\n")])],
    ),
    Case(
        "heredoc-backslashes-are-content",
        "FROM a\nRUN <<EOF\necho a \\\n b\nEOF\n",
        ast='(from "a") (run "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "echo a \\\n b\n")])],
    ),
    Case(
        "label-no-heredoc",
        "FROM a\nLABEL x=<<EOF\nEOF\n",
        ast='(from "a") (label "x" "<<EOF" "=") (eof "")',
        instruction_error="unknown instruction: EOF (did you mean ENV?)",
        error_line=3,
    ),
    Case(
        "heredoc-crlf",
        "FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\n",
        ast='(from "a") (run "<<EOF")',
        heredocs=[(2, [("EOF", "expand", "", 0, "echo\r\n")])],
    ),
    Case(
        "heredoc-unterminated",
        "FROM a\nRUN <<EOF\necho\n",
        parse_error="unterminated heredoc",
    ),
    Case(
        "heredoc-malformed-quote-is-not-heredoc",
        "FROM a\nRUN <<'EOF\nEOF\n",
        ast='(from "a") (run "<<\'EOF") (eof "")',
        instruction_error="unknown instruction: EOF (did you mean ENV?)",
        error_line=3,
    ),
    Case(
        "heredoc-quoted-marker-is-not-heredoc",
        "FROM a\nRUN echo '<<EOF'\n",
        ast='(from "a") (run "echo \'<<EOF\'")',
    ),
    Case(
        "heredoc-chomp-space-is-not-heredoc",
        "FROM a\nRUN <<- EOF\nEOF\n",
        ast='(from "a") (run "<<- EOF") (eof "")',
        instruction_error="unknown instruction: EOF (did you mean ENV?)",
        error_line=3,
    ),
    Case(
        "heredoc-space-then-dash-name",
        "FROM a\nRUN << -EOF\nx\n-EOF\n",
        ast='(from "a") (run "<< -EOF")',
        heredocs=[(2, [("-EOF", "expand", "", 0, "x\n")])],
    ),
    Case(
        "heredoc-dollar-name-literal",
        "FROM a\nRUN <<$EOF\nx\n$EOF\n",
        ast='(from "a") (run "<<$EOF")',
        heredocs=[(2, [("$EOF", "expand", "", 0, "x\n")])],
    ),
    Case(
        "heredoc-later-name-inside-earlier-body",
        "FROM a\nCOPY <<X <<Y /dest\nY\nX\nx\nY\n",
        ast='(from "a") (copy "<<X" "<<Y" "/dest")',
        heredocs=[(2, [("X", "expand", "", 0, "Y\n"), ("Y", "expand", "", 0, "x\n")])],
    ),
    # ------------------------------------------------------------------ whole file
    Case(
        "no-instructions",
        "# a\n# b\n",
        parse_error="file with no instructions",
    ),
    Case("empty-file", "", parse_error="file with no instructions"),
    Case("arg-only", "ARG x\n", ast='(arg "x")'),
    Case(
        "line-too-long",
        "FROM a\nRUN " + "x" * 70000 + "\n",
        parse_error="dockerfile line greater than max allowed size of 65535",
    ),
    Case(
        "nbsp-does-not-separate",
        f"FROM a\nRUN{NBSP}echo\n",
        ast=f'(from "a") (run{NBSP}echo "")',
        instruction_error=f"unknown instruction: RUN{NBSP}echo",
        error_line=2,
    ),
    Case(
        "keyword-needs-whitespace",
        'FROM a\nCMD["a"]\n',
        ast='(from "a") (cmd["a"] "")',
        instruction_error='unknown instruction: CMD["a"]',
        error_line=2,
    ),
]


def test_empty_continuation_lines_are_the_blank_lines() -> None:
    # dflint records the blank lines themselves; the warning goes on the last line.
    result = parse("FROM a\nRUN echo a \\\n\n  \n  b\n")
    assert result.instructions[1].empty_continuation_lines == (3, 4)


def _params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_tricky(case: Case) -> None:
    result = parse(case.text)
    lines = LineIndex(case.text)
    parser_errors = [e.message for e in result.errors if e.layer == "parser"]
    instruction_errors = [e for e in result.errors if e.layer == "instruction"]

    if case.parse_error is not None:
        assert parser_errors, "expected a parser-layer error"
        assert parser_errors[0] == case.parse_error
        return
    assert parser_errors == []
    assert result.escape == case.escape
    assert dump(result) == case.ast
    assert heredoc_summary(result, case.text) == case.heredocs
    warnings = tuple(
        lines.line_of(i.span.end - 1) for i in result.instructions if i.empty_continuation_lines
    )
    assert warnings == case.empty_continuations

    for index, comments in case.comments.items():
        assert result.instructions[index].comments == comments

    if case.instruction_error is None:
        assert [e.message for e in instruction_errors] == []
        return
    assert instruction_errors, "expected an instruction-layer error"
    first = instruction_errors[0]
    assert first.message == case.instruction_error
    if case.error_line is not None:
        assert lines.line_of(first.span.start) == case.error_line
