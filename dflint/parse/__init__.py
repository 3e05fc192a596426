"""Dockerfile text to AST: pre-scan, logical lines, the Lark grammar, heredoc bodies.

``parse`` never raises on any input: everything BuildKit's parser rejects is returned as
a :class:`~dflint.ast.ParseError` (layer ``"parser"``), and the rest of the file is still
parsed so that rules can run on it. Instruction-layer checks live in
:mod:`dflint.parse.validate`.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from dflint import ast, directives
from dflint.ast import Dockerfile, Heredoc, Instruction, ParseError
from dflint.parse import heredoc
from dflint.parse.grammar import FlagSplit, build_parser, shipped_terminals, terminal_patterns
from dflint.parse.scan import LogicalLine, Scanner
from dflint.parse.simple import Patterns, parse_simple
from dflint.parse.transform import InstructionTransformer, empty_instruction
from dflint.parse.validate import validate
from dflint.reuse import Reuse, shifted
from dflint.source import Span

if TYPE_CHECKING:
    from lark import Lark

_HEREDOC_KINDS = (ast.Run, ast.Copy)  # Add is a Copy subclass
_parsers_lock = threading.Lock()


class _Parsers:
    """What parses the lines of files using one escape character: the transformer (one
    per escape, used under ``lock``), the direct build's patterns, and the Lark parser,
    built (and Lark imported) when a line first needs it."""

    def __init__(self, escape: str) -> None:
        self.escape = escape
        self.transformer = InstructionTransformer(escape)
        self.postlex = FlagSplit()
        self.lock = threading.Lock()
        self._lark: Lark | None = None
        found = shipped_terminals(escape)
        if found is None:  # not shipped or stale: from the pre-built tables, else Lark's
            found = terminal_patterns(escape)
        self.patterns = Patterns(found) if found is not None else _lark_patterns(self.lark())

    def lark(self) -> Lark:
        if self._lark is None:
            self._lark = build_parser(self.escape, self.transformer, self.postlex)
        return self._lark

    def parse(self, text: str) -> Instruction:
        """Lark's parse of one logical line (under ``lock``); errors become
        :class:`_InternalError`."""
        parser = self.lark()  # imports Lark (without `regex`, see grammar.import_lark)
        from lark.exceptions import LarkError

        try:
            # The transformer's output is an instruction (Lark types it Tree).
            node: Instruction = parser.parse(text)  # type: ignore[assignment]
        except LarkError as exc:  # the grammar is total; be safe
            raise _InternalError(str(exc)) from exc
        return node


class _InternalError(Exception):
    pass


def _lark_patterns(parser: Lark) -> Patterns:
    return Patterns({t.name: t.pattern.to_regexp() for t in parser.terminals})


_parsers: dict[str, _Parsers] = {}


def _parsers_for(escape: str) -> _Parsers:
    with _parsers_lock:
        entry = _parsers.get(escape)
        if entry is None:
            entry = _parsers[escape] = _Parsers(escape)
        return entry


def _parser_for(escape: str) -> tuple[Lark, InstructionTransformer, FlagSplit, threading.Lock]:
    """The Lark parser, transformer, post-lexer and lock for ``escape`` (tests)."""
    entry = _parsers_for(escape)
    return entry.lark(), entry.transformer, entry.postlex, entry.lock


# Instructions parsed before, by (escape, their text from the keyword to the end of their
# last line, the comments just above them): the node, the errors its parse reported and
# where that text started (see dflint.reuse). A language server re-lints a buffer after
# each edit: its size covers a 20,000-instruction buffer.
_Parsed = tuple[Instruction, tuple[ParseError, ...], int]
PARSED: Reuse[_Parsed] = Reuse(32_768)


def _heredoc_target(node: Instruction) -> Instruction | None:
    """The RUN/COPY/ADD (possibly an ONBUILD trigger) whose line may carry heredocs."""
    if isinstance(node, ast.Onbuild):
        node = node.trigger if node.trigger is not None else node
    if isinstance(node, ast.Run):
        return node if node.command is None or not node.command.is_exec else None
    if isinstance(node, ast.Copy):
        return None if node.json else node
    return None


def _read_heredocs(
    node: Instruction, line: LogicalLine, scanner: Scanner, errors: list[ParseError]
) -> Instruction:
    target = _heredoc_target(node)
    if target is None or "<<" not in line.untrimmed:
        return node
    found = heredoc.markers(line.untrimmed)
    if not found:
        return node
    lead = len(line.untrimmed) - len(line.untrimmed.lstrip())
    docs: list[Heredoc] = []
    end = node.span.end
    for m in found:
        content, body_span, term_span = scanner.read_heredoc(m.name, m.chomp)
        marker_span = line.map.span(max(m.start - lead, 0), max(m.end - lead, 0))
        if term_span is None:
            errors.append(ParseError(marker_span, "unterminated heredoc", "parser"))
            end = max(end, body_span.end)
        else:
            end = max(end, term_span.end)
        docs.append(
            Heredoc(
                span=marker_span,
                name=m.name,
                expand=m.expand,
                chomp=m.chomp,
                file_descriptor=m.file_descriptor,
                content=content,
                body_span=body_span,
                terminator_span=term_span,
            )
        )
        if term_span is None:
            break
    heredocs = tuple(docs)
    original = line.untrimmed + "\n" + "".join(h.content + h.name + "\n" for h in heredocs)
    span = Span(node.span.start, end)
    if isinstance(node, ast.Onbuild) and node.trigger is not None:
        trigger = replace(node.trigger, heredocs=heredocs, span=Span(node.trigger.span.start, end))
        return replace(node, trigger=trigger, heredocs=heredocs, span=span, original=original)
    return replace(node, heredocs=heredocs, span=span, original=original)


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile ``text`` (a ``str``; a leading BOM is allowed)."""
    scan = directives.scan(text)
    scanner = Scanner(text, scan.escape, scan.block_end)
    parsers = _parsers_for(scan.escape)
    transformer, postlex, patterns = parsers.transformer, parsers.postlex, parsers.patterns
    errors: list[ParseError] = list(scan.errors)
    instructions: list[Instruction] = []
    with parsers.lock:
        ctx = transformer.ctx
        while (line := scanner.next_logical()) is not None:
            if not line.text:
                node: Instruction = empty_instruction(
                    Span(line.head, line.end), line.untrimmed, line.comments
                )
            else:
                key = (scan.escape, text[line.head : line.end], line.comments)
                parsed = PARSED.get(key)
                if parsed is None:
                    ctx.line = postlex.text = line.text
                    ctx.map = line.map
                    ctx.span_start = line.head
                    ctx.span_end = line.end
                    ctx.comments = line.comments
                    ctx.original = line.untrimmed
                    found: list[ParseError] = []
                    ctx.errors = found
                    try:
                        simple = parse_simple(line.text, transformer, patterns)
                        node = simple or parsers.parse(line.text)
                    except (_InternalError, RecursionError) as exc:  # the grammar is total
                        span = Span(line.start, line.end)
                        errors.append(ParseError(span, f"internal parser error: {exc}", "parser"))
                        continue
                    errors.extend(found)
                    PARSED.put(key, (node, tuple(found), line.head))
                else:
                    delta = line.head - parsed[2]
                    node = shifted(parsed[0], delta)
                    errors.extend(shifted(parsed[1], delta))
            if line.empty_continuation_lines:
                node = replace(node, empty_continuation_lines=line.empty_continuation_lines)
            node = _read_heredocs(node, line, scanner, errors)
            instructions.append(node)
    errors.extend(scanner.errors)
    errors.extend(validate(instructions))
    if not instructions and not any(e.layer == "parser" for e in errors):
        errors.append(ParseError(Span(0, 0), "file with no instructions", "parser"))
    errors.sort(key=lambda e: e.span.start)
    return Dockerfile(
        instructions=tuple(instructions),
        directives=scan.directives,
        comments=tuple(scanner.comments),
        errors=tuple(errors),
        escape=scan.escape,
    )
