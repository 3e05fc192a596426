"""Text edits the fixing rules share: inserting an option after a word of a RUN command.

Fixes edit the original text on exact spans (STYLE.md section 4). A shell word can sit in
shell-form code (insert ` -y`), in an exec-form JSON array (insert `, "-y"` after the
element) or be split by a line continuation (its source differs from its text); the
last gets no edit, so formatting is never guessed.
"""

from __future__ import annotations

from dflint import ast
from dflint.model import Model
from dflint.model.shell import ShellWord
from dflint.rule import Edit
from dflint.source import Span


def run_of(node: ast.Instruction) -> ast.Run | None:
    """The RUN itself, or the trigger of an ``ONBUILD RUN``."""
    target = node.trigger if isinstance(node, ast.Onbuild) else node
    return target if isinstance(target, ast.Run) else None


def written_as(model: Model, span: Span, text: str) -> bool:
    """Whether ``span`` of the original text reads exactly ``text`` (no continuation)."""
    return model.source.text[span.start : span.end] == text


def insert_after(model: Model, node: ast.Instruction, word: ShellWord, option: str) -> Edit | None:
    """An edit that adds the argument ``option`` right after ``word`` of a RUN command."""
    run = run_of(node)
    if run is not None and run.command is not None and run.command.is_exec:
        for element in run.command.args:
            if element.span == word.span:
                return Edit(Span(word.span.end, word.span.end), f', "{option}"')
        # a word of `sh -c "..."` inside the array: shell text in a JSON string; an
        # option without quotes or backslashes can be inserted as is
    if not written_as(model, word.span, word.text):
        return None
    return Edit(Span(word.span.end, word.span.end), f" {option}")
