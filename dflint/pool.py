"""Work split over forked processes, this one included: ``dflint check`` on many files.

:func:`fork_map` runs ``work(i)`` for every chunk ``i`` and returns the results in chunk
order. The calling process forks ``processes - 1`` children and then works itself: the
chunks wait in a pipe, 4 bytes each, written before the fork, so whoever is free takes
the next one (a read of 4 bytes from a pipe that holds whole 4-byte records is atomic
on Linux and the BSDs). Each child sends ``(chunk, ok, result)`` back, pickled and
length-prefixed, on its own pipe, which a thread of the parent drains as it comes so
that a child never waits for the parent. A chunk a child could not finish (an exception,
a crash, a kill) is run again by the parent, where its exception is raised as if there
had been no pool.

Compared with :mod:`multiprocessing`'s pool this avoids importing it (~10 ms), its
three management threads and a third busy process on a machine with two CPUs (the
parent of a pool only waits), and it starts linting in the parent at once. It needs
``os.fork`` and a process with no other thread (see :func:`usable`); elsewhere the CLI
uses :mod:`multiprocessing`.

Kept because the saving is material for the CI use (thousands of files): a 500-file run
was 8-11% faster and a 40-file run 10-12% faster than with :mod:`multiprocessing`'s pool
(``python -m benchmarks.ab``, alternating the two revisions on the same generated files,
2026-11-29); measured again on 2026-12-07 on a busy 2-CPU machine, 500 files, 8 rounds,
against a revision whose :func:`usable` always says no: best 1.40 s against 2.04 s
(0.69x), median 2.64 s against 3.41 s. Re-measure the same way: commit that one-line
change on a scratch branch and run ``python -m benchmarks.ab <that commit> HEAD``.
"""

from __future__ import annotations

import os
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_TASK = struct.Struct("=I")
_HEADER = struct.Struct("=Q")
# Every chunk number is in the pipe before the fork: its buffer (64 KiB by default on
# Linux, at least 4 KiB by POSIX) must hold them all.
MAX_CHUNKS = 1024

_inside = False


def inside() -> bool:
    """Whether this process takes part in a pool (as the parent or a worker): each of
    its processes should then use one CPU, the pool keeps the others busy. Rules that
    start processes of their own (ShellCheck) ask this."""
    return _inside


def set_inside(value: bool) -> None:
    """Mark this process as a pool's (a :mod:`multiprocessing` worker's initializer)."""
    global _inside
    _inside = value


def usable() -> bool:
    """Whether :func:`fork_map` can be used here: on Linux (elsewhere forking is either
    missing or, on macOS, unsafe with system libraries), in a process that runs no other
    thread (forking a process with threads can deadlock the child). Threads that native
    code started count too (a Go or Rust library loaded by a rule pack), as for Python's
    own warning about forking: the kernel's count of the process's threads decides."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    # A thread that was just joined can still be leaving the kernel's list for a moment.
    for _ in range(_THREAD_EXIT_POLLS):
        try:
            if len(os.listdir("/proc/self/task")) == 1:
                return True
        except OSError:  # no /proc: what Python knows of
            return True
        time.sleep(0.001)
    return False


_THREAD_EXIT_POLLS = 20


def fork_map(work: Callable[[int], T], count: int, processes: int) -> list[T]:
    """``[work(0), ..., work(count - 1)]``, computed by this process and ``processes - 1``
    forked children. ``work``'s results must pickle; ``count`` is at most
    :data:`MAX_CHUNKS`."""
    import pickle  # noqa: F401  # imported before the fork, not in every child

    if count > MAX_CHUNKS:
        raise ValueError(f"{count} chunks: at most {MAX_CHUNKS}")
    children = min(processes, count) - 1
    if children < 1:
        return [work(i) for i in range(count)]
    tasks_r, tasks_w = os.pipe()
    try:
        os.write(tasks_w, b"".join(_TASK.pack(i) for i in range(count)))
    finally:
        os.close(tasks_w)  # the children inherit no write end: an empty pipe is the end
    results: dict[int, T] = {}
    pids: list[int] = []
    readers: list[threading.Thread] = []
    global _inside
    was_inside, _inside = _inside, True
    try:
        pipes: list[int] = []
        for _ in range(children):
            out_r, out_w = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # out of processes or memory: go on with those there are
                os.close(out_r)
                os.close(out_w)
                break
            if pid == 0:  # the child: never returns
                os.close(out_r)
                for r in pipes:
                    os.close(r)
                _child(work, tasks_r, out_w)
            os.close(out_w)
            pids.append(pid)
            pipes.append(out_r)
        for r in pipes:
            reader = threading.Thread(target=_drain, args=(r, results), daemon=True)
            reader.start()
            readers.append(reader)
        while (i := _next_task(tasks_r)) is not None:
            results[i] = work(i)
        for reader in readers:
            reader.join()
        for pid in pids:
            os.waitpid(pid, 0)
        pids = []
    finally:
        _inside = was_inside
        os.close(tasks_r)
        for pid in pids:  # interrupted: the children stop with us
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
    # Chunks a child did not finish are done here (raising what they raise).
    return [results[i] if i in results else work(i) for i in range(count)]


def _next_task(fd: int) -> int | None:
    data = os.read(fd, _TASK.size)
    if len(data) < _TASK.size:
        return None
    (i,) = _TASK.unpack(data)
    return int(i)


def _child(work: Callable[[int], Any], tasks: int, out: int) -> None:
    """A worker: chunks from ``tasks`` until it is empty, results to ``out``; then exit
    without running the parent's cleanup (atexit handlers, buffered output)."""
    import pickle

    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        with os.fdopen(out, "wb") as stream:
            while (i := _next_task(tasks)) is not None:
                try:
                    payload = pickle.dumps((i, True, work(i)), pickle.HIGHEST_PROTOCOL)
                except Exception:
                    payload = pickle.dumps((i, False, None), pickle.HIGHEST_PROTOCOL)
                stream.write(_HEADER.pack(len(payload)))
                stream.write(payload)
                stream.flush()
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _drain(fd: int, results: dict[int, Any]) -> None:
    """Read one child's results until it closes its pipe."""
    import pickle

    with os.fdopen(fd, "rb") as stream:
        while True:
            header = stream.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            (size,) = _HEADER.unpack(header)
            payload = stream.read(size)
            if len(payload) < size:
                return  # the child died while writing
            i, ok, result = pickle.loads(payload)
            if ok:
                results[i] = result
