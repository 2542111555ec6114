"""The layers hold: `lint-imports` passes on the tree and fails when an arrow goes back up.

The contracts live in pyproject.toml ([tool.importlinter]); these tests run the real
command, on the real tree and on a copy with one forbidden import added.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# Every root package of the contracts, copied whole (an installed copy of one would be read instead).
ROOT_PACKAGES = ("backend", "mobile_api", "console", "portal", "geofence", "narrative", "reports")
PACKAGES = tuple(name for name in ROOT_PACKAGES if (ROOT / name).is_dir())


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # lint-imports puts its working directory first on sys.path, so the copy is what it reads.
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "added_import", "contract"),
    [
        # a record app reaching up into the workflow that uses it
        ("backend/staffing/models.py", "import backend.attendance.services", "Each layer imports only"),
        # the rules reaching up into the flags that store their findings
        ("backend/rules/thresholds.py", "from backend.flags import models", "Each layer imports only"),
        # two independent siblings knowing each other
        ("backend/devices/models.py", "import backend.tracking.models", "Each layer imports only"),
        # the client portal reaching into its sibling, the console
        ("portal/access.py", "import console.access", "Each layer imports only"),
        # a pure library importing Django
        ("geofence/fixes.py", "import django.db", "The pure libraries import no Django"),
    ],
)
def test_an_arrow_added_back_up_breaks_the_contract(tmp_path, module, added_import, contract):
    tree = copy_of_the_tree(tmp_path)
    with (tree / module).open("a") as source:
        source.write(f"\n{added_import}  # noqa\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert module.removesuffix(".py").replace("/", ".") in broken


def _all_subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_all_subclasses(direct)}}


def test_every_application_error_is_declared_in_its_apps_errors_module():
    import importlib
    import pkgutil

    from backend.core.errors import ApplicationError

    for package in ("backend", "mobile_api"):
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if ".migrations" not in module.name and not module.name.startswith("backend.config.settings"):
                importlib.import_module(module.name)

    misplaced = {
        f"{error.__module__}.{error.__qualname__}"
        for error in _all_subclasses(ApplicationError)
        if error.__module__.startswith(("backend.", "mobile_api.")) and not error.__module__.endswith(".errors")
    }

    assert misplaced == set()
