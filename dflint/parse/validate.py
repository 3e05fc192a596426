"""BuildKit's instruction layer (``instructions.Parse``): per-instruction arity, flags and
stage structure. Reported as ``ParseError(layer="instruction")``."""

from __future__ import annotations

from collections.abc import Sequence

from dflint import ast
from dflint.ast import ParseError


def validate(instructions: Sequence[ast.Instruction]) -> list[ParseError]:
    """Everything BuildKit's instruction layer rejects in ``instructions``."""
    return []
