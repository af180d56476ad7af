"""docs/reliability.md, as scripts/reliability.sh wrote it: every table parses, and the
figures that must be zero are zero (fuzz crashes, untyped errors, lost writes, torn
sessions), the one refresh is one, and integrity_check said ok."""

from __future__ import annotations

from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
NOT_RUN = "not run yet"


def parse_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Each ``## Section``'s pipe table, as one dict per row keyed by the header."""
    tables: dict[str, list[dict[str, str]]] = {}
    for section in text.split("\n## ")[1:]:
        title, _, body = section.partition("\n")
        lines = [line.strip() for line in body.splitlines() if line.strip().startswith("|")]
        assert len(lines) >= 3, f"section {title!r} has no table with rows"
        header = [cell.strip() for cell in lines[0].strip("|").split("|")]
        assert set(lines[1].replace("|", "")) == {"-"}, f"{title!r}: no separator line"
        rows = []
        for line in lines[2:]:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            assert len(cells) == len(header), f"{title!r}: a row of the wrong width: {line}"
            rows.append(dict(zip(header, cells)))
        tables[title.strip()] = rows
    return tables


def number(cell: str) -> int:
    return int(cell.replace(",", ""))


@pytest.fixture(scope="module")
def tables() -> dict[str, list[dict[str, str]]]:
    return parse_tables(REPORT.read_text())


def test_the_parser_reads_a_table_and_refuses_a_broken_one() -> None:
    good = "# R\n\n## S\n\ntext\n\n| A | B |\n|---|---|\n| 1 | x |\n"
    assert parse_tables(good) == {"S": [{"A": "1", "B": "x"}]}
    with pytest.raises(AssertionError):
        parse_tables(good + "| 2 |\n")


def test_every_section_is_there(tables: dict[str, list[dict[str, str]]]) -> None:
    assert list(tables) == [
        "Fuzzing the Rust entry points",
        "Malformed answers to the SDK",
        "Transport faults",
        "Concurrent refresh",
        "Kill -9 durability of the local pool",
        "FileStorage under SIGKILL",
    ]


def test_fuzz_targets_crashed_zero_times(tables: dict[str, list[dict[str, str]]]) -> None:
    for row in tables["Fuzzing the Rust entry points"]:
        if row["Seconds"] == NOT_RUN:
            assert row["Crashes"] == "—"
        else:
            assert number(row["Seconds"]) > 0 and number(row["Executions"]) > 0
            assert row["Crashes"] == "0", row


def test_no_malformed_answer_escaped_untyped(tables: dict[str, list[dict[str, str]]]) -> None:
    rows = tables["Malformed answers to the SDK"]
    for row in rows:
        assert row["Untyped errors"] == "0", row
        parts = number(row["Typed error"]) + number(row["Accepted"])
        assert number(row["Tried"]) == parts
    assert rows[-1]["Damage"] == "**all**" and number(rows[-1]["Tried"]) >= 1000


def test_transport_faults_table_names_outcomes(tables: dict[str, list[dict[str, str]]]) -> None:
    rows = tables["Transport faults"]
    assert len(rows) >= 20
    for row in rows:
        for side in ("Sync client (requests)", "Asyncio client (httpx)"):
            assert " in " in row[side] and row[side].split(" in ")[1].split(" ")[1] == "s"


def test_one_refresh_for_sixteen_callers(tables: dict[str, list[dict[str, str]]]) -> None:
    rows = tables["Concurrent refresh"]
    assert {row["Callers"] for row in rows} == {"16 threads", "16 asyncio tasks"}
    for row in rows:
        assert row["Refreshes sent"] == "1" and row["Valid sessions"] == "16", row
        assert row["Distinct access tokens"] == "1"


def test_no_acknowledged_write_was_lost(tables: dict[str, list[dict[str, str]]]) -> None:
    rows = tables["Kill -9 durability of the local pool"]
    assert len(rows) >= 3
    for row in rows:
        assert row["Lost"] == "0" and row["integrity_check"] == "ok", row
        assert number(row["Found after restart"]) == number(row["Acknowledged"]) > 0


def test_no_session_was_torn(tables: dict[str, list[dict[str, str]]]) -> None:
    (row,) = tables["FileStorage under SIGKILL"]
    assert row["Torn sessions"] == "0" and row["First save lost"] == "0", row
    assert number(row["Whole sessions"]) == number(row["Trials"]) >= 50
