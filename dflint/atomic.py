"""Writing fixed files without ever leaving a half-written or wrongly-owned file.

The new content goes to a temporary file in the target's own directory (same file
system, so the rename is atomic), is flushed to disk, gets the original's permission
bits (and owner, where allowed), then replaces the original with ``os.replace``. A
reader sees the old file or the new one, never a mix; a crash leaves at most a stray
``.<name>.*.dflint-tmp`` file beside it.

A symbolic link is written through to its target (the link stays a link) only when the
target lies inside the project root; a link out of the project is refused, so a fix
never edits a file the user did not ask about (``/etc/...`` behind a link in a repo).

:func:`create` makes a new file the same way but never replaces anything: the complete
temporary file is hard-linked to the new name, which fails if the name exists (a file,
a directory, even a dangling symbolic link), so the file appears whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path


class WriteRefused(OSError):
    """The file was not written; the message says why (shown to the user as is)."""


class AlreadyExists(WriteRefused):
    """:func:`create` found the name taken: nothing was written."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def target(path: Path, root: Path) -> Path:
    """The real file to write for ``path``: itself, or what its symbolic links lead to.

    Raises :class:`WriteRefused` when a link leads outside ``root`` (the project).
    """
    absolute = Path(os.path.abspath(path))
    real = Path(os.path.realpath(absolute))
    if real != absolute:
        project = Path(os.path.realpath(root))
        if not _inside(real, project):
            raise WriteRefused(
                f"{path}: not written: it is a symbolic link to {real}, outside the project"
                f" ({project}); fix the target there or copy it into the project"
            )
    return real


def write(
    path: Path, data: bytes, *, expected: bytes | None = None, root: Path | None = None
) -> bool:
    """Atomically replace the content of ``path`` with ``data``.

    Returns False (and writes nothing) when ``data`` equals the current content. With
    ``expected``, refuses (:class:`WriteRefused`) if the file no longer holds those bytes
    (changed by someone else since it was read). ``root`` is the project for the
    symbolic-link check (default: the working directory).
    """
    real = target(path, root if root is not None else Path.cwd())
    current = real.read_bytes()
    if expected is not None and current != expected:
        raise WriteRefused(f"{path}: not written: the file changed while it was being fixed")
    if current == data:
        return False
    info = real.stat()
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".dflint-tmp")
    try:
        _write_durably(fd, data)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(tmp):
            # Only root (or the owner, for the group) may do this; otherwise the new
            # file keeps the writer's ownership, as any editor's save would.
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(real.parent)
    return True


def creatable(path: Path, root: Path) -> Path:
    """Where :func:`create` would create ``path``: its folder with symbolic links resolved,
    then its name (never followed). Raises :class:`WriteRefused` when that folder does not
    exist or is not in ``root`` (the build context), :class:`AlreadyExists` when the name
    is taken."""
    absolute = Path(os.path.abspath(path))
    parent = Path(os.path.realpath(absolute.parent))
    if not _inside(parent, Path(os.path.realpath(root))):
        raise WriteRefused(f"{path}: not created: its folder is outside the build context {root}")
    if not parent.is_dir():
        raise WriteRefused(f"{path}: not created: its folder does not exist")
    if os.path.lexists(parent / absolute.name):
        raise AlreadyExists(f"{path}: not created: it already exists")
    return parent / absolute.name


def create(path: Path, data: bytes, *, root: Path) -> None:
    """Create ``path`` holding ``data``, atomically, if nothing exists by that name.

    Its folder must exist and lie in ``root`` (see :func:`creatable`). Raises
    :class:`AlreadyExists` when the name is taken, now or by the time the file is linked.
    The file gets the permissions of any new file (0o666 less the umask).
    """
    absolute = creatable(path, root)
    parent = absolute.parent
    fd, tmp = _new_temporary(parent, absolute.name)
    try:
        _write_durably(fd, data)
        try:
            os.link(tmp, absolute)
        except FileExistsError:
            raise AlreadyExists(f"{path}: not created: it appeared meanwhile") from None
        except OSError:
            # A file system without hard links (FAT, some network shares): an exclusive
            # create still never replaces anything, though a crash could leave it short.
            _create_exclusive(absolute, data, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_directory(parent)


def _new_temporary(directory: Path, name: str) -> tuple[int, str]:
    """A new, empty file in ``directory``, open for writing, with the permissions of any
    new file (``mkstemp`` makes it private; here it becomes the created file itself)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        candidate = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.dflint-tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {name} in {directory}")


def _create_exclusive(absolute: Path, data: bytes, shown: Path) -> None:
    try:
        fd = os.open(absolute, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise AlreadyExists(f"{shown}: not created: it appeared meanwhile") from None
    _write_durably(fd, data)


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _write_durably(fd: int, data: bytes) -> None:
    """Write ``data`` to the new file open as ``fd``, on disk before it is closed."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); not possible, nor needed, everywhere."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
