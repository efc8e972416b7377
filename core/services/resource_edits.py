"""Editing a resource: rename it, change its body, move it to another team or to the
workspace. One use case, so that a rename and a move made together are one audited change.

Moving needs the right to manage resources where it is and where it goes. The teams
involved are locked in id order, as every path locks teams before their rows."""

from __future__ import annotations

from sqlalchemy import select

from core.errors import Conflict, InvalidInput, NotFound
from core.models import Resource, Team, User
from core.permissions import CREATE_WORKSPACE_RESOURCE_REFUSAL, TeamAction, WorkspaceAction
from core.services.base import ServiceBase, Tx, possible_id
from core.services.resources import resource_view
from core.text import quoted
from core.validation import clean_body, clean_resource_name, name_key
from core.views import Principal, ResourceView
from core.vocabulary import kind_label

WORKSPACE = "workspace"  # the destination that is no team


class ResourceEditServices(ServiceBase):
    def edit_resource(
        self,
        actor: Principal,
        resource_id: int,
        name: str | None = None,
        body: str | None = None,
        move_to: int | str | None = None,
        to_workspace: bool = False,
    ) -> ResourceView:
        """Change what is given; refuse an edit that changes nothing."""
        with self._tx(actor, "resource.edit", target=f"resource:#{resource_id}") as tx:
            self._require_workspace(tx)
            if move_to is not None and to_workspace:
                raise InvalidInput("Move it to a team or to the workspace, not both.", "move_to")
            resource = self._editable(tx, resource_id, move_to)
            changed: dict[str, object] = {}
            destination = self._destination(tx, resource, move_to, to_workspace)
            if destination is not None:
                scope, team = destination
                if (scope, team.id if team else None) != (resource.scope, resource.team_id):
                    before = (
                        resource.scope if resource.team_id is None else f"team:{resource.team_id}"
                    )
                    changed["moved"] = {"from": before, "to": f"team:{team.id}" if team else scope}
                    resource.scope = scope
                    resource.team_id = team.id if team else None
                    resource.owner_id = None
            if name is not None:
                new_name = clean_resource_name(name)
                if new_name != resource.name:
                    changed["name"] = {"from": resource.name, "to": new_name}
                    resource.name, resource.name_key = new_name, name_key(new_name)
            if body is not None:
                new_body = clean_body(body)
                if new_body != resource.body:
                    changed["body"] = {"from_chars": len(resource.body), "to_chars": len(new_body)}
                    resource.body = new_body
            if not changed:
                raise InvalidInput("That changes nothing; give a new name, body or place.", "name")
            self._require_free(tx, resource)
            tx.target = f"{resource.kind}:{resource.name}"
            tx.team_id = resource.team_id
            tx.details = changed
            tx.audit()
            team_name = tx.session.scalar(select(Team.name).where(Team.id == resource.team_id))
            owner = tx.session.scalar(select(User.email).where(User.id == resource.owner_id))
            return resource_view(resource, team_name, owner)

    def _editable(self, tx: Tx, resource_id: int, move_to: int | str | None) -> Resource:
        """The resource, once the actor may manage it where it is; unseen is not found.
        The teams it is in and goes to are locked first, in id order."""
        assert tx.actor is not None
        resource = tx.session.get(Resource, resource_id) if possible_id(resource_id) else None
        if resource is None or (resource.scope == "user" and resource.owner_id != tx.actor.id):
            raise NotFound(f"There is no resource #{resource_id}.")
        teams = {resource.team_id} if resource.team_id is not None else set()
        if move_to is not None:
            teams.add(self._find_team(tx, move_to).id)
        tx.session.execute(
            select(Team.id).where(Team.id.in_(teams)).order_by(Team.id).with_for_update()
        )
        if resource.scope == "team":
            assert resource.team_id is not None
            self._team(tx, resource.team_id, TeamAction.MANAGE_RESOURCES)
        elif resource.scope == "workspace":
            self._require_workspace_action(tx, WorkspaceAction.MANAGE_WORKSPACE_RESOURCES)
        return resource

    def _destination(
        self, tx: Tx, resource: Resource, move_to: int | str | None, to_workspace: bool
    ) -> tuple[str, Team | None] | None:
        if to_workspace:
            self._require_workspace_action(
                tx, WorkspaceAction.MANAGE_WORKSPACE_RESOURCES, CREATE_WORKSPACE_RESOURCE_REFUSAL
            )
            return WORKSPACE, None
        if move_to is None:
            return None
        team, _ = self._team(tx, move_to, TeamAction.MANAGE_RESOURCES)
        return "team", team

    @staticmethod
    def _require_free(tx: Tx, resource: Resource) -> None:
        """Refuse a name taken in the place the resource ends up, asked before the change is
        written (the unique index would refuse it too, with a vaguer sentence)."""
        with tx.session.no_autoflush:
            clash = tx.session.scalar(
                select(Resource.id).where(
                    Resource.id != resource.id,
                    Resource.kind == resource.kind,
                    Resource.scope == resource.scope,
                    Resource.name_key == resource.name_key,
                    Resource.team_id.is_(None)
                    if resource.team_id is None
                    else Resource.team_id == resource.team_id,
                    Resource.owner_id.is_(None)
                    if resource.owner_id is None
                    else Resource.owner_id == resource.owner_id,
                )
            )
            team = tx.session.scalar(select(Team.name).where(Team.id == resource.team_id))
        where = f"in {team}" if team else f"at {resource.scope} scope"
        sentence = (
            f"A {kind_label(resource.kind)} named {quoted(resource.name)} already exists {where}."
        )
        if clash is not None:
            raise Conflict(sentence)
        tx.clash = sentence  # if another edit takes the name at the same moment
