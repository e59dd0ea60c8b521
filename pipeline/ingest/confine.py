"""Third-party parsers of untrusted input (antiword, Tesseract) run with the least rights at hand.

Each runs as a child process that gets the file's bytes on stdin and gives its text on stdout, so
nothing is written to disk (no copy of the input in a temporary folder left behind when a worker is
killed). Before it starts, the child is given limits it cannot raise again: address space
(``RLIMIT_AS``), CPU seconds (``RLIMIT_CPU``), the size a file it writes may reach (``RLIMIT_FSIZE``:
none for Tesseract; antiword copies stdin to an anonymous ``tmpfile()``, unlinked from the start, so
it is gone with the process whatever kills it), no core dump; and on Linux it is killed when the worker that started it dies (``PR_SET_PDEATHSIG``),
so a timeout or the OOM killer never leaves a 500 MB Tesseract behind. Network access cannot be
taken away without privileges; neither tool opens a socket, and the README's bad-input section
says so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal
import subprocess
import sys

MB = 1 << 20
PR_SET_PDEATHSIG = 1


# Resolved once in the parent: ``find_library`` runs a program of its own, which a child between fork and
# exec must not do (the first confined run of a process failed in ``preexec_fn`` so).
_LIBC = (ctypes.util.find_library("c") or "libc.so.6") if sys.platform.startswith("linux") else None


def _limits(memory: int, cpu_seconds: int, file_size: int):
    """The function the child runs before ``exec``: its limits set, its death tied to its parent's. It
    imports nothing and starts nothing (between fork and exec only what is safe there)."""

    def apply() -> None:
        for limit, value in (
            (resource.RLIMIT_AS, memory),
            (resource.RLIMIT_CPU, cpu_seconds),
            (resource.RLIMIT_FSIZE, file_size),
            (resource.RLIMIT_CORE, 0),
        ):
            try:
                resource.setrlimit(limit, (value, value))
            except (ValueError, OSError):
                pass
        if _LIBC is not None:
            try:
                ctypes.CDLL(_LIBC, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            except OSError:
                pass

    return apply


def run_confined(
    cmd: list[str],
    data: bytes,
    timeout: float,
    memory: int = 1024 * MB,
    cpu_seconds: int = 300,
    env: dict | None = None,
    file_size: int = 0,
    memory_file: bool = False,
) -> subprocess.CompletedProcess:
    """Run ``cmd`` on ``data`` (stdin) under the limits above; raises ``subprocess.TimeoutExpired``.

    ``file_size``: the most a file the child writes may grow to (0: it may write none). ``memory_file``:
    stdin is an anonymous file in memory holding ``data`` (Linux ``memfd_create``: on no disk, gone
    with its last descriptor) rather than a pipe Python feeds 4 KB at a time, which cost the worker
    13 ms of CPU for each 9 MB page image handed to Tesseract; a pipe where there is none.
    """
    fd = _memory_file(data) if memory_file else None
    try:
        return subprocess.run(
            cmd,
            input=data if fd is None else None,
            stdin=fd,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=env if env is not None else dict(os.environ),
            preexec_fn=_limits(memory, cpu_seconds, file_size) if os.name == "posix" else None,
        )
    finally:
        if fd is not None:
            os.close(fd)


def _memory_file(data: bytes) -> int | None:
    """A descriptor of an anonymous in-memory file holding ``data``, read from its start; None where there is none."""
    try:
        fd = os.memfd_create("vanban-input", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # not Linux, or an old kernel
        return None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
    except OSError:
        os.close(fd)
        return None
    return fd
