r"""A blank line inside a line continuation.

## What it does
Flags an instruction that contains a whitespace-only line between its continued
lines, once per instruction, pointing at the first such line. BuildKit reports it at
the instruction's last line, which is its reference line (JSON `reference_line`).

## Why is this bad?
Docker skips the blank line, so the instruction still continues past it — but a
reader sees the instruction end there. A later Dockerfile syntax may turn this into
an error; Docker's own build check already warns about it.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache \

    curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache \
    curl
```

## Fix safety
Deleting the empty lines is safe: Docker skips them.

## References
- [Docker build checks: NoEmptyContinuation](https://docs.docker.com/reference/build-checks/no-empty-continuation/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    lines = ctx.source.lines
    for node in model.dockerfile.instructions:
        if not node.empty_continuation_lines:
            continue
        first = node.empty_continuation_lines[0]
        # BuildKit reports the problem at the instruction's last line, empty lines that
        # end the file inside the continuation included
        last = max(
            lines.line_of(max(node.span.start, node.span.end - 1)),
            node.empty_continuation_lines[-1],
        )
        end = lines.line_start(last)
        count = len(node.empty_continuation_lines)
        more = f" (and {count - 1} more)" if count > 1 else ""
        # each whole line goes, its line break included (the last line of a file has none)
        edits = tuple(
            Edit(Span(lines.line_start(n), lines.line_end(n) + (n < lines.line_count)), "")
            for n in node.empty_continuation_lines
        )
        yield ctx.finding(
            Span(lines.line_start(first), lines.line_end(first)),
            f"Remove the empty line inside this `{node.keyword.text}` continuation{more}",
            fix=Fix("Remove the empty continuation lines", edits),
            anchor=Span(end, end),
        )


RULE = Rule(
    code="DF131",
    name="empty-continuation-line",
    summary="Empty line inside a line continuation",
    severity=Severity.WARNING,
    fix=FixAvailability.ALWAYS,
    since="0.1.0",
    buildkit=("NoEmptyContinuation",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
)
