"""Plans for team API keys: create, revoke, rotate."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.intents import Failure
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import days, hours, quoted
from core.agent.resolve import Stop
from core.errors import InvalidInput
from core.services.keys import MAX_GRACE_HOURS
from core.usecases import commands as uc
from core.validation import clean_expiry_days, clean_name
from core.views import TeamView

DEFAULT_GRACE_HOURS = uc.RotateKey.grace_hours


class KeyPlans(PlannerBase):
    def _create_key(self) -> Plan:
        team = self._team(uc.CreateKey)
        assert self.intent.name is not None
        name = self._clean(clean_name, self.intent.name.text, "A key name", 80)
        try:
            expiry = clean_expiry_days(self.intent.days)
        except InvalidInput as error:
            raise Stop(Failure(error.message, "expires", "create_key")) from None
        text = f"Create an API key {quoted(name)} for {team.name}"
        text += f" expiring in {days(expiry)}" if expiry is not None else " (no expiry)"
        return Plan(
            text,
            uc.CreateKey(team.id, name, expiry),
            team.name,
            details=("The key is shown once, right after it is created.",),
        )

    def _existing_key(self, team: TeamView) -> tuple[str, str, str]:
        """(the key id to pass, the words for it, its name)."""
        assert self.intent.key is not None
        if not self.allowed:
            return self.intent.key.text, quoted(self.intent.key.text), self.intent.key.text
        key = self.find.key(self.intent.key, team)
        return key.key_id, f"{quoted(key.name)} ({key.masked})", key.name

    def _revoke_key(self) -> Plan:
        team = self._team(uc.RevokeKey)
        key_id, words, name = self._existing_key(team)
        return Plan(
            f"Revoke the API key {words} of {team.name}",
            uc.RevokeKey(team.id, key_id),
            team.name,
            details=("It stops working at once.",),
            confirm_text=name,
        )

    def _rotate_key(self) -> Plan:
        team = self._team(uc.RotateKey)
        key_id, words, _ = self._existing_key(team)
        grace = self.intent.grace_hours
        if grace is not None and not 0 <= grace <= MAX_GRACE_HOURS:
            message = f"The grace period must be between 0 and {MAX_GRACE_HOURS} hours."
            raise Stop(Failure(message, "grace", "rotate_key"))
        command = uc.RotateKey(team.id, key_id, DEFAULT_GRACE_HOURS if grace is None else grace)
        if grace == 0:
            after = "the old key stops working at once"
        else:
            after = f"the old key keeps working for {hours(grace or DEFAULT_GRACE_HOURS)}"
        return Plan(
            f"Rotate the API key {words} of {team.name}; {after}",
            command,
            team.name,
            details=("The new key is shown once, right after it is created.",),
        )
