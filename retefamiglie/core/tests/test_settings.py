import os
import subprocess
import sys
from pathlib import Path

import pytest

from retefamiglie.core.testing import probe_settings

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


CLIENT_ADDRESSES = """
import json
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
cases = {
    "through the proxy": {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    "spoofed header": {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"},
    "bypassing the proxy": {},
}
ask = RequestFactory().get
print(json.dumps({
    name: get_client_ip_address(ask("/", REMOTE_ADDR="10.0.0.2", **meta))
    for name, meta in cases.items()
}))
"""


def client_addresses(extra_env: dict[str, str]) -> dict[str, str]:
    return probe_settings(
        "config.settings.production", CLIENT_ADDRESSES, {**GOOD, **extra_env}
    )


@pytest.mark.parametrize("variable", ["TRUSTED_PROXY_COUNT", "AXES_IPWARE_PROXY_COUNT"])
def test_behind_the_documented_proxy_each_client_keeps_its_address(variable):
    """nginx (docs/deploy.md) appends the client's address to X-Forwarded-For;
    lockouts and rate limits must see it, not the proxy's shared one."""
    addresses = client_addresses({variable: "1"})
    assert addresses == {
        "through the proxy": "203.0.113.9",
        # What a client writes itself stands left of what nginx adds.
        "spoofed header": "203.0.113.9",
        "bypassing the proxy": "10.0.0.2",
    }


def test_without_a_proxy_the_header_is_not_trusted():
    addresses = client_addresses({"TRUSTED_PROXY_COUNT": "0"})
    assert set(addresses.values()) == {"10.0.0.2"}
