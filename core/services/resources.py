"""Agents, skills, context files and tool policies, scoped to the workspace, a team or a user.

A team-scoped resource is visible only to that team's members and to workspace admins."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from core.errors import Conflict, NotFound
from core.models import Membership, Resource, Team, User
from core.permissions import (
    CREATE_WORKSPACE_RESOURCE_REFUSAL,
    TeamAction,
    WorkspaceAction,
    plan_has_teams,
    team_actions,
)
from core.services.base import ServiceBase, Tx, like_pattern, possible_id
from core.text import quoted
from core.validation import check_page, clean_body, clean_kind, clean_resource_name, name_key
from core.views import Page, Principal, ResourceView


class ResourceServices(ServiceBase):
    def create_resource(
        self,
        actor: Principal,
        kind: str,
        name: str,
        team: int | str | None = None,
        body: str = "",
        personal: bool = False,
    ) -> ResourceView:
        """Create an agent, skill, context file or tool policy for a team, the actor alone
        (``personal``) or, for workspace admins, the whole workspace."""
        with self._tx(actor, "resource.create", target=f"{kind}:{name}") as tx:
            self._require_workspace(tx)
            kind = clean_kind(kind)
            name = clean_resource_name(name)
            body = clean_body(body)
            assert tx.actor is not None
            team_row = None
            if team is not None:
                team_row, _ = self._team(tx, team, TeamAction.MANAGE_RESOURCES, lock=True)
                scope = "team"
            elif personal:
                scope = "user"
            else:
                self._require_workspace_action(
                    tx,
                    WorkspaceAction.MANAGE_WORKSPACE_RESOURCES,
                    CREATE_WORKSPACE_RESOURCE_REFUSAL,
                )
                self._lock_workspace(tx)
                scope = "workspace"
            owner_id = tx.actor.id if scope == "user" else None
            team_id = team_row.id if team_row else None
            where = f"in {team_row.name}" if team_row else f"at {scope} scope"
            tx.clash = f"A {_label(kind)} named {quoted(name)} already exists {where}."
            if self._find(tx, kind, name, scope, team_id, owner_id) is not None:
                raise Conflict(tx.clash)
            resource = Resource(
                kind=kind,
                name=name,
                name_key=name_key(name),
                scope=scope,
                team_id=team_id,
                owner_id=owner_id,
                body=body,
                created_by=tx.actor.id,
                created_at=tx.now,
            )
            tx.session.add(resource)
            tx.session.flush()
            tx.target = f"{kind}:{name}"
            tx.details = {"scope": scope}
            tx.audit()
            return resource_view(resource, team_row.name if team_row else None, None)

    def list_resources(
        self,
        actor: Principal,
        team: int | str | None = None,
        kind: str | None = None,
        query: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> Page[ResourceView]:
        """One team's resources, or everything the actor may see when no team is named, by
        kind and name, a page at a time with how many there are; ``query`` matches names
        case-insensitively."""
        with self._tx(actor, "resource.list", write=False) as tx:
            self._require_workspace(tx)
            check_page(offset, limit)
            ids = select(Resource.id).outerjoin(Team, Team.id == Resource.team_id)
            if team is not None:
                found, _ = self._team(tx, team, TeamAction.VIEW)
                ids = ids.where(Resource.scope == "team", Resource.team_id == found.id)
            else:
                ids = ids.where(self._visible(tx))
            if kind:
                ids = ids.where(Resource.kind == clean_kind(kind))
            if query.strip():
                ids = ids.where(Resource.name_key.like(like_pattern(query.strip()), escape="\\"))
            total = tx.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
            order = (Resource.kind, Resource.name_key, Resource.id)
            ids = ids.order_by(*order).offset(offset)
            if limit is not None:
                ids = ids.limit(limit)
            # Pick the page's ids first, then join the team and owner for those only.
            page = ids.subquery()
            owner = aliased(User)
            stmt = (
                select(Resource, Team.name, owner.email)
                .join(page, page.c.id == Resource.id)
                .outerjoin(Team, Team.id == Resource.team_id)
                .outerjoin(owner, owner.id == Resource.owner_id)
                .order_by(*order)
            )
            items = [resource_view(r, t, o) for r, t, o in tx.session.execute(stmt)]
            return Page(items, total, offset)

    def find_resource(
        self, actor: Principal, kind: str, name: str, team: int | str | None = None
    ) -> ResourceView:
        for resource in self.list_resources(actor, team, kind).items:
            same_name = name_key(resource.name) == name_key(name or "")
            if same_name and (team is not None or resource.scope != "team"):
                return resource
        where = f" in team {quoted(team)}" if team is not None else ""
        raise NotFound(f"There is no {_label(clean_kind(kind))} named {quoted(name or '')}{where}.")

    def delete_resource(self, actor: Principal, resource_id: int) -> None:
        with self._tx(actor, "resource.delete", target=f"resource:#{resource_id}") as tx:
            assert tx.actor is not None
            resource = tx.session.get(Resource, resource_id) if possible_id(resource_id) else None
            if resource is None:
                raise NotFound(f"There is no resource #{resource_id}.")
            tx.target = f"{resource.kind}:{resource.name}"
            if resource.scope == "team":
                assert resource.team_id is not None
                self._team(tx, resource.team_id, TeamAction.MANAGE_RESOURCES)
            elif resource.scope == "user":
                if resource.owner_id != tx.actor.id:
                    raise NotFound(f"There is no resource #{resource_id}.")
            else:
                self._require_workspace_action(tx, WorkspaceAction.MANAGE_WORKSPACE_RESOURCES)
            tx.details = {"scope": resource.scope}
            tx.session.delete(resource)
            tx.audit()

    @staticmethod
    def _find(
        tx: Tx, kind: str, name: str, scope: str, team_id: int | None, owner_id: int | None
    ) -> Resource | None:
        return tx.session.scalar(
            select(Resource).where(
                Resource.kind == kind,
                Resource.scope == scope,
                Resource.name_key == name_key(name),
                Resource.team_id.is_(None) if team_id is None else Resource.team_id == team_id,
                Resource.owner_id.is_(None) if owner_id is None else Resource.owner_id == owner_id,
            )
        )

    @staticmethod
    def _visible(tx: Tx) -> ColumnElement[bool]:
        """Workspace resources, the actor's own, and those of the teams the actor may see
        (team resources only on a plan with teams)."""
        assert tx.actor is not None
        clauses = [
            Resource.scope == "workspace",
            and_(Resource.scope == "user", Resource.owner_id == tx.actor.id),
        ]
        if plan_has_teams(tx.plan):
            live = and_(Resource.scope == "team", Team.archived_at.is_(None))
            if TeamAction.VIEW in team_actions(None, tx.actor.workspace_role, tx.plan):
                clauses.append(live)
            else:
                mine = select(Membership.team_id).where(Membership.user_id == tx.actor.id)
                clauses.append(and_(live, Resource.team_id.in_(mine)))
        return or_(*clauses)


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def resource_view(
    resource: Resource, team_name: str | None, owner_email: str | None
) -> ResourceView:
    return ResourceView(
        id=resource.id,
        kind=resource.kind,
        name=resource.name,
        scope=resource.scope,
        team_id=resource.team_id,
        team_name=team_name,
        owner_email=owner_email,
        body=resource.body,
        created_at=resource.created_at,
    )
