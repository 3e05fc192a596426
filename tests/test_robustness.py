"""Pathological inputs through the public API: every rule (opt-in ones too) runs with
``strict=True``, so a rule crash fails the test; each input gives findings or a clear
error finding. Time is checked only by how it scales between sizes (machines are noisy).
"""

from __future__ import annotations

import pytest

import dflint
from dflint.engine import LintResult
from tests.fuzz.harness import every_rule, exercise


def lint(text: str) -> LintResult:
    return dflint.lint_text(text, "Dockerfile", every_rule(), strict=True)


def nested_default(depth: int) -> str:
    """``${a0:-${a1:-...x...}}``, ``depth`` levels deep."""
    return "".join(f"${{a{i}:-" for i in range(depth)) + "x" + "}" * depth


PATHOLOGICAL = {
    "empty": "",
    "whitespace only": " \t \n\n\t",
    "comment only": "# a comment\n# another\n",
    "directives only": "# syntax=docker/dockerfile:1\n# escape=`\n",
    "only an escape": "\\",
    "only escapes": "\\\n\\\n\\",
    "nul bytes": "FROM alpine:3.20\x00\nRUN echo \x00 && true\n\x00",
    "replacement chars": "FROM alpine:3.20\nRUN echo \ufffd\ufffd\n",
    "lone surrogate": "FROM alpine:3.20\nRUN echo \udcff\n",
    "bom": "\ufeffFROM alpine:3.20\n",
    "bom in the middle": "FROM alpine:3.20\n\ufeffRUN true\nRUN \ufefftrue\n",
    "crlf and cr mixed": "FROM alpine:3.20\r\nRUN a \\\r\n b\rRUN c\r\r\n\r",
    "unicode line separators": "FROM alpine:3.20\u2028RUN a\u0085RUN b\u2029\x0b\x0c\n",
    "unclosed quotes": 'FROM alpine:3.20\nRUN echo "abc\nRUN echo \'abc\nENV A="b\n',
    "unclosed brackets": 'FROM alpine:3.20\nCMD ["a", "b"\nENTRYPOINT [\nRUN [\'x\nSHELL [\n',
    "unclosed expansion": "FROM alpine:3.20\nARG A=${B\nRUN echo ${A:-${\n",
    "unclosed heredoc": "FROM alpine:3.20\nRUN <<EOF\necho hi\n",
    "unclosed heredocs": "FROM alpine:3.20\nRUN <<A <<B cat\n1\nA\n2\n",
    "continuation at eof": "FROM alpine:3.20\nRUN echo \\",
    "empty flags": "FROM --platform= \nCOPY --from= --chown= \nRUN --mount=type=\n",
    "backtick escape": "# escape=`\nFROM alpine:3.20\nRUN a `\n b `\n",
    "unknown escape": "# escape=x\nFROM alpine:3.20\n",
    "only arg": "ARG A=1\n",
    "keywords without args": "".join(
        f"{k}\n"
        for k in [
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL",
            "MAINTAINER",
        ]
    ),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input(text: str) -> None:
    result = lint(text)
    assert result.findings  # a clean result would hide that the file is unusable
    exercise(text)


def test_every_file_without_a_stage_is_an_error() -> None:
    # BuildKit: "dockerfile contains no stages to build"; dflint must not call it clean.
    for text in ("", "\\", "\\\n\\\n", "ARG A=1\n", "# c\n", "\\\nARG A\n"):
        codes = {f.code for f in lint(text).findings if f.severity is dflint.Severity.ERROR}
        assert "DF001" in codes, repr(text)


def test_empty_continuation_line_at_end_of_file() -> None:
    # Regression: the fix's edit for a blank last line (no line break) looked up the
    # start of a line past the end of the file (IndexError).
    for text in ("FROM a:1\nRUN a \\\n  ", "FROM a:1\nRUN a \\\n  \\\n  "):
        [finding] = [f for f in lint(text).findings if f.code == "DF131"]
        assert finding.fix is not None
        assert all(e.span.end <= len(text) for e in finding.fix.edits)


# -- size -----------------------------------------------------------------------------
BIG = {
    "2 MB single line": "FROM alpine:3.20\nLABEL x=" + "a" * 2_000_000 + "\n",
    "2 MB unclosed quote": 'FROM alpine:3.20\nRUN echo "' + "a" * 2_000_000,
    "2 MB comment": "FROM alpine:3.20\n#" + "a" * 2_000_000,
    "20,000 lines": "FROM alpine:3.20\n" + "RUN echo hi\nENV A=$A\n" * 10_000,
    "2,000 continuation lines": "FROM alpine:3.20\nRUN true \\\n" + " && a \\\n" * 2000 + "\n",
    "500 heredocs": "FROM alpine:3.20\n"
    + "".join(f"RUN <<EOF{i} cat\n{i}\nEOF{i}\n" for i in range(500)),
    "300 stages": "".join(
        f"FROM alpine:3.20 AS s{i}\nCOPY --from=s{max(i - 1, 0)} /a /b\n" for i in range(300)
    ),
    "nested defaults, depth 5000": "ARG X=" + nested_default(5000) + "\nFROM $X\nARG X\n"
    "ENV Y=${X:-" + nested_default(5000) + "}\nRUN echo $X $Y\n",
}


@pytest.mark.parametrize("text", BIG.values(), ids=BIG.keys())
def test_big_input(text: str) -> None:
    assert lint(text).findings


def test_substitution_pattern_does_not_backtrack() -> None:
    # BuildKit matches these with RE2 (linear); Python's `re` backtracks on `.*a.*a...b`
    # (hours at 3000 characters). Beyond a work budget the expansion is Unknown.
    value = "a" * 3000
    pattern = "*a" * 8 + "b"
    for use in (f"${{A#{pattern}}}", f"${{A%%{pattern}}}", f"${{A//{pattern}/x}}"):
        lint(f"ARG A={value}\nFROM alpine:${{A#{pattern}}}\nARG A\nENV B={use}\n")
