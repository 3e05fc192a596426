"""A `# dflint: ignore=` comment that suppresses nothing.

## What it does
Reports dflint suppression comments (`# dflint: ignore=...` and
`# dflint: ignore-file=...`) that did not suppress any finding, that name rules which
do not exist, or that are malformed. Reported after all other rules have run, so a
suppression for a rule that is not enabled counts as unused. Codes of a rule that could
not check the file are not judged: `# dflint: ignore=SC2086` stays quiet on a machine
without ShellCheck, where DF360 cannot run.

## Why is this bad?
A stale suppression hides nothing today but will silently hide a real problem
tomorrow, and a misspelled one never worked at all.

## Example
```dockerfile
FROM alpine:3.20
# dflint: ignore=DF002
RUN echo hello
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN echo hello
```

## Fix safety
Removing the comment line is safe: comments never change the image.
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span
from dflint.suppress import UNSUPPRESSIBLE


def _remove_line(text: str, span: Span) -> Fix:
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end == -1 else end + 1
    return Fix("Remove the suppression comment", (Edit(Span(start, end), ""),), safe=True)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    outcome = ctx.suppressions
    if outcome is None:
        return
    text = ctx.source.text
    for comment in outcome.malformed:
        yield ctx.finding(
            comment.span,
            "Malformed suppression comment; write `# dflint: ignore=CODE[,CODE...]`",
        )
    for sup in outcome.suppressions:
        if sup.origin != "dflint":
            continue
        for name in sup.unknown:
            yield ctx.finding(sup.span, f"Unknown rule `{name}` in suppression comment")
        if sup.unknown:
            continue
        named = sup.codes | sup.external
        unchecked = {c for c in named if _unchecked(c, ctx.not_run)}
        if sup.codes and sup.codes <= UNSUPPRESSIBLE:
            yield ctx.finding(
                sup.span,
                "Syntax errors cannot be suppressed with a comment; fix them or ignore "
                "the rule in the configuration",
                fix=_remove_line(text, sup.span),
            )
        elif not sup.used and unchecked and unchecked == named:
            continue  # their rule could not check the file: nothing is known
        elif not sup.used and not unchecked:
            listed = ", ".join(f"`{w}`" for w in sup.written)
            yield ctx.finding(
                sup.span, f"Unused suppression of {listed}", fix=_remove_line(text, sup.span)
            )
        elif unused := sorted(sup.codes - sup.used - unchecked):
            yield ctx.finding(
                sup.span,
                "Suppression has unused codes: " + ", ".join(f"`{c}`" for c in unused),
            )


def _unchecked(code: str, not_run: set[str] | None) -> bool:
    """Whether ``code`` belongs to a rule that could not check the file (ShellCheck's
    ``SC2086`` when ShellCheck is missing)."""
    return any(code.startswith(c) for c in not_run or ())  # a code or an external prefix


RULE = Rule(
    code="DF002",
    name="unused-suppression",
    summary="Suppression comment that suppresses nothing",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    after_suppression=True,
)
