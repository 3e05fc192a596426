"""Dockerfile text to AST: pre-scan, logical lines, the Lark grammar, heredoc bodies.

``parse`` never raises on any input: everything BuildKit's parser rejects is returned as
a :class:`~dflint.ast.ParseError` (layer ``"parser"``), and the rest of the file is still
parsed so that rules can run on it. Instruction-layer checks live in
:mod:`dflint.parse.validate`.
"""

from __future__ import annotations

import sys


def _import_lark_without_regex() -> None:
    """Import lark as if the third-party ``regex`` module were not installed.

    lark imports ``regex`` whenever it can (python-hcl2, a dependency, installs it), for
    ``Lark(regex=True)`` and ``\\p{...}`` classes in grammars, neither of which dflint's
    grammar or python-hcl2's uses; the import was 6% of a cold start (56M of 861M
    instructions, ``valgrind --tool=callgrind python -m dflint check --isolated
    Dockerfile``, 2026-12-07). ``regex`` stays importable for whoever asks for it later.
    """
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # type: ignore[assignment]  # None: `import regex` fails
    try:
        import lark  # noqa: F401  # imported now, with `regex` missing
    finally:
        del sys.modules["regex"]


_import_lark_without_regex()

import threading
from dataclasses import replace

from lark import Lark
from lark.exceptions import LarkError

from dflint import ast, directives
from dflint.ast import Dockerfile, Heredoc, Instruction, ParseError
from dflint.parse import heredoc
from dflint.parse.grammar import FlagSplit, build_parser
from dflint.parse.scan import LogicalLine, Scanner
from dflint.parse.simple import parse_simple
from dflint.parse.transform import InstructionTransformer, empty_instruction
from dflint.parse.validate import validate
from dflint.reuse import Reuse, shifted
from dflint.source import Span

_HEREDOC_KINDS = (ast.Run, ast.Copy)  # Add is a Copy subclass
_Entry = tuple[Lark, InstructionTransformer, FlagSplit, threading.Lock]
_parsers: dict[str, _Entry] = {}
_parsers_lock = threading.Lock()

# Instructions parsed before, by (escape, their text from the keyword to the end of their
# last line, the comments just above them): the node, the errors its parse reported and
# where that text started (see dflint.reuse). A language server re-lints a buffer after
# each edit: its size covers a 20,000-instruction buffer.
_Parsed = tuple[Instruction, tuple[ParseError, ...], int]
PARSED: Reuse[_Parsed] = Reuse(32_768)


def _parser_for(escape: str) -> _Entry:
    with _parsers_lock:
        entry = _parsers.get(escape)
        if entry is None:
            transformer = InstructionTransformer(escape)
            postlex = FlagSplit()
            parser = build_parser(escape, transformer, postlex)
            entry = (parser, transformer, postlex, threading.Lock())
            _parsers[escape] = entry
        return entry


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
    parser, transformer, postlex, lock = _parser_for(scan.escape)
    errors: list[ParseError] = list(scan.errors)
    instructions: list[Instruction] = []
    with lock:
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
                        simple = parse_simple(line.text, transformer, parser)
                        # The transformer's output is an instruction (Lark types it Tree).
                        node = simple or parser.parse(line.text)  # type: ignore[assignment]
                    except (LarkError, RecursionError) as exc:  # the grammar is total; be safe
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
