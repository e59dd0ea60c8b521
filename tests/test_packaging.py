"""What `pip install .` (not editable), a wheel or pipx install is a working vanban: the rule files travel in the
package, the console script runs, `--version` answers, the package says it is typed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pipeline", "rules"]


def _copy_sources(to: Path) -> Path:
    """The files a build sees, copied away from the checkout: the installed tool must not find rules/ beside it."""
    to.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, to / name, ignore=shutil.ignore_patterns("__pycache__", "_rules"))
        else:
            shutil.copy2(src, to / name)
    return to


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("pkg")
    src = _copy_sources(base / "src")
    dist = base / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(dist), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (found,) = dist.glob("vanban-*.whl")
    return found


def test_the_wheel_carries_the_rules_and_the_typed_marker(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for rule in (ROOT / "rules").iterdir():
        if rule.suffix in (".toml", ".tsv"):
            assert f"pipeline/_rules/{rule.name}" in names, rule.name
    assert "pipeline/py.typed" in names
    assert not any(n.startswith("tests/") or n.startswith("rules/") for n in names)


@pytest.mark.slow
def test_installed_into_a_fresh_venv_it_runs_the_samples_with_no_error_row(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    # the dependencies come from this environment (no network): its site-packages as a plain path entry, whose
    # own .pth files (this checkout's editable install) are not run
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True)
    (Path(site.stdout.strip()) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    cmd = [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("VANBAN_RULES", "PYTHONPATH", "VANBAN_TEST_HOOK")}
    where = subprocess.run([str(py), "-c", "import pipeline.rules as r; print(r.RULES_DIR)"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert str(venv) in where.stdout, where.stdout + where.stderr  # the copy in the package, not the checkout's

    vanban = venv / "bin" / "vanban"
    version = subprocess.run([str(vanban), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("vanban ")
    out = tmp_path / "out"
    done = subprocess.run([str(vanban), "run", str(ROOT / "data" / "raw"), str(out), "-q", "--workers", "2"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert pq.read_table(out / "errors.parquet").num_rows == 0
    assert pq.read_table(out / "documents.parquet").num_rows == len(list((ROOT / "data" / "raw").iterdir()))
