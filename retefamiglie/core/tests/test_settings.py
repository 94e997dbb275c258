import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_production_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


GOOD = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "famiglie.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/retefamiglie",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("DATABASE_URL", "PostgreSQL"),
        ("REDIS_URL", "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    result = run_production_check({k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_when_configured():
    result = run_production_check(GOOD)
    assert result.returncode == 0, result.stderr
