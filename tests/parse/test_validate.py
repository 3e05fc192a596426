"""Table tests for the instruction layer (``dflint.parse.validate``): each check fires,
with its line and column and BuildKit's message, and does not fire on valid input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dflint.parse import parse
from dflint.parse.validate import go_quote, levenshtein, parse_duration, parse_int32, suggest
from dflint.source import LineIndex

Expected = list[tuple[int, int, str]]  # (line, column, message)

NO_STAGE = "no build stage in current context"
BAD_STAGE = "name can't start with a number or contain symbols"
TWO_ARGS = (
    "requires at least two arguments, but only one was provided. "
    "Destination could not be determined"
)
FROM_ARITY = "FROM requires either one or three arguments"
NOT_EXPANDED = "'from' doesn't support variable expansion, define alias stage instead"

# (id, Dockerfile text, every instruction-layer error); the header FROM keeps the
# "no build stage" check quiet unless a case is about it.
CASES: list[tuple[str, str, Expected]] = [
    # ------------------------------------------------------------------ stage structure
    ("arg-before-from", "ARG a\nFROM x\n", []),
    ("run-before-from", "RUN x\nFROM a\n", [(1, 1, NO_STAGE)]),
    (
        "several-before-from",
        "ARG a\nENV b=1\nLABEL c=2\nFROM x\n",
        [(2, 1, NO_STAGE), (3, 1, NO_STAGE)],
    ),
    ("onbuild-before-from", "ONBUILD RUN x\nFROM a\n", [(1, 1, NO_STAGE)]),
    ("arg-only", "ARG x\n", []),
    # ------------------------------------------------------------------ unknown instruction
    (
        "unknown-suggest-upper",
        "FROM a\nFOO bar\n",
        [(2, 1, "unknown instruction: FOO (did you mean FROM?)")],
    ),
    (
        "unknown-suggest-lower",
        "FROM a\nrunn x\n",
        [(2, 1, "unknown instruction: runn (did you mean run?)")],
    ),
    (
        "unknown-suggest-mixed",
        "FROM a\nCopi x y\n",
        [(2, 1, "unknown instruction: Copi (did you mean copy?)")],
    ),
    ("unknown-no-suggestion", "FROM a\necho hi\n", [(2, 1, "unknown instruction: echo")]),
    ("unknown-indented", "FROM a\n   XYZZY\n", [(2, 4, "unknown instruction: XYZZY")]),
    (
        "unknown-before-from",
        "FOO\nFROM a\n",
        [(1, 1, "unknown instruction: FOO (did you mean FROM?)")],
    ),
    # ------------------------------------------------------------------ FROM
    ("from-one", "FROM a\n", []),
    ("from-as", "FROM a AS b-1_c.d\n", []),
    ("from-as-lower", "FROM a as B\n", []),
    ("from-none", "FROM\n", [(1, 1, FROM_ARITY)]),
    ("from-two", "FROM a b\n", [(1, 8, FROM_ARITY)]),
    ("from-as-no-name", "FROM a AS\n", [(1, 8, FROM_ARITY)]),
    ("from-three-not-as", "FROM a IS b\n", [(1, 8, FROM_ARITY)]),
    ("from-four", "FROM a AS b c\n", [(1, 8, FROM_ARITY)]),
    (
        "stage-name-digit",
        "FROM a AS 1x\n",
        [(1, 11, 'invalid name for build stage: "1x", ' + BAD_STAGE)],
    ),
    (
        "stage-name-symbol",
        "FROM a AS b$c\n",
        [(1, 11, 'invalid name for build stage: "b$c", ' + BAD_STAGE)],
    ),
    ("from-platform", "FROM --platform=$BUILDPLATFORM a\n", []),
    (
        "from-platform-missing",
        "FROM --platform a\n",
        [(1, 6, "missing a value on flag: --platform")],
    ),
    (
        "from-unknown-flag",
        "FROM --platfrom=x a\n",
        [(1, 6, "unknown flag: --platfrom (did you mean platform?)")],
    ),
    # ------------------------------------------------------------------ flags (generic)
    (
        "copy-flags-ok",
        "FROM a\nCOPY --from=b --chown=1:1 --chmod=644 --link --parents \\\n"
        "  --exclude=x --exclude=y a b\n",
        [],
    ),
    ("copy-bool-values", "FROM a\nCOPY --link=TRUE --parents=false a b\n", []),
    (
        "copy-bool-bad",
        "FROM a\nCOPY --link=yes a b\n",
        [(2, 13, "expecting boolean value for flag --link, not: yes")],
    ),
    ("copy-bool-empty", "FROM a\nCOPY --link= a b\n", [(2, 6, "missing a value on flag: --link")]),
    ("copy-string-empty-ok", "FROM a\nCOPY --chown= a b\n", []),
    (
        "copy-string-missing",
        "FROM a\nCOPY --from a b\n",
        [(2, 6, "missing a value on flag: --from")],
    ),
    (
        "copy-duplicate",
        "FROM a\nCOPY --from=x --from=y a b\n",
        [(2, 15, "duplicate flag specified: --from")],
    ),
    (
        "copy-duplicate-bool",
        "FROM a\nCOPY --link --link a b\n",
        [(2, 13, "duplicate flag specified: --link")],
    ),
    ("copy-exclude-repeatable", "FROM a\nCOPY --exclude=a --exclude=b a b\n", []),
    ("copy-case-sensitive", "FROM a\nCOPY --FROM=x a b\n", [(2, 6, "unknown flag: --FROM")]),
    (
        "copy-suggest",
        "FROM a\nCOPY --form=x a b\n",
        [(2, 6, "unknown flag: --form (did you mean from?)")],
    ),
    ("copy-no-suggest-far", "FROM a\nCOPY --xyzzy a b\n", [(2, 6, "unknown flag: --xyzzy")]),
    (
        "copy-add-only-flag",
        "FROM a\nCOPY --checksum=sha256:x a b\n",
        [(2, 6, "unknown flag: --checksum")],
    ),
    (
        "copy-all-flag-errors",
        "FROM a\nCOPY --foo --from --link=x a b\n",
        [
            (2, 6, "unknown flag: --foo (did you mean from?)"),
            (2, 12, "missing a value on flag: --from"),
            (2, 26, "expecting boolean value for flag --link, not: x"),
        ],
    ),
    ("flag-after-args-is-arg", "FROM a\nCOPY a --bogus b\n", []),
    ("flag-after-dashdash", "FROM a\nCOPY -- --bogus b\n", []),
    (
        "flag-on-continuation-line",
        "FROM a\nCOPY --link \\\n     --bogus=1 a b\n",
        [(3, 6, "unknown flag: --bogus")],
    ),
    (
        "add-flags-ok",
        "FROM a\nADD --chown=a --chmod=7 --link --keep-git-dir \\\n"
        "  --checksum=x --unpack=true --exclude=x a b\n",
        [],
    ),
    (
        "add-copy-only-flags",
        "FROM a\nADD --from=x --parents a b\n",
        [(2, 5, "unknown flag: --from"), (2, 14, "unknown flag: --parents")],
    ),
    (
        "add-bool-bad",
        "FROM a\nADD --keep-git-dir=1 a b\n",
        [(2, 20, "expecting boolean value for flag --keep-git-dir, not: 1")],
    ),
    # instructions accepting no flags
    ("env-flag", "FROM a\nENV --x=1 A=b\n", [(2, 5, "unknown flag: --x")]),
    ("label-flag", "FROM a\nLABEL --x a=b\n", [(2, 7, "unknown flag: --x")]),
    ("maintainer-flag", "FROM a\nMAINTAINER --x me\n", [(2, 12, "unknown flag: --x")]),
    ("workdir-flag", "FROM a\nWORKDIR --x /a\n", [(2, 9, "unknown flag: --x")]),
    ("cmd-flag", "FROM a\nCMD --x y\n", [(2, 5, "unknown flag: --x")]),
    ("entrypoint-flag", "FROM a\nENTRYPOINT --x y\n", [(2, 12, "unknown flag: --x")]),
    ("expose-flag", "FROM a\nEXPOSE --x 80\n", [(2, 8, "unknown flag: --x")]),
    ("user-flag", "FROM a\nUSER --x me\n", [(2, 6, "unknown flag: --x")]),
    ("volume-flag", "FROM a\nVOLUME --x /v\n", [(2, 8, "unknown flag: --x")]),
    ("shell-flag", 'FROM a\nSHELL --x ["sh"]\n', [(2, 7, "unknown flag: --x")]),
    ("onbuild-flag", "FROM a\nONBUILD --x RUN y\n", [(2, 9, "unknown flag: --x")]),
    # instructions ignoring flags
    ("arg-flag-ignored", "FROM a\nARG --x=1 y\n", []),
    ("stopsignal-flag-ignored", "FROM a\nSTOPSIGNAL --x 9\n", []),
    ("healthcheck-none-flag-ignored", "FROM a\nHEALTHCHECK --bogus NONE\n", []),
    ("onbuild-trigger-flags-not-checked", "FROM a\nONBUILD RUN --bogus x\n", []),
    # ------------------------------------------------------------------ RUN
    (
        "run-flags-ok",
        "FROM a\nRUN --mount=type=cache,target=/x --mount=type=tmpfs,target=/t \\\n"
        "  --network=none --security=sandbox --device=x y\n",
        [],
    ),
    ("run-network-host", "FROM a\nRUN --network=host y\n", []),
    (
        "run-network-bad",
        "FROM a\nRUN --network=bridge y\n",
        [(2, 15, 'invalid network mode "bridge"')],
    ),
    (
        "run-network-case",
        "FROM a\nRUN --network=NONE y\n",
        [(2, 15, 'invalid network mode "NONE"')],
    ),
    ("run-network-empty", "FROM a\nRUN --network= y\n", [(2, 5, 'invalid network mode ""')]),
    ("run-security-insecure", "FROM a\nRUN --security=insecure y\n", []),
    (
        "run-security-bad",
        "FROM a\nRUN --security=foo y\n",
        [(2, 16, 'security "foo" is not valid')],
    ),
    (
        "run-network-duplicate",
        "FROM a\nRUN --network=none --network=host y\n",
        [(2, 20, "duplicate flag specified: --network")],
    ),
    (
        "run-mount-suggest",
        "FROM a\nRUN --mont=type=cache y\n",
        [(2, 5, "unknown flag: --mont (did you mean mount?)")],
    ),
    (
        "run-mount-from-variable",
        "FROM a\nRUN --mount=type=bind,from=$X,target=/x y\n",
        [(2, 23, NOT_EXPANDED)],
    ),
    (
        "run-mount-from-braced",
        "FROM a\nRUN --mount=FROM=${X}y y\n",
        [(2, 13, NOT_EXPANDED)],
    ),
    (
        "run-mount-from-quoted-flag",
        'FROM a\nRUN "--mount=from=$X" y\n',
        [],  # not a flag: the first word starts with a quote
    ),
    ("run-mount-from-trailing-dollar", "FROM a\nRUN --mount=from=abc$ y\n", []),
    ("run-mount-from-plain", "FROM a\nRUN --mount=from=build,target=/x y\n", []),
    ("run-mount-source-variable", "FROM a\nRUN --mount=source=$X,target=/x y\n", []),
    ("run-mount-bare-key", "FROM a\nRUN --mount=ro,from y\n", []),
    # ------------------------------------------------------------------ COPY / ADD
    ("copy-ok", "FROM a\nCOPY a b c\n", []),
    (
        "copy-one-arg",
        "FROM a\nCOPY a\n",
        [(2, 6, "COPY " + TWO_ARGS)],
    ),
    (
        "copy-no-args",
        "FROM a\nCOPY\n",
        [(2, 1, "COPY " + TWO_ARGS)],
    ),
    (
        "add-one-arg-and-bad-flag",
        "FROM a\nADD --foo a\n",
        [
            (2, 5, "unknown flag: --foo"),
            (2, 11, "ADD " + TWO_ARGS),
        ],
    ),
    ("copy-json-one", 'FROM a\nCOPY ["a"]\n', [(2, 7, "COPY " + TWO_ARGS)]),
    ("copy-heredoc-source", "FROM a\nCOPY <<EOF /x\nhi\nEOF\n", []),
    (
        "copy-heredoc-dest",
        "FROM a\nCOPY x <<EOF\nEOF\n",
        [(2, 8, "COPY cannot accept a heredoc as a destination")],
    ),
    (
        "add-heredoc-dest",
        "FROM a\nADD x <<-EOF\nEOF\n",
        [(2, 7, "ADD cannot accept a heredoc as a destination")],
    ),
    (
        "copy-json-heredoc-dest",
        'FROM a\nCOPY ["x", "<<EOF"]\n',
        [(2, 12, "COPY cannot accept a heredoc as a destination")],
    ),
    ("copy-here-string-dest", "FROM a\nCOPY x <<<y\n", []),
    # ------------------------------------------------------------------ ENV / LABEL / ARG
    ("env-ok", "FROM a\nENV A=1 B=2\nENV C d e\n", []),
    ("env-none", "FROM a\nENV\n", [(2, 1, "ENV requires at least one argument")]),
    (
        "env-flag-only",
        "FROM a\nENV --x\n",
        [(2, 5, "unknown flag: --x"), (2, 1, "ENV requires at least one argument")],
    ),
    ("env-blank", "FROM a\nENV A=1 =2\n", [(2, 9, "ENV names can not be blank")]),
    ("label-none", "FROM a\nLABEL\n", [(2, 1, "LABEL requires at least one argument")]),
    ("label-blank", 'FROM a\nLABEL ="x"\n', [(2, 7, "LABEL names can not be blank")]),
    ("label-quoted-key-ok", 'FROM a\nLABEL "a.b"="x"\n', []),
    ("arg-ok", "FROM a\nARG A B=1 C=\n", []),
    ("arg-none", "FROM a\nARG\n", [(2, 1, "ARG requires at least one argument")]),
    ("arg-blank", "FROM a\nARG A =1\n", [(2, 7, "ARG names can not be blank")]),
    # ------------------------------------------------------------------ single-argument
    ("user-ok", "FROM a\nUSER a b\n", []),
    ("user-none", "FROM a\nUSER\n", [(2, 1, "USER requires exactly one argument")]),
    ("workdir-none", "FROM a\nWORKDIR\n", [(2, 1, "WORKDIR requires exactly one argument")]),
    (
        "maintainer-none",
        "FROM a\nMAINTAINER\n",
        [(2, 1, "MAINTAINER requires exactly one argument")],
    ),
    (
        "stopsignal-none",
        "FROM a\nSTOPSIGNAL\n",
        [(2, 1, "STOPSIGNAL requires exactly one argument")],
    ),
    ("expose-ok", "FROM a\nEXPOSE 80 443/tcp\n", []),
    ("expose-none", "FROM a\nEXPOSE\n", [(2, 1, "EXPOSE requires at least one argument")]),
    # ------------------------------------------------------------------ VOLUME
    ("volume-ok", 'FROM a\nVOLUME /a /b\nVOLUME ["/c"]\n', []),
    ("volume-none", "FROM a\nVOLUME\n", [(2, 1, "VOLUME requires at least one argument")]),
    ("volume-empty-json", "FROM a\nVOLUME []\n", [(2, 1, "VOLUME requires at least one argument")]),
    (
        "volume-empty-string",
        'FROM a\nVOLUME ["/a", ""]\n',
        [(2, 15, "VOLUME specified can not be an empty string")],
    ),
    (
        "volume-blank-string",
        'FROM a\nVOLUME [" "]\n',
        [(2, 9, "VOLUME specified can not be an empty string")],
    ),
    ("volume-quoted-words-l3", 'FROM a\nVOLUME ""\n', []),
    # ------------------------------------------------------------------ SHELL / CMD
    ("shell-ok", 'FROM a\nSHELL ["/bin/sh", "-c"]\n', []),
    (
        "shell-not-json",
        "FROM a\nSHELL /bin/sh -c\n",
        [(2, 7, "SHELL requires the arguments to be in JSON form")],
    ),
    ("shell-empty", "FROM a\nSHELL []\n", [(2, 7, "SHELL requires at least one argument")]),
    ("shell-none", "FROM a\nSHELL\n", [(2, 1, "SHELL requires at least one argument")]),
    ("cmd-empty-ok", "FROM a\nCMD []\nENTRYPOINT []\nCMD\nRUN\n", []),
    # ------------------------------------------------------------------ HEALTHCHECK
    (
        "hc-ok",
        "FROM a\nHEALTHCHECK --interval=30s --timeout=1m30s --start-period=0 \\\n"
        "  --start-interval=5s --retries=3 CMD x\n",
        [],
    ),
    ("hc-none", "FROM a\nHEALTHCHECK\n", [(2, 1, "HEALTHCHECK requires at least one argument")]),
    (
        "hc-none-args",
        "FROM a\nHEALTHCHECK NONE x\n",
        [(2, 18, "HEALTHCHECK NONE takes no arguments")],
    ),
    (
        "hc-cmd-missing",
        "FROM a\nHEALTHCHECK CMD\n",
        [(2, 13, "Missing command after HEALTHCHECK CMD")],
    ),
    (
        "hc-cmd-empty-json",
        "FROM a\nHEALTHCHECK CMD []\n",
        [(2, 17, "Missing command after HEALTHCHECK CMD")],
    ),
    (
        "hc-type-unknown",
        "FROM a\nHEALTHCHECK foo x\n",
        [(2, 13, 'Unknown type "FOO" in HEALTHCHECK (try CMD)')],
    ),
    (
        "hc-unknown-flag",
        "FROM a\nHEALTHCHECK --intervl=5s CMD x\n",
        [(2, 13, "unknown flag: --intervl (did you mean interval?)")],
    ),
    (
        "hc-missing-unit",
        "FROM a\nHEALTHCHECK --interval=5 CMD x\n",
        [(2, 24, 'time: missing unit in duration "5"')],
    ),
    (
        "hc-bad-unit",
        "FROM a\nHEALTHCHECK --timeout=5d CMD x\n",
        [(2, 23, 'time: unknown unit "d" in duration "5d"')],
    ),
    (
        "hc-invalid",
        "FROM a\nHEALTHCHECK --timeout=abc CMD x\n",
        [(2, 23, 'time: invalid duration "abc"')],
    ),
    (
        "hc-too-short",
        "FROM a\nHEALTHCHECK --start-period=10us CMD x\n",
        [(2, 28, 'Interval "start-period" cannot be less than 1ms')],
    ),
    (
        "hc-negative",
        "FROM a\nHEALTHCHECK --interval=-1s CMD x\n",
        [(2, 24, 'Interval "interval" cannot be less than 1ms')],
    ),
    ("hc-empty-value-ok", "FROM a\nHEALTHCHECK --interval= --retries= CMD x\n", []),
    (
        "hc-retries-bad",
        "FROM a\nHEALTHCHECK --retries=x CMD y\n",
        [(2, 23, 'strconv.ParseInt: parsing "x": invalid syntax')],
    ),
    (
        "hc-retries-range",
        "FROM a\nHEALTHCHECK --retries=3000000000 CMD y\n",
        [(2, 23, 'strconv.ParseInt: parsing "3000000000": value out of range')],
    ),
    (
        "hc-retries-negative",
        "FROM a\nHEALTHCHECK --retries=-1 CMD y\n",
        [(2, 23, "--retries cannot be negative (-1)")],
    ),
    ("hc-retries-zero", "FROM a\nHEALTHCHECK --retries=0 CMD y\n", []),
    (
        "hc-all-problems",
        "FROM a\nHEALTHCHECK --interval=5 --retries=-2 FOO\n",
        [
            (2, 24, 'time: missing unit in duration "5"'),
            (2, 36, "--retries cannot be negative (-2)"),
            (2, 39, 'Unknown type "FOO" in HEALTHCHECK (try CMD)'),
        ],
    ),
    # ------------------------------------------------------------------ ONBUILD
    ("onbuild-ok", "FROM a\nONBUILD RUN x\nONBUILD FOO y\n", []),
    ("onbuild-none", "FROM a\nONBUILD\n", [(2, 1, "ONBUILD requires at least one argument")]),
    (
        "onbuild-onbuild",
        "FROM a\nONBUILD onbuild RUN x\n",
        [(2, 9, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")],
    ),
    (
        "onbuild-from",
        "FROM a\nONBUILD FROM b\n",
        [(2, 9, "FROM isn't allowed as an ONBUILD trigger")],
    ),
    (
        "onbuild-maintainer",
        "FROM a\nonbuild maintainer me\n",
        [(2, 9, "MAINTAINER isn't allowed as an ONBUILD trigger")],
    ),
    # ------------------------------------------------------------------ several instructions
    (
        "every-instruction-reported",
        "FROM a AS 1\nCOPY a\nBOGUS\nRUN --network=x y\n",
        [
            (1, 11, 'invalid name for build stage: "1", ' + BAD_STAGE),
            (2, 6, "COPY " + TWO_ARGS),
            (3, 1, "unknown instruction: BOGUS"),
            (4, 15, 'invalid network mode "x"'),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_instruction_errors(text: str, expected: Expected) -> None:
    result = parse(text)
    assert [e for e in result.errors if e.layer == "parser"] == []
    lines = LineIndex(text)
    got = []
    for error in result.errors:
        if error.layer == "instruction":
            pos = lines.position(error.span.start)
            got.append((pos.line, pos.column, error.message))
    assert sorted(got) == sorted(expected)


# ---------------------------------------------------------------------- Go helpers
@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("0", 0),
        ("-0", 0),
        ("+0", 0),
        ("5s", 5_000_000_000),
        ("1m30s", 90_000_000_000),
        ("1.5h", 5_400_000_000_000),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("300ms", 300_000_000),
        ("2us", 2_000),
        ("2µs", 2_000),
        ("2μs", 2_000),
        ("10ns", 10),
        ("-1.5m", -90_000_000_000),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006),
        ("0s", 0),
        ("9223372036854775807ns", 9_223_372_036_854_775_807),
    ],
)
def test_parse_duration(text: str, ns: int) -> None:
    assert parse_duration(text) == ns


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("-", 'time: invalid duration "-"'),
        ("5", 'time: missing unit in duration "5"'),
        ("1s5", 'time: missing unit in duration "1s5"'),
        ("s", 'time: invalid duration "s"'),
        (".s", 'time: invalid duration ".s"'),
        ("5 s", 'time: unknown unit " s" in duration "5 s"'),
        ("5S", 'time: unknown unit "S" in duration "5S"'),
        ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("3000000h", 'time: invalid duration "3000000h"'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:  # noqa: PT011  # message compared below
        parse_duration(text)
    assert str(exc.value) == message


def test_parse_int32() -> None:
    assert parse_int32("+7") == 7
    assert parse_int32("-2147483648") == -(1 << 31)
    for bad, why in [
        ("", "invalid syntax"),
        ("1_0", "invalid syntax"),
        ("2147483648", "value out of range"),
    ]:
        with pytest.raises(ValueError, match=why):
            parse_int32(bad)


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("a", '"a"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("\t\n\r\x07\x00\x7f", '"\\t\\n\\r\\a\\x00\\x7f"'),
        ("é日", '"é日"'),
        ("\u00a0", '"\\u00a0"'),
        ("\U0001f600", '"\U0001f600"'),
        ("\u200b", '"\\u200b"'),
    ],
)
def test_go_quote(value: str, quoted: str) -> None:
    assert go_quote(value) == quoted


@given(st.text("abcAB", max_size=9), st.text("abcAB", max_size=9), st.integers(0, 5))
def test_levenshtein_with_a_limit_is_the_distance_capped(a: str, b: str, limit: int) -> None:
    assert levenshtein(a, b, limit) == min(levenshtein(a, b), limit)


def test_suggest() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("kitten", "sitting", 2) == 2
    assert suggest("FOO", ["FROM", "RUN"], case_sensitive=False) == "FROM"
    assert suggest("foo", ["FROM", "RUN"], case_sensitive=False) == "from"
    assert suggest("Foo", ["FROM", "RUN"], case_sensitive=False) == "from"
    assert suggest("run", ["FROM", "RUN"], case_sensitive=False) is None  # exact match
    assert suggest("xyz", ["FROM", "RUN"], case_sensitive=False) is None  # distance >= 3
    assert suggest("FROM", ["from"], case_sensitive=True) is None
    assert suggest("mont", ["mount", "network"], case_sensitive=True) == "mount"
