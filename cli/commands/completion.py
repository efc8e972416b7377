"""``auxot completion SHELL``: a tab-completion script, made by shtab from the parser itself,
so every command and option is in it."""

from __future__ import annotations

import argparse

from cli.context import Context
from cli.options import CommandAdder

INSTALL = {
    "bash": "auxot completion bash > ~/.local/share/bash-completion/completions/auxot",
    "zsh": 'auxot completion zsh > "${fpath[1]}/_auxot"',
    "fish": "auxot completion fish > ~/.config/fish/completions/auxot.fish",
    "tcsh": "auxot completion tcsh > ~/.auxot.tcsh  (and `source ~/.auxot.tcsh` in ~/.tcshrc)",
    "powershell": "auxot completion powershell >> $PROFILE",
}


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    epilog = "Install it, for example:\n" + "\n".join(f"  {line}" for line in INSTALL.values())
    parser = adder.add(
        subparsers,
        "completion",
        print_completion,
        "print a shell's tab-completion script for auxot",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", choices=tuple(INSTALL), metavar="SHELL", help=" | ".join(INSTALL))


def print_completion(ctx: Context) -> int:
    import shtab

    from cli.main import build_parser

    print(shtab.complete(build_parser(), shell=ctx.args.shell))
    return 0
