"""Compiled patterns kept between processes (``pipeline.pattern_cache``): the same patterns, or none at all."""

from __future__ import annotations

import pickle
import subprocess
import sys

import regex

from conftest import ROOT

# In a fresh interpreter: compile the rules' patterns through the cache, say how many the file held before.
PROBE = """
import sys, regex
from pipeline import pattern_cache
from pipeline.parse import patterns
held = pattern_cache._STORE.loaded
p = patterns.get("references", "number")
fresh = regex.compile(p.pattern, p.flags)
text = "Căn cứ Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 và Công văn 543/SCT-QLCN; Điều 12a, QCVN 01:2021/BYT"
same = [m.span() for m in p.finditer(text)] == [m.span() for m in fresh.finditer(text)] and p.groupindex == fresh.groupindex
print(held, same)
"""


def _probe(cache_dir: str) -> tuple[int, bool]:
    env = {"PATH": "/usr/bin:/bin", "VANBAN_CACHE_DIR": cache_dir}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    held, same = out.stdout.split()
    return int(held), same == "True"


def test_second_process_reads_what_the_first_compiled(tmp_path):
    assert _probe(str(tmp_path)) == (0, True)
    files = list(tmp_path.glob("patterns-*.pickle"))
    assert len(files) == 1
    held, same = _probe(str(tmp_path))
    assert held > 100 and same  # every rule pattern the parser compiles on import


def test_a_damaged_or_foreign_file_is_passed_over(tmp_path):
    _probe(str(tmp_path))
    (path,) = tmp_path.glob("patterns-*.pickle")
    path.write_bytes(b"\x80\x05 not a pickle")
    assert _probe(str(tmp_path)) == (0, True)
    # a pickle that would build something else than a pattern is refused, not run
    path.write_bytes(pickle.dumps({("x", 0): print}))
    assert _probe(str(tmp_path)) == (0, True)
    path.write_bytes(pickle.dumps({("y", 0): regex.compile("x")}))  # a pattern under another's key
    assert _probe(str(tmp_path)) == (0, True)


def test_an_empty_setting_keeps_nothing(tmp_path):
    code = "import os, pipeline.parse; print(os.listdir('.'))"
    env = {"PATH": "/usr/bin:/bin", "VANBAN_CACHE_DIR": "", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, env=env, capture_output=True)
    assert not list(tmp_path.rglob("patterns-*")) and not list(tmp_path.rglob("rules-*"))


# In a fresh interpreter: how many rule files the kept file held, and whether what came back is what tomllib gives.
RULES_PROBE = """
import tomllib
from pipeline import pattern_cache, rules
data = rules.load("doc_types")
held = len(pattern_cache._PARSED.kept) - pattern_cache._PARSED.added
print(held, data == tomllib.loads((rules.RULES_DIR / "doc_types.toml").read_text(encoding="utf-8")))
"""


def _rules_probe(cache_dir, rules_dir=None) -> tuple[int, bool]:
    env = {"PATH": "/usr/bin:/bin", "VANBAN_CACHE_DIR": str(cache_dir)}
    if rules_dir:
        env["VANBAN_RULES"] = str(rules_dir)
    out = subprocess.run([sys.executable, "-c", RULES_PROBE], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    held, same = out.stdout.split()
    return int(held), same == "True"


def test_rule_files_are_parsed_once_and_again_when_edited(tmp_path):
    import shutil

    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    cache = tmp_path / "cache"
    assert _rules_probe(cache, rules_dir) == (0, True)
    assert _rules_probe(cache, rules_dir) == (1, True)  # read back, equal to a fresh parse
    path = rules_dir / "doc_types.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[type]]\nname = "Thư mời thử"\n', encoding="utf-8")
    held, same = _rules_probe(cache, rules_dir)
    assert same  # the edit is seen: the file's new bytes are parsed, not the kept old ones
    (kept,) = cache.glob("rules-*.pickle")
    kept.write_bytes(pickle.dumps({"x" * 64: {"a": print}}))  # anything but plain data is refused, not built
    assert _rules_probe(cache, rules_dir) == (0, True)
