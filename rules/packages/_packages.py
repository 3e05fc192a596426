"""System package manager commands inside RUN, as rules need them.

One :class:`PackageOp` per apt/apt-get/apk/yum/dnf/microdnf/zypper command: which manager,
which action (normalised: ``update``, ``install``, ``remove``, ``upgrade``, ``clean``, and
``read`` for commands that only read the package index: ``apt-get download``, ``apt-get
source``, ``dnf repoquery``), the package words and, for ``apk add --virtual NAME``, the
virtual package name.
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint.model.shell import Script, ShellCommand, ShellWord
from dflint.records import record

# manager program -> {verb as written: normalised action}
_ACTIONS: dict[str, dict[str, str]] = {
    "apt-get": {
        "update": "update",
        "install": "install",
        "reinstall": "install",
        "build-dep": "install",
        "satisfy": "install",
        "download": "read",
        "source": "read",
        "changelog": "read",
        "upgrade": "upgrade",
        "dist-upgrade": "upgrade",
        "full-upgrade": "upgrade",
        "remove": "remove",
        "purge": "remove",
        "autoremove": "remove",
        "clean": "clean",
        "autoclean": "clean",
    },
    "apk": {
        "update": "update",
        "add": "install",
        "fix": "install",
        "upgrade": "upgrade",
        "del": "remove",
        "fetch": "read",
        "search": "read",
    },
    "yum": {
        "makecache": "update",
        "install": "install",
        "groupinstall": "install",
        "localinstall": "install",
        "reinstall": "install",
        "downgrade": "install",
        "builddep": "install",
        "download": "read",
        "repoquery": "read",
        "update": "upgrade",
        "upgrade": "upgrade",
        "remove": "remove",
        "erase": "remove",
        "autoremove": "remove",
        "clean": "clean",
    },
    "zypper": {
        "refresh": "update",
        "ref": "update",
        "install": "install",
        "in": "install",
        "source-install": "install",
        "si": "install",
        "download": "read",
        "update": "upgrade",
        "up": "upgrade",
        "dist-upgrade": "upgrade",
        "dup": "upgrade",
        "patch": "upgrade",
        "remove": "remove",
        "rm": "remove",
        "clean": "clean",
        "cc": "clean",
    },
}
_ACTIONS["apt"] = {**_ACTIONS["apt-get"], "full-upgrade": "upgrade", "show": "read"}
_ACTIONS["apt-get"]["dist-clean"] = "clean"  # apt 2.7+: `clean` and the lists as well
_ACTIONS["apt"]["dist-clean"] = "clean"
_ACTIONS["yum"].update(
    {
        "upgrade-minimal": "upgrade",
        "distro-sync": "upgrade",
        "swap": "install",
        "group": "install",
    }
)
_ACTIONS["dnf"] = _ACTIONS["yum"]
_ACTIONS["microdnf"] = _ACTIONS["yum"]
_ACTIONS["tdnf"] = _ACTIONS["yum"]

# The command aliases of dnf (4 and 5), which is also `yum` on current RHEL-family
# images: `dnf in` is `dnf install`. dnf takes no other abbreviation (`dnf inst` fails).
_RPM_ALIASES = {
    "in": "install",
    "rei": "reinstall",
    "rm": "remove",
    "erase": "remove",
    "up": "upgrade",
    "upgrade-to": "upgrade",
    "update-to": "upgrade",
    "localupdate": "upgrade",
    "up-min": "upgrade-minimal",
    "update-minimal": "upgrade-minimal",
    "dg": "downgrade",
    "dsync": "distro-sync",
    "distrosync": "distro-sync",
    "distribution-synchronization": "distro-sync",
    "mc": "makecache",
    "grp": "group",
}
_ALIASES: dict[str, dict[str, str]] = {
    "yum": _RPM_ALIASES,
    "dnf": _RPM_ALIASES,
    "microdnf": _RPM_ALIASES,
    "tdnf": _RPM_ALIASES,
    "zypper": {
        "in": "install",
        "si": "source-install",
        "ref": "refresh",
        "up": "update",
        "dup": "dist-upgrade",
        "rm": "remove",
        "cc": "clean",
    },
}

# Options that take the next word as their value, per manager.
_TAKES_VALUE: dict[str, tuple[str, ...]] = {
    "apt-get": ("-o", "-t", "-c", "--target-release", "--option", "--config-file"),
    "apk": ("-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch"),
    "yum": (
        *("-c", "--config", "--installroot", "--releasever", "-d", "-e", "-x", "--exclude"),
        *("--enablerepo", "--disablerepo", "--repo", "--repoid", "--setopt"),
    ),
    "zypper": ("-r", "--repo", "-t", "--type", "--from"),
}
_TAKES_VALUE["apt"] = _TAKES_VALUE["apt-get"]
_TAKES_VALUE["dnf"] = _TAKES_VALUE["yum"]
_TAKES_VALUE["microdnf"] = _TAKES_VALUE["yum"]
_TAKES_VALUE["tdnf"] = _TAKES_VALUE["yum"]

MANAGERS = frozenset(_ACTIONS)


@record
class PackageOp:
    command: ShellCommand
    manager: str  # apt-get, apt, apk, yum, dnf, microdnf, tdnf, zypper
    verb: ShellWord  # as written
    name: str  # the subcommand with aliases resolved: `dnf in` -> `install`
    action: str  # update, install, upgrade, remove, clean, read
    packages: tuple[ShellWord, ...]
    virtual: str | None = None  # apk add --virtual NAME / -t NAME

    def package_names(self) -> list[str]:
        """Static package names without version pins (``gcc=4:12.2`` -> ``gcc``)."""
        names = []
        for word in self.packages:
            if word.value is None:
                continue
            name = word.value
            for sep in ("=", ">", "<", "~"):
                name = name.split(sep, 1)[0]
            if name:
                names.append(name)
        return names


def package_op(command: ShellCommand) -> PackageOp | None:
    manager = command.program
    if manager not in _ACTIONS:
        return None
    positional = command.positional(_TAKES_VALUE.get(manager, ()))
    if not positional or positional[0].value is None:
        return None
    verb = positional[0]
    name = resolve_verb(manager, verb.value or "")
    action = _ACTIONS[manager].get(name)
    if action is None:
        return None
    virtual = None
    if manager == "apk" and action == "install":
        virtual = command.option_value("--virtual", "-t")
    packages = positional[1:]
    if manager in ("dnf", "yum", "microdnf", "tdnf") and name == "group":
        packages = packages[1:]  # dnf group install NAME
    return PackageOp(command, manager, verb, name, action, tuple(packages), virtual)


def resolve_verb(manager: str, verb: str) -> str:
    """``verb`` of ``manager`` with its alias resolved (``dnf in`` -> ``install``)."""
    return _ALIASES.get(manager, {}).get(verb, verb)


def manager_positional(command: ShellCommand) -> tuple[ShellWord, ...]:
    """The non-option words of a package manager command (its verb first)."""
    return command.positional(_TAKES_VALUE.get(command.program or "", ()))


def package_ops(script: Script) -> tuple[PackageOp, ...]:
    """The package manager commands of ``script`` (computed once per script)."""
    return script.memo("package_ops", _package_ops)


def _package_ops(script: Script) -> tuple[PackageOp, ...]:
    ops = (package_op(c) for c in script.commands if not c.in_function)
    return tuple(op for op in ops if op is not None)


def apt_options(command: ShellCommand) -> Iterator[str]:
    """The ``NAME=value`` settings given with apt's ``-o``/``--option`` (any spelling)."""
    words = [w.value or "" for w in command.args]
    for i, value in enumerate(words):
        if value in ("-o", "--option") and i + 1 < len(words):
            yield words[i + 1]
        elif value.startswith("-o") and len(value) > 2:
            yield value[2:]
        elif value.startswith("--option="):
            yield value[len("--option=") :]
