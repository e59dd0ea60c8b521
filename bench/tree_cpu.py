"""CPU seconds of a command's whole process tree, exact: every descendant is reaped here and counted.

This process becomes a child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``): processes orphaned when
their parent exits (the forkserver when the driver ends, the workers it forked) are handed to it,
so ``RUSAGE_CHILDREN`` holds the CPU of all of them once they are reaped. Sampling a tree instead
misses the short-lived ones and the last moments of each.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import time

PR_SET_CHILD_SUBREAPER = 36


def subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:  # noqa: BLE001 - not Linux: direct children only
        return False


def _reap_all(timeout: float = 10.0) -> None:
    """Wait for every descendant handed to this process (the forkserver outlives the driver by a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def tree_cpu(cmd: list[str], cwd, env: dict | None = None) -> tuple[float, float, int]:
    """(CPU seconds of the whole tree, wall seconds, exit status) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    _reap_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.returncode


