"""What the system package manager rules (apt, apk, yum/dnf, zypper) have in common.

Every rule looks at RUN and ONBUILD RUN instructions through the same three questions:
is a confirmation prompt answered (a "yes" flag), is each package pinned to a version,
and is the package cache removed again in the same RUN (or kept out of the layer by a
cache/tmpfs mount)? The per-manager modules only supply the flags, verbs, directories
and pin syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.model.shell import Script, ShellCommand, ShellWord
from dflint.model.stages import Stage
from dflint.records import record
from dflint.source import Span

from ._packages import PackageOp, manager_positional, package_op, package_ops

RPM_MANAGERS = frozenset({"yum", "dnf", "microdnf", "tdnf"})

RunLike = ast.Run | ast.Onbuild


@record
class PackageUse:
    """One package manager command in a RUN (or ONBUILD RUN) instruction."""

    node: RunLike
    script: Script
    op: PackageOp

    @property
    def verb(self) -> str:
        return self.op.verb.value or ""

    @property
    def span(self) -> Span:
        """From the manager's name to its verb: `apt-get install`, `apk --no-cache add`."""
        return Span(self.op.command.name.span.start, self.op.verb.span.end)

    @property
    def written(self) -> str:
        """How the command reads in a message: `apt-get install`."""
        return f"{self.op.command.program} {self.verb}"


def run_instructions(model: Model, *, shipping_only: bool = False) -> Iterator[RunLike]:
    """Every RUN and ONBUILD RUN; with ``shipping_only``, only those of the stages whose
    layers end up in the final image (the final stage and the stages it is built FROM)."""
    key = "run_instructions/shipping" if shipping_only else "run_instructions"
    return iter(model.memo(key, lambda m: tuple(_run_instructions(m, shipping_only))))


def _run_instructions(model: Model, shipping_only: bool) -> Iterator[RunLike]:
    keep = {s.index for s in shipping_stages(model)} if shipping_only else None
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Onbuild) and not isinstance(node.trigger, ast.Run):
            continue
        if not isinstance(node, (ast.Run, ast.Onbuild)):
            continue
        if keep is not None:
            stage = model.stage_of(node)
            if stage is not None and stage.index not in keep:
                continue
        yield node


def shipping_stages(model: Model) -> list[Stage]:
    """The final stage and the chain of stages it is built ``FROM``."""
    return list(model.shipping_stages())


def package_uses(
    model: Model,
    managers: Collection[str],
    verbs: Collection[str],
    *,
    shipping_only: bool = False,
) -> Iterator[PackageUse]:
    """Package manager commands of ``managers`` whose verb (aliases resolved) is in ``verbs``."""
    key = "package_uses/shipping" if shipping_only else "package_uses"
    for use in model.memo(key, lambda m: tuple(_package_uses(m, shipping_only))):
        if use.op.manager in managers and use.op.name in verbs:
            yield use


def _package_uses(model: Model, shipping_only: bool) -> Iterator[PackageUse]:
    for node in run_instructions(model, shipping_only=shipping_only):
        script = model.script(node)
        for op in package_ops(script):
            yield PackageUse(node, script, op)


# -- "yes" flags ------------------------------------------------------------------------
def missing_flags(
    model: Model, managers: Collection[str], verbs: Collection[str], flags: tuple[str, ...]
) -> Iterator[PackageUse]:
    """Commands that would stop at a confirmation prompt: none of ``flags`` is given."""
    for use in package_uses(model, managers, verbs):
        if not use.op.command.has_flag(*flags):
            yield use


# -- version pins -------------------------------------------------------------------------
_VARIABLE = lazy(r'"?\$(?:\{(\w+)\}|(\w+))"?')


def package_values(
    model: Model, node: RunLike, word: ShellWord, script: Script | None = None
) -> list[str] | None:
    """The package names a word stands for: its static value, the value of a shell
    variable set earlier in the same RUN (``pkgs="curl git"; apt-get install $pkgs``), or
    its ARG/ENV expansion (``$PACKAGES`` may hold several); ``None`` when a variable's
    value is unknown.

    A word that only *starts* with known text (``curl=$VERSION``) keeps that text with
    each unknown piece replaced by ``0``, so the pin syntax around it can be judged.
    """
    if word.value is not None:
        return [word.value]
    if "$(" in word.text or "`" in word.text:
        return None  # command substitution: the shell decides, nothing is known here
    variable = _VARIABLE.fullmatch(word.text)
    if variable is not None and script is not None:
        name = variable.group(1) or variable.group(2)
        assigned = script.assigned_before(name, word.span.start)
        if assigned is not None:
            if assigned.value is None:
                return None
            return assigned.value.split("=", 1)[1].split()
    expanded = model.expand(word.text, at=node)
    if expanded.text is not None:
        return expanded.text.split()
    if not expanded.parts or not isinstance(expanded.parts[0], str) or not expanded.parts[0]:
        return None  # `$PACKAGES`: nothing is known about it
    return ["".join(p if isinstance(p, str) else "0" for p in expanded.parts)]


def unpinned_packages(
    model: Model, use: PackageUse, words: tuple[ShellWord, ...], pinned: Callable[[str], bool]
) -> Iterator[tuple[ShellWord, str]]:
    """(word, package) for each package that ``pinned`` rejects."""
    for word in words:
        values = package_values(model, use.node, word, use.script)
        for value in values or ():
            if value and not value.startswith("-") and not pinned(value):
                yield word, value


def is_package_file(value: str, suffix: str) -> bool:
    """A local or remote package file (``./x.deb``, ``https://.../x.rpm``) or a path."""
    return value.endswith(suffix) or value.startswith(("/", "./", "../"))


_RPM_VERSION = lazy(r"-(\d+:)?\d")


def rpm_pinned(value: str) -> bool:
    """``name-version[-release]`` (a dash followed by a digit or an epoch), a comparison
    (``httpd >= 2.4``), an ``.rpm`` file or path, or a ``@group``."""
    if is_package_file(value, ".rpm") or "://" in value or value.startswith("@"):
        return True
    return any(c in value for c in "<>=") or _RPM_VERSION.search(value, 1) is not None


def rpm_module_words(command: ShellCommand) -> tuple[ShellWord, ...] | None:
    """The module specs of ``yum/dnf module install NAME[:STREAM]``, else None."""
    positional = manager_positional(command)
    values = [w.value for w in positional[:2]]
    if values != ["module", "install"]:
        return None
    return positional[2:]


# -- caches -------------------------------------------------------------------------------
def _covers(path: str, directory: str) -> bool:
    """Whether removing or mounting ``path`` takes ``directory``'s contents out."""
    path = path.rstrip("*").rstrip("/") or "/"
    if path == "/":
        return True
    return directory == path or directory.startswith(path + "/")


def cache_mounted(node: RunLike, directories: Collection[str]) -> bool:
    """A ``--mount=type=cache|tmpfs`` whose target holds one of ``directories``."""
    for mount in mounts(node):
        target = mount.target
        if mount.type not in ("cache", "tmpfs") or not target or "$" in target:
            continue
        if any(_covers(target, d) for d in directories):
            return True
    return False


def removes(command: ShellCommand, directories: Collection[str]) -> bool:
    """``rm -rf /var/lib/apt/lists/*`` and the like."""
    if command.program != "rm":
        return False
    for word in command.positional():
        value = word.value
        if value and value.startswith("/") and any(_covers(value, d) for d in directories):
            return True
    return False


def cleaned_later(
    use: PackageUse, cleans: Callable[[ShellCommand], bool], directories: Collection[str]
) -> bool:
    """Whether a command after ``use`` in the same RUN removes the cache, or a cache/tmpfs
    mount keeps it out of the layer."""
    if cache_mounted(use.node, directories):
        return True
    commands = use.script.commands
    after = False
    for command in commands:
        if command is use.op.command:
            after = True
            continue
        if after and not command.in_function and (cleans(command) or removes(command, directories)):
            return True
    return False


def cleanup_helper(command: ShellCommand) -> bool:
    """A program of the project's own named as a cleanup (`miq_clean_dnf_rpm`,
    `cleanup.sh`): what it removes cannot be seen from the Dockerfile, so it is taken to
    clean up rather than a finding asserting that nothing does."""
    program = command.program
    return program is not None and program not in RPM_MANAGERS and "clean" in program.lower()


def clean_verb(command: ShellCommand, managers: Collection[str], *args: str) -> bool:
    """``<manager> clean`` (with one of ``args`` after it, when given)."""
    if command.program not in managers:
        return False
    positional = [w.value for w in manager_positional(command)]
    if not positional or positional[0] not in ("clean", "cc"):
        return False
    return not args or any(a in positional[1:] for a in args)


# -- rpm family (yum, dnf, microdnf, tdnf) --------------------------------------------------
RPM_CACHE_DIRS: dict[str, tuple[str, ...]] = {
    "yum": ("/var/cache/yum",),
    "dnf": ("/var/cache/dnf", "/var/cache/libdnf5"),
    "microdnf": ("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"),
    "tdnf": ("/var/cache/tdnf",),
}
# verbs that download packages (and metadata) into the cache
RPM_DOWNLOADS = frozenset(
    {
        *("install", "groupinstall", "localinstall", "reinstall", "downgrade", "swap"),
        *("update", "upgrade", "upgrade-minimal", "distro-sync"),
    }
)


# Base images whose `yum` is yum 3 (cache in /var/cache/yum) or dnf (RHEL 8 and later:
# `yum` runs dnf, whose cache is /var/cache/dnf); for other images either may hold it.
_YUM3 = lazy(r"(^|/)(centos:[67]|amazonlinux:2(\.|-|$)|oraclelinux:[67]|(rhel|ubi)7\b)")
_YUM_IS_DNF = lazy(
    r"(^|/)(rockylinux|almalinux|fedora|centos:(8|stream)|oraclelinux:(8|9|10)"
    r"|amazonlinux:2023|(rhel|ubi)(8|9|10)\b)"
)


def yum_cache_dirs(model: Model, node: RunLike) -> tuple[str, ...]:
    """Where `yum` keeps its cache in the image of ``node``'s stage."""
    stage = model.stage_of(node)
    image = model.lineage(stage)[-1].image if stage is not None else None
    if image is None or image.has_variables:
        return ("/var/cache/yum", "/var/cache/dnf")
    name = f"{image.path}:{image.tag or 'latest'}".lower()
    if _YUM3.search(name):
        return ("/var/cache/yum",)
    if _YUM_IS_DNF.search(name):
        return ("/var/cache/dnf",)
    return ("/var/cache/yum", "/var/cache/dnf")


def rpm_cache_kept(model: Model, managers: Collection[str]) -> Iterator[PackageUse]:
    """rpm installs in shipping stages whose cache no later `clean all`/`rm` removes."""

    def cleans(command: ShellCommand) -> bool:
        return clean_verb(command, RPM_MANAGERS, "all") or cleanup_helper(command)

    for use in package_uses(model, managers, RPM_DOWNLOADS, shipping_only=True):
        manager = use.op.manager
        dirs = yum_cache_dirs(model, use.node) if manager == "yum" else RPM_CACHE_DIRS[manager]
        if not cleaned_later(use, cleans, dirs):
            yield use


def unpinned_rpm_packages(
    model: Model, managers: Collection[str]
) -> Iterator[tuple[PackageUse, list[tuple[ShellWord, str]], bool]]:
    """(use, [(word, package)], is_module) for each ``install`` with unpinned packages and
    each ``module install`` with specs without a ``:stream``."""
    for node in run_instructions(model):
        script = model.script(node)
        for command in script.commands:
            if command.in_function or command.program not in managers:
                continue
            modules = rpm_module_words(command)
            if modules is not None:
                verb = manager_positional(command)[1]
                op = PackageOp(command, command.program or "", verb, "install", "install", modules)
                use = PackageUse(node, script, op)
                specs = list(unpinned_packages(model, use, modules, _has_stream))
                if specs:
                    yield use, specs, True
                continue
            found = package_op(command)
            if found is None or found.name != "install":
                continue
            use = PackageUse(node, script, found)
            unpinned = list(unpinned_packages(model, use, found.packages, rpm_pinned))
            if unpinned:
                yield use, unpinned, False


def _has_stream(value: str) -> bool:
    return ":" in value
