"""``auxot completion``: the scripts complete the real commands in a real shell."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Auxot


def complete_in_bash(script: Path, *words: str) -> list[str]:
    """What bash offers for the last of ``words`` with the script loaded."""
    line = " ".join(words)
    probe = (
        f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        f'COMP_LINE="{line}"; COMP_POINT={len(line)}; _shtab_auxot; echo "${{COMPREPLY[@]}}"'
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completes_commands_and_subcommands(auxot: Auxot, tmp_path: Path) -> None:
    run = auxot("completion", "bash")
    assert run.code == 0
    script = tmp_path / "auxot.bash"
    script.write_text(run.out)
    assert complete_in_bash(script, "auxot", "te") == ["teams"]
    assert complete_in_bash(script, "auxot", "keys", "r") == ["revoke", "rotate"]
    assert "completion" in complete_in_bash(script, "auxot", "")


@pytest.mark.parametrize("shell", ["zsh", "fish", "tcsh", "powershell"])
def test_every_shell_gets_a_script_naming_the_commands(auxot: Auxot, shell: str) -> None:
    run = auxot("completion", shell)
    assert run.code == 0
    assert "teams" in run.out and "rotate" in run.out


def test_an_unknown_shell_is_a_usage_error(auxot: Auxot) -> None:
    run = auxot("completion", "cmd.exe")
    assert run.code == 2
    assert "invalid choice" in run.err
