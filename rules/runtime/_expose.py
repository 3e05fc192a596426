"""EXPOSE entries, split as Docker's ``nat.ParsePortSpec`` reads them.

An entry is ``[ip:][hostPort:]containerPort[/proto]``; ports may be ranges (``8000-8010``)
and an IPv6 address is bracketed (``[::1]:80:80``).
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.records import record
from dflint.source import Span


@record
class PortEntry:
    word: ast.Word
    text: str  # resolved
    mapping: str | None  # ``ip:hostPort:`` / ``hostPort:`` part, with the final colon
    port: str  # container port or range
    proto: str | None  # as written, without ``/``
    literal: bool  # ``text`` is written 1:1 in the source (part spans are exact)

    def part_span(self, start: int, length: int) -> Span:
        if not self.literal:
            return self.word.span
        return Span(self.word.span.start + start, self.word.span.start + start + length)

    @property
    def port_span(self) -> Span:
        return self.part_span(len(self.mapping or ""), len(self.port))

    @property
    def proto_span(self) -> Span:
        return self.part_span(len(self.text) - len(self.proto or ""), len(self.proto or ""))


def entries(model: Model) -> Iterator[PortEntry]:
    """Every resolved EXPOSE entry (unresolvable ones are skipped)."""
    for node in model.instructions(ast.Expose):
        for word in node.ports:
            text = model.expand(word, at=node).text
            if not text:
                continue
            # A value from a variable may hold several entries; judge each.
            for piece in text.split():
                yield _entry(
                    word, piece, literal=piece == word.text and len(word.span) == len(piece)
                )


def _entry(word: ast.Word, text: str, *, literal: bool) -> PortEntry:
    spec, slash, proto = text.partition("/")
    cut = spec.rfind(":")
    mapping = spec[: cut + 1] if cut >= 0 else None
    port = spec[cut + 1 :]
    return PortEntry(word, text, mapping, port, proto if slash else None, literal)
