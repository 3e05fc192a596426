"""``dflint rules`` (the installed rules) and ``dflint rule`` (one rule's documentation)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from dflint.commands import EXIT_ERROR, EXIT_OK, error

if TYPE_CHECKING:
    from dflint.registry import Registry


def list_rules(args: argparse.Namespace) -> int:
    registry = _registry_or_report()
    if registry is None:
        return EXIT_ERROR
    if args.format == "json":
        import json

        json.dump([_rule_meta(r) for r in registry.rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for rule in registry.rules:
        equivalents = ", ".join((*rule.hadolint, *rule.buildkit))
        extra = f"  [{equivalents}]" if equivalents else ""
        off = "" if rule.default_enabled else "  (opt-in)"
        sys.stdout.write(
            f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}{extra}{off}\n"
        )
    return EXIT_OK


def show_rule(args: argparse.Namespace) -> int:
    registry = _registry_or_report()
    if registry is None:
        return EXIT_ERROR
    matches = registry.equivalent(args.rule)
    rule = registry.get(args.rule)
    external = None
    if rule is None:
        external = registry.external(args.rule)  # SC2086: DF360 reports it
        if external is None:
            error(f"unknown rule {args.rule!r} (see `dflint rules`)")
            return EXIT_ERROR
        rule = external[0]
    meta = [
        f"# {rule.code} {rule.name}",
        "",
        f"Severity: {rule.severity.value}. Fix: {rule.fix.value}. Since: {rule.since}.",
    ]
    if external is not None:
        meta.insert(0, f"{args.rule.upper()} is an external code: rule {rule.code} reports it.\n")
    if rule.hadolint or rule.buildkit:
        meta.append(f"Equivalents: {', '.join((*rule.hadolint, *rule.buildkit))}.")
    if len(matches) > 1:
        meta.append(f"Also covered by: {', '.join(r.code for r in matches if r is not rule)}.")
    sys.stdout.write("\n".join(meta) + "\n\n" + rule.doc.strip() + "\n")
    return EXIT_OK


def _rule_meta(rule: Any) -> dict[str, Any]:
    from dflint.docs import sections

    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "fix": rule.fix.value,
        "status": rule.status.value,
        "default_enabled": rule.default_enabled,
        "since": rule.since,
        "hadolint": list(rule.hadolint),
        "buildkit": list(rule.buildkit),
        "aliases": list(rule.aliases),
        "sections": sections(rule.doc),
    }


def _registry_or_report() -> Registry | None:
    """Every installed rule, or None after reporting a pack that failed to load."""
    from dflint.registry import PluginError, default_registry

    try:
        return default_registry()
    except PluginError as exc:
        error(str(exc))
        return None
