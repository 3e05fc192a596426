"""Shared by the variable rules: their options and where a ``$name`` sits in the source."""

from dflint.model.scope import VarRef
from dflint.model.stages import PLATFORM_ARGS
from dflint.rule import Options, option
from dflint.source import Span

# BuildKit's automatic ARGs: the platform ones plus the OS versions and the target stage.
AUTOMATIC_ARGS = frozenset((*PLATFORM_ARGS, "BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE"))


class VariableOptions(Options):
    """``[tool.dflint.rules.variables]``: shared by undefined-variable and undefined-arg-in-from."""

    build_args: frozenset[str] = option(default=frozenset(), key="build-args")
    image_env: dict[str, frozenset[str]] = option(default_factory=dict, key="image-env")


def reference_span(span: Span, text: str, ref: VarRef) -> Span:
    """The ``$name`` inside ``text`` written at ``span``, when the text maps 1:1 onto it."""
    if len(span) != len(text):
        return span  # a continuation or processed quotes: point at the whole word
    return Span(span.start + ref.start, span.start + ref.end)
