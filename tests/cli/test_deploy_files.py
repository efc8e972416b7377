"""The files in deploy/ stay true to the program: every setting the example names exists,
and the unit starts the server that the package installs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from compose_spec import PyCompose

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


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_reads_the_unit_without_a_complaint(tmp_path):
    """systemd's own check, on a copy whose ExecStart is this installation's auxot (the check
    wants the program to exist). Unknown keys and bad values are warnings there, so the test
    wants no output at all, and shows that such a unit does get some."""
    auxot = Path(sys.executable).parent / "auxot"
    unit = (DEPLOY / "auxot-ssh.service").read_text()
    copy = tmp_path / "auxot-ssh.service"
    copy.write_text(
        re.sub(r"^ExecStart=\S+/auxot ", f"ExecStart={auxot} ", unit, flags=re.MULTILINE)
    )

    def verify(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["systemd-analyze", "verify", str(path)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    done = verify(copy)
    assert done.returncode == 0 and (done.stdout + done.stderr).strip() == "", done.stderr
    bad = tmp_path / "bad.service"
    bad.write_text(copy.read_text().replace("Restart=on-failure", "Restart=sometimes"))
    assert "sometimes" in verify(bad).stderr


# -- the container image and the compose file -----------------------------------------------------

ROOT = DEPLOY.parent


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_the_dockerfile_passes_its_linter(tmp_path):
    """hadolint (from the test dependencies) reads the Dockerfile as Docker does and applies
    its rules, down to the informational ones."""
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint is not None, "hadolint comes with the test dependencies"
    done = subprocess.run(
        [hadolint, "--failure-threshold", "info", "--no-color", str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # The linter does fail a Dockerfile that breaks a rule: a root user and a `cd`.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:3.12-slim\nRUN cd /tmp && pip install auxot\nUSER root\n")
    refused = subprocess.run(
        [hadolint, "--no-color", str(bad)], capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0 and "DL3003" in refused.stdout


def test_the_image_installs_the_package_and_serves_ssh_unprivileged():
    steps = _instructions((DEPLOY / "Dockerfile").read_text())
    kinds = [kind for kind, _ in steps]
    assert kinds[0] == "FROM" and steps[0][1].startswith("python:3.1")
    # Everything the package needs is copied before it is installed, the stylesheet included
    # (tui/auxot.tcss points at it).
    copied = {args.split()[0] for kind, args in steps if kind == "COPY"}
    packages = {"core", "tui", "cli", "sshd", "api"}
    assert packages | {"pyproject.toml", "auxot.tcss"} <= copied
    assert any(kind == "RUN" and "pip install ." in args for kind, args in steps)
    user = [args for kind, args in steps if kind == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert ("ENTRYPOINT", '["auxot"]') in steps
    assert ("CMD", '["serve-ssh", "--listen", "0.0.0.0:2222"]') in steps
    health = [args for kind, args in steps if kind == "HEALTHCHECK"]
    assert health and health[0].endswith('CMD ["auxot", "health"]')
    assert ("EXPOSE", "2222") in steps
    # What setuptools packages is what the COPY lines bring.
    pyproject = (ROOT / "pyproject.toml").read_text()
    include = re.search(r"include = \[(.*?)\]", pyproject)
    assert include is not None
    assert {name.strip('" *') for name in include.group(1).split(",")} == packages


def test_what_the_image_copies_builds_a_wheel_with_all_it_runs(tmp_path):
    """The image's build, short of Docker: exactly what its COPY lines bring, built as
    `pip install .` builds it. The wheel must carry the stylesheet and the migrations, not
    only the modules."""
    context = tmp_path / "context"
    context.mkdir()
    for kind, args in _instructions((DEPLOY / "Dockerfile").read_text()):
        if kind != "COPY":
            continue
        source = ROOT / args.split()[0]
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, context / source.name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(source, context / source.name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=context,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("auxot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tui/auxot.tcss" in names
    assert "core/migrations/env.py" in names and "core/migrations/script.py.mako" in names
    versions = {p.name for p in (ROOT / "core" / "migrations" / "versions").glob("*.py")}
    assert versions and {f"core/migrations/versions/{v}" for v in versions} <= names
    assert "sshd/warm.py" in names and "api/server.py" in names


def test_the_compose_file_is_valid_and_wires_the_server_to_postgresql():
    compose = PyCompose.from_yaml((DEPLOY / "compose.yaml").read_text())
    compose.validate()  # the Compose specification's own rules
    spec = compose.to_dict()
    services = spec["services"]
    assert set(services) == {"postgres", "auxot"}
    auxot = services["auxot"]
    assert auxot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / auxot["build"]["context"] / auxot["build"]["dockerfile"]).is_file()
    assert auxot["depends_on"]["postgres"]["condition"] == "service_healthy"
    url = auxot["environment"]["AUXOT_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url
    assert "AUXOT_SECRET_KEY" in auxot["environment"]  # the same for every server
    assert any("2222" in str(port) for port in auxot["ports"])
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    # A broken file is refused, so the check above means something.
    broken = (DEPLOY / "compose.yaml").read_text().replace("depends_on:", "depends_onn:")
    try:
        PyCompose.from_yaml(broken).validate()
    except Exception as error:  # noqa: BLE001 - the binding's own error type
        assert "depends_onn" in str(error)
    else:
        raise AssertionError("a misspelt key was accepted")


def test_the_deployment_files_are_named_in_the_docs():
    docs = (ROOT / "docs" / "ssh.md").read_text()
    for name in ("auxot-ssh.service", "auxot.env.example", "Dockerfile", "compose.yaml"):
        assert f"deploy/{name}" in docs
