"""Build hook: the rule files in ``rules/`` (the one source, edited there) go into the package as ``pipeline/_rules``.

Everything else is in pyproject.toml. An editable install needs no copy: ``pipeline.rules``
falls back to the checkout's ``rules/`` folder.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RULE_FILES = ("*.toml", "*.tsv")


class build_py_with_rules(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = Path(__file__).resolve().parent / "rules"
        target = Path(self.build_lib) / "pipeline" / "_rules"
        target.mkdir(parents=True, exist_ok=True)
        found = [p for pattern in RULE_FILES for p in sorted(source.glob(pattern))]
        if not found:
            raise SystemExit(f"no rule files in {source}: the package would fail every file")
        for p in found:
            shutil.copy2(p, target / p.name)


setup(cmdclass={"build_py": build_py_with_rules})
