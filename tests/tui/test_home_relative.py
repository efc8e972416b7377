"""Paths in the app's sentences name the home directory ``~``, so that an email's file fits
a dialog's line rather than being cut mid-name where the line wraps."""

from __future__ import annotations

import pytest

from core.views import DeliveryReport, MailOutcome
from tui.format import home_relative
from tui.outbox_runner import delivery_sentence


@pytest.fixture
def home(tmp_path, monkeypatch) -> str:
    path = tmp_path / "home" / "dana"
    monkeypatch.setenv("HOME", str(path))
    return str(path)


def test_the_home_directory_becomes_a_tilde(home: str) -> None:
    assert home_relative(f"written to {home}/outbox/1.eml.") == "written to ~/outbox/1.eml."
    assert home_relative(f"{home}/a and {home}/b") == "~/a and ~/b"


def test_only_whole_directory_names_are_shortened(home: str) -> None:
    assert home_relative(f"{home}2/outbox") == f"{home}2/outbox"  # another directory
    assert home_relative("/srv/auxot/outbox/1.eml") == "/srv/auxot/outbox/1.eml"
    assert home_relative(home) == home  # the name alone is not a path into it


def test_a_written_email_is_named_from_the_home_directory(home: str) -> None:
    written = f"{home}/.local/share/auxot/outbox/20261204-224303-2.eml"
    report = DeliveryReport(
        sent=0,
        failed=0,
        written_to=f"{home}/.local/share/auxot/outbox",
        outcomes=[MailOutcome("new@example.com", "written", written)],
    )
    sentence = delivery_sentence(report)
    assert "~/.local/share/auxot/outbox/20261204-224303-2.eml." in sentence
    assert home not in sentence
