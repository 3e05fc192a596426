"""The configuration reference, from the settings' and the rules' option tables, and the
command-line reference, from the argument parser (``dflint.cli.build_parser``)."""

from __future__ import annotations

import argparse

from dflint.config import CONFIG_FILES
from dflint.docsite.rules import by_area, config_table, option_fields, option_table, page_path
from dflint.docsite.values import fields
from dflint.hadolint_config import HADOLINT_FILES
from dflint.registry import AnyRule, Registry
from dflint.rule import NoOptions
from dflint.settings import Settings

_USAGE_WIDTH = 88


def configuration_page(registry: Registry) -> str:
    """The Markdown of the configuration reference."""
    files = " or ".join(f"`{name}`" for name in CONFIG_FILES)
    hadolint = " or ".join(f"`{name}`" for name in HADOLINT_FILES)
    lines = [
        "# Configuration",
        "",
        f"dflint reads the nearest {files} found walking up from each Dockerfile's folder "
        "(in a folder that has both, the first one named here): `[tool.dflint]` in "
        "`pyproject.toml` (a `pyproject.toml` without it is passed over), the same keys "
        "at the top level of `.dflint.toml`. With no dflint configuration above a "
        f"Dockerfile, the nearest {hadolint} is used (see the "
        "[migration guide](../guides/hadolint.md)). `--config FILE` reads one file "
        "instead, `--isolated` none; command-line options apply on top.",
        "",
        "An unknown key or a bad value is an error that names the file and the key (exit code 2).",
        "",
        "```toml",
        "[tool.dflint]",
        'select = ["DF"]',
        'ignore = ["DF501"]',
        'fail-level = "error"',
        'severity = { DF201 = "error" }',
        "",
        "[tool.dflint.rules.untagged-base-image]",
        'allow = ["busybox"]',
        "```",
        "",
        "## Settings",
        "",
        *option_table(fields(Settings)),
        "",
        "## Rule options",
        "",
        "A rule's options go in a table named after the rule, `[tool.dflint.rules.<name>]` "
        "(or its code). Options shared by a group of rules go in a table named after the "
        "group, and a rule's own table overrides them for that rule. Each rule's page says "
        "what its options do.",
    ]
    seen: set[str] = set()
    for _, rules in by_area(registry):
        for rule in rules:
            table = config_table(rule)
            if rule.options is NoOptions or table in seen or not fields(rule.options):
                continue
            seen.add(table)
            lines += [
                "",
                f"### {table}",
                "",
                f"`[tool.dflint.rules.{table}]`: {_used_by(rule, registry)}",
            ]
            lines += ["", *option_table(option_fields(rule))]
    return "\n".join(lines) + "\n"


def _used_by(rule: AnyRule, registry: Registry) -> str:
    group = rule.option_group
    members = [r for r in registry.rules if group is not None and r.option_group == group]
    links = [f"[{r.name}](../{page_path(r)})" for r in members or [rule]]
    return ("the options of " if len(links) == 1 else "shared by ") + ", ".join(links) + "."


def cli_page(parser: argparse.ArgumentParser) -> str:
    """The Markdown of the command-line reference."""
    lines = ["# Command line", "", f"{parser.description}", "", "```text", _usage(parser), "```"]
    lines += ["", "| Command | What it does |", "| --- | --- |"]
    commands = _subcommands(parser)
    for name, (summary, _) in commands.items():
        lines.append(f"| [`{parser.prog} {name}`](#{parser.prog}-{name}) | {_sentence(summary)} |")
    options = _arguments(parser)
    if options:
        lines += ["", "Options of `dflint` itself:", "", *options]
    for name, (summary, sub) in commands.items():
        lines += ["", f"## {parser.prog} {name}", "", sub.description or _sentence(summary)]
        lines += ["", "```text", _usage(sub), "```"]
        arguments = _arguments(sub)
        if arguments:
            lines += ["", *arguments]
    return "\n".join(lines) + "\n"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _usage(parser: argparse.ArgumentParser) -> str:
    # A fixed width: the page must not depend on the terminal that built it.
    formatter = argparse.HelpFormatter(parser.prog, width=_USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _subcommands(
    parser: argparse.ArgumentParser,
) -> dict[str, tuple[str, argparse.ArgumentParser]]:
    """Each subcommand's name, help line and parser, in the parser's order."""
    out: dict[str, tuple[str, argparse.ArgumentParser]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                out[name] = (helps.get(name, ""), sub)
    return out


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    """A table of the parser's arguments, options after positionals."""
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        rows.append(f"| {_names(action)} | {_meaning(action)} |")
    if not rows:
        return []
    return ["| Argument | Meaning |", "| --- | --- |", *rows]


def _names(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    takes_value = action.nargs != 0
    metavar = action.metavar or action.dest.upper()
    spelled = [f"{o} {metavar}" if takes_value else o for o in action.option_strings]
    return ", ".join(f"`{s}`" for s in spelled)


def _meaning(action: argparse.Action) -> str:
    text = _sentence(action.help) if action.help else ""
    if isinstance(action, argparse._VersionAction):
        text = "Print the version and exit."
    if action.choices is not None:
        text += " One of " + ", ".join(f"`{c}`" for c in action.choices) + "."
    default = action.default
    shown = default not in (None, False, [], argparse.SUPPRESS) and "default" not in text
    if shown and not isinstance(action, argparse._VersionAction):
        spelled = " ".join(default) if isinstance(default, list) else str(default)
        text += f" Default: `{spelled}`."
    return text.strip().replace("|", "\\|")
