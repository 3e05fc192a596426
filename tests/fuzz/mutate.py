"""A seeded mutation fuzzer over real Dockerfiles.

Seeds are the files under ``examples/``, the parser corpus and ``benchmarks.generate``'s
corpus. Each mutant applies a few random edits: insert, delete or replace characters
(biased toward the characters that matter to the grammar), duplicate, drop or swap lines,
and splice two seeds together. Everything derives from one ``random.Random``, so a seed
number reproduces a failure exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Characters with a meaning somewhere in a Dockerfile, a shell script or a directive.
SPECIAL = (
    "\\`$\"'{}[]()<>|&;:=,-#\n\r\t @/*?!~%^+"
    "\x00\ufeff\u2028\u0085\x0b\x0c\u00a0\u200b\U0001f600\udcff"
)
FRAGMENTS = (
    "\\\n",
    "`\n",
    "\r\n",
    "${",
    "${A:-",
    "${A:+${B}}",
    "$(",
    "`id`",
    "<<EOF\n",
    "<<-'EOF'\n",
    "\nEOF\n",
    "--mount=type=cache,target=/x ",
    "--from=",
    "--platform=$BUILDPLATFORM ",
    '["a", "b"]',
    '["a", ',
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "# check=skip=all\n",
    "# dflint: ignore=DF201\n",
    "# hadolint ignore=DL3008\n",
    "FROM ",
    " AS ",
    "RUN ",
    "ONBUILD ",
    "ARG A=1\n",
    "ENV A=$A B\n",
    "COPY --chown=1:1 . /app\n",
    "HEALTHCHECK --interval=5s CMD true\n",
    "&& apt-get install -y ",
    "| ",
    "2>&1 ",
)


def seed_texts(generated: int = 40) -> list[str]:
    """The example Dockerfiles, the parser corpus and ``generated`` generated files."""
    from benchmarks.generate import generate

    files = sorted(ROOT.glob("examples/*/Dockerfile"))
    files += sorted(ROOT.glob("tests/parse/corpus/*.Dockerfile"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    return texts + generate(1, generated)


def _random_piece(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return rng.choice(SPECIAL)
    if r < 0.85:
        return rng.choice(FRAGMENTS)
    return chr(rng.randrange(0x110000))


def _insert(rng: random.Random, text: str, other: str) -> str:
    at = rng.randint(0, len(text))
    return text[:at] + _random_piece(rng) + text[at:]


def _delete(rng: random.Random, text: str, other: str) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + text[at + rng.randint(1, 8) :]


def _replace(rng: random.Random, text: str, other: str) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + _random_piece(rng) + text[at + 1 :]


def _duplicate_line(rng: random.Random, text: str, other: str) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    at = rng.randrange(len(lines))
    lines[at:at] = [lines[at]] * rng.randint(1, 3)
    return "".join(lines)


def _drop_line(rng: random.Random, text: str, other: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines:
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


def _swap_lines(rng: random.Random, text: str, other: str) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _splice(rng: random.Random, text: str, other: str) -> str:
    return text[: rng.randint(0, len(text))] + other[rng.randint(0, len(other)) :]


def _truncate(rng: random.Random, text: str, other: str) -> str:
    return text[: rng.randint(0, len(text))]


MUTATIONS: tuple[Callable[[random.Random, str, str], str], ...] = (
    _insert,
    _insert,
    _delete,
    _replace,
    _replace,
    _duplicate_line,
    _drop_line,
    _swap_lines,
    _splice,
    _truncate,
)


def mutant(rng: random.Random, seeds: list[str]) -> str:
    """One seed with one to six random mutations."""
    text = rng.choice(seeds)
    for _ in range(rng.randint(1, 6)):
        text = rng.choice(MUTATIONS)(rng, text, rng.choice(seeds))
    return text


def mutants(seed: int, seeds: list[str]) -> Iterator[str]:
    """An endless, reproducible stream of mutants."""
    rng = random.Random(seed)
    while True:
        yield mutant(rng, seeds)
