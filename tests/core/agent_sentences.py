"""The admin agent's sentence tables and the small workspace they run against.

``CASES``: sentences that must plan exactly one call with exactly these arguments (teams,
keys and resources by name here; the test maps ids back to names) and, once executed, leave the
state they describe. The product documentation's own sentences come first.

``NEGATIVE``: sentences that must end in a question, an explanation or a refusal, and change
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.services import Core
from core.views import Principal

# -- the workspace ----------------------------------------------------------------------------

OWNER = "owner@acme.example.com"
PEOPLE = {
    "alice@example.com": "Alice Liddell",
    "bob@example.com": "Bob Stone",
    "sam.carter@example.com": "Sam Carter",
    "sam.rivera@example.com": "Sam Rivera",
    "carol@example.com": "Carol Jones",
    "dave@example.com": "Dave Miller",
    "erin@example.com": "Erin Ahmed",
}
WORKSPACE_ADMIN = "frank@example.com"  # Frank Castle: workspace admin, in no team
TEAMS = {
    "Platform Engineering": "Builds the platform",
    "Data Science": "",
    "Security": "",
    "Data Platform": "",  # shares a word with two others: "Data", "Platform" are ambiguous
    "Back to School": "",  # holds "to": read by splitting at the last "to" of a sentence
}
MEMBERS = [  # (team, email, role); the owner created every team and owns it
    ("Data Science", "alice@example.com", "member"),
    ("Data Science", "sam.rivera@example.com", "member"),
    ("Security", "bob@example.com", "member"),
    ("Security", "sam.carter@example.com", "member"),
    ("Security", "dave@example.com", "member"),
    ("Security", "erin@example.com", "admin"),
    ("Data Platform", "sam.carter@example.com", "member"),
    ("Data Platform", "sam.rivera@example.com", "member"),
]
KEYS = [("Security", "Deploy Hook"), ("Data Science", "Nightly ETL")]
INVITATIONS = [
    ("Security", "carol.new@example.org", "member"),
    ("Data Science", "pat@partner.example.net", "admin"),
]
RESOURCES = [
    ("skill", "Incident Triage", "Security"),
    ("tool_policy", "No Prod Writes", "Security"),
    ("agent", "Old Bot", "Platform Engineering"),
]


def build_workspace(core: Core) -> Principal:
    """The workspace every table sentence runs against; returns its owner."""
    owner = core.init_workspace("Acme", OWNER, "Olive Owner", plan="business")
    for name, description in TEAMS.items():
        core.create_team(owner, name, description)
    for email, name in PEOPLE.items():
        core.add_user(owner, email, name)
    core.add_user(owner, WORKSPACE_ADMIN, "Frank Castle", workspace_role="admin")
    for team, email, role in MEMBERS:
        core.add_member(owner, team, email, role)
    for team, name in KEYS:
        core.create_key(owner, team, name)
    for team, email, role in INVITATIONS:
        core.invite_member(owner, team, email, role)
    for kind, name, team in RESOURCES:
        core.create_resource(owner, kind, name, team)
    return owner


# -- the positive table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    sentence: str
    call: str
    args: dict[str, Any]
    actor: str = OWNER
    # Changes made first, through core: ("member", team, email, role) or ("archive", team).
    given: tuple[tuple[str, ...], ...] = ()
    doc: bool = False  # quoted in the product documentation


def c(
    sentence: str,
    call: str,
    actor: str = OWNER,
    given: tuple[tuple[str, ...], ...] = (),
    doc: bool = False,
    **args: Any,
) -> Case:
    return Case(sentence, call, args, actor, given, doc)


PE, DS, SEC, DP = "Platform Engineering", "Data Science", "Security", "Data Platform"
ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"
DAVE, ERIN, SAM_C = "dave@example.com", "erin@example.com", "sam.carter@example.com"
NEW = "newbie@example.com"
ALICE_IN_PE = (("member", PE, ALICE, "member"),)
BOB_IN_PE = (("member", PE, BOB, "member"),)


def invite(sentence: str, team: str, addresses: list[str], role: str = "member", **kw: Any) -> Case:
    return c(sentence, "invite_members", team=team, addresses=addresses, role=role, **kw)


def role(sentence: str, team: str, email: str, new_role: str, **kw: Any) -> Case:
    return c(sentence, "change_role", team=team, email=email, role=new_role, **kw)


def remove(sentence: str, team: str, email: str, **kw: Any) -> Case:
    return c(sentence, "remove_member", team=team, email=email, **kw)


def resource(
    sentence: str, kind: str, name: str, team: str | None, body: str = "", **kw: Any
) -> Case:
    return c(sentence, "create_resource", kind=kind, name=name, team=team, body=body, **kw)


def key(sentence: str, team: str, name: str, days: float | None = None, **kw: Any) -> Case:
    return c(sentence, "create_key", team=team, name=name, expires_in_days=days, **kw)


def team(sentence: str, name: str, description: str = "", **kw: Any) -> Case:
    return c(sentence, "create_team", name=name, description=description, **kw)


DOC_CASES = [
    team('Create a team called "Platform Engineering"', PE, given=(("archive", PE),), doc=True),
    invite(
        "Invite alice@example.com to the Platform Engineering team as a member",
        PE,
        [ALICE],
        doc=True,
    ),
    invite(
        "Add bob@example.com to the Platform Engineering team as an admin",
        PE,
        [BOB],
        "admin",
        doc=True,
    ),
    role(
        "Change Alice's role in Platform Engineering to admin",
        PE,
        ALICE,
        "admin",
        given=ALICE_IN_PE,
        doc=True,
    ),
    remove("Remove Bob from the Platform Engineering team", PE, BOB, given=BOB_IN_PE, doc=True),
    resource(
        'Create a skill called "Kubernetes Runbook" scoped to the Platform Engineering team',
        "skill",
        "Kubernetes Runbook",
        PE,
        doc=True,
    ),
    resource(
        'Create an agent called "Infra Bot" for the Platform Engineering team',
        "agent",
        "Infra Bot",
        PE,
        doc=True,
    ),
    key(
        'Create an API key for the Platform Engineering team called "CI Pipeline"',
        PE,
        "CI Pipeline",
        doc=True,
    ),
]

TEAM_CASES = [
    team("Create a team called Growth", "Growth"),
    team("create team Growth", "Growth"),
    team("Create a new team named “Growth”", "Growth"),
    team("Please create a team called 'Growth Marketing'.", "Growth Marketing"),
    team("Can you make a team called Growth?", "Growth"),
    team("Set up a new team: Growth", "Growth"),
    team("New team Growth", "Growth"),
    team("Add a team called Growth", "Growth"),
    team("Create the Growth team", "Growth"),
    team("Start a Growth team", "Growth"),
    team("create a TEAM called growth", "growth"),
    team(
        "Create a team called Growth with description Acquisition and retention",
        "Growth",
        "Acquisition and retention",
    ),
    team(
        'Create a team called "Growth" with description "Acquisition and retention"',
        "Growth",
        "Acquisition and retention",
    ),
    team(
        'Create a team called "Growth" described as "Acquisition and retention"',
        "Growth",
        "Acquisition and retention",
    ),
    team(
        "Create a team called Growth described as the people who find new customers",
        "Growth",
        "the people who find new customers",
    ),
    team(
        'Create a team named "R&D" with the description "Research, prototypes & experiments"',
        "R&D",
        "Research, prototypes & experiments",
    ),
    team(
        "Make a new team called “Site Reliability”, with description “Keeps things up”",
        "Site Reliability",
        "Keeps things up",
    ),
    team(
        "Create a team called Growth, description: Finds new customers",
        "Growth",
        "Finds new customers",
    ),
    team('Create team "Ops as a Service"', "Ops as a Service"),
    team("Create a team called [b]Bold[/b]", "[b]Bold[/b]"),
    team("Hey, could you please create a team called ‘Design Systems’? Thanks!", "Design Systems"),
    c('Rename Platform Engineering to "Platform"', "rename_team", team=PE, new_name="Platform"),
    c(
        "Rename the Platform Engineering team to Platform",
        "rename_team",
        team=PE,
        new_name="Platform",
    ),
    c(
        "rename team security to Security & Compliance",
        "rename_team",
        team=SEC,
        new_name="Security & Compliance",
    ),
    c(
        'Change the name of Data Science to "Machine Learning"',
        "rename_team",
        team=DS,
        new_name="Machine Learning",
    ),
    c("Change Data Science's name to ML", "rename_team", team=DS, new_name="ML"),
    c(
        "Rename data sci to Data Science and Analytics",
        "rename_team",
        team=DS,
        new_name="Data Science and Analytics",
    ),
    c("Please rename the “Security” team to “SecOps”.", "rename_team", team=SEC, new_name="SecOps"),
    c("Update the team name of Security to SecOps", "rename_team", team=SEC, new_name="SecOps"),
    c(
        "Rename Back to School to Summer Camp",
        "rename_team",
        team="Back to School",
        new_name="Summer Camp",
    ),
    c(
        "Set the description of Back to School to Getting ready for September",
        "describe_team",
        team="Back to School",
        description="Getting ready for September",
    ),
    c(
        'Set the description of Platform Engineering to "Builds and runs the platform"',
        "describe_team",
        team=PE,
        description="Builds and runs the platform",
    ),
    c(
        "Set the description of Security to Keeps us safe",
        "describe_team",
        team=SEC,
        description="Keeps us safe",
    ),
    c(
        "Change Security's description to Keeps us safe",
        "describe_team",
        team=SEC,
        description="Keeps us safe",
    ),
    c(
        'Describe Security as "Keeps us safe"',
        "describe_team",
        team=SEC,
        description="Keeps us safe",
    ),
    c(
        "Update the description for the Data Science team to Models, experiments and dashboards",
        "describe_team",
        team=DS,
        description="Models, experiments and dashboards",
    ),
    c("Clear the description of Platform Engineering", "describe_team", team=PE, description=""),
    c("Remove Platform Engineering's description", "describe_team", team=PE, description=""),
    c(
        'describe data science: "Models and experiments"',
        "describe_team",
        team=DS,
        description="Models and experiments",
    ),
    c("Delete the Security team", "archive_team", team=SEC),
    c("Archive Data Platform", "archive_team", team=DP),
    c("Delete team Data Platform", "archive_team", team=DP),
    c("delete data platform", "archive_team", team=DP),
    c("Remove the Data Platform team", "archive_team", team=DP),
    c("Disband the Security team", "archive_team", team=SEC),
    c("Please delete the “Data Platform” team.", "archive_team", team=DP),
    c("Get rid of the Data Platform team", "archive_team", team=DP),
]

INVITE_CASES = [
    invite("invite alice@example.com to platform engineering as member", PE, [ALICE]),
    invite("Invite alice@example.com to PLATFORM ENGINEERING", PE, [ALICE]),
    invite("Invite newbie@example.com to Security as an admin", SEC, [NEW], "admin"),
    invite(
        "Please invite zoe@example.net to the Security team as admin.",
        SEC,
        ["zoe@example.net"],
        "admin",
    ),
    invite("Add Alice to Security", SEC, [ALICE]),
    invite("add alice to security as an Admin", SEC, [ALICE], "admin"),
    invite("Add Alice Liddell to the Security team as owner", SEC, [ALICE], "owner"),
    invite("Invite Carol to Platform Engineering as an admin", PE, [CAROL], "admin"),
    invite(
        "Invite carol@example.com and newbie@example.com to Security as members", SEC, [CAROL, NEW]
    ),
    invite(
        "Add alice, carol and new.person@example.org to Platform Engineering as admins",
        PE,
        [ALICE, CAROL, "new.person@example.org"],
        "admin",
    ),
    invite(
        "Invite a@example.com, b@example.com; c@example.com to Security",
        SEC,
        ["a@example.com", "b@example.com", "c@example.com"],
    ),
    invite(
        "Invite a@example.com b@example.com to Security", SEC, ["a@example.com", "b@example.com"]
    ),
    invite("Add Bob as an admin to Platform Engineering", PE, [BOB], "admin"),
    invite("Add Bob to Platform Engineering with the role of admin", PE, [BOB], "admin"),
    invite("Add Bob to Platform Engineering to be an owner", PE, [BOB], "owner"),
    invite("Add bob to team Platform Engineering as owner", PE, [BOB], "owner"),
    invite("Add bob to the team “Platform Engineering” as an owner", PE, [BOB], "owner"),
    invite("Could you add Bob to 'Platform Engineering' as an admin?", PE, [BOB], "admin"),
    invite("Bring Bob into Platform Engineering as a member", PE, [BOB]),
    invite("Give Bob access to Platform Engineering", PE, [BOB]),
    invite("Give Bob admin access to Platform Engineering", PE, [BOB], "admin"),
    invite("In Platform Engineering, add Bob as admin", PE, [BOB], "admin"),
    invite("Add Alice Liddell (alice@example.com) to Security", SEC, [ALICE]),
    invite("Add Alice <alice@example.com> to Security as admin", SEC, [ALICE], "admin"),
    invite("Invite ALICE@EXAMPLE.COM to security", SEC, [ALICE]),
    invite(
        "Add me to Security as admin", SEC, ["frank@example.com"], "admin", actor=WORKSPACE_ADMIN
    ),
    invite("Add Bob Stone to Data Science as member", DS, [BOB]),
    invite("Invite bob to the data science team", DS, [BOB]),
    invite("Add @bob to Data Science", DS, [BOB]),
    invite("Add the user bob@example.com to Data Science", DS, [BOB]),
    invite("Add Bob to Data Science and make him an admin", DS, [BOB], "admin"),
    invite("Onboard newbie@example.com to Platform Engineering as a member", PE, [NEW]),
    invite(
        "Invite newbie@example.com to join Platform Engineering as an admin", PE, [NEW], "admin"
    ),
    invite("Add bob to Platform Eng as admin", PE, [BOB], "admin"),
    invite("Add bob to platform-engineering", PE, [BOB]),
    invite("Add Bob to Data Sci", DS, [BOB]),
    invite("Add alice to sec", SEC, [ALICE]),
    invite("Invite alice@example.com to “Security” as a member", SEC, [ALICE]),
    invite("Add bob to Platform Engineering as admins", PE, [BOB], "admin"),
    invite("Add Bob and Carol to Platform Engineering", PE, [BOB, CAROL]),
    invite(
        "Invite alice@example.com to the Platform Engineering team as a member, please", PE, [ALICE]
    ),
    invite(
        "Hey, can you please add bob@example.com to the Platform Engineering team as an admin!!",
        PE,
        [BOB],
        "admin",
    ),
    invite("add BOB@example.com to platform engineering as ADMIN", PE, [BOB], "admin"),
    invite(
        "Invite bob@example.com to the Platform Engineering team as a regular member", PE, [BOB]
    ),
    invite("Add Erin to Data Science with admin rights", DS, [ERIN], "admin"),
    invite("Add newbie@example.com to Data Science as an owner", DS, [NEW], "owner"),
    invite("Add Bob to Back to School as admin", "Back to School", [BOB], "admin"),
]

ROLE_CASES = [
    role(
        "Change Alice’s role in Platform Engineering to admin",
        PE,
        ALICE,
        "admin",
        given=ALICE_IN_PE,
    ),
    role("change alice's role in data science to owner", DS, ALICE, "owner"),
    role("Change Alice's role in the Data Science team to an admin", DS, ALICE, "admin"),
    role("Change the role of Alice in Data Science to admin", DS, ALICE, "admin"),
    role("Change the role of alice@example.com to admin in Data Science", DS, ALICE, "admin"),
    role("Change Alice's role to admin in Data Science", DS, ALICE, "admin"),
    role("Make Alice an admin of Data Science", DS, ALICE, "admin"),
    role("Make Alice an owner in the Data Science team", DS, ALICE, "owner"),
    role("make alice admin in data science", DS, ALICE, "admin"),
    role("Make Alice Liddell a team admin in Data Science", DS, ALICE, "admin"),
    role("Promote Alice to admin in Data Science", DS, ALICE, "admin"),
    role("Promote Alice to owner on Data Science", DS, ALICE, "owner"),
    role("Demote Erin to member in Security", SEC, ERIN, "member"),
    role("Demote Erin in Security to member", SEC, ERIN, "member"),
    role("Set Erin's role in Security to member", SEC, ERIN, "member"),
    role("Update Erin's role on Security to owner", SEC, ERIN, "owner"),
    role("Switch Bob to admin in Security", SEC, BOB, "admin"),
    role("Give Bob the admin role in Security", SEC, BOB, "admin"),
    role("Grant Bob owner permissions in Security", SEC, BOB, "owner"),
    role("Assign the admin role to Bob in Security", SEC, BOB, "admin"),
    role("In Security, make Bob an admin", SEC, BOB, "admin"),
    role("Bob should be an admin in Security", SEC, BOB, "admin"),
    role("Make bob@example.com an owner of Security", SEC, BOB, "owner"),
    # Two Sams in the workspace, one in Security: only a member's role can change.
    role("Change Sam's role in Security to admin", SEC, SAM_C, "admin"),
    role("Change Dave's role in Security to be an admin", SEC, DAVE, "admin"),
    role("Change Dave's role in Security to Admin.", SEC, DAVE, "admin"),
    role("Please make Dave an administrator of the Security team", SEC, DAVE, "admin"),
    role("Change Dave Miller's role in Security to admin", SEC, DAVE, "admin"),
    role("Promote dave@example.com to admin in Sec", SEC, DAVE, "admin"),
    role("Change Erin's permissions in Security to member", SEC, ERIN, "member"),
    role("change erin's role in 'Security' to member", SEC, ERIN, "member"),
    role(
        "Change Carol's role in Platform Engineering to admin",
        PE,
        CAROL,
        "admin",
        given=(("member", PE, CAROL, "member"),),
    ),
    role("Make Dave a co-owner of Security", SEC, DAVE, "owner"),
    role("In Data Science, promote Alice to admin", DS, ALICE, "admin"),
    role(
        "Change Bob's role in Back to School to admin",
        "Back to School",
        BOB,
        "admin",
        given=(("member", "Back to School", BOB, "member"),),
    ),
]

REMOVE_CASES = [
    remove("Remove Bob from Security", SEC, BOB),
    remove("remove bob from security", SEC, BOB),
    remove("Remove bob@example.com from the Security team", SEC, BOB),
    remove("Remove Bob Stone from Security", SEC, BOB),
    remove("Kick Bob out of Security", SEC, BOB),
    remove("Take Bob off the Security team", SEC, BOB),
    remove("Remove Bob's membership in Security", SEC, BOB),
    remove("Please remove Dave from Security.", SEC, DAVE),
    remove("Delete Dave from the Security team", SEC, DAVE),
    remove("Remove Sam from Security", SEC, SAM_C),
    remove("Remove Erin from Security", SEC, ERIN),
    remove("Remove Alice from Data Science", DS, ALICE),
    remove("remove alice from data sci", DS, ALICE),
    remove("Drop Alice from Data Science", DS, ALICE),
    remove("Remove Alice Liddell (alice@example.com) from Data Science", DS, ALICE),
    remove("Remove Bob from team Security", SEC, BOB),
    remove("Boot Dave from Security", SEC, DAVE),
    remove("Remove Bob from the Platform Engineering team please", PE, BOB, given=BOB_IN_PE),
    c("Leave Security", "leave_team", actor=BOB, team=SEC),
    c("Remove me from Security", "leave_team", actor=DAVE, team=SEC),
    c("Leave the Data Science team", "leave_team", actor=ALICE, team=DS),
]

RESOURCE_CASES = [
    resource(
        "Create a skill called Kubernetes Runbook for Platform Engineering",
        "skill",
        "Kubernetes Runbook",
        PE,
    ),
    resource(
        "create a skill named kubernetes runbook in platform engineering",
        "skill",
        "kubernetes runbook",
        PE,
    ),
    resource(
        'Create a context file named "Onboarding Guide" for Security',
        "context_file",
        "Onboarding Guide",
        SEC,
    ),
    resource(
        "Add a context file called Onboarding Guide to Security",
        "context_file",
        "Onboarding Guide",
        SEC,
    ),
    resource(
        'Create a tool policy called "Read Only" for Platform Engineering',
        "tool_policy",
        "Read Only",
        PE,
    ),
    resource('Create a tool-policy "Read Only" in Security', "tool_policy", "Read Only", SEC),
    resource(
        "Create a skill for Security called Threat Modelling", "skill", "Threat Modelling", SEC
    ),
    resource('Create a skill for Security "Threat Modelling"', "skill", "Threat Modelling", SEC),
    resource("New skill Threat Modelling for Security", "skill", "Threat Modelling", SEC),
    resource("Create a Security skill called Threat Modelling", "skill", "Threat Modelling", SEC),
    resource(
        "Create an agent called Infra Bot scoped to the Platform Engineering team",
        "agent",
        "Infra Bot",
        PE,
    ),
    resource(
        "Create a skill called “Kubernetes Runbook” scoped to the “Platform Engineering” team",
        "skill",
        "Kubernetes Runbook",
        PE,
    ),
    resource(
        'Create a skill called "Runbook for Kubernetes" for Platform Engineering',
        "skill",
        "Runbook for Kubernetes",
        PE,
    ),
    resource(
        'Create an agent called "Helper" for Security with instructions "Answer questions about incidents"',
        "agent",
        "Helper",
        SEC,
        "Answer questions about incidents",
    ),
    resource(
        "Create a context file called Style Guide for Platform Engineering containing Use black and ruff",
        "context_file",
        "Style Guide",
        PE,
        "Use black and ruff",
    ),
    resource("Create a skill called Triage for the whole workspace", "skill", "Triage", None),
    c(
        "Create a personal skill called Scratchpad",
        "create_resource",
        kind="skill",
        name="Scratchpad",
        team=None,
        body="",
        personal=True,
    ),
    resource(
        "Create a team-scoped skill called Pager Duty for Security", "skill", "Pager Duty", SEC
    ),
    resource('Make a policy called "Deny Shell" for Security', "tool_policy", "Deny Shell", SEC),
    resource(
        "Create a context doc called Glossary for Data Science", "context_file", "Glossary", DS
    ),
    resource(
        "Please set up an agent named Data Helper for the Data Science team.",
        "agent",
        "Data Helper",
        DS,
    ),
    resource("create a skill called SQL Tips in data sci", "skill", "SQL Tips", DS),
    resource("Create a skill called [i]Fancy[/i] for Security", "skill", "[i]Fancy[/i]", SEC),
    resource(
        "Create a skill called Runbook for Kubernetes for Platform Engineering",
        "skill",
        "Runbook for Kubernetes",
        PE,
    ),
    resource(
        "Create an agent called Deploy Bot for Security", "agent", "Deploy Bot", SEC, actor=ERIN
    ),
    c(
        'Delete the skill "Incident Triage" from Security',
        "delete_resource",
        team=SEC,
        resource="skill:Incident Triage",
    ),
    c(
        "Remove the skill Incident Triage from the Security team",
        "delete_resource",
        team=SEC,
        resource="skill:Incident Triage",
    ),
    c(
        "delete the tool policy No Prod Writes in Security",
        "delete_resource",
        team=SEC,
        resource="tool_policy:No Prod Writes",
    ),
    c(
        "Delete Platform Engineering's agent Old Bot",
        "delete_resource",
        team=PE,
        resource="agent:Old Bot",
    ),
]

KEY_CASES = [
    key("Create an API key called CI Pipeline for Platform Engineering", PE, "CI Pipeline"),
    key('Create a key "CI Pipeline" for Platform Engineering', PE, "CI Pipeline"),
    key("create api key ci pipeline for platform engineering", PE, "ci pipeline"),
    key("Generate a new API key named Deploy for Security expiring in 30 days", SEC, "Deploy", 30),
    key(
        'Create an API key for Security called "Deploy" that expires in 2 weeks', SEC, "Deploy", 14
    ),
    key('Create an API key called "Deploy" for Security valid for 90 days', SEC, "Deploy", 90),
    key("Create a 30-day API key called Deploy for Security", SEC, "Deploy", 30),
    key('Create an API key for Security called "Deploy" expiring in a year', SEC, "Deploy", 365),
    key('Create an API key for Security called "Deploy" expiring in 6 months', SEC, "Deploy", 180),
    key('Create an API key called "Deploy" expiring in 7 days for Security', SEC, "Deploy", 7),
    key('Create an API key for Security called "Deploy" that never expires', SEC, "Deploy"),
    key("Create a Platform Engineering API key called CI", PE, "CI"),
    key("Create a team API key for Platform Engineering called CI", PE, "CI"),
    key("Make a new key for the Security team named Intake Webhook", SEC, "Intake Webhook"),
    key("Issue an API token called Intake for Security", SEC, "Intake"),
    key(
        "Please create an API key for the Platform Engineering team called “CI Pipeline”.",
        PE,
        "CI Pipeline",
    ),
    key(
        "Create an API key for Data Science called Nightly Export expiring in thirty days",
        DS,
        "Nightly Export",
        30,
    ),
    key("Create an API key for Security called Intake", SEC, "Intake", actor=ERIN),
    c('Revoke the "Deploy Hook" key of Security', "revoke_key", team=SEC, key="Deploy Hook"),
    c("Revoke the Deploy Hook key of Security", "revoke_key", team=SEC, key="Deploy Hook"),
    c("Revoke key Deploy Hook for the Security team", "revoke_key", team=SEC, key="Deploy Hook"),
    c("revoke the api key deploy hook in security", "revoke_key", team=SEC, key="Deploy Hook"),
    c("Revoke Security's Deploy Hook key", "revoke_key", team=SEC, key="Deploy Hook"),
    c("Delete the Deploy Hook key from Security", "revoke_key", team=SEC, key="Deploy Hook"),
    c("Disable the Nightly ETL key of Data Science", "revoke_key", team=DS, key="Nightly ETL"),
    c("Remove the Nightly ETL API key from Data Science", "revoke_key", team=DS, key="Nightly ETL"),
    c("Rotate the Deploy Hook key of Security", "rotate_key", team=SEC, key="Deploy Hook"),
    c(
        'Rotate the "Deploy Hook" key of Security with a 2 hour grace period',
        "rotate_key",
        team=SEC,
        key="Deploy Hook",
        grace_hours=2,
    ),
    c(
        "Rotate the Deploy Hook key of Security with no grace period",
        "rotate_key",
        team=SEC,
        key="Deploy Hook",
        grace_hours=0,
    ),
    c(
        "Rotate Security's Deploy Hook key and revoke the old one now",
        "rotate_key",
        team=SEC,
        key="Deploy Hook",
        grace_hours=0,
    ),
    c(
        "Roll the Nightly ETL key of Data Science, keeping the old one working for 48 hours",
        "rotate_key",
        team=DS,
        key="Nightly ETL",
        grace_hours=48,
    ),
    c(
        "Regenerate the Nightly ETL key for Data Science with a grace period of 1 day",
        "rotate_key",
        team=DS,
        key="Nightly ETL",
        grace_hours=24,
    ),
    c("rotate key deploy hook of security", "rotate_key", team=SEC, key="Deploy Hook"),
    c("Cycle the Security team key Deploy Hook", "rotate_key", team=SEC, key="Deploy Hook"),
]

LIST_CASES = [
    c("List teams", "list_teams", query=""),
    c("Show me all teams", "list_teams", query=""),
    c("What teams are there?", "list_teams", query=""),
    c("Which teams am I in?", "list_teams", query="", actor=BOB),
    c("list all the teams", "list_teams", query=""),
    c("teams", "list_teams", query=""),
    c("Show teams matching data", "list_teams", query="data"),
    c("List the members of Security", "list_members", team=SEC),
    c("Who is in the Security team?", "list_members", team=SEC),
    c("Show Security's members", "list_members", team=SEC),
    c("who's on data science", "list_members", team=DS),
    c("list security team members", "list_members", team=SEC),
    c("How many members does Security have?", "list_members", team=SEC),
    c("Who is in Security?", "list_members", team=SEC, actor=DAVE),
    c("List the API keys of Security", "list_keys", team=SEC),
    c("Show keys for Data Science", "list_keys", team=DS),
    c("What keys does Security have?", "list_keys", team=SEC),
    c("show the security team api keys", "list_keys", team=SEC),
    c("Show the pending invitations of Security", "list_invitations", team=SEC),
    c("List invites for Data Science", "list_invitations", team=DS),
    c("Who has been invited to Security?", "list_invitations", team=SEC),
    c("Show Security's invitations", "list_invitations", team=SEC),
    c("List the skills of Security", "list_resources", team=SEC, kind="skill"),
    c("Show Security's resources", "list_resources", team=SEC, kind=None),
    c("What agents does Platform Engineering have?", "list_resources", team=PE, kind="agent"),
]

INVITATION_CASES = [
    c(
        "Resend the invitation to carol.new@example.org for Security",
        "resend_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Resend carol.new@example.org's invitation to Security",
        "resend_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Resend the invite for carol to Security",
        "resend_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Send the invitation to carol.new@example.org for Security again",
        "resend_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Resend the Data Science invitation to pat@partner.example.net",
        "resend_invitation",
        team=DS,
        email="pat@partner.example.net",
    ),
    c(
        "Remind pat about their invitation to Data Science",
        "resend_invitation",
        team=DS,
        email="pat@partner.example.net",
    ),
    c(
        "Revoke the invitation for carol.new@example.org to Security",
        "revoke_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Cancel carol's invite to Security",
        "revoke_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
    c(
        "Withdraw the invitation of pat@partner.example.net from Data Science",
        "revoke_invitation",
        team=DS,
        email="pat@partner.example.net",
    ),
    c(
        "Uninvite pat from Data Science",
        "revoke_invitation",
        team=DS,
        email="pat@partner.example.net",
    ),
    c(
        "Delete the pending invitation for carol to the Security team",
        "revoke_invitation",
        team=SEC,
        email="carol.new@example.org",
    ),
]

CASES: list[Case] = (
    DOC_CASES
    + TEAM_CASES
    + INVITE_CASES
    + ROLE_CASES
    + REMOVE_CASES
    + RESOURCE_CASES
    + KEY_CASES
    + LIST_CASES
    + INVITATION_CASES
)


# -- the negative table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Negative:
    sentence: str
    answer: str  # clarify, not_understood or refused
    missing: str | None = None  # for not_understood: the part named
    options: tuple[str, ...] = ()  # for clarify: the choices offered, in order
    actor: str = OWNER
    says: tuple[str, ...] = field(default=())  # words the message must contain


def clarify(sentence: str, *options: str, actor: str = OWNER) -> Negative:
    return Negative(sentence, "clarify", options=options, actor=actor)


def unclear(sentence: str, part: str, *says: str, actor: str = OWNER) -> Negative:
    return Negative(sentence, "not_understood", part, actor=actor, says=says)


def refused(sentence: str, actor: str, *says: str) -> Negative:
    return Negative(sentence, "refused", actor=actor, says=says)


SAMS = ("Sam Carter (sam.carter@example.com)", "Sam Rivera (sam.rivera@example.com)")
NEGATIVE: list[Negative] = [
    # two teams match: ask
    clarify("Add bob to Data as admin", DP, DS),
    clarify("Invite newbie@example.com to the Data team", DP, DS),
    clarify("Change Alice's role in Data to admin", DP, DS),
    clarify("Remove Sam from Platform", DP, PE),
    clarify("List the members of platform", DP, PE),
    clarify("Delete the Data team", DP, DS),
    clarify("Create an API key for Data called X", DP, DS),
    clarify("Rename Data to Analytics", DP, DS),
    # two people match: ask
    clarify("Add Sam to Platform Engineering", *SAMS),
    clarify("Invite sam to Security as admin", *SAMS),
    clarify("Change Sam's role in Data Platform to admin", *SAMS),
    clarify("Remove Sam from Data Platform", *SAMS),
    clarify("Make Sam an owner of Data Platform", *SAMS),
    clarify("Add Alice and Sam to Platform Engineering", *SAMS),
    # a team that does not exist, or that the actor cannot see
    unclear("Invite alice@example.com to Marketing as a member", "team", "Marketing"),
    unclear("Remove Bob from the Finance team", "team", "Finance"),
    unclear("Create a skill called X for Sales", "team", "Sales"),
    unclear("Delete the Marketing team", "team", "Marketing"),
    unclear("List the members of Data Science", "team", "Data Science", actor=DAVE),
    clarify("Rename Securty to SecOps", SEC),  # a near-typo: asked, with the correction
    unclear('Add bob to "Data"', "team", "Data"),
    # a person that does not exist, or is not in the team
    unclear("Add Zed to Security", "person", "Zed", "email address"),
    unclear("Change Zed's role in Security to admin", "person", "Zed"),
    unclear("Change Alice's role in Security to admin", "person", "not a member"),
    unclear("Remove Carol from Security", "person", "not a member"),
    unclear("Invite bob@@example to Security", "person", "not a valid email"),
    unclear(
        "Revoke the invitation for zed@example.com to Security", "person", "no open invitation"
    ),
    unclear("Revoke the Missing key of Security", "key", "no key called 'Missing'", "Deploy Hook"),
    unclear("Delete the skill Nonexistent from Security", "name", "no skill"),
    # a role that is not a role, or none where one is needed
    unclear("Invite alice@example.com to Security as a wizard", "role", "wizard"),
    unclear("Add bob to Platform Engineering as superuser", "role", "superuser"),
    unclear("Change Alice's role in Data Science to maintainer", "role", "maintainer"),
    unclear("Make Bob a viewer in Security", "role", "viewer"),
    unclear("Change Alice's role in Data Science", "role"),
    unclear("Promote Bob in Security", "role"),
    # a part left out
    unclear("Invite alice@example.com", "team", "invite", "which team"),
    unclear("Add bob@example.com as an admin", "team"),
    unclear("Make Alice an admin", "team"),
    unclear("Remove Bob", "team", "from which team"),
    unclear("Create a skill called Kubernetes Runbook", "team", "skill"),
    unclear("Create an API key for Security", "name"),
    unclear("Create an API key called CI", "team"),
    unclear("Create a team", "name"),
    unclear("Create a skill for Security", "name"),
    unclear("Rotate the Deploy Hook key", "team"),
    unclear("Invite to Security", "person"),
    unclear("List members", "team"),
    unclear("Rename Security", "name"),
    # two commands in one sentence
    unclear(
        "Create a team called Growth and invite alice@example.com to it",
        "command",
        "one thing at a time",
    ),
    unclear("Add alice to Security and remove bob from Security", "command", "one thing at a time"),
    unclear("Add alice and remove bob from Security", "command"),
    unclear("Remove Bob from Security, then delete the Data Platform team", "command"),
    unclear("Create a skill called X for Security. Delete the Security team", "command"),
    unclear("Rename Security to SecOps and archive Data Platform", "command"),
    unclear("Remove Bob and Dave from Security", "person", "one person at a time"),
    # gibberish and things that are not commands
    unclear("asdf qwer zxcv", "sentence"),
    unclear("", "sentence"),
    unclear("   ", "sentence"),
    unclear("What is the meaning of life?", "what"),
    unclear("Make me a sandwich", "sentence"),
    unclear("Deploy the app to production", "sentence"),
    unclear("🙂🙂🙂", "sentence"),
    # injection-looking names: read literally, never executed
    unclear("Add bob to Security'; DROP TABLE teams;--", "team", "DROP TABLE"),
    unclear("Remove Bob from [b]Security[/b]", "team", "[b]Security[/b]"),
    unclear('Invite alice@example.com to Security" OR 1=1 --', "team"),
    unclear("Delete the %% team", "team"),
    unclear("Delete the _ team", "team"),
    unclear("Revoke the key '; DELETE FROM team_api_keys; -- of Security", "command"),
    # the actor may not do it: core's own sentence
    refused("Invite newbie@example.com to Security as a member", DAVE, "Only the team's owners"),
    refused("Remove Bob from Security", ERIN, "Only the team's owners", "you are an admin"),
    refused(
        "Create an API key for Security called X", DAVE, "API keys of Security", "you are a member"
    ),
    refused("Create a skill called X for Security", DAVE, "resources of Security"),
    refused(
        "Delete the Security team",
        ERIN,
        "Only the team's owners and workspace admins can change Security",
    ),
    refused(
        "Create a team called Growth", DAVE, "Only workspace admins and owners can create teams."
    ),
    refused("List the API keys of Security", DAVE, "API keys of Security"),
    refused("Show the pending invitations of Security", DAVE, "manage members of Security"),
    refused("Rename Security to SecOps", ERIN, "you are an admin"),
    refused("Create a skill called X for the whole workspace", DAVE, "workspace-wide resources"),
]
