"""The AST in the shape of BuildKit's parser output (the ``dockerfile`` package's
``Command``), for ``dflint parse --format json`` and differential tests."""

from __future__ import annotations

from typing import TypedDict

from dflint import ast
from dflint.source import LineIndex


class HeredocDict(TypedDict):
    name: str
    content: str
    expand: bool
    chomp: bool
    file_descriptor: int


class CommandDict(TypedDict):
    cmd: str | None
    sub_cmd: str | None
    json: bool
    original: str | None
    start_line: int
    end_line: int
    flags: list[str]
    sub_flags: list[str]
    value: list[str]
    heredocs: list[HeredocDict]


def _command_value(command: ast.Command | None) -> list[str]:
    if command is None:
        return []
    return [w.value for w in command.args]


def node_value(node: ast.Instruction) -> list[str]:
    """The argument strings exactly as BuildKit's parser yields them."""
    if isinstance(node, ast.Onbuild):
        trigger = node.trigger
        if isinstance(trigger, ast.Onbuild):
            # BuildKit's ONBUILD node keeps its trigger under a value-less node, which is
            # all that `ONBUILD ONBUILD ...` shows one level down.
            return [] if trigger.trigger is None else [""]
        return node_value(trigger) if trigger is not None else []
    if isinstance(node, (ast.Run, ast.Cmd, ast.Entrypoint, ast.Shell)):
        return _command_value(node.command)
    if isinstance(node, (ast.Copy, ast.Volume)):
        return [w.value for w in node.args]
    if isinstance(node, ast.From):
        words = [node.image, node.as_keyword, node.alias, *node.extra]
        return [w.value for w in words if w is not None]
    if isinstance(node, ast.Expose):
        return [w.value for w in node.ports]
    if isinstance(node, (ast.Env, ast.Label)):
        out: list[str] = []
        for pair in node.pairs:
            out += [pair.key.value, pair.value.value]
        return out
    if isinstance(node, ast.Arg):
        return [
            d.name.value + ("=" + d.default.value if d.default is not None else "")
            for d in node.args
        ]
    if isinstance(node, (ast.User, ast.Workdir, ast.Maintainer, ast.StopSignal)):
        return [node.value.value] if node.value is not None else []
    if isinstance(node, ast.Healthcheck):
        if node.kind is None:
            return []
        return [node.kind.value, *_command_value(node.command)]
    return [""]  # parseIgnore: unknown instructions keep one empty node


def is_json(node: ast.Instruction) -> bool:
    if isinstance(node, ast.Onbuild):
        trigger = node.trigger  # one level down only, like the value
        return trigger is not None and not isinstance(trigger, ast.Onbuild) and is_json(trigger)
    if isinstance(node, (ast.Run, ast.Cmd, ast.Entrypoint, ast.Shell, ast.Healthcheck)):
        return node.command is not None and node.command.is_exec
    if isinstance(node, (ast.Copy, ast.Volume)):
        return node.json
    return False


def to_command(node: ast.Instruction, lines: LineIndex) -> CommandDict:
    """One instruction as BuildKit's parser reports it.

    ``flags`` are the instruction's own flags (for ONBUILD the ones written before the
    trigger, as BuildKit stores them); ``sub_flags`` are the ONBUILD trigger's flags.
    """
    sub_cmd = None
    sub_flags: list[str] = []
    if isinstance(node, ast.Onbuild) and node.trigger is not None:
        sub_cmd = node.trigger.keyword.text or None
        sub_flags = [f.text for f in node.trigger.flags]
    empty = node.keyword.text == ""  # a line holding only an escape character
    return {
        "cmd": None if empty else node.keyword.text,
        "sub_cmd": sub_cmd,
        "json": is_json(node),
        "original": node.original or None,  # the binding turns "" into None
        "start_line": lines.line_of(node.span.start),
        # Spans exclude the newline, so the end offset is on the last line (even when
        # that line is empty).
        "end_line": lines.line_of(node.span.end),
        "flags": [f.text for f in node.flags],
        "sub_flags": sub_flags,
        "value": node_value(node),
        "heredocs": [
            {
                "name": h.name,
                "content": h.content,
                "expand": h.expand,
                "chomp": h.chomp,
                "file_descriptor": h.file_descriptor,
            }
            for h in node.heredocs
        ],
    }
