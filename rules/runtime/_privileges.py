"""Whether an image that runs as root hands its work to an unprivileged user.

`runs-as-root` reads what the container starts: the effective `ENTRYPOINT` and `CMD` of a
stage chain. Root is the documented way to start when

- the command drops privileges itself (`gosu app`, `su-exec`, `setpriv --reuid`,
  `chroot --userspec`, `s6-setuidgid`, `runuser`, `chpst -u`, `sudo -u`);
- a server master starts as root and runs its workers as another user (Apache, nginx,
  php-fpm, uWSGI with `uid`, supervisord's per-program `user=`), or the service needs
  root by design (cron, sshd, dockerd, an init system);
- the entrypoint is a script copied from the build context that does one of the above
  (read, at most :data:`SCRIPT_LIMIT` bytes, never followed further), also through
  build stages (`COPY . .` in `build`, then `COPY --from=build /src/entrypoint.sh`),
  unless a later `RUN` may change its text (`sed -i`, `>>`);
- no command is set and the base is an official image whose own entrypoint drops
  privileges (`postgres`, `redis`, ...).

:func:`privileges` answers with a :class:`Verdict`: dropped (with why), kept, or unknown
(an entrypoint script that cannot be read, e.g. not in the build context or made by a
build stage: what was assumed is then said).
"""

from __future__ import annotations

import posixpath
import shlex

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model, Stage
from dflint.model.shell import ShellCommand, ShellWord
from dflint.model.stages import EdgeKind
from dflint.records import record

from .._shared._stages import lineage
from ..images._official_images import official_name

SCRIPT_LIMIT = 64 * 1024
"""Bytes of an entrypoint script (or server config) read from the build context."""

# Programs that run the rest of their arguments as another user.
_DROPPERS = frozenset(
    {"gosu", "su-exec", "setpriv", "s6-setuidgid", "s6-applyuidgid", "runuser", "setuidgid"}
)
# Servers whose master starts as root and runs the work as another user, and services
# that need root by design (cron runs jobs for users, sshd logs users in, dockerd, init).
_MASTERS = lazy(
    r"(apache2-foreground|httpd-foreground|apache2ctl|apachectl|httpd|apache2|nginx"
    r"|php-fpm[0-9.]*|supervisord|forego|cron|crond|sshd|dockerd|systemd|init|s6-svscan"
    r"|runsvdir)"
)
# Init wrappers that start the real command as their child.
_WRAPPERS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "env"})
# The same, inside a script: a dropper (with the options that make su/sudo/chpst/chroot
# one), or a master the script replaces itself with (`exec httpd`).
_SCRIPT_DROPS = lazy(
    r"(?m)^[^#\n]*?(?<![\w-])(?:gosu|su-exec|setpriv|s6-setuidgid|s6-applyuidgid|runuser"
    r"|setuidgid|chpst\s+-u|chroot\s+--userspec|sudo\s+(?:-\S+\s+)*(?:-u|--user)"
    r"|su\s+(?:-\S*\s+)*[\w$\"{}-]+\s+-c)(?![\w-])"
)
_SCRIPT_MASTER = lazy(r"(?m)^[^#\n]*?(?<![\w-])exec\s+(?:\S*/)?" + _MASTERS.pattern + r"(?![\w.-])")
_UWSGI_UID = lazy(r"(?m)^\s*uid\s*[=:]")
# Official images whose own entrypoint starts as root and drops to a service user (their
# entrypoint scripts use gosu or su-exec), or runs a server master that does.
_DROPPING_IMAGES = frozenset(
    {
        "postgres", "mysql", "mariadb", "redis", "mongo", "rabbitmq", "cassandra", "couchdb",
        "memcached", "elasticsearch", "httpd", "nginx", "wordpress", "nextcloud", "drupal",
        "joomla", "matomo", "redmine", "ghost", "haproxy",
    }
)  # fmt: skip


@record
class Verdict:
    """``drops``: why root is fine (``None`` when nothing says so); ``assumed``: what could
    not be read and was taken to keep root; ``unknown``: the entrypoint is copied from
    the build context, but the folder linted as the context lacks it (the build runs
    from elsewhere), so nothing is said."""

    drops: str | None = None
    assumed: str | None = None
    unknown: bool = False  # nothing can be said: the build context in use is not the build's


def privileges(model: Model, stage: Stage) -> Verdict:
    """What the command ``stage``'s image starts with does about root."""
    entrypoint, cmd = _command(model, stage)
    if entrypoint is None and cmd is None:
        root = lineage(model, stage)[-1].image
        if root is not None and not root.has_variables:
            name = official_name(root)
            if name in _DROPPING_IMAGES:
                return Verdict(f"the entrypoint of `{name}` drops to its service user")
        return Verdict()
    argv_entry = _argv(entrypoint)
    argv_cmd = _argv(cmd)
    for argv in (argv_entry + argv_cmd, argv_cmd):
        why = _program_drops(model, stage, argv)
        if why is not None:
            return Verdict(why)
    program = _program(argv_entry + argv_cmd)
    if program is None or not _is_script(program[0]):
        return Verdict()
    try:
        if _copied_but_missing(model, stage, program[0]):
            return Verdict(unknown=True)
        text = _context_text(model, stage, program[0])
    except _Edited as edited:
        return Verdict(
            assumed=f"dflint did not read the entrypoint `{program[0]}`, which the build "
            f"changes after copying it (`{edited.program}` on line {edited.line}),"
        )
    if text is None:
        return Verdict(assumed=f"dflint could not read the entrypoint `{program[0]}`")
    if _SCRIPT_DROPS.search(text):
        return Verdict(f"`{program[0]}` drops privileges")
    match = _SCRIPT_MASTER.search(text)
    if match:
        return Verdict(f"`{program[0]}` starts `{match.group(1)}`")
    return Verdict()


def _command(model: Model, stage: Stage) -> tuple[ast.Command | None, ast.Command | None]:
    """The last ENTRYPOINT and CMD of the stage chain (``None`` when the base decides)."""
    entrypoint: ast.Command | None = None
    cmd: ast.Command | None = None
    found_entry = found_cmd = False
    for member in lineage(model, stage):
        for node in reversed(member.instructions):
            if isinstance(node, ast.Entrypoint) and not found_entry:
                entrypoint, found_entry = node.command, True
            elif isinstance(node, ast.Cmd) and not found_cmd:
                cmd, found_cmd = node.command, True
    return entrypoint, cmd


def _argv(command: ast.Command | None) -> list[str]:
    if command is None:
        return []
    if command.is_exec:
        return [word.value for word in command.args]
    text = command.shell_text or ""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        return text.split()


def _program(argv: list[str]) -> tuple[str, list[str]] | None:
    """The program the argv runs after init wrappers and shells (`sh -c "exec x"`)."""
    rest = list(argv)
    while rest:
        name = posixpath.basename(rest[0])
        if name in _WRAPPERS:
            rest = rest[1:]
            while rest and (rest[0].startswith("-") or "=" in rest[0]):
                rest = rest[1:]
            continue
        if name in ("sh", "bash", "ash", "dash") and len(rest) >= 3 and rest[1] == "-c":
            try:
                rest = shlex.split(rest[2], comments=True)
            except ValueError:
                return None
            if rest and rest[0] == "exec":
                rest = rest[1:]
            continue
        if name == "exec":
            rest = rest[1:]
            continue
        return rest[0], rest[1:]
    return None


def _program_drops(model: Model, stage: Stage, argv: list[str]) -> str | None:
    found = _program(argv)
    if found is None:
        return None
    program, args = found
    name = posixpath.basename(program)
    if name in _DROPPERS:
        return f"`{name}` drops privileges"
    if name == "chroot" and any(a.startswith("--userspec") for a in args):
        return "`chroot --userspec` drops privileges"
    if name == "chpst" and "-u" in args:
        return "`chpst -u` drops privileges"
    if name == "uwsgi":
        return _uwsgi_drops(model, stage, args)
    if _MASTERS.fullmatch(name):
        return f"`{name}` starts as root and runs its work as another user or needs root"
    return None


def _uwsgi_drops(model: Model, stage: Stage, args: list[str]) -> str | None:
    if any(a == "--uid" or a.startswith("--uid=") for a in args):
        return "`uwsgi --uid` drops privileges"
    for index, arg in enumerate(args):
        if arg == "--ini" and index + 1 < len(args):
            text = _context_text(model, stage, args[index + 1])
            if text is not None and _UWSGI_UID.search(text):
                return f"uWSGI drops privileges (`uid` in `{args[index + 1]}`)"
    return None


def _is_script(program: str) -> bool:
    return "/" in program or program.endswith(".sh")


def _context_text(model: Model, stage: Stage, path: str) -> str | None:
    """The text of the build-context file copied to ``path`` in ``stage``'s chain."""
    found = _context_file(model, stage, path)
    if found is None or model.context is None:
        return None
    return model.context.read_text(found, SCRIPT_LIMIT)


def _copied_but_missing(model: Model, stage: Stage, path: str) -> bool:
    """A COPY names the file put at ``path``, but the build context in use lacks it: the
    build runs from another folder (a compose or CI file says which)."""
    return _context_file(model, stage, path) == ""


def _context_file(model: Model, stage: Stage, path: str) -> str | None:
    """The context path of the file copied to ``path`` in ``stage``'s chain; ``""`` when
    a COPY names it but the context lacks it; ``None`` when no COPY from the context
    puts it there."""
    if model.context is None:
        return None
    if not path.startswith("/"):
        workdir = model.final_state(stage).workdir
        if not isinstance(workdir, str):
            return None
        path = posixpath.join(workdir, path)
    return _file_from_context(model, stage, posixpath.normpath(path), _MAX_HOPS)


# `COPY --from=<stage>` links followed back to the build context, at most.
_MAX_HOPS = 4


def _file_from_context(model: Model, stage: Stage, path: str, hops: int) -> str | None:
    """:func:`_context_file` for an absolute ``path``, following a `COPY --from=<stage>`
    that puts it there to the stage it comes from (`COPY . .` in a build stage, then
    `COPY --from=build /src/entrypoint.sh /usr/local/bin/`): a context file as well."""
    for member in lineage(model, stage):
        for node in reversed(member.instructions):
            if not isinstance(node, ast.Copy):
                continue
            if not any(f.name.lower() == "from" for f in node.flags):
                source = _copied_from(model, node, path)
                if source is not None:
                    _check_not_edited(model, stage, node, path)
                    return source
                continue
            origin = _from_stage(model, node)
            if origin is None or hops == 0:
                continue
            for inside in _stage_paths(model, node, path):
                found = _file_from_context(model, origin, inside, hops - 1)
                if found is not None:
                    return found
    return None


class _Edited(Exception):
    """A RUN after the COPY may change the copied file: its text says nothing then."""

    def __init__(self, program: str, line: int) -> None:
        super().__init__(program, line)
        self.program = program
        self.line = line


# Commands that read a file or change only its mode or owner: the script stays as copied.
_KEEPS_TEXT = frozenset(
    {"chmod", "chown", "chgrp", "ls", "cat", "stat", "test", "[", "file", "head", "tail"}
    | {"grep", "sha256sum", "sha1sum", "md5sum", "dos2unix", "bash", "sh"}
)


def _check_not_edited(model: Model, stage: Stage, copy: ast.Copy, path: str) -> None:
    """Raise :class:`_Edited` when a later RUN of ``stage``'s chain may rewrite the file
    ``copy`` put at ``path`` (`sed -i`, `echo ... >> entrypoint.sh`, `patch`)."""
    name = posixpath.basename(path)
    for member in lineage(model, stage):
        for node in member.instructions:
            if not isinstance(node, ast.Run) or node.span.start < copy.span.start:
                continue
            text = model.source.text[node.span.start : node.span.end]
            if name not in text:
                continue
            script = model.script(node)
            named = [
                command
                for command in script.commands
                if any(name in word.text for word in (*command.args, *_targets(command)))
            ]
            line = model.source.lines.position(node.span.start).line
            if not named:
                raise _Edited("RUN", line)  # named where the walk cannot tell how: assume
            for command in named:
                if command.program not in _KEEPS_TEXT or any(
                    name in word.text for word in _targets(command)
                ):
                    raise _Edited(command.program or command.name.text, line)


def _targets(command: ShellCommand) -> list[ShellWord]:
    return [r.target for r in command.redirects if r.target is not None]


def _from_stage(model: Model, node: ast.Copy) -> Stage | None:
    """The stage a `COPY --from=<stage>` reads (None for an image or a named context)."""
    for edge in model.edges:
        if edge.instruction is node and edge.kind is EdgeKind.COPY:
            return model.stages[edge.target]
    return None


def _stage_paths(model: Model, node: ast.Copy, path: str) -> list[str]:
    """The paths in the source stage that ``node`` (a `COPY --from`) may copy to ``path``
    (an image path): the source named for it, or the file below a copied folder."""
    dest = _destination(model, node)
    if dest is None:
        return []
    into_dir = dest.endswith("/") or len(node.sources) > 1
    dest = posixpath.normpath(dest)
    prefix = dest.rstrip("/") + "/"
    found: list[str] = []
    for word in node.sources:
        source = model.expand(word.value if node.json else word.text, at=node).text
        if not source or any(c in source for c in "*?["):
            continue
        source = posixpath.normpath(posixpath.join("/", source))
        if path == dest and not into_dir:
            found.append(source)
        elif path.startswith(prefix):
            rel = path[len(prefix) :]
            if posixpath.basename(source) == rel:
                found.append(source)
            found.append(posixpath.join(source, rel))
    return found


def _destination(model: Model, node: ast.Copy) -> str | None:
    """The absolute destination of ``node`` as written (a trailing `/` kept)."""
    dest_word = node.destination
    if dest_word is None:
        return None
    dest = model.expand(dest_word.value if node.json else dest_word.text, at=node).text
    if not dest:
        return None
    if not dest.startswith("/"):
        workdir = model.workdir_at(node)
        if not isinstance(workdir, str):
            return None
        dest = posixpath.join(workdir, dest)
    return dest


def _copied_from(model: Model, node: ast.Copy, path: str) -> str | None:
    """The context path that ``node`` copies to ``path`` (image path), if it does;
    ``""`` when ``node`` names that file but the context does not have it."""
    context = model.context
    dest = _destination(model, node)
    if dest is None or context is None:
        return None
    into_dir = dest.endswith("/") or len(node.sources) > 1
    dest = posixpath.normpath(dest)
    prefix = dest.rstrip("/") + "/"
    for word in node.sources:
        source = model.expand(word.value if node.json else word.text, at=node).text
        if not source or "://" in source:
            continue
        source = posixpath.normpath(source).lstrip("/") or "."
        named = (path == dest and not into_dir) or (
            path.startswith(prefix) and posixpath.basename(source) == path[len(prefix) :]
        )
        if named:
            return source if context.exists(source) else ""
        if path.startswith(prefix):
            rel = path[len(prefix) :]
            inside = rel if source == "." else f"{source}/{rel}"
            if context.exists(inside):
                return inside
    return None
