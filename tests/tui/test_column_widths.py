"""Flexible columns share a table's width by what their text needs (issue: names and emails
cut mid-word at 80 columns while a name column stood half empty)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.widgets.table import Column, fit_column_widths
from tui.widgets.table_lines import TableLines

MEMBERS = (
    Column("name", "Name", min_width=12, weight=2),
    Column("email", "Email", min_width=14, weight=3),
    Column("role", "Role", width=6),
)


def test_a_short_column_gives_its_room_to_a_long_one() -> None:
    # 13-cell names, 29-cell emails, 48 cells for text: the weights alone would cut emails.
    assert fit_column_widths(MEMBERS, 48) == (17, 25, 6)
    assert fit_column_widths(MEMBERS, 48, wants=(13, 29, 4)) == (13, 29, 6)


def test_width_left_once_all_fits_goes_to_the_heaviest_column() -> None:
    assert fit_column_widths(MEMBERS, 100, wants=(13, 29, 4)) == (13, 81, 6)


def test_when_nothing_fits_the_columns_share_by_weight_above_their_minimums() -> None:
    widths = fit_column_widths(MEMBERS, 40, wants=(40, 60, 4))
    assert widths[2] == 6 and sum(widths) == 40
    assert widths[0] >= 12 and widths[1] > widths[0]


@given(
    spare=st.integers(0, 300),
    wants=st.tuples(st.integers(0, 200), st.integers(0, 200), st.integers(0, 10)),
)
def test_widths_never_go_under_a_minimum_nor_over_the_space(
    spare: int, wants: tuple[int, int, int]
) -> None:
    widths = fit_column_widths(MEMBERS, spare, wants)
    assert widths[0] >= 12 and widths[1] >= 14 and widths[2] == 6
    assert sum(widths) == max(spare, 12 + 14 + 6)


def test_measured_rows_widen_a_column_and_drop_drawn_lines() -> None:
    lines = TableLines(
        (Column("a", "A", min_width=4, weight=1), Column("b", "B", min_width=4, weight=3))
    )
    lines.cached(("row", 1), lambda: Strip.blank(24))
    # 21 cells for text (a space before each column, one between), the rest to the heavier
    assert lines.column_widths(24) == (4, 17)
    assert lines.measure([(Text("abc"), Text("x"))])
    assert lines.column_widths(24) == (4, 17)  # it fits the minimum
    assert lines.measure([(Text("0123456789"), Text("x"))])
    assert lines.column_widths(24) == (10, 11)
    assert lines.cached(("row", 1), lambda: Strip.blank(1)).cell_length == 1  # drawn again
    assert not lines.measure([(Text("ab"), Text("x"))])  # it only grows


def test_the_last_column_reaches_the_edge() -> None:
    lines = TableLines((Column("a", "A", width=3), Column("b", "B", min_width=4)))
    strip = lines.line([Text("abc"), Text("0123456789")], 16, Style(), None, None, Console())
    assert strip.text == " abc  0123456789"  # no space kept after the last column's text
    cut = lines.line([Text("abc"), Text("0123456789x")], 16, Style(), None, None, Console())
    assert cut.text == " abc  012345678…"


@pytest.mark.parametrize(
    "rows",
    [
        [("Dana Owner (you)", "marcus@auxot-demo.example.com", "Owner", "2026-12-04", "active")],
        [
            ("Elena Petrova", "hannah@auxot-demo.example.com", "Member", "2026-12-04", "active"),
            (
                "Victor Stone",
                "victor@auxot-demo.example.com",
                "Member",
                "2026-12-04",
                "deactivated",
            ),
        ],
    ],
    ids=["platform-engineering", "customer-success"],
)
def test_at_80_columns_the_demo_members_show_whole(rows: list[tuple[str, ...]]) -> None:
    # The demo's teams in the 78 cells a tab leaves at 80 columns: the status column is only
    # as wide as "deactivated" when someone is, and the emails get the rest.
    from tui.team.members_tab import COLUMNS

    lines = TableLines(COLUMNS)
    lines.measure([tuple(Text(cell) for cell in row) for row in rows])
    for row in rows:
        strip = lines.line([Text(cell) for cell in row], 78, Style(), None, None, Console())
        assert "…" not in strip.text, strip.text
