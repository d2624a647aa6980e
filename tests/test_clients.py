"""`progdsl build PROTOCOL --clients CLIENTS.csv` and `progdsl build - --name NAME`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from progdsl.cli import main
from progdsl.clients import read_clients, slug

PROTOCOL = """\
program "Knee protocol"
clinician "Alex Moore"
start 2026-12-07
time 07:30
equipment mat
phase "Walk" 1w daily:
  walking 20min
"""

CSV = """\
client,start,time,timezone,affected
Sam Lee,2026-12-14,18:00,Australia/Sydney,left
Sam Lee,,,,
Zoë O'Brien,2027-01-04,,Europe/London,right
"""


@pytest.fixture
def protocol(tmp_path):
    path = tmp_path / "knee.prog"
    path.write_text(PROTOCOL, encoding="utf-8")
    return path


def build(*args, input=None):
    return CliRunner().invoke(main, ["build", *map(str, args)], input=input)


def program_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["program"]


def rows(text: str | bytes, name="clients.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_clients(data, name)


# ---- reading the file --------------------------------------------------------------


def test_each_row_is_a_client_with_its_own_values_and_a_unique_slug():
    _, clients, diagnostics = rows(CSV)
    assert diagnostics == []
    assert [(c.line, c.client, c.slug) for c in clients] == [
        (2, "Sam Lee", "sam-lee"),
        (3, "Sam Lee", "sam-lee-2"),
        (4, "Zoë O'Brien", "zoë-o-brien"),
    ]
    first = clients[0]
    assert (str(first.start), str(first.time), first.timezone, first.affected) == (
        "2026-12-14",
        "18:00:00",
        "Australia/Sydney",
        "left",
    )
    assert clients[1].start is None and clients[1].affected is None


def test_a_slug_that_is_taken_by_a_written_name_is_not_reused():
    _, clients, _ = rows("client\nSam Lee\nsam-lee-2\nSam Lee\n")
    assert [c.slug for c in clients] == ["sam-lee", "sam-lee-2", "sam-lee-3"]


def test_slugs_are_file_names():
    assert slug("  Jo / Lee ") == "jo-lee" and slug("???") == "client"


@pytest.mark.parametrize(
    "text, code, line, col, message",
    [
        ("client,strat\nSam,2026-12-07\n", "E167", 1, 8, "progdsl does not know the column `strat`"),
        ("name,start\nSam,2026-12-07\n", "E167", 1, 1, "progdsl does not know the column `name`"),
        ("client,client\nSam,Jo\n", "E167", 1, 8, "the column `client` is given twice"),
        ("start\n2026-12-07\n", "E167", 1, 1, "the file has no `client` column"),
        ("", "E166", 1, 1, "the file has no rows"),
    ],
)
def test_a_fault_in_the_first_row_stops_every_row(text, code, line, col, message):
    _source, clients, diagnostics = rows(text)
    assert clients == []
    d = diagnostics[0]
    assert (d.code, d.span.line, d.span.col, d.message, d.source.name) == (code, line, col, message, "clients.csv")


def test_an_unknown_column_suggests_the_one_meant():
    (d,) = rows("client,strat\nSam,2026-12-07\n")[2]
    assert "did you mean `start`?" in d.help


@pytest.mark.parametrize(
    "row, code, col",
    [
        ("Jo,2026-13-01,,,", "E120", 4),
        ("Jo,2026-12-07,25:00,,", "E121", 15),
        ("Jo,,,Australia/Sydnee,", "E122", 6),
        ("Jo,,,,middle", "E169", 7),
        (",2026-12-07,,,", "E168", 1),
        ("Jo,,,,left,extra", "E167", 12),
    ],
)
def test_a_bad_row_is_reported_at_its_cell_and_the_other_rows_stay(row, code, col):
    text = "client,start,time,timezone,affected\nSam,,,,\n" + row + "\nAna,,,,\n"
    _source, clients, diagnostics = rows(text)
    assert [(d.code, d.span.line, d.span.col) for d in diagnostics] == [(code, 3, col)]
    assert [c.client for c in clients] == ["Sam", "Ana"]


def test_a_quoted_value_with_a_comma_is_one_cell_and_later_cells_are_found():
    _source, _clients, diagnostics = rows('client,start\n"Lee, Jo",2026-02-30\n')
    (d,) = diagnostics
    assert (d.code, d.span.line, d.span.col, d.span.end_col) == ("E120", 2, 11, 21)


def test_a_file_that_is_not_utf8_is_reported_at_the_byte():
    _source, clients, diagnostics = rows(b"client\nRen\xe9\n")
    (d,) = diagnostics
    assert (d.code, d.span.line, d.span.col) == ("E166", 2, 4) and clients == []
    assert "UTF-8" in d.message


def test_a_spreadsheets_byte_order_mark_and_crlf_are_read():
    _, clients, diagnostics = rows(b"\xef\xbb\xbfclient,time\r\nSam,07:30\r\n")
    assert diagnostics == [] and clients[0].client == "Sam"


# ---- building ----------------------------------------------------------------------


def test_build_for_clients_writes_one_set_of_outputs_per_client(protocol, tmp_path):
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "json", "--to", "ics", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "knee-sam-lee-2.ics",
        "knee-sam-lee-2.json",
        "knee-sam-lee.ics",
        "knee-sam-lee.json",
        "knee-zoë-o-brien.ics",
        "knee-zoë-o-brien.json",
    ]
    sam = program_of(out / "knee-sam-lee.json")
    assert (sam["client"], sam["start"], sam["time"], sam["timezone"], sam["name"]) == (
        "Sam Lee",
        "2026-12-14",
        "18:00",
        "Australia/Sydney",
        "knee-sam-lee",
    )
    second = program_of(out / "knee-sam-lee-2.json")
    assert (second["start"], second["time"], second["timezone"]) == ("2026-12-07", "07:30", None)
    assert "Europe/London" in (out / "knee-zoë-o-brien.ics").read_text(encoding="utf-8")


def test_a_rebuild_gives_the_same_names_and_updates_each_calendar(protocol, tmp_path):
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    args = (protocol, "--clients", tmp_path / "clients.csv", "--to", "ics", "-o", out)
    assert build(*args).exit_code == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert build(*args).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_a_bad_row_is_reported_with_its_file_line_and_caret_and_the_others_build(protocol, tmp_path):
    (tmp_path / "clients.csv").write_text("client,start\nSam,2026-12-14\nJo,2026-13-01\nAna,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "json", "-o", out)
    assert result.exit_code == 1
    assert f"{tmp_path / 'clients.csv'}:3:4: E120 error" in result.output
    assert "3 | Jo,2026-13-01\n  |    ^^^^^^^^^^ E120" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["knee-ana.json", "knee-sam.json"]


def test_a_protocol_with_errors_builds_for_nobody_and_says_so_once(tmp_path):
    protocol = tmp_path / "bad.prog"
    protocol.write_text(PROTOCOL.replace("walking", "walkng"), encoding="utf-8")
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "json", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.count("E201") == 2  # the header line and the caret line, once
    assert not (tmp_path / "out").exists()


def test_a_clients_start_is_checked_by_the_rules_like_the_protocols(tmp_path):
    """The client's values replace the protocol's before the safety rules run: a clearance
    after the client's own start is reported for that client only."""
    protocol = tmp_path / "flags.prog"
    protocol.write_text(
        PROTOCOL.replace("equipment mat\n", 'equipment mat\nflags numbness\ncleared "Dr Jo Park, GP" 2026-12-01\n'),
        encoding="utf-8",
    )
    (tmp_path / "clients.csv").write_text("client,start\nSam,2026-12-14\nJo,2026-11-02\n", encoding="utf-8")
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "json", "-o", tmp_path / "out")
    assert result.output.count("after the program starts on Mon 2 Nov 2026") == 1, result.output
    assert "after the program starts on Mon 14 Dec 2026" not in result.output
    assert (tmp_path / "out" / "flags-sam.json").exists()


def test_clients_build_the_same_with_two_jobs(protocol, tmp_path):
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    base = (protocol, "--clients", tmp_path / "clients.csv", "--to", "json")
    first = build(*base, "-o", one, "--jobs", "1")
    second = build(*base, "-o", two, "--jobs", "2")
    assert first.exit_code == second.exit_code == 0
    assert first.output.replace(str(one), "") == second.output.replace(str(two), "")
    assert {p.name: p.read_bytes() for p in one.iterdir()} == {p.name: p.read_bytes() for p in two.iterdir()}


@pytest.mark.parametrize(
    "extra, message",
    [
        (("--clients", "CSV", "PROTOCOL2"), "--clients goes with one program file"),
        (("--name", "x", "PROTOCOL2"), "--name goes with one program file"),
        (("--name", "../x"), "is not a name for files"),
    ],
)
def test_clients_and_name_are_for_one_program(protocol, tmp_path, extra, message):
    (tmp_path / "clients.csv").write_text(CSV, encoding="utf-8")
    other = tmp_path / "other.prog"
    other.write_text(PROTOCOL, encoding="utf-8")
    args = [str(tmp_path / "clients.csv") if a == "CSV" else str(other) if a == "PROTOCOL2" else a for a in extra]
    result = build(protocol, *args, "-o", tmp_path / "out")
    assert result.exit_code == 2 and message in result.output


# ---- standard input --------------------------------------------------------------------


def test_build_from_standard_input_needs_a_name(tmp_path):
    result = build("-", "-o", tmp_path, input=PROTOCOL)
    assert result.exit_code == 2
    assert "add --name NAME" in result.output


def test_build_from_standard_input_names_the_outputs_after_name(tmp_path):
    result = build("-", "--name", "sam-lee", "--to", "json", "-o", tmp_path, input=PROTOCOL)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["sam-lee.json"]
    assert program_of(tmp_path / "sam-lee.json")["name"] == "sam-lee"


def test_a_program_from_standard_input_with_errors_is_reported_as_stdin(tmp_path):
    result = build(
        "-", "--name", "x", "--to", "json", "-o", tmp_path / "out", input=PROTOCOL.replace("walking", "walkng")
    )
    assert result.exit_code == 1 and "<stdin>:7:3: E201" in result.output
    assert not (tmp_path / "out").exists()


def test_name_renames_a_files_outputs(protocol, tmp_path):
    result = build(protocol, "--name", "renamed", "--to", "json", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["renamed.json"]


def test_the_affected_column_turns_affected_side_lines_to_the_clients_side(tmp_path):
    protocol = tmp_path / "acl.prog"
    protocol.write_text(
        'program "ACL"\nstart 2026-12-07\naffected left\nequipment mat\nphase "Early" 1w:\n'
        "  session daily:\n    straight_leg_raise 3x10 affected side\n    step_up 3x8 other side\n",
        encoding="utf-8",
    )
    (tmp_path / "clients.csv").write_text("client,affected\nSam,right\nAna,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "json", "-o", out)
    assert result.exit_code == 0, result.output

    def sides(name: str) -> list[str]:
        data = json.loads((out / name).read_text(encoding="utf-8"))
        return [line["side"] for phase in data["phases"] for s in phase["sessions"] for line in s["exercises"]]

    assert sides("acl-sam.json") == ["right", "left"]
    assert sides("acl-ana.json") == ["left", "right"]


def test_two_clients_of_one_name_never_share_a_calendar_event(protocol, tmp_path):
    from icalendar import Calendar

    (tmp_path / "clients.csv").write_text("client\nSam Lee\nSam Lee\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(protocol, "--clients", tmp_path / "clients.csv", "--to", "ics", "-o", out)
    assert result.exit_code == 0, result.output

    def uids(name: str) -> set[str]:
        return {str(e["UID"]) for e in Calendar.from_ical((out / name).read_bytes()).walk("VEVENT")}

    first, second = uids("knee-sam-lee.ics"), uids("knee-sam-lee-2.ics")
    assert first and second and not first & second
