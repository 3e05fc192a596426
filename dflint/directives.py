"""Pre-scan of parser directives (``# syntax=``, ``# escape=``, ``# check=``).

Mirrors BuildKit's ``DirectiveParser``: the directive block starts at line 1 and ends at
the first line that is not a recognised directive (a blank line, an instruction, any
other comment, an unknown key, an empty value, a shebang). Keys are case-insensitive,
values are not. A known directive twice inside the block is a parser error; after the
block, directive-looking lines are plain comments.

BuildKit reads ``escape`` with the main parser, which treats a first-line shebang as the
end of the block, but reads ``syntax`` and ``check`` with separate scanners that skip a
first-line shebang. Both views are computed here.
"""

from __future__ import annotations

from dflint.ast import Directive, ParseError
from dflint.lazy_re import lazy
from dflint.records import record
from dflint.source import GO_SPACES, Span

KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
BOM = "\ufeff"

# Go RE2's \s is [\t\n\f\r ]: ASCII only, and without \v.
_DIRECTIVE_RE = lazy(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")


def _skip_spaces(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in GO_SPACES:
        pos += 1
    return pos


@record
class DirectiveScan:
    """What the pre-scan found."""

    directives: tuple[Directive, ...]  # as the build honours them
    escape: str
    errors: tuple[ParseError, ...]
    block_end: int  # offset where the main parser's directive block ended


def _physical_lines(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end-without-newline) of lines from ``start``; stops early (blocks are short)."""
    lines: list[tuple[int, int]] = []
    pos = start
    n = len(text)
    while pos < n and len(lines) < 64:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        lines.append((pos, end))
        if nl == -1:
            break
        pos = nl + 1
    return lines


def _parse_block(text: str, start: int) -> tuple[list[Directive], list[ParseError], int]:
    directives: list[Directive] = []
    errors: list[ParseError] = []
    seen: set[str] = set()
    block_end = start
    for line_start, line_end in _physical_lines(text, start):
        raw_end = line_end
        # trimNewline: BuildKit strips trailing \r and \n characters.
        while raw_end > line_start and text[raw_end - 1] == "\r":
            raw_end -= 1
        line_first = line_start
        if line_first == 0 and text.startswith(BOM):
            line_first = 1
        pos = _skip_spaces(text, line_first, raw_end)
        if pos >= raw_end or text[pos] != "#":
            return directives, errors, line_start
        body_start = pos + 1
        body_start = _skip_spaces(text, body_start, raw_end)
        m = _DIRECTIVE_RE.match(text[body_start:raw_end])
        if m is None:
            return directives, errors, line_start
        key = m.group(1).lower()
        if key not in KNOWN_DIRECTIVES:
            return directives, errors, line_start
        span = Span(line_start, raw_end)
        if key in seen:
            errors.append(
                ParseError(span, f"only one {key} parser directive can be used", "parser")
            )
        else:
            seen.add(key)
            directives.append(
                Directive(
                    span=span,
                    name=key,
                    value=m.group(2),
                    name_span=Span(body_start + m.start(1), body_start + m.end(1)),
                    value_span=Span(body_start + m.start(2), body_start + m.end(2)),
                )
            )
        block_end = line_end + 1
    return directives, errors, min(block_end, len(text))


def scan(text: str) -> DirectiveScan:
    """Read the directive block(s) at the top of ``text``."""
    directives, errors, block_end = _parse_block(text, 0)
    escape = "\\"
    for d in directives:
        if d.name == "escape":
            if d.value in ("`", "\\"):
                escape = d.value
            else:
                errors.append(
                    ParseError(
                        d.value_span,
                        f"invalid escape token '{d.value}' does not match ` or \\",
                        "parser",
                    )
                )
    # syntax= and check= are read by scanners that skip a first-line shebang.
    first = 1 if text.startswith(BOM) else 0
    if text.startswith("#!", first):
        nl = text.find("\n")
        if nl != -1:
            after, _, _ = _parse_block(text, nl + 1)
            have = {d.name for d in directives}
            directives = directives + [
                d for d in after if d.name in ("syntax", "check") and d.name not in have
            ]
    return DirectiveScan(tuple(directives), escape, tuple(errors), block_end)
