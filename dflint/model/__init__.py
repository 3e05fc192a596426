"""The semantic model rules work on.

This first version wraps the AST and the source; stages, ARG/ENV scopes, image
references, shell words and the build context are added here as rules need them
(STYLE.md section 5).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from dflint import ast
from dflint.source import SourceFile

InstructionT = TypeVar("InstructionT", bound=ast.Instruction)


@dataclass(frozen=True, slots=True)
class Model:
    source: SourceFile
    dockerfile: ast.Dockerfile

    def instructions(self, kind: type[InstructionT]) -> Iterator[InstructionT]:
        """Top-level instructions of type ``kind`` (ONBUILD triggers not included)."""
        for node in self.dockerfile.instructions:
            if isinstance(node, kind):
                yield node


def build(source: SourceFile, dockerfile: ast.Dockerfile) -> Model:
    return Model(source, dockerfile)
