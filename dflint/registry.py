"""Rule packs, discovered through the ``dflint.rules`` entry-point group, and selection."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from dflint.lazy_re import lazy
from dflint.records import record
from dflint.rule import Rule

if TYPE_CHECKING:
    from dflint.entry_points import EntryPoint

ENTRY_POINT_GROUP = "dflint.rules"
CODE_RE = re.compile(r"^[A-Z]{2,4}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
EXTERNAL_PREFIX_RE = re.compile(r"^[A-Z]{2,4}$")
_EXTERNAL_SELECTOR_RE = lazy(r"([A-Z]{2,4})(\d{0,6})")

AnyRule = Rule[Any]


class PluginError(Exception):
    """A rule pack could not be loaded or is inconsistent (exit 2)."""


class SelectorError(Exception):
    """A rule selector matches nothing (exit 2)."""


@record
class RulePack:
    name: str
    rules: tuple[AnyRule, ...]

    @classmethod
    def from_package(cls, package: str) -> RulePack:
        """Collect ``RULE`` from every rule module of ``package`` and of its subpackages.

        A module or subpackage whose name starts with ``_`` is a helper and is skipped. A
        subpackage without ``RULE`` groups rules (the built-in pack has one per code area)
        and is walked; one that defines ``RULE`` is a rule, as in a flat pack. The rules are
        sorted by module name, which is the rule name, wherever they sit.

        A package that ships a current manifest (:mod:`dflint.manifest`) has its rules
        read from it, and each rule module is imported when its rule first runs.
        """
        from dflint import manifest

        found = manifest.load(package)
        if found is None:
            found = collect_rules(package)
        return cls(package, tuple(rule for _, rule in found))


def collect_rules(package: str) -> list[tuple[str, AnyRule]]:
    """(module name, rule) of every rule module of ``package``, imported, in the order of
    the rules' names (see :meth:`RulePack.from_package`)."""
    found: list[tuple[str, AnyRule]] = []
    _collect(importlib.import_module(package), found)
    return sorted(found, key=lambda f: f[0].rsplit(".", 1)[-1])


def _collect(pkg: ModuleType, found: list[tuple[str, AnyRule]]) -> None:
    """Append (module name, rule) for each rule module under the package ``pkg``."""
    import pkgutil  # here: a pack read from its manifest never lists its modules

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        qualified = f"{pkg.__name__}.{info.name}"
        module = importlib.import_module(qualified)
        rule = getattr(module, "RULE", None)
        if rule is None and info.ispkg:
            _collect(module, found)
            continue
        if not isinstance(rule, Rule):
            raise PluginError(f"{qualified} does not define RULE = Rule(...)")
        if rule.name.replace("-", "_") != info.name:
            raise PluginError(f"{qualified}: rule name {rule.name!r} does not match the module")
        found.append((qualified, rule))


@record
class ExternalFilter:
    """Which external codes (``SC2086``) of a rule's findings are kept, by prefix."""

    only: tuple[str, ...] | None = None  # None: every code
    skip: tuple[str, ...] = ()
    # The codes (prefixes) that ``select``/``extend-select`` name one by one, even when
    # the rule is selected as a whole as well (``only`` is then None).
    named: tuple[str, ...] = ()

    def keeps(self, code: str) -> bool:
        if any(code.startswith(p) for p in self.skip):
            return False
        return self.only is None or any(code.startswith(p) for p in self.only)

    def keeps_any(self, codes: tuple[str, ...]) -> bool:
        """For a finding that stands for several codes (``Finding.equivalents``): kept
        unless one of them is skipped, and when one of them is selected."""
        if any(code in self.skip for code in codes):
            return False
        return self.only is None or any(code in self.only for code in codes)


class Registry:
    """All known rules, with lookup by code, name, alias and equivalents."""

    def __init__(self, rules: Iterable[AnyRule]) -> None:
        self.rules: tuple[AnyRule, ...] = tuple(sorted(rules, key=lambda r: r.code))
        self._by_key: dict[str, AnyRule] = {}
        self._equivalents: dict[str, list[AnyRule]] = {}
        for rule in self.rules:
            if not CODE_RE.match(rule.code):
                raise PluginError(f"rule code {rule.code!r} does not match {CODE_RE.pattern}")
            if not NAME_RE.match(rule.name):
                raise PluginError(f"rule name {rule.name!r} ({rule.code}) is not kebab-case")
            for key in (rule.code, rule.name, *rule.aliases):
                if key in self._by_key:
                    other = self._by_key[key]
                    raise PluginError(
                        f"duplicate rule code or name {key!r}: {other.code} and {rule.code}"
                    )
                self._by_key[key] = rule
            for eq in (*rule.hadolint, *rule.buildkit):
                self._equivalents.setdefault(eq, []).append(rule)
        self._external: dict[str, AnyRule] = {}
        for rule in self.rules:
            prefix = rule.external_prefix
            if prefix is None:
                continue
            if not EXTERNAL_PREFIX_RE.match(prefix):
                raise PluginError(f"{rule.code}: external prefix {prefix!r} is not 2-4 letters")
            if prefix in self._external or any(r.code.startswith(prefix) for r in self.rules):
                raise PluginError(f"{rule.code}: external prefix {prefix!r} is already taken")
            self._external[prefix] = rule

    def get(self, key: str) -> AnyRule | None:
        """A rule by code, name or alias, or a hadolint/BuildKit equivalent (first match)."""
        rule = self._by_key.get(key) or self._by_key.get(key.upper())
        if rule is None and key in self._equivalents:
            rule = self._equivalents[key][0]
        return rule

    def equivalent(self, key: str) -> list[AnyRule]:
        return list(self._equivalents.get(key, ()))

    def split_equivalent(self, selector: str) -> AnyRule | None:
        """The rule when ``selector`` is a hadolint or BuildKit code of a rule whose
        findings say which of its codes each is (DF001: DL3043, DL3061; DF604: DL3064,
        SecretsUsedInArgOrEnv; see ``Finding.equivalents``): it names some of that
        rule's findings, not all."""
        if selector in self._by_key:
            return None
        for rule in self._equivalents.get(selector, ()):
            if rule.splits_equivalents:
                return rule
        return None

    def equivalent_filter(
        self,
        rule: AnyRule,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> ExternalFilter:
        """The split equivalents (``Finding.equivalents``) of ``rule`` a selection keeps:
        every finding when a selector names the rule itself (or the default set does),
        else only those of the equivalents named; ``ignore`` drops theirs."""

        def part(sel: str) -> str | None:
            return sel if self.split_equivalent(sel) is rule else None

        found = self._part_filter(rule, select, extend_select, ignore, part)
        return found if found.only or found.skip else ExternalFilter()

    def _part_filter(
        self,
        rule: AnyRule,
        select: Sequence[str] | None,
        extend_select: Sequence[str],
        ignore: Sequence[str],
        part: Callable[[str], str | None],
    ) -> ExternalFilter:
        """What a selection keeps of the findings of ``rule`` when ``part`` tells the
        selectors that name some of them (the code they name) from the rest."""
        whole = select is None and rule.default_enabled
        parts: list[str] = []
        for sel in (*(select or ()), *extend_select):
            named = part(sel)
            if named is not None:
                parts.append(named)
            elif (
                self.external(sel) is None
                and self.split_equivalent(sel) is None
                and rule in self._resolve(sel).values()
            ):
                whole = True
        skip = tuple(named for sel in ignore if (named := part(sel)) is not None)
        return ExternalFilter(None if whole else tuple(parts), skip, tuple(parts))

    def external(self, selector: str) -> tuple[AnyRule, str] | None:
        """(rule, code prefix) when ``selector`` names some of a rule's external codes.

        ``SC2086`` and ``SC20`` name part of the ShellCheck rule's codes; the bare prefix
        ``SC`` names the whole rule and is not "part" (``match`` resolves it).
        """
        m = _EXTERNAL_SELECTOR_RE.fullmatch(selector.upper())
        if m is None or not m.group(2):
            return None
        rule = self._external.get(m.group(1))
        return (rule, m.group(0)) if rule is not None else None

    def external_filter(
        self,
        rule: AnyRule,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> ExternalFilter:
        """The external codes of ``rule`` that a selection keeps (see :meth:`select`)."""
        if rule.external_prefix is None:
            return ExternalFilter()

        def part(sel: str) -> str | None:
            found = self.external(sel)
            return found[1] if found is not None and found[0] is rule else None

        return self._part_filter(rule, select, extend_select, ignore, part)

    def match(self, selector: str) -> tuple[list[AnyRule], bool]:
        """Rules a selector names, and whether it names them explicitly.

        Explicit selectors (a code, name, alias or equivalent) also enable opt-in
        rules; ``ALL`` and code prefixes select only rules that are on by default.
        """
        if selector == "ALL":
            return list(self.rules), False
        exact = self._by_key.get(selector) or self._by_key.get(selector.upper())
        if exact is not None:
            return [exact], True
        if selector in self._equivalents:
            return list(self._equivalents[selector]), True
        m = _EXTERNAL_SELECTOR_RE.fullmatch(selector.upper())
        if m is not None and m.group(1) in self._external:
            return [self._external[m.group(1)]], True
        prefix = selector.upper()
        if re.fullmatch(r"[A-Z]{1,4}\d{0,2}", prefix):
            found = [r for r in self.rules if r.code.startswith(prefix)]
            if found:
                return found, False
        raise SelectorError(f"unknown rule selector {selector!r}")

    def select(
        self,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> list[AnyRule]:
        """Resolve selectors like ruff: ``select`` replaces the default set.

        A selector naming external codes (``SC2086``) selects the rule that reports them;
        in ``ignore`` it removes only those findings (:meth:`external_filter`).
        """
        chosen: dict[str, AnyRule] = {}
        if select is None:
            chosen = {r.code: r for r in self.rules if r.default_enabled}
        else:
            for sel in select:
                chosen.update(self._resolve(sel))
        for sel in extend_select:
            chosen.update(self._resolve(sel))
        for sel in ignore:
            if self.external(sel) is not None:
                continue  # part of a rule's external codes: a filter, see external_filter
            if self.split_equivalent(sel) is not None:
                continue  # part of a rule's findings: a filter, see equivalent_filter
            rules, _ = self.match(sel)
            for rule in rules:
                chosen.pop(rule.code, None)
        return sorted(chosen.values(), key=lambda r: r.code)

    def would_select(
        self,
        rule: AnyRule,
        select: Sequence[str] | None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
    ) -> bool:
        """Whether the selection would take the opt-in ``rule`` were it on by default:
        the default set, ``ALL`` or a code prefix reaches it and no ``ignore`` names it
        (a file's `# check=experimental=` turns on such a rule for that file)."""
        whole = [s for s in ignore if self.external(s) is None and self.split_equivalent(s) is None]
        if any(rule in self.match(sel)[0] for sel in whole):
            return False
        if select is None:
            return True
        return any(rule in self.match(sel)[0] for sel in (*select, *extend_select))

    def _resolve(self, selector: str) -> dict[str, AnyRule]:
        rules, explicit = self.match(selector)
        return {r.code: r for r in rules if explicit or r.default_enabled}


def _load_entry_point(ep: EntryPoint) -> RulePack:
    try:
        pack = ep.load()
    except Exception as exc:  # a broken third-party pack must not pass silently
        raise PluginError(
            f"rule pack {ep.name!r} ({ep.dist_name or ep.value}) failed to load: {exc}"
        ) from exc
    if not isinstance(pack, RulePack):
        raise PluginError(f"entry point {ep.name!r} ({ep.value}) is not a RulePack")
    return pack


@cache
def default_registry() -> Registry:
    """Every rule from every installed pack."""
    # Imported here: only a run that lints or lists rules needs the installed packs.
    from dflint.entry_points import entry_points

    packs = [_load_entry_point(ep) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    if not any(p.name == "dflint_rules" for p in packs):
        # Running from a source tree without installed metadata: the built-in pack.
        packs.append(RulePack.from_package("dflint_rules"))
    return Registry([rule for pack in packs for rule in pack.rules])


def _main(argv: Sequence[str]) -> int:
    """``python -m dflint.registry PACKAGE``: write the manifest of rule pack ``PACKAGE``
    (see :mod:`dflint.manifest`) from its modules."""
    from dflint import manifest

    if len(argv) != 1:
        print("usage: python -m dflint.registry PACKAGE", file=sys.stderr)
        return 2
    print(manifest.write(argv[0], collect_rules(argv[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
