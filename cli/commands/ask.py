"""``auxot ask "SENTENCE" [--yes]``: the admin agent from the shell.

The sentence becomes at most one core call, shown first; it runs on --yes, or when the person
at the terminal confirms. Questions (lists) change nothing and are answered at once.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.commands.members import say_delivery
from cli.context import CliError, Context
from cli.options import CommandAdder
from cli.output import print_json, say, to_jsonable, warn

if TYPE_CHECKING:
    from core.agent import Agent, Clarify, NotUnderstood, Plan
    from core.views import Principal

EXAMPLES_SHOWN = 3
PROMPT = "Proceed? [y/N] "


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    ask = adder.add(
        subparsers, "ask", ask_agent, "the admin agent: do what an English sentence says"
    )
    ask.add_argument(
        "sentence",
        nargs="+",
        metavar="SENTENCE",
        help='e.g. "Add bob@example.com to Platform Engineering as an admin"',
    )
    ask.add_argument("--yes", "-y", action="store_true", help="do it without asking first")


def ask_agent(ctx: Context) -> int:
    from core.agent import Agent, Clarify, NotUnderstood, Plan, Refused

    core, actor = ctx.core(), ctx.actor()
    agent = Agent(core)
    answer = agent.plan(actor, " ".join(ctx.args.sentence))
    if isinstance(answer, Refused):
        raise CliError(answer.message)
    if isinstance(answer, (Clarify, NotUnderstood)):
        if ctx.json:
            print_json(answer.to_dict())
        elif isinstance(answer, Clarify):
            _show_question(answer)
        else:
            _show_not_understood(answer)
        return 1
    assert isinstance(answer, Plan)
    return _carry_out(ctx, agent, actor, answer)


def _carry_out(ctx: Context, agent: Agent, actor: Principal, plan: Plan) -> int:
    if plan.changes and not ctx.args.yes:
        if ctx.json or not sys.stdin.isatty():
            # Nobody to ask: show what would happen and do nothing.
            if ctx.json:
                print_json({"plan": plan.to_dict(), "done": False})
            else:
                _show_plan(plan)
            warn("Nothing was done; run it again with --yes to do it.")
            return 1
        _show_plan(plan)
        if not _confirmed(plan.typed_confirmation):
            warn("Nothing was done.")
            return 1
    result = agent.execute(actor, plan)  # core sends any mail it queued before returning
    report = ctx.delivery()
    if ctx.json:
        data = to_jsonable(result.data)
        if result.secret is not None and isinstance(data, dict):
            data.pop("plaintext", None)  # the key is printed once, as "secret"
        print_json(
            {
                "plan": plan.to_dict(),
                "done": True,
                "result": result.to_dict(),
                "data": data,
                "secret": result.secret,
                "mail": report,
            }
        )
    else:
        say(result.summary)
        if report is not None:
            say_delivery(report)
        if result.secret:
            # Shown once, alone on the last line of stdout, as `auxot keys create` does.
            say(result.secret)
    return 0 if result.ok else 1


def _show_plan(plan: Plan) -> None:
    say(plan.description)
    for line in plan.details:
        say(f"  {line}")


def _confirmed(name: str | None) -> bool:
    """A y, or for a plan that cannot be undone, the name typed exactly as the screens ask."""
    prompt = f"This cannot be undone. Type {name} to confirm: " if name else PROMPT
    try:
        reply = input(prompt).strip()
    except EOFError:
        return False
    if name:
        return reply == name
    return reply.lower() in ("y", "yes")


def _show_question(question: Clarify) -> None:
    warn(question.question)
    for index, option in enumerate(question.options):
        sentence = question.sentences[index] if index < len(question.sentences) else ""
        warn(f"  {option}" + (f'  ->  auxot ask "{sentence}"' if sentence else ""))


def _show_not_understood(answer: NotUnderstood) -> None:
    warn(answer.message)
    if answer.examples:
        warn("Sentences that work, for example:")
        for example in answer.examples[:EXAMPLES_SHOWN]:
            warn(f'  auxot ask "{example}"')
