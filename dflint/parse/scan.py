"""Physical lines to logical instruction lines, as BuildKit's parser assembles them.

For every physical line BuildKit strips the trailing newline characters, and for the
first line of an instruction the leading whitespace; comment lines (``#`` first) and
blank lines are skipped. A line ending in the escape character (optionally followed by
spaces or tabs) continues, unless that escape is itself preceded by the escape
character. Inside a continuation, comment lines and whitespace-only lines are skipped
(the latter earn a NoEmptyContinuation warning), continuation lines keep their leading
whitespace and are concatenated without a separator.

The scanner keeps, for every logical line, a piecewise map back to the original text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field

from dflint.ast import Comment, ParseError
from dflint.records import record
from dflint.source import GO_SPACE, Span

# Go's unicode.IsSpace; strings.TrimSpace and trimLeadingWhitespace use it.
MAX_LINE_BYTES = 65535
BOM = "\ufeff"


@record(frozen=False)
class LineMap:
    """Maps offsets in a logical line to offsets in the original text."""

    logical: list[int] = field(default_factory=list)  # start of each piece in the line
    original: list[int] = field(default_factory=list)  # start of each piece in the text

    def add(self, logical_start: int, original_start: int) -> None:
        self.logical.append(logical_start)
        self.original.append(original_start)

    def offset(self, pos: int) -> int:
        logical = self.logical
        i = 0 if len(logical) == 1 else bisect_right(logical, pos) - 1
        return self.original[i] + pos - logical[i]

    def span(self, start: int, end: int) -> Span:
        logical = self.logical
        if len(logical) == 1:  # no continuation: one piece (the common case)
            base = self.original[0] - logical[0]
            return Span(base + start, base + max(start, end))
        first = self.offset(start)
        if end <= start:
            return Span(first, first)
        return Span(first, self.offset(end - 1) + 1)


@record(frozen=False)
class LogicalLine:
    text: str  # after strings.TrimSpace: what the instruction grammar parses
    untrimmed: str  # the assembled line (BuildKit's Node.Original, heredoc detection)
    map: LineMap  # offsets in ``text`` -> original offsets
    start: int  # original offset of the first character of ``text``
    head: int  # original offset of the first non-space character of the first physical line
    end: int  # original offset of the end of the last consumed physical line
    start_line: int
    end_line: int
    comments: tuple[str, ...]
    empty_continuation_lines: tuple[int, ...]


class Scanner:
    """Iterates over logical lines; heredoc bodies are read on request."""

    def __init__(self, text: str, escape: str, directive_end: int) -> None:
        self.text = text
        self.escape = escape
        self.directive_end = directive_end
        self.pos = 1 if text.startswith(BOM) else 0
        self.line_no = 0
        self.errors: list[ParseError] = []
        self.comments: list[Comment] = []
        self._pending: list[str] = []

    # -- physical lines -------------------------------------------------------------
    def _next_physical(self) -> tuple[int, int, int] | None:
        """(start, end without newline characters, end of the raw line) or None at EOF."""
        text = self.text
        if self.pos >= len(text):
            return None
        start = self.pos
        nl = text.find("\n", start)
        raw_end = len(text) if nl == -1 else nl
        self.pos = raw_end + 1 if nl != -1 else raw_end
        self.line_no += 1
        end = raw_end
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        if (
            raw_end - start > MAX_LINE_BYTES // 4
            and len(text[start:raw_end].encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES
        ):
            self.errors.append(
                ParseError(
                    Span(start, start),
                    f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}",
                    "parser",
                )
            )
        return start, end, raw_end

    def _continues(self, start: int, end: int) -> int:
        """If the line continues, the offset where its escape starts, else -1."""
        text = self.text
        e = end
        while e > start and text[e - 1] in " \t":
            e -= 1
        if (
            e > start
            and text[e - 1] == self.escape
            and (e - 1 == start or text[e - 2] != self.escape)
        ):
            return e - 1
        return -1

    def _comment(self, start: int, content: int, end: int, attach: bool = True) -> None:
        if start < self.directive_end:
            return  # a parser directive, not a comment
        body = self.text[content + 1 : end].strip(GO_SPACE)
        self.comments.append(Comment(Span(start, end), body))
        if not attach:
            return  # comments inside a continuation are never attached
        if body:
            self._pending.append(body)
        else:
            self._pending = []  # an empty `#` line resets the comment list

    # -- logical lines --------------------------------------------------------------
    def next_logical(self) -> LogicalLine | None:
        text = self.text
        while True:
            phys = self._next_physical()
            if phys is None:
                return None
            start, end, _ = phys
            content = start
            while content < end and text[content] in GO_SPACE:
                content += 1
            if content == end:
                continue  # blank line
            if text[content] == "#":
                self._comment(start, content, end)
                continue
            return self._assemble(start, content, end)

    def _assemble(self, line_start: int, content: int, end: int) -> LogicalLine:
        text = self.text
        start_line = self.line_no
        esc = self._continues(content, end)
        if esc == -1:  # one physical line (most instructions): nothing to join or map
            untrimmed = text[content:end]  # starts with a non-space: only its end strips
            comments = tuple(self._pending) if self._pending else ()
            self._pending = []
            return LogicalLine(
                text=untrimmed.rstrip(GO_SPACE),
                untrimmed=untrimmed,
                map=LineMap([0], [content]),
                start=content,
                head=content,
                end=end,
                start_line=start_line,
                end_line=start_line,
                comments=comments,
                empty_continuation_lines=(),
            )
        lm = LineMap()
        parts: list[str] = []
        length = 0
        empty: list[int] = []
        last_end = end
        piece_end = esc
        lm.add(0, content)
        parts.append(text[content:piece_end])
        length += piece_end - content
        while esc != -1:
            phys = self._next_physical()
            if phys is None:
                break
            start, end, _ = phys
            first = start
            while first < end and text[first] in GO_SPACE:
                first += 1
            if first < end and text[first] == "#":
                self._comment(start, first, end, attach=False)
                last_end = end
                continue
            if first == end:
                empty.append(self.line_no)
                last_end = end
                continue
            last_end = end
            esc = self._continues(start, end)
            piece_end = esc if esc != -1 else end
            lm.add(length, start)
            parts.append(text[start:piece_end])
            length += piece_end - start
        untrimmed = "".join(parts)
        stripped = untrimmed.strip(GO_SPACE)
        if stripped and untrimmed[0] in GO_SPACE:
            lead = len(untrimmed) - len(untrimmed.lstrip(GO_SPACE))
            shifted = LineMap()
            for lo, og in zip(lm.logical, lm.original, strict=True):
                shifted.add(lo - lead, og)
            lm = shifted
        comments = tuple(self._pending)
        self._pending = []
        return LogicalLine(
            text=stripped,
            untrimmed=untrimmed,
            map=lm,
            start=lm.offset(0) if stripped else content,
            head=content,
            end=last_end,
            start_line=start_line,
            end_line=self.line_no,
            comments=comments,
            empty_continuation_lines=tuple(empty),
        )

    # -- heredoc bodies -------------------------------------------------------------
    def read_heredoc(self, name: str, chomp: bool) -> tuple[str, Span, Span | None]:
        """Consume a heredoc body: (content, body span, terminator span or None)."""
        text = self.text
        body_start = self.pos
        while True:
            phys = self._next_physical()
            if phys is None:
                return text[body_start:], Span(body_start, len(text)), None
            start, end, _ = phys
            candidate_start = start
            if chomp:
                while candidate_start < end and text[candidate_start] == "\t":
                    candidate_start += 1
            if text[candidate_start:end] == name:
                return text[body_start:start], Span(body_start, start), Span(start, end)
