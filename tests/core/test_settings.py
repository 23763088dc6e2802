"""Production settings pass Django's deployment checks; the console script maps hyphens."""

import os
import subprocess
import sys

import pytest


def _run(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "greencommunity.settings"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "greencommunity.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "GREENCOMMUNITY_HTTPS": "1",
            "GREENCOMMUNITY_SECRET_KEY": "x" * 30 + "-production-secret-key-0123456789abcdef",
            "GREENCOMMUNITY_ALLOWED_HOSTS": "gc.example.gov.cn",
            "PUBLIC_BASE_URL": "https://gc.example.gov.cn",
            "GREENCOMMUNITY_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_console_script_accepts_hyphenated_command_names(tmp_path):
    result = _run("audit-verify", "--help", env_extra={"GREENCOMMUNITY_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0 and "hash chain" in result.stdout
