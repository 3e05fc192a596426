"""dflint.pool: chunks of work over forked processes, the calling one included."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dflint import pool

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="dflint.pool forks on Linux only"
)


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_results_come_in_chunk_order_from_every_process() -> None:
    def work(i: int) -> tuple[int, int, bool]:
        _busy(0.002)
        return i * i, os.getpid(), pool.inside()

    results = pool.fork_map(work, 60, 3)
    assert [r[0] for r in results] == [i * i for i in range(60)]
    pids = {r[1] for r in results}
    assert os.getpid() in pids  # the caller works too
    assert len(pids) > 1
    assert all(r[2] for r in results)  # every process knows it is in a pool
    assert not pool.inside()
    for pid in pids - {os.getpid()}:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # every child was waited for


@pytest.mark.parametrize(("count", "processes"), [(0, 2), (1, 2), (5, 1), (3, 8)])
def test_small_counts(count: int, processes: int) -> None:
    assert pool.fork_map(lambda i: i + 1, count, processes) == list(range(1, count + 1))


def test_too_many_chunks_is_refused() -> None:
    with pytest.raises(ValueError, match="chunks"):
        pool.fork_map(lambda i: i, pool.MAX_CHUNKS + 1, 2)


def test_chunks_a_child_fails_or_dies_on_are_done_by_the_parent() -> None:
    parent = os.getpid()

    def work(i: int) -> int:
        _busy(0.002)
        if os.getpid() != parent:
            if i % 7 == 3:
                raise RuntimeError("only in a child")
            if i == 20:
                os._exit(3)  # a crash: the rest of its chunks go to the others
        return i

    assert pool.fork_map(work, 40, 2) == list(range(40))


def test_an_exception_is_raised_in_the_caller_as_without_a_pool(tmp_path: Path) -> None:
    def work(i: int) -> int:
        (tmp_path / str(os.getpid())).touch()
        _busy(0.002)
        if i == 5:
            raise KeyError(i)
        return i

    with pytest.raises(KeyError):
        pool.fork_map(work, 12, 2)
    assert not pool.inside()
    for pid in {int(p.name) for p in tmp_path.iterdir()} - {os.getpid()}:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and waited for


def test_large_results_do_not_block_the_children() -> None:
    # Far more than a pipe holds while the parent is busy with its own chunks.
    results = pool.fork_map(lambda i: "x" * 200_000 + str(i), 30, 2)
    assert [r[200_000:] for r in results] == [str(i) for i in range(30)]


def test_not_usable_while_another_thread_runs() -> None:
    assert pool.usable()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not pool.usable()
    finally:
        stop.set()
        thread.join()
    assert pool.usable()


def test_a_thread_just_joined_does_not_count() -> None:
    # Its kernel thread may still be exiting when join() returns (a ShellCheck thread
    # that finished before the pool starts, in `dflint check - files...`).
    for _ in range(100):
        thread = threading.Thread(target=int)
        thread.start()
        thread.join()
        assert pool.usable()


def test_not_usable_while_a_thread_python_does_not_know_of_runs(tmp_path: Path) -> None:
    # A thread started by native code is not in `threading`, and neither is one that
    # `_thread` starts: it stands in for such code here. The kernel counts both.
    script = (
        "import _thread, time, threading\n"
        "from dflint import pool\n"
        "print(pool.usable())\n"
        "_thread.start_new_thread(time.sleep, (5,))\n"
        "time.sleep(0.1)\n"
        "print(threading.active_count(), pool.usable())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "1", "False"]


def test_a_failed_fork_leaves_the_work_to_the_processes_there_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = os.fork
    forks: list[int] = []

    def fork() -> int:
        if forks:
            raise BlockingIOError("Resource temporarily unavailable")
        forks.append(1)
        return real()

    monkeypatch.setattr(os, "fork", fork)
    assert pool.fork_map(lambda i: i * 2, 20, 4) == [i * 2 for i in range(20)]
    assert forks == [1]
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError("no")))
    assert pool.fork_map(lambda i: i, 5, 2) == list(range(5))  # all here
