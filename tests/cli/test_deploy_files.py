"""The files in deploy/ stay true to the program: every setting the example names exists,
and the unit starts the server that the package installs."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_example_env_file_names_only_real_settings():
    names = re.findall(
        r"^#?(AUXOT_[A-Z_]+)=", (DEPLOY / "auxot.env.example").read_text(), re.MULTILINE
    )
    assert "AUXOT_DATABASE_URL" in names and "AUXOT_SSH_LOGIN_GRACE_TIME" in names
    fields = {f"AUXOT_{name.upper()}" for name in Settings.model_fields}
    assert sorted(set(names) - fields) == []


def test_the_unit_runs_serve_ssh_with_its_env_file():
    unit = (DEPLOY / "auxot-ssh.service").read_text()
    assert re.search(r"^ExecStart=\S+/auxot serve-ssh ", unit, re.MULTILINE)
    assert "EnvironmentFile=/etc/auxot/auxot.env" in unit
    assert "NoNewPrivileges=yes" in unit and "ProtectSystem=strict" in unit
