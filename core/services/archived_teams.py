"""Deleted (archived) teams: the list of them, and bringing one back.

A team is archived, never erased, so that its record stays. Restoring gives it back its
members, resources and name, but not its API keys: they were declared dead when the team was
deleted, and a key must not come back to life without anyone creating it. Restoring revokes
every key that was still live and says how many."""

from __future__ import annotations

from sqlalchemy import func, select

from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Membership, Team, TeamApiKey
from core.permissions import WORKSPACE_ADMIN_ROLES, TeamAction, team_actions, team_refusal
from core.services.base import ServiceBase, Tx
from core.text import quoted
from core.validation import check_page, name_key
from core.views import ArchivedTeamView, Page, Principal, TeamView


class ArchivedTeamServices(ServiceBase):
    def list_archived_teams(
        self, actor: Principal, offset: int = 0, limit: int | None = None
    ) -> Page[ArchivedTeamView]:
        """The deleted teams the actor could restore (every one, for workspace admins; the
        ones they own, for team owners), most recently deleted first."""
        with self._tx(actor, "team.archived.list", write=False) as tx:
            self._require_workspace(tx)
            self._require_teams_plan(tx)
            check_page(offset, limit)
            assert tx.actor is not None
            ids = select(Team.id).where(Team.archived_at.is_not(None))
            if tx.actor.workspace_role not in WORKSPACE_ADMIN_ROLES:
                owned = select(Membership.team_id).where(
                    Membership.user_id == tx.actor.id, Membership.role == "owner"
                )
                ids = ids.where(Team.id.in_(owned))
            total = tx.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
            stmt = (
                select(Team)
                .where(Team.id.in_(ids))
                .order_by(Team.archived_at.desc(), Team.id.desc())
                .offset(offset)
            )
            if limit is not None:
                stmt = stmt.limit(limit)
            items = [self._archived_view(tx, team) for team in tx.session.scalars(stmt)]
            return Page(items, total, offset)

    def restore_team(self, actor: Principal, team: int | str) -> TeamView:
        """Bring a deleted team back, as it was, with its keys revoked. Its name must be free."""
        with self._tx(actor, "team.restore") as tx:
            self._require_workspace(tx)
            self._require_teams_plan(tx)
            found = self._find_archived(tx, team)
            tx.team_id, tx.target = found.id, f"team:{found.name}"
            assert tx.actor is not None
            membership = self._membership(tx, found.id, tx.actor.id)
            role = membership.role if membership else None
            allowed = team_actions(role, tx.actor.workspace_role, tx.plan)
            if TeamAction.VIEW not in allowed:  # as for live teams: unseen is not found
                raise NotFound(f"There is no deleted team {quoted(team)} that you can restore.")
            if TeamAction.MANAGE_TEAM not in allowed:
                raise PermissionDenied(team_refusal(TeamAction.MANAGE_TEAM, found.name, role))
            clash = tx.session.scalar(
                select(Team.name).where(Team.name_key == found.name_key, Team.archived_at.is_(None))
            )
            if clash is not None:
                raise Conflict(
                    f"A team named {clash} exists now; rename it first, then restore {found.name}."
                )
            found.archived_at = None
            live = tx.session.scalars(
                select(TeamApiKey).where(
                    TeamApiKey.team_id == found.id, TeamApiKey.revoked_at.is_(None)
                )
            ).all()
            for key in live:
                key.revoked_at = tx.now
            tx.details = {"keys_revoked": len(live)}
            tx.audit()
            return self._team_view(tx, found, role)

    @staticmethod
    def _find_archived(tx: Tx, ref: int | str) -> Team:
        """The deleted team ``ref`` names (its id, or its name when only one has it)."""
        text = str(ref).strip()
        if text.isascii() and text.isdigit():
            team = tx.session.get(Team, int(text))
            if team is not None and team.archived_at is not None:
                return team
        named = tx.session.scalars(
            select(Team)
            .where(Team.name_key == name_key(text), Team.archived_at.is_not(None))
            .order_by(Team.archived_at.desc(), Team.id.desc())
        ).all()
        if len(named) > 1:
            ids = ", ".join(f"#{team.id}" for team in named)
            raise Conflict(
                f"{len(named)} deleted teams are named {named[0].name} ({ids}); "
                "name the one to restore by its id."
            )
        if not named:
            raise NotFound(f"There is no deleted team {quoted(text)} that you can restore.")
        return named[0]

    def _archived_view(self, tx: Tx, team: Team) -> ArchivedTeamView:
        assert team.archived_at is not None
        return ArchivedTeamView(
            id=team.id,
            name=team.name,
            description=team.description,
            member_count=self._member_count(tx, team.id),
            archived_at=team.archived_at,
        )
