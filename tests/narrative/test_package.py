"""The narrative package is a pure library: importing it loads no Django and nothing of the apps above it."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Every module of the package, so that a new one is checked without editing this test.
MODULES = sorted(f"narrative.{path.stem}" for path in (REPO / "narrative").glob("*.py") if path.stem != "__init__")
FORBIDDEN = ("django", "ninja", "celery", "backend", "mobile_api")


def test_the_package_imports_no_django_and_nothing_of_the_apps():
    # given a fresh interpreter (this one has Django loaded already) / when every module is imported
    code = f"import sys\nfor name in {MODULES!r}: __import__(name)\nprint(*sorted(sys.modules))"
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    # then the modules were all there to import, and none of them pulled in a framework or an app
    assert set(MODULES) <= set(loaded)
    assert [name for name in loaded if name.split(".")[0] in FORBIDDEN] == []
