"""Examples at the foot of each command's ``--help``, as ``gh`` shows them. Every command has
some (tests/cli/test_help.py parses each one with the real parser)."""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, tuple[str, ...]] = {
    "init": ('auxot init --workspace "Acme" --owner you@acme.com --name "Your Name"',),
    "plan": ("auxot plan", "auxot plan business"),
    "whoami": ("auxot whoami --json",),
    "users list": ("auxot users list --filter acme.com --limit 20",),
    "users add": ('auxot users add ana@acme.com --name "Ana Lopez" --workspace-role admin',),
    "users show": ("auxot users show ana@acme.com",),
    "users reactivate": ("auxot users reactivate ana@acme.com",),
    "users deactivate": ("auxot users deactivate ana@acme.com --successor bo@acme.com",),
    "users offboard": (
        "auxot users offboard ana@acme.com",
        "auxot users offboard ana@acme.com --successor bo@acme.com --yes",
    ),
    "users suggest": ("auxot users suggest an",),
    "teams list": ("auxot teams list", "auxot teams list --filter plat --json"),
    "teams create": ('auxot teams create "Platform" --description "Build and deploy"',),
    "teams rename": ('auxot teams rename "Platform" "Platform Engineering"',),
    "teams describe": ('auxot teams describe "Platform" "Build, deploy and on-call"',),
    "teams delete": ('auxot teams delete "Platform"', 'auxot teams delete "Platform" --yes'),
    "teams archived": ("auxot teams archived",),
    "teams restore": ('auxot teams restore "Platform"',),
    "members list": ('auxot members list "Platform" --filter ana',),
    "members add": (
        'auxot members add "Platform" ana@acme.com bo@acme.com',
        'auxot members add "Platform" new.hire@acme.com --role admin',
    ),
    "members role": ('auxot members role "Platform" ana@acme.com admin',),
    "members remove": ('auxot members remove "Platform" ana@acme.com',),
    "members leave": ('auxot members leave "Platform"',),
    "invites list": ('auxot invites list "Platform" --all',),
    "invites resend": ('auxot invites resend "Platform" new.hire@acme.com',),
    "invites revoke": ('auxot invites revoke "Platform" new.hire@acme.com',),
    "invites link": ('auxot invites link "Platform" new.hire@acme.com',),
    "invites role": ('auxot invites role "Platform" new.hire@acme.com admin',),
    "accept": ('auxot accept TOKEN --name "New Hire"',),
    "keys list": ('auxot keys list "Platform"',),
    "keys create": (
        'auxot keys create "Platform" "CI pipeline" --expires-in 90',
        'auxot keys create "Platform" "Dashboard" --scope read',
    ),
    "keys scope": ('auxot keys scope "Platform" "Dashboard" read',),
    "keys expiring": ("auxot keys expiring --days 30 --json",),
    "keys revoke": ('auxot keys revoke "Platform" "CI pipeline"',),
    "keys rotate": (
        'auxot keys rotate "Platform" "CI pipeline" --grace 24',
        'auxot keys rotate "Platform" "CI pipeline" --until-unused --quiet-period 30m',
    ),
    "keys verify": ("printf '%s' \"$KEY\" | auxot keys verify",),
    "resources list": ('auxot resources list --team "Platform" --kind skill',),
    "resources create": (
        'auxot resources create skill "Runbook" --team "Platform" --body "Drain first."',
        'auxot resources create tool-policy "Mine" --personal',
    ),
    "resources delete": ('auxot resources delete skill "Runbook" --team "Platform"',),
    "resources show": ('auxot resources show skill "Runbook" --team "Platform"',),
    "resources edit": (
        'auxot resources edit skill "Runbook" --team "Platform" --body-file runbook.md',
        'auxot resources edit skill "Runbook" --team "Platform" --move-to "Security"',
    ),
    "audit": ('auxot audit --team "Platform" --limit 20',),
    "outbox list": ("auxot outbox list --limit 20",),
    "outbox flush": ("auxot outbox flush",),
    "db upgrade": ("auxot db upgrade",),
    "db backup": ("auxot db backup auxot-backup.db",),
    "health": ("auxot health", "auxot health --json"),
    "seed": ("auxot seed --teams 100 --users 1000 --members-per-team 20",),
    "serve-ssh": (
        "auxot serve-ssh --listen 0.0.0.0:2222",
        "auxot serve-ssh --listen 0.0.0.0:2222 --log-format json",
    ),
    "ssh-keys list": ("auxot ssh-keys list ana@acme.com",),
    "ssh-keys add": (
        "auxot ssh-keys add ana@acme.com ~/.ssh/id_ed25519.pub --signature challenge.sig",
    ),
    "ssh-keys challenge": ("auxot ssh-keys challenge ana@acme.com ~/.ssh/id_ed25519.pub",),
    "ssh-keys remove": ("auxot ssh-keys remove ana@acme.com SHA256:abc",),
    "serve-api": ("auxot serve-api --listen 127.0.0.1:8787",),
    "ask": ('auxot ask "invite ana@acme.com to Platform as admin"',),
    "completion": ("auxot completion bash > ~/.local/share/bash-completion/completions/auxot",),
    "tui": ("auxot tui --user ana@acme.com",),
    "demo": ("auxot demo", "auxot demo --user marcus"),
}


def add_examples(command: str, parser: argparse.ArgumentParser) -> None:
    """Put ``command``'s examples under its help, keeping the lines as written."""
    lines = EXAMPLES.get(command)
    if not lines:
        return
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    listed = "\n".join(f"  $ {line}" for line in lines)
    parser.epilog = f"{parser.epilog}\n\n" if parser.epilog else ""
    parser.epilog += f"examples:\n{listed}"
