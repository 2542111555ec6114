"""The Docker image is written for users and not built here (no engine): keep it in step with the packages."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_image_copies_every_package_the_project_installs():
    # given the packages pyproject.toml ships and the Dockerfile's COPY lines
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in include}
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))

    # then the image has each of them (a missing one is an ImportError at the first request)
    assert packages <= copied, f"docker/Dockerfile does not COPY {sorted(packages - copied)}"


def test_the_image_serves_the_javascript_the_pages_need():
    # the console's htmx comes from npm (STATICFILES_DIRS points into node_modules)
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert "npm ci" in dockerfile
    assert "COPY --from=web-assets /app/node_modules ./node_modules" in dockerfile
