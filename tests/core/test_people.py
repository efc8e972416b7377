"""People suggested as an admin types: prefix of the email or the name, active only."""

from __future__ import annotations

from core.services import Core
from core.usecases.commands import SuggestPeople
from core.views import Principal


def test_suggestions_match_the_start_of_an_email_or_name(core: Core, owner: Principal) -> None:
    core.add_user(owner, "ada@acme.example.com", "Ada Lovelace")
    core.add_user(owner, "bob@acme.example.com", "Adam Smith")
    core.add_user(owner, "zed@acme.example.com", "Zed Adams")  # "ad" only inside: no
    core.add_user(owner, "adrian@acme.example.com", "Adrian Gone")
    core.deactivate_user(owner, "adrian@acme.example.com")

    def emails(prefix: str, limit: int = 5) -> list[str]:
        return [p.email for p in core.run(owner, SuggestPeople(prefix, limit))]

    assert emails("AD") == ["ada@acme.example.com", "bob@acme.example.com"]
    assert emails("ada@") == ["ada@acme.example.com"]
    assert emails("adam s") == ["bob@acme.example.com"]
    assert emails("ad", limit=1) == ["ada@acme.example.com"]
    assert emails("a") == []  # one character says too little
    assert emails("%") == [] and emails("_d") == []  # no pattern characters
