"""The demo workspace behind ``auxot demo``, built through the services so that every row,
and the audit trail that records it, is what real use would have produced.

Everything here is fixed data: two runs build the same workspace (only times and key secrets
differ). The addresses use an example.com domain because email validation refuses reserved
names such as ``.test``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.services import Core
from core.views import Principal

DOMAIN = "auxot-demo.example.com"
WORKSPACE = "Auxot Demo"
OWNER = ("dana", "Dana Owner")


def email(handle: str) -> str:
    return f"{handle}@{DOMAIN}"


@dataclass(frozen=True)
class DemoTeam:
    name: str
    description: str
    owners: tuple[str, ...]
    admins: tuple[str, ...]
    members: tuple[str, ...]
    # Dana sets every team up and hands it over, staying only where she works herself.
    owner_stays: bool = False


# handle, display name, workspace role
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("priya", "Priya Raman", "admin"),
    ("marcus", "Marcus Chen", "member"),
    ("aisha", "Aisha Bello", "member"),
    ("alex", "Alex Morgan", "member"),
    ("tom", "Tom Becker", "member"),
    ("lena", "Lena Fischer", "member"),
    ("ravi", "Ravi Kumar", "member"),
    ("sofia", "Sofia Alvarez", "member"),
    ("kenji", "Kenji Sato", "member"),
    ("nora", "Nora Olsen", "member"),
    ("omar", "Omar Haddad", "member"),
    ("grace", "Grace Kim", "member"),
    ("jonas", "Jonas Weber", "member"),
    ("elena", "Elena Petrova", "member"),
    ("luis", "Luis Torres", "member"),
    ("hannah", "Hannah Park", "member"),
    ("yusuf", "Yusuf Demir", "member"),
    ("mia", "Mia Rossi", "member"),
    ("felix", "Felix Moreau", "member"),
    ("zoe", "Zoe Nguyen", "member"),
    ("iris", "Iris Novak", "member"),
    ("victor", "Victor Stone", "member"),
)

TEAMS: tuple[DemoTeam, ...] = (
    DemoTeam(
        "Platform Engineering",
        "Runs the shared platform: clusters, CI/CD and the developer tooling every team builds on.",
        owners=("marcus",),
        admins=("aisha", "alex"),
        members=("tom", "lena", "kenji"),
        owner_stays=True,
    ),
    DemoTeam(
        "Data Science",
        "Models, experiments and the analytics pipeline behind product decisions.",
        owners=("ravi",),
        admins=("sofia",),
        members=("kenji", "nora", "alex", "zoe"),
    ),
    DemoTeam(
        "Security",
        "Keeps Auxot and its customers safe: reviews, incident response and access policy.",
        owners=("omar", "grace"),
        admins=("jonas",),
        members=("tom", "alex"),
    ),
    DemoTeam(
        "Customer Success",
        "Helps customers get value from their agents, from onboarding to renewal.",
        owners=("elena",),
        admins=("luis",),
        members=("hannah", "yusuf", "zoe", "victor"),
    ),
    DemoTeam(
        "Design",
        "Product and brand design: research, interface design and the design system.",
        owners=("mia",),
        admins=("felix",),
        members=("zoe", "lena"),
    ),
)

# kind, name, team (None: workspace-wide), created by, body
RESOURCES: tuple[tuple[str, str, str | None, str, str], ...] = (
    (
        "skill",
        "Kubernetes Runbook",
        "Platform Engineering",
        "aisha",
        "Steps for draining a node, rolling back a deployment and reading pod events.",
    ),
    (
        "agent",
        "Infra Bot",
        "Platform Engineering",
        "marcus",
        "Answers questions about clusters and opens change requests for the on-call engineer.",
    ),
    (
        "context_file",
        "Service Catalog",
        "Platform Engineering",
        "aisha",
        "Every service, its owners, its dashboards and its runbook.",
    ),
    (
        "tool_policy",
        "Production Changes Need Approval",
        "Platform Engineering",
        "marcus",
        "Agents may read production state; any change waits for a human approval.",
    ),
    (
        "agent",
        "Notebook Helper",
        "Data Science",
        "sofia",
        "Explains notebooks, suggests queries and checks charts for misleading axes.",
    ),
    (
        "context_file",
        "Feature Store Guide",
        "Data Science",
        "ravi",
        "Where features live, how they are computed and how fresh they are.",
    ),
    (
        "skill",
        "SQL Review",
        "Data Science",
        "sofia",
        "Checks queries for full scans, missing filters and personal data.",
    ),
    (
        "tool_policy",
        "No Secrets in Prompts",
        "Security",
        "omar",
        "Block prompts and tool calls that contain keys, tokens or passwords.",
    ),
    (
        "agent",
        "Triage Bot",
        "Security",
        "jonas",
        "Sorts incoming security reports by severity and drafts the first reply.",
    ),
    (
        "skill",
        "Incident Response",
        "Security",
        "grace",
        "The first hour of an incident: who to call, what to capture, what not to touch.",
    ),
    (
        "agent",
        "Ticket Summariser",
        "Customer Success",
        "luis",
        "Summarises long support threads and suggests the next step.",
    ),
    (
        "context_file",
        "Product FAQ",
        "Customer Success",
        "elena",
        "The questions customers ask most, with the current answers.",
    ),
    (
        "skill",
        "Accessibility Review",
        "Design",
        "felix",
        "Checks contrast, focus order and screen-reader labels in a design.",
    ),
    (
        "context_file",
        "Brand Guidelines",
        "Design",
        "mia",
        "Logo use, colours, type and tone of voice.",
    ),
    (
        "context_file",
        "Company Handbook",
        None,
        "dana",
        "How we work: values, holidays, expenses and who to ask.",
    ),
    (
        "tool_policy",
        "Default Tool Policy",
        None,
        "priya",
        "Agents may browse and read shared documents; sending mail needs a confirmation.",
    ),
    (
        "agent",
        "Helpdesk",
        None,
        "priya",
        "Answers questions about accounts, laptops and access requests.",
    ),
)

# team, key name, created by
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Platform Engineering", "CI Pipeline", "marcus"),
    ("Security", "Intake Webhook", "omar"),
)

PENDING_INVITATION = ("Design", "sam.lee@example.com", "member")
DEACTIVATED = ("victor",)


def demo_people() -> tuple[str, ...]:
    """The handles of the demo accounts one may open the demo as (every active one)."""
    return tuple(h for h, *_ in (OWNER, *PEOPLE) if h not in DEACTIVATED)


def demo_email(who: str) -> str | None:
    """The address of the demo account ``who`` names (a handle or an address, any case)."""
    handle = who.strip().lower().removesuffix(f"@{DOMAIN}")
    return email(handle) if handle in demo_people() else None


def build_demo(core: Core) -> Principal:
    """Create the demo workspace in ``core``'s (empty) database; return its owner."""
    owner = core.init_workspace(WORKSPACE, email(OWNER[0]), OWNER[1], plan="business")
    people = {OWNER[0]: owner}
    for handle, name, role in PEOPLE:
        core.add_user(owner, email(handle), name, role)
        people[handle] = core.principal_for(email(handle))

    for team in TEAMS:
        core.create_team(owner, team.name, team.description)
        for role, handles in (
            ("owner", team.owners),
            ("admin", team.admins),
            ("member", team.members),
        ):
            for handle in handles:
                core.add_member(owner, team.name, email(handle), role)
        if not team.owner_stays:
            core.leave_team(owner, team.name)

    for kind, name, team_name, author, body in RESOURCES:
        core.create_resource(people[author], kind, name, team_name, body)
    core.create_resource(
        owner,
        "skill",
        "Weekly Report Drafts",
        None,
        "Turn my notes into the Friday update.",
        personal=True,
    )

    for team_name, key_name, author in KEYS:
        core.create_key(people[author], team_name, key_name)  # the secret is dropped unseen

    team_name, address, role = PENDING_INVITATION
    core.invite_member(people["mia"], team_name, address, role)

    # Someone who left the company: the account stays, deactivated, for the record.
    for handle in DEACTIVATED:
        core.deactivate_user(people["priya"], email(handle))
    return owner
