"""``--format text``: one header line per finding, a code frame with carets, a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO

from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, display_path, severity_counts, visible
from dflint.rule import Finding, Severity
from dflint.source import LineIndex

_SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.STYLE: "magenta",
}
_MAX_FRAME_LINES = 4
_MAX_LINE_WIDTH = 160

Styler = Callable[[str, str], str]


def _plain(text: str, style: str) -> str:
    return text


def _markup(text: str, style: str) -> str:
    from rich.markup import escape

    return f"[{style}]{escape(text)}[/]" if style else escape(text)


def _clip(line: str, start_col: int) -> tuple[str, int]:
    """Clip very long lines around the caret; returns (text, shift of columns)."""
    line = line.replace("\t", " ")
    if len(line) <= _MAX_LINE_WIDTH:
        return line, 0
    shift = max(0, min(start_col - 20, len(line) - _MAX_LINE_WIDTH))
    text = line[shift : shift + _MAX_LINE_WIDTH]
    return ("…" + text[1:] if shift else text[:-1] + "…"), shift


def frame(lines: LineIndex, finding: Finding, style: Styler) -> list[str]:
    start = lines.position(finding.span.start)
    end_offset = max(finding.span.end - 1, finding.span.start)
    end = lines.position(end_offset)
    last = min(end.line, start.line + _MAX_FRAME_LINES - 1)
    width = len(str(last))
    out: list[str] = []
    for line_no in range(start.line, last + 1):
        text = lines.line_text(line_no).rstrip("\r")
        first_col = start.column if line_no == start.line else 1
        last_col = end.column if line_no == end.line else len(text)
        clipped, shift = _clip(text, first_col)
        gutter = style(f"{line_no:>{width}} | ", "blue")
        out.append(f"  {gutter}{clipped}")
        if finding.span.end > finding.span.start or line_no == start.line:
            carets = max(1, last_col - first_col + 1) if text else 1
            pad = " " * max(0, first_col - 1 - shift)
            carets = min(carets, max(1, _MAX_LINE_WIDTH - len(pad)))
            out.append(f"  {style(' ' * width + ' | ', 'blue')}{pad}{style('^' * carets, 'red')}")
    if last < end.line:
        out.append(f"  {style(' ' * width + ' | ', 'blue')}…")
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def fix_hint(results: Sequence[LintResult], unsafe_fixes: bool) -> str:
    """How many findings ``--fix`` would fix and how to ask for it; "" when none."""
    fixes = [f.fix for r in results for f in visible(r) if f.fix is not None]
    safe = sum(1 for fix in fixes if fix.safe)
    unsafe = len(fixes) - safe
    if unsafe_fixes:
        return f"[*] {len(fixes)} fixable with `--fix --unsafe-fixes`." if fixes else ""
    parts = []
    if safe:
        parts.append(f"[*] {safe} fixable with `--fix`.")
    if unsafe:
        fix = "fix" if unsafe == 1 else "fixes"
        verb = "is" if unsafe == 1 else "are"
        parts.append(
            f"{unsafe} unsafe {fix} {verb} available with `--fix --unsafe-fixes`"
            " (they may change what the image contains)."
        )
    return " ".join(parts)


def render_file(result: LintResult, options: ReportOptions) -> str:
    """The report's part for one file: each visible finding's header, code frame and fix,
    then a blank line (rich markup when ``options.color``); "" when nothing is visible.
    Depends on this file alone, so a pool worker can render it (see :mod:`dflint.report`)."""
    style: Styler = _markup if options.color else _plain
    out: list[str] = []
    path = display_path(result.path, options.cwd)
    for finding in visible(result):
        pos = result.source.lines.position(finding.span.start)
        sev = finding.severity
        head = (
            f"{style(f'{path}:{pos.line}:{pos.column}:', 'bold')} "
            f"{style(finding.code, _SEVERITY_STYLE[sev])} "
            f"{style(f'[{sev.value}]', _SEVERITY_STYLE[sev])} {style(finding.message, '')}"
            f" {style(f'({finding.name})', 'dim')}"
        )
        out.append(head)
        if result.source.text:
            out.extend(frame(result.source.lines, finding, style))
        if finding.fix is not None:
            kind = "fix" if finding.fix.safe else "unsafe fix"
            out.append(f"  {style(f'= {kind}: {finding.fix.title}', 'green')}")
        out.append("")
    return "".join(line + "\n" for line in out)


def render(
    results: Sequence[LintResult],
    stream: IO[str],
    registry: Registry,
    options: ReportOptions,
    rendered: Sequence[str] | None = None,
) -> None:
    """The report; ``rendered``: :func:`render_file` of each result, if already made."""
    style: Styler = _markup if options.color else _plain
    files = rendered if rendered is not None else [render_file(r, options) for r in results]
    out: list[str] = []
    counts = severity_counts(results)
    total = sum(counts.values())
    files_with = sum(1 for r in results if visible(r))
    if options.statistics and total:
        per_rule: Counter[tuple[str, str]] = Counter(
            (f.code, f.name) for r in results for f in visible(r)
        )
        for (code, name), n in sorted(per_rule.items(), key=lambda x: (-x[1], x[0])):
            out.append(f"{n:>6}  {style(code, 'bold')}  {name}")
        out.append("")
    if total:
        parts = [
            _plural(counts[s], s.value if s is not Severity.STYLE else "style issue")
            for s in Severity
            if counts[s]
        ]
        summary = (
            f"Found {_plural(total, 'problem')} ({', '.join(parts)}) in "
            f"{_plural(files_with, 'file')} ({_plural(len(results), 'file')} checked)."
        )
        out.append(style(summary, "bold"))
        hint = fix_hint(results, options.unsafe_fixes)
        if hint:
            out.append(style(hint, "green"))
    elif not results:  # none found, or none could be read (said on standard error)
        out.append(style("No files checked.", "bold"))
    else:
        out.append(style(f"All checks passed ({_plural(len(results), 'file')} checked).", "green"))
    text = "".join(files) + "\n".join(out) + "\n"
    if options.color:
        from rich.console import Console

        Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True).print(
            text, end=""
        )
    else:
        stream.write(text)
