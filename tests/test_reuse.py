"""Parses and scripts reused for identical instruction text (``dflint.reuse``) give exactly
the findings, syntax trees and scripts a fresh parse gives: inside one file (repeated
instructions), across lints of the same text (an editor's re-lint) and at other offsets
(instructions moved by an edit above them)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate import generate
from dflint import ast, engine, reuse
from dflint.model.shell_parse import SCRIPTS
from dflint.parse import PARSED, parse
from dflint.settings import Settings
from dflint.source import Span
from tests.fuzz import mutate

ROOT = Path(__file__).resolve().parents[1]
# Every rule but ShellCheck's (its own time would dominate; it reads the text, not the
# reused scripts).
RULES = engine.prepare(Settings(select=("ALL",), ignore=("DF360",)))


def _inputs() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "tests" / "rules" / "fixtures").glob("*.Dockerfile")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "tests" / "parse" / "corpus").glob("*.Dockerfile")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(ROOT.glob("examples/*/Dockerfile")):
        yield path.parent.name, path.read_text(encoding="utf-8")
    for i, text in enumerate(generate(7, 60)):  # /work/snap's corpus is `--seed 7`
        yield f"generated-{i}", text
    rng = random.Random(17)
    seeds = mutate.seed_texts(generated=20)
    for i in range(40):
        yield f"mutant-{i}", mutate.mutant(rng, seeds)


INPUTS = dict(_inputs())


def _lint(text: str) -> tuple[str, ast.Dockerfile, list[str]]:
    """The findings (every field, fixes included) as text, the tree and the scripts."""
    result = engine.lint_text(text, "Dockerfile", RULES, strict=True)
    built = engine.build(text, "Dockerfile")
    scripts = [
        repr(built.script(node))
        for node in built.dockerfile.instructions
        if isinstance(node, ast.Run | ast.Onbuild)
    ]
    return repr(result.findings), result.dockerfile, scripts


def _reference(text: str) -> tuple[str, ast.Dockerfile, list[str]]:
    with reuse.disabled():
        return _lint(text)


@pytest.fixture(autouse=True)
def _empty_stores() -> None:
    PARSED.clear()
    SCRIPTS.clear()


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_findings_are_the_same_with_and_without_reuse(name: str) -> None:
    text = INPUTS[name]
    expected = _reference(text)
    assert _lint(text) == expected  # first lint: repeated instructions of the file reused
    assert _lint(text) == expected  # second lint: everything reused in place
    moved = "# an edit above\nLABEL edited=yes\n" + text
    assert _lint(moved) == _reference(moved)  # everything reused at another offset


def test_two_files_in_one_reuse_the_first_half_for_the_second() -> None:
    first, second = INPUTS["generated-3"], INPUTS["generated-4"]
    text = first + "\n" + first + "\n" + second + "\n" + first
    expected = _reference(text)
    assert _lint(text) == expected
    assert len(PARSED) < text.count("\n")  # something was reused


def test_a_moved_instruction_is_the_same_with_its_spans_moved() -> None:
    text = (
        "FROM alpine:3.19 AS build\n"
        "RUN --mount=type=cache,target=/var/cache/apk apk add curl \\\n"
        "    # a comment inside\n"
        '    && echo "$(id -u)" > /x 2>&1 <<EOF\n'
        "body\n"
        "EOF\n"
        "LABEL a=b c\n"  # a syntax error: reused with its span moved
    )
    with reuse.disabled():
        alone = parse(text)
        moved = parse("\n\n\n" + text)
    assert reuse.shifted(alone.instructions, 3) == moved.instructions
    assert reuse.shifted(alone.errors, 3) == moved.errors
    assert [e.span for e in moved.errors] != [e.span for e in alone.errors]
    assert parse("\n\n\n" + text) == moved  # from the store


def test_a_shifted_script_starts_without_the_memo_of_the_original() -> None:
    built = engine.build("FROM alpine:3.19\nRUN apt-get install -y curl\n")
    (run,) = built.instructions(ast.Run)
    script = built.script(run)
    script.memo("probe", lambda s: len(s.commands))
    moved = reuse.shifted(script, 10)
    assert moved == dataclasses.replace(script, commands=reuse.shifted(script.commands, 10))
    span = script.commands[0].span
    assert moved.commands[0].span == Span(span.start + 10, span.end + 10)
    assert moved.memo("probe", lambda s: -1) == -1


def test_the_store_keeps_the_most_recently_used() -> None:
    store: reuse.Reuse[int] = reuse.Reuse(2)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a") == 1
    store.put("c", 3)
    assert (store.get("a"), store.get("b"), store.get("c")) == (1, None, 3)
    with reuse.disabled():
        assert store.get("a") is None
        store.put("d", 4)
    assert store.get("d") is None
    assert len(store) == 2


def test_something_that_is_no_record_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot move the spans of a list"):
        reuse.shifted([Span(0, 1)], 1)
