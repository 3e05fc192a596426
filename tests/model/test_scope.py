"""Table tests for BuildKit variable expansion (shell/lex.go) over unknown values."""

from __future__ import annotations

import pytest

from dflint.model.scope import MAX_NESTING, UNKNOWN, Expanded, Scope, Unknown, expand

ENV = Scope.of(
    {
        "a": "hello/world.tar.gz",
        "e": "",
        "u": UNKNOWN,
        "x": "X",
        "sp": "a b",
        "star": "a*b",
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain references
        ("$x", "X"),
        ("${x}", "X"),
        ("$x$x", "XX"),
        ("pre${x}post", "preXpost"),
        ("$xy", ""),  # the name is ``xy``
        ("${x}y", "Xy"),
        ("$", "$"),
        ("a$", "a$"),
        ("$/x", "$/x"),
        ("$1", ""),
        ("$12x", "x"),
        ("$@", ""),
        ("$missing", ""),
        # default / alternative
        ("${x:-w}", "X"),
        ("${e:-w}", "w"),
        ("${nope:-w}", "w"),
        ("${x-w}", "X"),
        ("${e-w}", ""),
        ("${nope-w}", "w"),
        ("${x:+w}", "w"),
        ("${e:+w}", ""),
        ("${nope:+w}", ""),
        ("${x+w}", "w"),
        ("${e+w}", "w"),
        ("${nope+w}", ""),
        ("${x:?m}", "X"),
        ("${e?m}", ""),
        ("${nope:-$x}", "X"),
        ("${nope:-${x}y}", "Xy"),
        ("${nope:-a b}", "a b"),
        ("${nope:-'q}'}", "q}"),
        ('${nope:-"$x"}', "X"),
        ("${nope:-\\}}", "}"),
        # trimming: shortest/longest prefix and suffix
        ("${a#*/}", "world.tar.gz"),
        ("${a##*o}", "rld.tar.gz"),
        ("${a#*o}", "/world.tar.gz"),
        ("${a%.*}", "hello/world.tar"),
        ("${a%%.*}", "hello/world"),
        ("${a%o*}", "hello/w"),
        ("${a%%o*}", "hell"),
        ("${a#nomatch}", "hello/world.tar.gz"),
        ("${a#h?l}", "lo/world.tar.gz"),
        ("${star#a\\*}", "b"),
        ("${star%\\*b}", "a"),
        ("${a#hello\\/}", "world.tar.gz"),
        ("${nope#x}", ""),
        # replacement
        ("${a/o/0}", "hell0/world.tar.gz"),
        ("${a//o/0}", "hell0/w0rld.tar.gz"),
        ("${a/*./}", "gz"),
        ("${a//./-}", "hello/world-tar-gz"),
        ("${a/xyz/0}", "hello/world.tar.gz"),
        ("${x//*/r}", "r"),
        ("${x/\\//r}", "X"),
        ("${nope/a/b}", ""),
        # quotes
        ("'$x'", "$x"),
        ('"$x"', "X"),
        ("\"'$x'\"", "'X'"),
        ("'\"$x\"'", '"$x"'),
        ('"a\\"b"', 'a"b'),
        ('"\\$x"', "$x"),
        ('"a\\b"', "a\\b"),
        ('"a\\\\b"', "a\\b"),
        ("'a\\'", "a\\"),
        ("a' 'b", "a b"),
        # escapes outside quotes
        ("\\$x", "$x"),
        ("\\a", "a"),
        ("a\\", "a"),
        ("\\\\", "\\"),
        ("a\\ b", "a b"),
        # special and unicode names
        ("${sp}", "a b"),
        ("$é", ""),
    ],
)
def test_known_expansion(text: str, expected: str) -> None:
    result = expand(text, ENV)
    assert result.error is None
    assert result.text == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("${", "syntax error: missing '}'"),
        ("${x", "syntax error: missing '}'"),
        ("${x:-w", "syntax error: missing '}'"),
        ("${x:-${y}", "syntax error: missing '}'"),
        ("${}", "syntax error: bad substitution"),
        ("${:x}", "syntax error: bad substitution"),
        ("${{x}", "syntax error: bad substitution"),
        ("${x:#p}", "unsupported modifier (:#) in substitution"),
        ("${x:%p}", "unsupported modifier (:%) in substitution"),
        ("${x:y}", "unsupported modifier (:y) in substitution"),
        ("${x=y}", "unsupported modifier (=) in substitution"),
        ("${x/a", "syntax error: missing '/' in ${}"),
        ("${x/a/b", "syntax error: missing '}'"),
        ("${nope?}", "nope: is not allowed to be unset"),
        ("${nope:?}", "nope: is not allowed to be unset"),
        ("${e:?}", "e: is not allowed to be empty"),
        ("${e:?must be set}", "e: must be set"),
        ("'abc", "unexpected end of statement while looking for matching single-quote"),
        ('"abc', "unexpected end of statement while looking for matching double-quote"),
        ("${a#\\x}", "invalid pattern (\\x) in substitution: invalid escape '\\x'"),
    ],
)
def test_errors(text: str, error: str) -> None:
    result = expand(text, ENV)
    assert result.error == error
    assert result.text is None


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("$u", "$u"),
        ("${u}", "${u}"),
        ("node:${u}", "node:${u}"),
        ("${u:-w}", "${u:-w}"),
        ("${u-w}", "${u-w}"),
        ("${u:+w}", "${u:+w}"),
        ("${u:?m}", "${u:?m}"),
        ("${u#p}", "${u#p}"),
        ("${u%%p}", "${u%%p}"),
        ("${u//a/b}", "${u//a/b}"),
        ("${a/o/$u}", "${a/o/$u}"),
        ("${a#$u}", "${a#$u}"),
        ("${nope:-$u}", "$u"),  # the default is taken, and it is unknown
        ('"$x-$u"', "X-$u"),
    ],
)
def test_unknown_values_are_not_guessed(text: str, template: str) -> None:
    result = expand(text, ENV)
    assert result.error is None
    assert result.text is None
    assert not result.is_known
    assert result.template() == template


def test_known_text_around_unknown_parts_is_kept() -> None:
    result = expand("node:${u}-slim", ENV)
    assert result.parts == ("node:", Unknown("${u}"), "-slim")


def test_alternative_with_known_value_ignores_unknown_default() -> None:
    assert expand("${x:-$u}", ENV).text == "X"
    assert expand("${nope:+$u}", ENV).text == ""


@pytest.mark.parametrize(
    ("text", "used", "missing", "unknown"),
    [
        ("$x", {"x"}, set(), set()),
        ("$nope", {"nope"}, {"nope"}, set()),
        ("${nope:-$x}", {"nope", "x"}, {"nope"}, set()),
        ("${x:+$nope}", {"x", "nope"}, {"nope"}, set()),
        ("$u ${v}", {"u", "v"}, {"v"}, {"u"}),
        ("\\$nope '$nope2'", set(), set(), set()),
        ('"$nope"', {"nope"}, {"nope"}, set()),
    ],
)
def test_referenced_and_undefined_variables(
    text: str, used: set[str], missing: set[str], unknown: set[str]
) -> None:
    result = expand(text, ENV)
    assert result.used_vars == used
    assert result.missing_vars == missing
    assert result.unknown_vars == unknown


def test_references_carry_offsets_and_modifiers() -> None:
    text = "a ${nope:-d} $x"
    refs = expand(text, ENV).references
    assert [(r.name, text[r.start : r.end], r.state, r.modifier) for r in refs] == [
        ("nope", "${nope:-d}", "unset", ":-"),
        ("x", "$x", "set", ""),
    ]


def test_open_scope_makes_undefined_names_unknown() -> None:
    scope = Scope.of({"A": "1"}, open=True)
    result = expand("$A:$PATH", scope)
    assert result.text is None
    assert result.template() == "1:$PATH"
    assert result.unknown_vars == {"PATH"}
    assert result.missing_vars == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`$x", "$x"),
        ("a`", "a"),
        ("\\$x", "\\X"),
        ('"`"`$x"', '"$x'),
        ('"`a"', "`a"),
    ],
)
def test_backtick_escape_token(text: str, expected: str) -> None:
    assert expand(text, ENV, escape="`").text == expected


def test_nesting_within_limit_is_followed() -> None:
    depth = MAX_NESTING - 1
    text = "${n:-" * depth + "$x" + "}" * depth
    assert expand(text, ENV).text == "X"


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5000, 100_000])
def test_deep_nesting_is_unknown_not_a_crash(depth: int) -> None:
    text = "${n:-" * depth + "x" + "}" * depth
    result = expand(text, ENV)
    assert result.error is None
    assert result.text is None


def test_long_input_is_linear_enough() -> None:
    text = "$x${e:-a}'q'\"$x\"\\ " * 20_000
    result = expand(text, ENV)
    assert result.text == "XaqX " * 20_000


@pytest.mark.parametrize("escape", ["\\", "`"])
def test_plain_words_fast_path_matches_the_lexer(escape: str) -> None:
    # expand() skips the lexer for words with nothing to expand; the result must be
    # exactly what the lexer gives.
    import random

    from dflint.model.scope import ExpansionError, _Lexer

    rng = random.Random(7)
    scope = Scope.of({"A": "1"})
    alphabet = "ab /.-_:{}()[]*?#%~=,;\t`\\x0é"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        if any(ch in text for ch in ("$", "'", '"', escape)):
            continue
        lexer = _Lexer(text, scope, escape)
        try:
            slow = Expanded(tuple(lexer.process_stop_on(None, raw_escapes=False)), ())
        except ExpansionError as exc:  # pragma: no cover - plain words never fail
            slow = Expanded((), (), str(exc))
        assert expand(text, scope, escape) == slow
