"""Pilot tests for the admin agent's command line, checked in core's state: nothing happens
until the plan is confirmed, questions and explanations change nothing, refusals are core's
sentences, and a created key goes to the one-time reveal dialog and nowhere else."""

from __future__ import annotations

from textual.events import Paste
from textual.widget import Widget
from textual.widgets import Static, TabbedContent

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import notifications, screen_text, settle, type_text
from tui.app import AuxotApp
from tui.dialogs.agent import AgentModal
from tui.dialogs.key_reveal import KeyRevealModal
from tui.dialogs.type_name import ConfirmPlanModal
from tui.screens.team_list import TeamListScreen
from tui.team.screen import TeamScreen
from tui.widgets.agent_bar import AgentChoices, AgentInput, CommandHistory

SIZE = (100, 30)
CREATE_OPS = 'Create a team called "Ops"'


async def open_agent(pilot) -> AgentModal:
    await settle(pilot)
    await pilot.press("colon")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, AgentModal)
    assert modal.focused is modal.line
    return modal


async def ask(pilot, sentence: str) -> AgentModal:
    """Type ``sentence`` on an empty command line and press Enter (shows the answer)."""
    modal = pilot.app.screen
    assert isinstance(modal, AgentModal)
    modal.line.value = ""
    modal.line.focus()
    await type_text(pilot, sentence)
    await pilot.press("enter")
    await settle(pilot)
    return modal


def answer(modal: AgentModal) -> str:
    return str(modal.query_one("#agent-answer", Static).render())


def choices(modal: AgentModal) -> list[str]:
    listed = modal.query_one(AgentChoices)
    if not listed.display:
        return []
    return [str(option.prompt) for option in listed.options]


def team_names(core: Core, ws: Workspace) -> list[str]:
    return [team.name for team in core.list_teams(ws.owner).items]


def holders_of(app: AuxotApp, secret: str) -> list[str]:
    """Attributes of the app, its screens and their widgets (but the reveal dialog's) whose
    value holds ``secret``."""
    holders: list[object] = [app, app.agent_history]
    for screen in app.screen_stack:
        if not isinstance(screen, KeyRevealModal):
            holders += list(screen.walk_children(Widget, with_self=True))
    return [
        f"{type(holder).__name__}.{name}"
        for holder in holders
        for name, value in vars(holder).items()
        if secret in repr(value)
    ]


# -- plan, then act ---------------------------------------------------------------------------------


async def test_enter_shows_the_plan_and_enter_again_does_it(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, CREATE_OPS)

        assert "Create a team “Ops”" in answer(modal)
        assert "You will be its owner." in answer(modal)
        assert modal.plan is not None and type(modal.plan.command).__name__ == "CreateTeam"
        assert "Ops" not in team_names(core, ws)  # shown, not done

        await pilot.press("enter")
        await settle(pilot)
        assert "Ops" in team_names(core, ws)
        assert "Created the team Ops; you are its owner." in answer(modal)
        assert modal.plan is None
        assert choices(modal) == ["Open Ops"]
        assert modal.focused is modal.choices
        assert modal.line.value == ""

        # Typing on the link goes to the command line, every letter and space of it.
        await type_text(pilot, "Who is")
        assert modal.focused is modal.line and modal.line.value == "Who is"
        modal.choices.focus()
        await pilot.pause()
        modal.post_message(Paste(" in Ops?\nsecond line"))
        await pilot.pause()
        assert modal.line.value == "Who is in Ops?"
        await pilot.press("tab")  # the answer is not a stop on the way
        assert modal.focused is modal.choices

        # The link opens the new team.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.team.name == "Ops"
        # And the list under it was read again.
        pilot.app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        assert "Ops" in screen_text(app)


async def test_escape_cancels_the_plan_and_nothing_changes(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Delete the Data Science team")
        assert "Delete the team Data Science" in answer(modal)

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is modal  # the first Escape drops the plan only
        assert modal.plan is None
        assert "Cancelled; nothing was done." in answer(modal)
        # Enter now reads the sentence again; it does not delete.
        await pilot.press("enter")
        await settle(pilot)
        assert "Data Science" in team_names(core, ws)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
    assert "Data Science" in team_names(core, ws)


async def test_editing_the_sentence_drops_its_plan(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Delete the Data Science team")
        assert modal.plan is not None
        await pilot.press("backspace")
        await settle(pilot)
        assert modal.plan is None
        assert "The sentence changed" in answer(modal)
        await pilot.press("enter")  # plans "…Science tea": nothing is deleted
        await settle(pilot)
    assert "Data Science" in team_names(core, ws)


async def test_a_question_answers_at_once(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Who is in the Platform Engineering team?")
        text = answer(modal)
        assert "Platform Engineering has 5 members" in text
        assert "Ada Admin (ada@acme.example.com) (admin)" in text
        assert choices(modal) == ["Open Platform Engineering › Members"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.query_one(TabbedContent).active == "members"


async def test_invite_result_links_to_the_team(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Invite alice@example.com to the Platform Engineering team as a member")
        assert "Invite alice@example.com to Platform Engineering as member" in answer(modal)
        assert core.list_invitations(ws.owner, ws.platform.id).items == []
        await pilot.press("enter")
        await settle(pilot)
        [invited] = core.list_invitations(ws.owner, ws.platform.id).items
        assert invited.email == "alice@example.com" and invited.role == "member"
        assert choices(modal) == ["Open Platform Engineering › Members"]

        # The link opens the Members tab with the pending invitations in focus.
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.team.id == ws.platform.id
        assert screen.query_one(TabbedContent).active == "members"
        assert screen.focused is screen.query_one("#invitations-table")


async def test_listing_teams_on_the_team_list_needs_no_link(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "List teams")
        assert "3 teams: [b]x[/b], Data Science, Platform Engineering." in answer(modal)
        assert choices(modal) == []
        assert modal.focused is modal.line


# -- never the wrong action ------------------------------------------------------------------------


async def test_ambiguous_team_asks_and_the_choice_is_planned(core: Core, ws: Workspace) -> None:
    ops = core.create_team(ws.owner, "Platform Ops")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Invite alice@example.com to Platform as admin")
        assert "Which team do you mean: Platform Engineering or Platform Ops?" in answer(modal)
        assert choices(modal) == ["Platform Engineering", "Platform Ops"]
        assert modal.plan is None and modal.focused is modal.choices

        await pilot.press("down", "enter")
        await settle(pilot)
        assert modal.line.value == 'Invite alice@example.com to "Platform Ops" as admin'
        assert "Invite alice@example.com to Platform Ops as admin" in answer(modal)
        assert core.list_invitations(ws.owner, ops.id).items == []
        assert core.list_invitations(ws.owner, ws.platform.id).items == []

        await pilot.press("enter")
        await settle(pilot)
        [invited] = core.list_invitations(ws.owner, ops.id).items
        assert (invited.email, invited.role) == ("alice@example.com", "admin")
    assert core.list_invitations(ws.owner, ws.platform.id).items == []


async def test_escape_drops_a_question(core: Core, ws: Workspace) -> None:
    core.create_team(ws.owner, "Platform Ops")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Delete Platform")
        assert modal.question is not None
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is modal and modal.question is None
        assert choices(modal) == []
        assert modal.focused is modal.line
    assert {"Platform Engineering", "Platform Ops"} <= set(team_names(core, ws))


async def test_not_understood_offers_examples_to_use(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        before = team_names(core, ws)
        await ask(pilot, "frobnicate the team")
        assert "I could not read that as a Teams command." in answer(modal)
        examples = choices(modal)
        assert len(examples) == 3
        assert modal.focused is modal.line  # to fix a typo at once

        # Down past the newest sentence goes to the examples; Enter puts one on the line.
        await pilot.press("down")
        assert modal.focused is modal.choices
        await pilot.press("enter")
        await settle(pilot)
        assert modal.line.value == examples[0]
        assert modal.focused is modal.line
        assert modal.plan is None
    assert team_names(core, ws) == before


async def test_a_plain_member_is_refused_with_cores_sentence(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Invite zed@example.com to Platform Engineering as a member")
        text = answer(modal)
        assert text.startswith("Refused: ")
        assert "Only the team's owners and workspace admins can manage members" in text
        assert modal.plan is None and choices(modal) == []
        await pilot.press("enter")  # reads it again: still refused, still nothing
        await settle(pilot)
    assert core.list_invitations(ws.owner, ws.platform.id).items == []


async def test_a_plan_that_fails_on_confirmation_says_why(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "Remove Bob from the Platform Engineering team")
        assert modal.plan is not None
        core.remove_member(ws.owner, ws.platform.id, ws.bob.email)  # meanwhile, elsewhere
        await pilot.press("enter")
        await settle(pilot)
        assert answer(modal).startswith("Not done: ")
        assert modal.plan is None
        assert app.screen is modal
        assert not notifications(app)


async def test_typed_text_and_names_are_never_markup(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, 'Create a team called "[red]Ops[/red]"')
        assert "Create a team “[red]Ops[/red]”" in answer(modal)
        assert "[red]Ops[/red]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "[red]Ops[/red]" in team_names(core, ws)
        assert "Open [red]Ops[/red]" in screen_text(app)


# -- history ------------------------------------------------------------------------------------------


async def test_up_recalls_earlier_sentences_for_the_session(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, "List teams")
        await ask(pilot, "Who is in Data Science?")
        modal.line.focus()
        modal.line.value = ""
        await type_text(pilot, "draft")
        await pilot.press("up")
        assert modal.line.value == "Who is in Data Science?"
        await pilot.press("up")
        assert modal.line.value == "List teams"
        await pilot.press("up")  # the oldest stays
        assert modal.line.value == "List teams"
        await pilot.press("down")
        assert modal.line.value == "Who is in Data Science?"
        await pilot.press("down")
        assert modal.line.value == "draft"

        # Closing and opening again keeps the session's history.
        await pilot.press("escape")
        await settle(pilot)
        modal = await open_agent(pilot)
        assert modal.line.value == ""
        await pilot.press("up")
        assert modal.line.value == "Who is in Data Science?"
        await pilot.press("enter")
        await settle(pilot)
        assert "Data Science has 2 members" in answer(modal)


def test_history_walks_back_and_returns_to_the_draft() -> None:
    history = CommandHistory()
    assert history.previous("x") is None and history.next() is None
    for sentence in ("one", "two", "two", " three "):
        history.add(sentence)
    assert history.entries == ["one", "two", "three"]
    assert history.previous("typing") == "three"
    assert history.previous("three") == "two"
    assert history.next() == "three"
    assert history.next() == "typing"
    assert history.next() is None  # not walking any more


# -- keys: the one-time reveal ---------------------------------------------------------------------


async def test_a_created_key_opens_the_reveal_dialog_and_nothing_keeps_it(
    core: Core, ws: Workspace
) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        await ask(pilot, 'Create an API key for the Platform Engineering team called "CI Pipeline"')
        assert "Create an API key “CI Pipeline” for Platform Engineering" in answer(modal)
        assert core.list_keys(ws.owner, ws.platform.id).items == []
        await pilot.press("enter")
        await settle(pilot)

        reveal = app.screen
        assert isinstance(reveal, KeyRevealModal)
        key = str(reveal.query_one("#key-value", Static).render()).strip()
        check = core.verify_key(key)
        assert check.ok and check.team_id == ws.platform.id and check.key_name == "CI Pipeline"
        # Under the dialog, the result says what happened, without the key.
        assert key not in answer(modal)
        assert holders_of(app, key) == []

        await pilot.press("tab", "enter")  # Copy → I have stored it
        await settle(pilot)
        assert app.screen is modal
        assert holders_of(app, key) == []
        assert key not in screen_text(app)
        assert "Created the API key “CI Pipeline”" in answer(modal)
        assert choices(modal) == ["Open Platform Engineering › API keys"]

        modal.choices.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.team.id == ws.platform.id
        assert screen.query_one(TabbedContent).active == "keys"
    [listed] = core.list_keys(ws.owner, ws.platform.id).items
    assert listed.name == "CI Pipeline" and listed.status == "active"


async def test_a_rotated_key_is_revealed_too(core: Core, ws: Workspace) -> None:
    old = core.create_key(ws.owner, ws.platform.id, "CI Pipeline").plaintext
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent(pilot)
        await ask(pilot, 'Rotate the "CI Pipeline" key of Platform Engineering')
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        new = str(app.screen.query_one("#key-value", Static).render()).strip()
        assert new != old and core.verify_key(new).ok


# -- where it opens, and what it leaves behind -----------------------------------------------------


async def test_it_opens_on_a_team_and_from_the_palette(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        labels = [command.title for command in app.get_system_commands(app.screen)]
        assert "Admin agent: Ask…" in labels
        app.push_screen(TeamScreen(ws.data))
        await settle(pilot)
        modal = await open_agent(pilot)
        # Not over a dialog: a second ":" is typed on the line.
        await type_text(pilot, ":")
        assert modal.line.value == ":"
        assert "Admin agent: Ask…" not in [c.title for c in app.get_system_commands(modal)]


async def test_deleting_the_team_on_show_returns_to_the_list(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(TeamScreen(ws.data))
        await settle(pilot)
        await open_agent(pilot)
        await ask(pilot, "Delete the Data Science team")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmPlanModal)
        await type_text(pilot, "Data Science")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        assert "Data Science" not in screen_text(app)
        assert not [n for n in notifications(app) if "Data Science" in n]
    assert "Data Science" not in team_names(core, ws)


async def test_a_change_reloads_the_team_under_the_line(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(TeamScreen(ws.data))
        await settle(pilot)
        await open_agent(pilot)
        await ask(pilot, "Add Eve to Data Science as an admin")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert "Eve Newcomer" in screen_text(app)
    roles = {m.email: m.role for m in core.list_members(ws.owner, ws.data.id).items}
    assert roles[ws.eve.email] == "admin"


async def test_input_is_the_agent_input(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        assert isinstance(modal.focused, AgentInput)
        assert modal.line.history is app.agent_history
