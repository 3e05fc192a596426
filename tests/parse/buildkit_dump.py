"""Render a parsed Dockerfile like BuildKit's ``Node.Dump()`` (the ``testfiles/*/result``
format): ``(from "a") (run "echo   hi")``.

Each instruction is ``(<lower-cased keyword>[ <flags as Go %q of []string>] "arg" ...)``,
strings quoted with Go's ``strconv.Quote``; an ONBUILD trigger is a nested node,
``(onbuild (run "x"))``. Heredoc bodies are not part of the dump.
"""

from __future__ import annotations

from dflint import ast
from dflint.parse.validate import go_quote
from dflint.source import LineIndex


def _command_values(command: ast.Command | None) -> list[str]:
    return [] if command is None else [w.value for w in command.args]


def node_values(node: ast.Instruction) -> list[str]:
    """The ``Next`` chain of an instruction node (ONBUILD excluded), as BuildKit builds it."""
    if isinstance(node, (ast.Run, ast.Cmd, ast.Entrypoint, ast.Shell)):
        return _command_values(node.command)
    if isinstance(node, (ast.Copy, ast.Volume)):
        return [w.value for w in node.args]
    if isinstance(node, ast.From):
        words = (node.image, node.as_keyword, node.alias, *node.extra)
        return [w.value for w in words if w is not None]
    if isinstance(node, ast.Expose):
        return [w.value for w in node.ports]
    if isinstance(node, (ast.Env, ast.Label)):
        # parseNameVal: key, value, separator ("=" or "" for the legacy form) triples
        out: list[str] = []
        for pair in node.pairs:
            out += [pair.key.value, pair.value.value, "" if pair.legacy else "="]
        return out
    if isinstance(node, ast.Arg):
        return [
            d.name.value + ("" if d.default is None else "=" + d.default.value) for d in node.args
        ]
    if isinstance(node, (ast.User, ast.Workdir, ast.Maintainer, ast.StopSignal)):
        return [] if node.value is None else [node.value.value]
    if isinstance(node, ast.Healthcheck):
        if node.kind is None:
            return []
        return [node.kind.value, *_command_values(node.command)]
    return [""]  # parseIgnore: an unknown instruction keeps one empty node


def dump_instruction(node: ast.Instruction) -> str:
    parts = [node.keyword.text.lower()]
    if node.flags:
        parts.append("[" + " ".join(go_quote(f.text) for f in node.flags) + "]")
    if isinstance(node, ast.Onbuild):
        if node.trigger is not None:
            parts.append(dump_instruction(node.trigger))
    else:
        parts += [go_quote(v) for v in node_values(node)]
    return "(" + " ".join(parts) + ")"


def dump(dockerfile: ast.Dockerfile) -> str:
    """All instructions, space-separated, as the reference prints ``AST:`` lines."""
    return " ".join(dump_instruction(node) for node in dockerfile.instructions)


Heredocs = list[tuple[int, list[tuple[str, str, str, int, str]]]]


def heredoc_summary(dockerfile: ast.Dockerfile, text: str) -> Heredocs:
    """``[(start line, [(name, "expand"|"no-expand", "chomp"|"", fd, content)])]``."""
    lines = LineIndex(text)
    out: Heredocs = []
    for node in dockerfile.instructions:
        if node.heredocs:
            docs = [
                (
                    h.name,
                    "expand" if h.expand else "no-expand",
                    "chomp" if h.chomp else "",
                    h.file_descriptor,
                    h.content,
                )
                for h in node.heredocs
            ]
            out.append((lines.line_of(node.span.start), docs))
    return out
