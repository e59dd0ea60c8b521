"""Why a run stops: a mistake or an environment a person must fix, or a stop signal.

Both carry a message of one line for the person at the terminal (the command line prints
it as ``vanban: …``); the traceback is for ``--debug``.
"""

from __future__ import annotations

import signal


class RunError(RuntimeError):
    """A run that cannot start or must not go on (missing INPUT, OUTPUT a file, a second run, …): exit status 2."""

    exit_code = 2


class Stopped(RuntimeError):
    """SIGINT (Ctrl-C) or SIGTERM: what was finished is kept; exit status 128 + the signal (130, 143)."""

    def __init__(self, signum: int, kept: int = 0):
        self.signum, self.kept = signum, kept
        super().__init__(self.line())

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def line(self) -> str:
        name = signal.Signals(self.signum).name
        return f"stopped by {name}: the {self.kept} files finished by this run are kept; run again to go on"
