"""Source text, spans and position conversions.

Every position inside dflint is a ``str`` index into the original text (end exclusive).
Lines and columns are computed only at the edges: 1-based lines everywhere, code-point
columns for humans, UTF-16 columns for SARIF and LSP.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field

from dflint.records import record

# Go's unicode.IsSpace (strings.TrimSpace and BuildKit's other trims use it): ASCII
# whitespace with \v, then NEL, NBSP and the Unicode spaces.
GO_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
GO_SPACES = frozenset(GO_SPACE)


@record(order=True)
class Span:
    """A half-open range ``[start, end)`` of ``str`` indices into the original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def cover(self, other: Span) -> Span:
        return Span(min(self.start, other.start), max(self.end, other.end))


@record
class Position:
    """A 1-based line and a 1-based column (in the unit the converter was asked for)."""

    line: int
    column: int


class LineIndex:
    """Maps ``str`` offsets to lines and columns in O(log n)."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding ``offset`` (an offset at EOF belongs to the last line)."""
        return bisect_right(self._starts, offset)

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line`` without its ``\\n`` (``\\r`` stays part of the line)."""
        if line < len(self._starts):
            return self._starts[line] - 1
        return len(self._text)

    def line_text(self, line: int) -> str:
        return self._text[self.line_start(line) : self.line_end(line)]

    def position(self, offset: int) -> Position:
        """1-based line and 1-based code-point column."""
        line = self.line_of(offset)
        return Position(line, offset - self._starts[line - 1] + 1)

    def utf16_position(self, offset: int) -> Position:
        """1-based line and 1-based UTF-16 code-unit column (SARIF, LSP's default)."""
        line = self.line_of(offset)
        start = self._starts[line - 1]
        return Position(line, utf16_length(self._text[start:offset]) + 1)

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position` (clamped to the line)."""
        line = min(max(line, 1), len(self._starts))
        start = self._starts[line - 1]
        return min(start + max(column, 1) - 1, self.line_end(line))


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units needed for ``text``."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@record
class SourceFile:
    """A Dockerfile's text and where it came from."""

    text: str
    path: str = "<stdin>"
    lines: LineIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", LineIndex(self.text))

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]
