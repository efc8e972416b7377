"""People suggested as an admin types a name or an address (the Invite dialog).

Answered from the indexes on the case-folded email and name, with a range instead of LIKE
(``key >= prefix AND key < prefix + U+FFFF``), which both SQLite and PostgreSQL serve from the
index whatever their collation, so the answer stays quick in a workspace of any size."""

from __future__ import annotations

from sqlalchemy import or_, select

from core.models import User
from core.services.base import ServiceBase, user_view
from core.views import Principal, UserView

SUGGESTIONS_MAX = 20
_AFTER_EVERY = "\uffff"  # sorts after every character a key holds


class PeopleServices(ServiceBase):
    def suggest_people(self, actor: Principal, prefix: str, limit: int = 5) -> list[UserView]:
        """Active accounts whose email or name starts with ``prefix`` (any case), emails
        first, at most ``limit``; nothing for fewer than two characters."""
        with self._tx(actor, "user.suggest.list", write=False) as tx:
            self._require_workspace(tx)
            key = " ".join(prefix.split()).casefold()
            if len(key) < 2:
                return []
            limit = max(1, min(limit, SUGGESTIONS_MAX))
            end = key + _AFTER_EVERY
            stmt = (
                select(User)
                .where(
                    User.status == "active",
                    or_(
                        (User.email_key >= key) & (User.email_key < end),
                        (User.name_key >= key) & (User.name_key < end),
                    ),
                )
                .order_by(User.email_key)
                .limit(limit)
            )
            return [user_view(user) for user in tx.session.scalars(stmt)]
