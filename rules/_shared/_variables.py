"""Shared by the variable rules: their options, the words BuildKit expands and where a
``$name`` sits in the source."""

from collections.abc import Iterator, Mapping
from dataclasses import field

from dflint import ast
from dflint.model import UNKNOWN, Value
from dflint.model.scope import VarRef
from dflint.model.stages import PLATFORM_ARGS
from dflint.records import record
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


_EXPANDED_FLAGS = ("chown", "chmod", "checksum")


class Before(Mapping[str, Value]):
    """The names set by the pairs (or declarations) of one instruction before the one at
    ``index``, each unknown: a view of one dict per instruction, not a set per pair
    (quadratic in an ENV of thousands of pairs)."""

    __slots__ = ("first", "index")

    def __init__(self, first: dict[str, int] | None = None, index: int = 0) -> None:
        self.first: dict[str, int] = first if first is not None else {}
        self.index = index

    def __getitem__(self, name: str) -> Value:
        if self.first.get(name, self.index) < self.index:
            return UNKNOWN
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.first.get(name, self.index) < self.index

    def __iter__(self) -> Iterator[str]:
        return (name for name, at in self.first.items() if at < self.index)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@record
class ExpandedWord:
    text: str
    span: Span
    extra: Before = field(default_factory=Before)  # names declared earlier in the same ARG
    sets: str | None = None  # the ENV key this value is assigned to (``PATH=$PATH:/x``)
    same_instruction: Before = field(default_factory=Before)  # earlier pairs of this ENV
    heredoc: bool = False  # a heredoc body: variables expand, quotes stay as written


# The instructions `expanded_words` yields words of.
EXPANDED_KINDS = (
    ast.Env,
    ast.Label,
    ast.Arg,
    ast.Copy,
    ast.Workdir,
    ast.User,
    ast.StopSignal,
    ast.Volume,
    ast.Run,
)


def expanded_words(node: ast.Instruction) -> Iterator[ExpandedWord]:
    """The words of ``node`` that BuildKit expands itself (variables, quotes, escapes)
    when it builds: `ENV`, `LABEL`, `ARG` defaults, `COPY`/`ADD` paths and some flags,
    unquoted heredoc bodies, `WORKDIR`, `USER`, `STOPSIGNAL`, `VOLUME`, `RUN --mount`."""
    if isinstance(node, (ast.Env, ast.Label)):
        earlier_keys: dict[str, int] = {}
        for index, pair in enumerate(node.pairs):
            yield ExpandedWord(pair.key.text, pair.key.span)
            yield ExpandedWord(
                pair.value.text,
                pair.value.span,
                sets=pair.key.text,
                same_instruction=Before(earlier_keys, index),
            )
            if isinstance(node, ast.Env):
                earlier_keys.setdefault(pair.key.text, index)
    elif isinstance(node, ast.Arg):
        earlier: dict[str, int] = {}
        for index, decl in enumerate(node.args):
            if decl.default is not None:
                yield ExpandedWord(decl.default.text, decl.default.span, Before(earlier, index))
            earlier.setdefault(decl.name.text, index)
    elif isinstance(node, ast.Copy):
        for word in node.args:
            if not word.text.startswith("<<"):
                yield ExpandedWord(word.value, word.span)
        for flag in node.flags:
            if flag.name in _EXPANDED_FLAGS and flag.value is not None:
                yield ExpandedWord(flag.value, flag.value_span or flag.span)
        for heredoc in node.heredocs:
            if heredoc.expand:
                yield ExpandedWord(heredoc.content, heredoc.body_span, heredoc=True)
    elif isinstance(node, (ast.Workdir, ast.User, ast.StopSignal)):
        if node.value is not None:
            yield ExpandedWord(node.value.text, node.value.span)
    elif isinstance(node, ast.Volume):
        for word in node.args:
            yield ExpandedWord(word.value, word.span)
    elif isinstance(node, ast.Run):
        for flag in node.flags:
            if flag.name == "mount" and flag.value is not None:
                yield ExpandedWord(flag.value, flag.value_span or flag.span)
