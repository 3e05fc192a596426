"""Every BuildKit check against dflint's equivalent, over generated and mutated files.

``buildkit_generate`` writes real-shaped Dockerfiles that exercise all 22 checks (and
mutants of them); for each file BuildKit accepts, the (check, line) pairs of
``docker build --check`` (the oracle) and of dflint must be the same, but for the known
kinds of difference in ``buildkit_known``. Files BuildKit rejects are not compared.

The normal run is bounded (a few seconds). More examples, with a per-check summary
printed: ``DFLINT_BUILDKIT_EXAMPLES=5000 pytest -s tests/parity/test_buildkit_differential.py``
(``DFLINT_BUILDKIT_SEED`` picks another seed). ``python -m tests.parity.buildkit_agreement
generated --count N`` prints the same table without failing.
"""

from __future__ import annotations

import os

import pytest

from tests.parity import buildkit, buildkit_generate
from tests.parity.buildkit_agreement import Tally

EXAMPLES = int(os.environ.get("DFLINT_BUILDKIT_EXAMPLES", "100"))
SEED = int(os.environ.get("DFLINT_BUILDKIT_SEED", "1"))
SUMMARY = "DFLINT_BUILDKIT_EXAMPLES" in os.environ

MAKERS = {"generated": buildkit_generate.generate, "mutants": buildkit_generate.mutants}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_every_check_agrees_with_buildkit(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    if buildkit.oracle() is None:
        pytest.skip(buildkit.MISSING)
    tally = Tally()
    differences = []
    for i, inputs in enumerate(MAKERS[kind](SEED, EXAMPLES)):
        for side, (check, line) in tally.add(f"{kind} #{i}", inputs):
            only = "BuildKit" if side == "oracle" else "dflint"
            differences.append(f"{check} at line {line}, only {only}:\n{inputs.dockerfile}")
    if SUMMARY:
        with capsys.disabled():
            print(f"\n{kind}, seed {SEED}, {EXAMPLES} files:\n{tally.table()}")
    assert tally.files > EXAMPLES // 2, f"BuildKit rejected most files:\n{tally.table()}"
    assert not differences, "\n\n".join(differences[:5]) + "\n\n" + tally.table()


def test_the_generator_covers_every_check() -> None:
    if buildkit.oracle() is None:
        pytest.skip(buildkit.MISSING)
    seen: set[str] = set()
    oracle = buildkit.oracle()
    assert oracle is not None
    for inputs in buildkit_generate.generate(SEED, 200):
        seen |= {check for check, _ in oracle.ask(inputs).pairs}
    # InvalidBaseImagePlatform needs a registry's answer about an image's platform,
    # which generated files do not stage; its cases cover it.
    missing = set(buildkit.CHECKS) - seen - {"InvalidBaseImagePlatform"}
    assert not missing, f"no generated file makes BuildKit report {sorted(missing)}"
