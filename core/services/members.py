"""Membership use cases: add, list, change role, remove, leave. Every team keeps an owner."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from core.errors import Conflict, InvalidInput, LastOwner, NotFound
from core.models import Membership, Team, User
from core.permissions import TeamAction
from core.services.base import ServiceBase, Tx, like_pattern
from core.text import quoted
from core.validation import check_page, clean_email, clean_role, email_key
from core.views import MemberView, Page, Principal


class MemberServices(ServiceBase):
    def add_member(
        self, actor: Principal, team: int | str, email: str, role: str = "member"
    ) -> MemberView:
        """Add an existing account to the team with ``role``."""
        with self._tx(actor, "member.add", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            tx.target = f"user:{email}"
            role = clean_role(role)
            email = clean_email(email)
            user = tx.session.scalar(select(User).where(User.email_key == email_key(email)))
            if user is None:
                raise NotFound(f"{email} has no Auxot account yet; add the account first.")
            membership = self._add_membership(tx, found, user, role)
            assert tx.actor is not None
            return _member_view(membership, user, tx.actor.email)

    def _add_membership(self, tx: Tx, team: Team, user: User, role: str) -> Membership:
        """Add ``user`` to ``team`` (whose row the caller has locked) and audit it."""
        tx.target = f"user:{user.email}"
        if user.status != "active":
            raise InvalidInput(
                f"{user.email} is deactivated; reactivate the account first.", "email"
            )
        existing = self._membership(tx, team.id, user.id)
        if existing is not None:
            raise Conflict(f"{user.email} is already a member of {team.name} as {existing.role}.")
        membership = Membership(
            user_id=user.id,
            team_id=team.id,
            member_key=user.name_key,
            role=role,
            added_by=tx.actor.id if tx.actor else None,
            added_at=tx.now,
            version=1,
        )
        tx.session.add(membership)
        tx.session.flush()
        tx.details = {**tx.details, "role": role}
        tx.audit()
        return membership

    def list_members(
        self,
        actor: Principal,
        team: int | str,
        query: str = "",
        offset: int = 0,
        limit: int | None = None,
        *,
        from_end: bool = False,
    ) -> Page[MemberView]:
        """The team's members by name; ``query`` matches names and emails case-insensitively.

        With ``from_end`` the offset counts back from the last member: ``offset=0, limit=200``
        is the last 200. The items still come in name order and the page's ``offset`` counts
        from the first member. The end of a large team is read from its end of the index
        instead of skipping every member before it."""
        with self._tx(actor, "member.list", write=False) as tx:
            found, _ = self._team(tx, team, TeamAction.VIEW)
            check_page(offset, limit)
            ids = select(Membership.id).where(Membership.team_id == found.id)
            filtered = bool(query.strip())
            if filtered:
                pattern = like_pattern(query.strip())
                ids = ids.join(User, User.id == Membership.user_id).where(
                    or_(
                        User.name_key.like(pattern, escape="\\"),
                        User.email_key.like(pattern, escape="\\"),
                    )
                )
                # Counted in the same pass that finds the page (a window over every match),
                # instead of matching every member a second time for the count.
                ids = ids.add_columns(func.count().over().label("total"))
                total = 0
            else:
                # Unfiltered, the count is read from the (team_id, role) index alone.
                total = self._member_count(tx, found.id)
            # Pick the page's ids first, then join the full rows and the adder for those
            # only: in a large team the adder join would otherwise run for every member.
            # Name order from the (team_id, member_key, user_id) index: a page, not a sort.
            key, user_id = Membership.member_key, Membership.user_id
            order = (key.desc(), user_id.desc()) if from_end else (key, user_id)
            ids = ids.order_by(*order).offset(offset)
            if limit is not None:
                ids = ids.limit(limit)
            page = ids.subquery()
            adder = aliased(User)
            stmt = (
                select(Membership, User, adder.email, *([page.c.total] if filtered else []))
                .join(page, page.c.id == Membership.id)
                .join(User, User.id == Membership.user_id)
                .outerjoin(adder, adder.id == Membership.added_by)
                .order_by(Membership.member_key, Membership.user_id)
            )
            rows = tx.session.execute(stmt).all()
            items = [_member_view(row[0], row[1], row[2]) for row in rows]
            if filtered:
                if rows:
                    total = rows[0][3]
                elif offset or limit == 0:  # no row to carry the count: count on its own
                    counted = ids.with_only_columns(Membership.id).limit(None).offset(None)
                    total = (
                        tx.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
                    )
            return Page(items, total, max(0, total - offset - len(items)) if from_end else offset)

    def change_role(
        self,
        actor: Principal,
        team: int | str,
        email: str,
        role: str,
        expected_version: int | None = None,
    ) -> MemberView:
        """Give a member another role. Demoting the last owner is refused."""
        with self._tx(actor, "member.role", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            role = clean_role(role)
            membership, user = self._member(tx, found, email)
            if expected_version is not None and membership.version != expected_version:
                raise Conflict(
                    f"{user.email}'s membership changed since you loaded it; refresh and try again."
                )
            tx.details = {"from": membership.role, "to": role}
            if membership.role != role:
                if membership.role == "owner":
                    self._require_another_owner(tx, found, user, "demote")
                membership.role = role
                membership.version += 1
                tx.audit()
            return _member_view(membership, user, None)

    def remove_member(self, actor: Principal, team: int | str, email: str) -> None:
        with self._tx(actor, "member.remove", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            membership, user = self._member(tx, found, email)
            if membership.role == "owner":
                self._require_another_owner(tx, found, user, "remove")
            tx.details = {"role": membership.role}
            tx.session.delete(membership)
            tx.audit()

    def leave_team(self, actor: Principal, team: int | str) -> None:
        with self._tx(actor, "member.leave") as tx:
            found, role = self._team(tx, team, TeamAction.VIEW, lock=True)
            assert tx.actor is not None
            membership = self._membership(tx, found.id, tx.actor.id)
            if membership is None:
                raise InvalidInput(f"You are not a member of {found.name}.", "team")
            if membership.role == "owner":
                self._require_another_owner(tx, found, tx.actor, "leave")
            tx.target = f"user:{tx.actor.email}"
            tx.details = {"role": role}
            tx.session.delete(membership)
            tx.audit()

    def _member(self, tx: Tx, team: Team, email: str) -> tuple[Membership, User]:
        cleaned = (email or "").strip()
        row = tx.session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team.id, User.email_key == email_key(cleaned))
        ).first()
        if row is None:
            raise NotFound(f"{quoted(cleaned)} is not a member of {team.name}.")
        tx.target = f"user:{row[1].email}"
        return row[0], row[1]

    @staticmethod
    def _require_another_owner(tx: Tx, team: Team, user: User, verb: str) -> None:
        """Refuse when no *active* owner of the team would remain besides ``user``: a
        deactivated owner can do nothing, so it does not keep a team owned. The caller holds
        the team's row lock, so no concurrent transaction can change the count between this
        read and the write."""
        if not other_active_owners(tx, team.id, user.id):
            yourself = tx.actor is not None and user.id == tx.actor.id
            action = {"demote": "change that role", "remove": "remove them", "leave": "leave"}[verb]
            if yourself and verb == "remove":
                action = "remove yourself"
            # "active" where a deactivated owner might make "the last owner" sound untrue.
            last = "last active owner" if _owners(tx, team.id) > 1 else "last owner"
            # The address as it is, not capitalised to start the sentence.
            who = (
                f"You are the {last} of {team.name}"
                if yourself
                else f"The {last} of {team.name} is {user.email}"
            )
            raise LastOwner(f"{who}; make someone else an owner before you {action}.")


def _owners(tx: Tx, team_id: int) -> int:
    """How many owners the team has, deactivated ones included."""
    owners = select(func.count()).select_from(Membership)
    where = (Membership.team_id == team_id, Membership.role == "owner")
    return tx.session.scalar(owners.where(*where)) or 0


def other_active_owners(tx: Tx, team_id: int, user_id: int) -> int:
    """How many owners of the team, other than ``user_id``, have an active account."""
    return (
        tx.session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.team_id == team_id,
                Membership.role == "owner",
                Membership.user_id != user_id,
                User.status == "active",
            )
        )
        or 0
    )


def _member_view(membership: Membership, user: User, added_by: str | None) -> MemberView:
    return MemberView(
        user_id=user.id,
        team_id=membership.team_id,
        email=user.email,
        display_name=user.display_name,
        role=membership.role,
        status=user.status,
        added_at=membership.added_at,
        added_by=added_by,
        version=membership.version,
    )
