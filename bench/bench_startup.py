"""What a run costs before and around the work: CPU seconds of the whole process tree of a small ``vanban run``.

Every process the run starts (the forkserver, the workers, the programs they start) is counted:
this process becomes a child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``), so processes orphaned
when the driver exits are handed to it and reaped here, and ``RUSAGE_CHILDREN`` holds the CPU of
all of them. Measured: a run of one text file into a new folder, the same run again with nothing
to do, a run of one plan naming a merged province (whose successors load the administrative-unit
library), and a run of the text files of ``data/raw``; each several times, alternated, the median
reported, beside the bare interpreter (``python -c pass``) and ``import pipeline.cli``. Bytecode is
written and read, as in an installed package. The parser's compiled patterns are kept between
processes (``pipeline.pattern_cache``): the first run compiles them, the others read them.
Targets: one file under 0.5 s, a rerun with nothing to do under 0.3 s. Run by `make bench`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from tree_cpu import subreaper, tree_cpu  # noqa: E402


def main() -> None:
    reaper = subreaper()
    repeat = int(os.environ.get("BENCH_STARTUP_N", "5"))
    py = sys.executable
    # as installed: bytecode written and read (a development shell may say PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    tmp = Path(tempfile.mkdtemp(prefix="vanban-startup-"))
    try:
        # a letter whose tasks name no place, and a plan whose tasks name a merged province (tỉnh Bình Thuận):
        # its successors need the administrative-unit library, which loads pandas and its data
        one, places = tmp / "one", tmp / "places"
        src, plan = ROOT / "data" / "raw" / "cong_van_19046_BTC-TCHQ.txt", ROOT / "data" / "raw" / "ke_hoach_binh_thuan.txt"
        for folder, file in ((one, src), (places, plan)):
            folder.mkdir()
            shutil.copy(file, folder / file.name)
        many = tmp / "many"
        many.mkdir()
        for p in sorted((ROOT / "data" / "raw").glob("*.txt")):
            shutil.copy(p, many / p.name)
        n_many = len(list(many.iterdir()))
        cases = {
            "python -c pass": lambda i: [py, "-c", "pass"],
            "import pipeline.cli": lambda i: [py, "-c", "import pipeline.cli"],
            "run, one file": lambda i: [py, "-m", "pipeline", "run", "-q", str(one / src.name), str(tmp / f"out1-{i}")],
            "rerun, nothing to do": lambda i: [py, "-m", "pipeline", "run", "-q", str(one / src.name), str(tmp / "out1-0")],
            "run, one file naming provinces": lambda i: [py, "-m", "pipeline", "run", "-q", str(places / plan.name), str(tmp / f"outp-{i}")],
            f"run, {n_many} text files": lambda i: [py, "-m", "pipeline", "run", "-q", str(many), str(tmp / f"outm-{i}")],
            f"rerun, {n_many} files, nothing to do": lambda i: [py, "-m", "pipeline", "run", "-q", str(many), str(tmp / "outm-0")],
        }
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
        for i in range(repeat):  # alternated: other load on the machine falls on every case alike
            for name, cmd in cases.items():
                cpu, wall, rc = tree_cpu(cmd(i), ROOT, env)
                if rc > 1:
                    raise SystemExit(f"{name}: exit status {rc}")
                times[name].append((cpu, wall))
        print(f"bench_startup: CPU seconds of the whole process tree{'' if reaper else ' (direct children only: no subreaper here)'}, "
              f"median of {repeat} (min–max)")
        for name, runs in times.items():
            cpus, walls = [c for c, _ in runs], [w for _, w in runs]
            print(f"  {name:<32} {statistics.median(cpus):6.2f} s CPU ({min(cpus):.2f}–{max(cpus):.2f})   wall {statistics.median(walls):5.2f} s")
        print("  targets: one file under 0.5 s of CPU, a rerun with nothing to do under 0.3 s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
