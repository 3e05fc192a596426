"""Instructions a later one of the same kind overrides within a stage.

``CMD``, ``ENTRYPOINT`` and ``HEALTHCHECK`` each set one field of the image config;
only the last one of a stage counts. A stage built ``FROM <stage>`` overriding its
parent's is normal and not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from dflint import ast
from dflint.model import Model

from .._shared._stages import stage_groups


def overridden(
    model: Model, kind: type[ast.Instruction]
) -> Iterator[tuple[ast.Instruction, ast.Instruction]]:
    """(earlier, next) for each ``kind`` instruction a later one in its stage overrides."""
    for _stage, body in stage_groups(model):
        nodes = [n for n in body if isinstance(n, kind)]
        yield from pairwise(nodes)
