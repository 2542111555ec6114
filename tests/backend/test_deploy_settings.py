"""Production settings pass Django's deployment checklist with no warning."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    # The work tree's .env (written by make run) must not leak into these checks.
    env.update({"DJANGO_SETTINGS_MODULE": "backend.config.settings", "GUARDOPS_ENV_FILE": "/nonexistent", **overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _check_deploy(
        DJANGO_SECRET_KEY="k" * 20 + "Q7-production-like-secret-value-xyz" + "m" * 20, DJANGO_DEBUG="false"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_refuses_to_start():
    result = _check_deploy()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
