"""Fuzzing in the test suite, bounded so it stays fast (about 15 s in all).

Every input goes through parse, lint with every rule (``strict=True``: a rule crash
fails the test) and fix (which must not add a parse error); see ``harness.exercise``.
Longer runs: ``python -m benchmarks.fuzz --minutes 10 --seed 1``.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz import mutate, strategies
from tests.fuzz.harness import exercise

BOUNDED = settings(
    max_examples=100,
    deadline=None,  # slow machines; the example count bounds the time
    derandomize=True,  # the same examples on every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@BOUNDED
@given(strategies.dockerfiles())
def test_generated_dockerfiles(text: str) -> None:
    exercise(text)


@BOUNDED
@given(strategies.broken())
def test_broken_dockerfiles(text: str) -> None:
    exercise(text)


MUTANTS = 400
BUDGET_SECONDS = 4.0


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_corpus(seed: int) -> None:
    seeds = mutate.seed_texts(generated=20)
    rng = random.Random(seed)
    deadline = time.monotonic() + BUDGET_SECONDS / 2
    for _ in range(MUTANTS // 2):
        text = mutate.mutant(rng, seeds)
        try:
            exercise(text)
        except Exception as exc:
            raise AssertionError(f"seed {seed}: failing input {text!r}") from exc
        if time.monotonic() > deadline:
            break
