"""The fix engine (dflint.fix): choosing non-overlapping fixes, line endings, the
fixpoint loop, rejecting fixes that add a syntax error, idempotence."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from dflint import fix
from dflint.fix import apply_edits, apply_fixes, fix_text, line_ending, select
from dflint.parse import parse
from dflint.rule import Edit, Finding, Fix, NewFile, Severity
from dflint.source import Span
from tests.fix.rules import FixMaker, prepared, regex_rule, replace_with


def finding(fix_: Fix | None, code: str = "TST001", *, suppressed: bool = False) -> Finding:
    start = min((e.span.start for e in fix_.edits), default=0) if fix_ else 0
    return Finding(
        code, "t", Severity.WARNING, "m", Span(start, start), fix_, suppressed=suppressed
    )


def edit(start: int, end: int, text: str) -> Edit:
    return Edit(Span(start, end), text)


# --------------------------------------------------------------------------- selection
def test_whole_fixes_first_come_and_conflicts_deferred() -> None:
    a = finding(Fix("a", (edit(0, 4, "X"), edit(10, 12, "Y"))))
    b = finding(Fix("b", (edit(11, 13, "Z"),)))  # overlaps a's second edit
    c = finding(Fix("c", (edit(4, 6, "W"),)))  # adjacent to a: fine
    d = finding(Fix("d", (edit(6, 6, "V"),)))  # insertion where c ends: fine
    e = finding(Fix("e", (edit(6, 8, "U"),)))  # starts where d inserts: deferred
    chosen, skipped = select([b, e, c, a, d], 20)
    assert chosen == [a, c, d]
    assert skipped == [e, b]  # in the order they were considered
    # b is whole-or-nothing: none of a's edits were dropped for it, and vice versa.
    assert apply_fixes("0123456789abcdefghij", [b, e, c, a, d]).text == "XWV6789Yc" + "defghij"


def test_order_is_deterministic() -> None:
    fixes = [finding(Fix(str(i), (edit(i % 7, i % 7 + 2, str(i)),))) for i in range(20)]
    expected = apply_fixes("x" * 30, fixes)
    for seed in range(10):
        shuffled = fixes[:]
        random.Random(seed).shuffle(shuffled)
        assert apply_fixes("x" * 30, shuffled) == expected


def test_identical_fixes_are_applied_once() -> None:
    same = Fix("remove", (edit(0, 2, ""),))
    one, two = finding(same, "TST001"), finding(same, "TST002")
    new, applied, skipped = apply_fixes("abcd", [one, two])
    assert (new, applied, skipped) == ("cd", [one, two], [])


@pytest.mark.parametrize(
    "bad",
    [
        Fix("past the end", (edit(2, 9, "x"),)),
        Fix("overlaps itself", (edit(0, 2, "x"), edit(1, 3, "y"))),
        Fix("two insertions at one point", (edit(1, 1, "x"), edit(1, 1, "y"))),
    ],
)
def test_malformed_fixes_are_skipped(bad: Fix) -> None:
    good = finding(Fix("ok", (edit(3, 4, "D"),)))
    new, applied, skipped = apply_fixes("abcd", [finding(bad), good])
    assert new == "abcD"
    assert applied == [good]
    assert [f.fix for f in skipped] == [bad]


def test_unsafe_and_suppressed() -> None:
    unsafe = finding(Fix("u", (edit(0, 1, "U"),), safe=False))
    hidden = finding(Fix("s", (edit(2, 3, "S"),)), suppressed=True)
    assert apply_fixes("abc", [unsafe, hidden]).text == "abc"
    assert apply_fixes("abc", [unsafe, hidden], unsafe=True).text == "Ubc"
    assert not fix.applicable(hidden, unsafe=True)
    assert fix.applicable(unsafe, unsafe=True)
    assert not fix.applicable(unsafe)


# --------------------------------------------------------------------------- line endings
@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a\nb\n", "\n"),
        ("a\r\nb\r\n", "\r\n"),
        ("a\r\nb\r\nc\n", "\r\n"),
        ("a\r\nb\nc\n", "\n"),
        ("no line break", "\n"),
    ],
)
def test_dominant_line_ending(text: str, newline: str) -> None:
    assert line_ending(text) == newline


def test_replacements_take_the_files_line_ending() -> None:
    crlf = "FROM a\r\nRUN b\r\n"
    inserted = apply_edits(crlf, [edit(8, 8, "# one\n# two\r\n")])
    assert inserted == "FROM a\r\n# one\r\n# two\r\nRUN b\r\n"
    lf = "FROM a\nRUN b\n"
    assert apply_edits(lf, [edit(7, 7, "# one\n")]) == "FROM a\n# one\nRUN b\n"
    assert fix.in_line_ending(crlf, [edit(0, 0, "x\n")]) == (edit(0, 0, "x\r\n"),)


def test_text_outside_the_edits_is_untouched() -> None:
    text = "\ufeffFROM a \t\x0b\u00a0\r\nrun b\rc\u2028\nRUN d"
    at = text.index("run")
    assert apply_edits(text, [edit(at, at + 3, "RUN")]) == text.replace("run", "RUN")
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits(text, [edit(0, 3, ""), edit(2, 4, "")])


# --------------------------------------------------------------------------- fixpoint
LOWER_RUN = regex_rule("TST001", r"^run\b", replace_with("RUN", "Upper-case RUN"))


def test_fixes_to_a_fixpoint_and_reports_what_remains() -> None:
    # Each pass upper-cases the first `run`; the fix for the second is made from
    # a text where the first is fixed (offsets move when the replacement is longer).
    grow = regex_rule("TST002", r"\bxx\b", replace_with("xxxx", "Widen"))
    only_first = regex_rule(
        "TST003", r"(?s)\A.*?\bzz\b", lambda m: Fix("z", (edit(m.end() - 2, m.end(), "ZZ"),))
    )
    text = "FROM a\nrun xx zz\nrun zz xx\n"
    result = fix_text(text, rules=prepared(LOWER_RUN, grow, only_first))
    assert result.text == "FROM a\nRUN xxxx ZZ\nRUN ZZ xxxx\n"
    assert result.passes == 2  # the second zz is found only after the first is fixed
    assert sorted(f.code for f in result.fixed) == ["TST001"] * 2 + ["TST002"] * 2 + ["TST003"] * 2
    assert result.remaining.source.text == result.text
    assert [f.code for f in result.remaining.findings] == []


def test_conflicting_fixes_are_deferred_to_the_next_pass() -> None:
    word = regex_rule("TST001", r"(?i)\bab\b", replace_with("AB"))
    prefix = regex_rule("TST002", r"\ba", replace_with("A"))  # inside `ab`: conflicts
    result = fix_text("FROM x\nRUN ab\n", rules=prepared(word, prefix))
    # The shorter span goes first; the word's fix waits for the second pass.
    assert result.text == "FROM x\nRUN AB\n"
    assert result.passes == 2
    assert [f.code for f in result.fixed] == ["TST002", "TST001"]


def test_never_converging_fixes_stop_after_max_passes() -> None:
    flip = regex_rule("TST001", r"\b(on|off)\b", lambda m: Fix("flip", (
        edit(m.start(), m.end(), "off" if m.group() == "on" else "on"),
    )))  # fmt: skip
    result = fix_text("FROM x\nRUN on\n", rules=prepared(flip), max_passes=3)
    assert result.passes == 3
    assert result.text == "FROM x\nRUN off\n"


def test_a_fix_that_adds_a_syntax_error_is_dropped_the_others_stay() -> None:
    # Opening a heredoc nobody closes is a parser error; upper-casing `run` is fine.
    heredoc = regex_rule("TST009", r"echo hi", replace_with("cat <<EOF", "Break it"))
    text = "FROM a\nrun echo hi\nrun true\n"
    assert not parse(text).errors
    result = fix_text(text, rules=prepared(heredoc, LOWER_RUN))
    assert result.text == "FROM a\nRUN echo hi\nRUN true\n"
    assert [f.code for f in result.rejected] == ["TST009"]
    assert sorted(f.code for f in result.fixed) == ["TST001", "TST001"]
    assert not parse(result.text).errors
    # The broken fix is still reported as a finding; fixing again changes nothing.
    assert [f.code for f in result.remaining.findings] == ["TST009"]
    assert fix_text(result.text, rules=prepared(heredoc, LOWER_RUN)).text == result.text


def test_a_file_with_syntax_errors_may_be_fixed_without_adding_any() -> None:
    text = "FROM a\nrun x\nNOSUCH y\n"  # an unknown instruction: an instruction-layer error
    before = parse(text).errors
    assert before
    result = fix_text(text, rules=prepared(LOWER_RUN))
    assert result.text == "FROM a\nRUN x\nNOSUCH y\n"
    assert not fix.adds_errors(parse(text), parse(result.text))


def test_every_fix_rejected_means_no_change() -> None:
    breaks = regex_rule("TST009", r"^FROM a$", replace_with("FROM", "Drop the image"))
    result = fix_text("FROM a\nRUN x\n", rules=prepared(breaks))
    assert result.text == "FROM a\nRUN x\n"
    assert result.passes == 0
    assert len(result.rejected) == 1


def test_fixing_the_output_again_changes_nothing() -> None:
    dup = regex_rule("TST004", r"  +", replace_with(" ", "Single space"))
    text = "FROM a\r\nrun  a   b\r\nrun    c\r\n"
    first = fix_text(text, rules=prepared(LOWER_RUN, dup))
    assert first.text == "FROM a\r\nRUN a b\r\nRUN c\r\n"
    again = fix_text(first.text, rules=prepared(LOWER_RUN, dup))
    assert again.text == first.text
    assert again.fixed == ()
    assert again.passes == 0


def test_builtin_unused_suppression_fix() -> None:
    text = "\ufeffFROM alpine:3.22\r\n# dflint: ignore=DF201\r\nRUN echo hi"
    result = fix_text(text)
    assert result.text == "\ufeffFROM alpine:3.22\r\nRUN echo hi"
    assert [f.code for f in result.fixed] == ["DF002"]


def test_identity_survives_moving_offsets() -> None:
    # A rejected fix is not retried in later passes even though its span moved.
    heredoc = regex_rule("TST009", r"echo hi", replace_with("cat <<EOF", "Break it"))
    grow = regex_rule("TST002", r"^R\b", replace_with("RUN"))
    text = "FROM a\nR true\nRUN echo hi\n"
    result = fix_text(text, rules=prepared(heredoc, grow, LOWER_RUN))
    assert len(result.rejected) == 1
    assert re.search("echo hi", result.text)


# --------------------------------------------------------------------------- creating files
def creates(*files: tuple[str, str], title: str = "create", safe: bool = True) -> FixMaker:
    new = tuple(NewFile(path, content) for path, content in files)
    return lambda m: Fix(title, (), safe, creates=new)


def test_a_fix_that_creates_a_file_leaves_the_text_to_the_other_fixes() -> None:
    ignore = regex_rule("TST010", r"^COPY \. ", creates((".dockerignore", ".git\n"), safe=False))
    text = "FROM a\nrun x\nCOPY . /app/\n"
    result = fix_text(text, rules=prepared(LOWER_RUN, ignore), unsafe=True)
    assert result.text == "FROM a\nRUN x\nCOPY . /app/\n"
    assert [f.code for f in result.fixed] == ["TST001"]
    # Found in the fixed text, still there (the file does not exist yet), not applied.
    [creating] = result.creating
    assert creating.code == "TST010"
    assert creating in result.remaining.findings
    assert creating.fix is not None
    assert creating.fix.creates == (NewFile(".dockerignore", ".git\n"),)
    # Unsafe: left out without --unsafe-fixes, like any unsafe fix.
    assert fix_text(text, rules=prepared(LOWER_RUN, ignore)).creating == ()


def test_file_fixes_claim_each_path_once() -> None:
    same = Fix("a", (), creates=(NewFile(".dockerignore", "x\n"),))
    other = Fix("b", (), creates=(NewFile(".dockerignore", "y\n"),))
    elsewhere = Fix("c", (), creates=(NewFile("sub/.dockerignore", "y\n"),))
    first, twin, rival, third = (
        Finding("TST001", "t", Severity.WARNING, "m", Span(i, i), f)
        for i, f in enumerate((same, same, other, elsewhere))
    )
    # In position order: the twin comes along, the rival with other content does not.
    assert fix.file_fixes([third, rival, twin, first]) == [first, twin, third]


@pytest.mark.parametrize(
    "bad",
    [
        Fix("edits too", (edit(0, 1, "x"),), creates=(NewFile(".dockerignore", ""),)),
        Fix("outside", (), creates=(NewFile("../.dockerignore", ""),)),
        Fix("absolute", (), creates=(NewFile("/etc/passwd", ""),)),
    ],
)
def test_malformed_file_fixes_are_never_applied(bad: Fix) -> None:
    found = finding(bad)
    assert fix.file_fixes([found], unsafe=True) == []
    assert apply_fixes("abcd", [found]).text == "abcd"


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        (".dockerignore", True),
        ("app/.dockerignore", True),
        ("", False),
        (".", False),
        ("a/../b", False),
        ("./a", False),
        ("a//b", False),
        ("a/", False),
        ("/a", False),
        ("..", False),
        ("a\\b", False),
        ("C:a", False),
        ("a\0b", False),
    ],
)
def test_new_file_paths_stay_inside_the_context(path: str, ok: bool) -> None:
    assert fix.is_new_file_path(path) is ok
    if ok:
        root = Path("/ctx")
        assert fix.new_file_location(root, NewFile(path, "")) == root / path
    else:
        with pytest.raises(ValueError, match="inside the build context"):
            fix.new_file_location(Path("/ctx"), NewFile(path, ""))
