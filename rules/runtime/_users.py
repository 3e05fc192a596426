"""USER values: the user part of ``user[:group]`` and its span."""

from __future__ import annotations

from dflint import ast
from dflint.model import Model
from dflint.source import Span


def user_part(model: Model, node: ast.User) -> tuple[str, Span] | None:
    """The resolved user name/uid before any ``:group``, and where to point at it.

    ``None`` when the value cannot be resolved or is empty. The span is the user part
    of the word when the word is written literally, else the whole word.
    """
    if node.value is None:
        return None
    text = model.expand(node.value, at=node).text
    if not text:
        return None
    user = text.split(":", 1)[0]
    span = node.value.span
    if node.value.text == text and len(span) == len(text):
        span = Span(span.start, span.start + len(user))
    return user, span
