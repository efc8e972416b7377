"""Team use cases: create, list, read, rename, describe, archive; and what a user may do."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select

from core.errors import Conflict
from core.models import Membership, Team, TeamApiKey
from core.permissions import TeamAction, WorkspaceAction, team_actions
from core.services.base import ServiceBase, Tx, like_pattern
from core.text import quoted
from core.validation import check_page, clean_description, clean_team_name, name_key
from core.views import Page, Principal, TeamAccess, TeamView
from core.vocabulary import EXPIRY_WARNING_DAYS


class TeamServices(ServiceBase):
    def create_team(self, actor: Principal, name: str, description: str = "") -> TeamView:
        """Create a team; its creator becomes its first owner."""
        with self._tx(actor, "team.create", target=f"team:{name}") as tx:
            self._require_workspace(tx)
            self._require_teams_plan(tx)
            self._require_workspace_action(tx, WorkspaceAction.CREATE_TEAM)
            name = clean_team_name(name)
            description = clean_description(description)
            self._require_free_name(tx, name)
            tx.clash = _name_taken(name)
            assert tx.actor is not None
            team = Team(
                name=name,
                name_key=name_key(name),
                description=description,
                created_by=tx.actor.id,
                created_at=tx.now,
            )
            tx.session.add(team)
            tx.session.flush()
            tx.session.add(
                Membership(
                    user_id=tx.actor.id,
                    team_id=team.id,
                    member_key=tx.actor.name_key,
                    role="owner",
                    added_by=tx.actor.id,
                    added_at=tx.now,
                    version=1,
                )
            )
            tx.target, tx.team_id = f"team:{name}", team.id
            tx.details = {"description": description} if description else {}
            tx.audit()
            return TeamView(team.id, name, description, 1, "owner", tx.now)

    def list_teams(
        self, actor: Principal, query: str = "", offset: int = 0, limit: int | None = None
    ) -> Page[TeamView]:
        """Teams the actor may see (all of them for workspace admins), by name, with member
        counts and the actor's own role; ``query`` filters names case-insensitively."""
        with self._tx(actor, "team.list", write=False) as tx:
            self._require_workspace(tx)
            self._require_teams_plan(tx)
            check_page(offset, limit)
            assert tx.actor is not None
            mine = (
                select(Membership.team_id, Membership.role)
                .where(Membership.user_id == tx.actor.id)
                .subquery()
            )
            shown = [Team.archived_at.is_(None)]
            if query.strip():
                shown.append(Team.name_key.like(like_pattern(query.strip()), escape="\\"))
            ids = select(Team.id).where(*shown)
            if TeamAction.VIEW not in team_actions(None, tx.actor.workspace_role, tx.plan):
                ids = ids.join(mine, mine.c.team_id == Team.id)
            # Otherwise every live team shows once whatever the actor's memberships, so
            # neither the count nor the page needs the join (with one it probed memberships
            # for each of 10,000 teams).
            total = tx.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
            # Cut the page from the ids alone, then count members for its teams only: with
            # the counts in the same statement, PostgreSQL counted every skipped team's
            # members too (a page at offset 9,800 counted half a million memberships).
            ids = ids.order_by(Team.name_key, Team.id).offset(offset)
            if limit is not None:
                ids = ids.limit(limit)
            page = ids.subquery()
            count = (
                select(func.count())
                .where(Membership.team_id == Team.id)
                .correlate(Team)
                .scalar_subquery()
            )
            expiring = (
                select(func.count())
                .where(
                    TeamApiKey.team_id == Team.id,
                    TeamApiKey.revoked_at.is_(None),
                    TeamApiKey.expires_at > tx.now,
                    TeamApiKey.expires_at <= tx.now + timedelta(days=EXPIRY_WARNING_DAYS),
                )
                .correlate(Team)
                .scalar_subquery()
            )
            stmt = (
                select(Team, mine.c.role, count, expiring)
                .join(page, page.c.id == Team.id)
                .outerjoin(mine, mine.c.team_id == Team.id)
                .order_by(Team.name_key, Team.id)
            )
            workspace_role = tx.actor.workspace_role
            items = [
                TeamView(
                    t.id,
                    t.name,
                    t.description,
                    n,
                    role,
                    t.created_at,
                    keys_expiring=soon
                    if TeamAction.MANAGE_KEYS in team_actions(role, workspace_role, tx.plan)
                    else None,
                )
                for t, role, n, soon in tx.session.execute(stmt)
            ]
            return Page(items, total, offset)

    def team_access(self, actor: Principal, team: int | str) -> TeamAccess:
        """The team as the actor sees it and exactly what the actor may do there."""
        with self._tx(actor, "team.read", write=False) as tx:
            found, role = self._team(tx, team, TeamAction.VIEW)
            assert tx.actor is not None
            actions = team_actions(role, tx.actor.workspace_role, tx.plan)
            return TeamAccess(self._team_view(tx, found, role), role, actions)

    def rename_team(self, actor: Principal, team: int | str, new_name: str) -> TeamView:
        with self._tx(actor, "team.rename") as tx:
            found, role = self._team(tx, team, TeamAction.MANAGE_TEAM, lock=True)
            new_name = clean_team_name(new_name)
            if name_key(new_name) != found.name_key:
                self._require_free_name(tx, new_name)
                tx.clash = _name_taken(new_name)
            tx.details = {"from": found.name, "to": new_name}
            found.name, found.name_key = new_name, name_key(new_name)
            tx.audit()
            return self._team_view(tx, found, role)

    def describe_team(self, actor: Principal, team: int | str, description: str) -> TeamView:
        with self._tx(actor, "team.describe") as tx:
            found, role = self._team(tx, team, TeamAction.MANAGE_TEAM)
            found.description = clean_description(description)
            tx.details = {"description": found.description}
            tx.audit()
            return self._team_view(tx, found, role)

    def archive_team(self, actor: Principal, team: int | str) -> TeamView:
        """Delete a team from view: it disappears from every list, its keys stop working and
        its name is free again; the rows stay for the audit record."""
        with self._tx(actor, "team.archive") as tx:
            found, role = self._team(tx, team, TeamAction.MANAGE_TEAM, lock=True)
            found.archived_at = tx.now
            tx.audit()
            return self._team_view(tx, found, role)

    @staticmethod
    def _require_free_name(tx: Tx, name: str) -> None:
        clash = tx.session.scalar(
            select(Team.name).where(
                and_(Team.name_key == name_key(name), Team.archived_at.is_(None))
            )
        )
        if clash is not None:
            raise Conflict(_name_taken(clash))


def _name_taken(name: str) -> str:
    return f"A team named {quoted(name)} already exists; team names are unique."
