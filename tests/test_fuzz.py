"""No input makes the checker raise: random and mutated programs give diagnostics or a clean check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import LANGUAGE_EXAMPLE, PROGRAMS

from progdsl import clock, load_bytes
from progdsl.diagnostics import render_text

SEEDS = [LANGUAGE_EXAMPLE] + [path.read_text(encoding="utf-8") for path in sorted(PROGRAMS.glob("*.prog"))]

# Pieces of the language, so random text often gets deep into the grammar.
WORDS = [
    "program",
    "client",
    "clinician",
    "start",
    "timezone",
    "time",
    "equipment",
    "flags",
    "cleared",
    "caution",
    "note",
    "allow",
    "set",
    "phase",
    "session",
    "at",
    "daily",
    "on",
    "every",
    "each",
    "per",
    "side",
    "rest",
    "hold",
    "tempo",
    "band",
    "load",
    "bodyweight",
    "progress",
    "from",
    "to",
    "over",
    "times",
    "a",
    "week",
    "clam_shell",
    "plank",
    "walking",
    "glute_bridge",
    "mon",
    "wed",
    "green",
    "mini_band",
    "3x12",
    "3x10-15",
    "3×45–60s",
    "20min",
    "2w",
    "10d",
    "30-60s",
    "8kg",
    "4x/week",
    "2026-12-07",
    "2026-02-30",
    "07:30",
    "25:99",
    "3-1-3",
    "S201",
    "E999",
    "25%",
    '"text"',
    '"',
    ":",
    ",",
    "(",
    ")",
    "#",
    "\n",
    "\n  ",
    "\n    ",
    "\t",
    " ",
    "\u00a0",
    "с",
    "×",
    "–",
    "\x00",
    "\r",
    "\ufeff",
    "99999x99999",
    "0x0",
    "1e9",
    "-",
    "\\",
]

token_soup = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)


@st.composite
def mutated_program(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["delete", "insert", "replace", "duplicate_line"]))
        if action == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(WORDS)).encode("utf-8")
        elif action == "replace":
            data[at] = draw(st.integers(0, 255))
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            data[start:start] = data[start : end + 1 if end >= 0 else len(data)]
    return bytes(data)


def assert_well_formed(data: bytes) -> None:
    result = load_bytes(data, "fuzz.prog")
    line_count = max(len(result.source.lines), 1)
    for diagnostic in result.diagnostics:
        assert diagnostic.code and diagnostic.message
        assert 1 <= diagnostic.span.line <= line_count + 1, diagnostic
        assert diagnostic.span.col >= 1, diagnostic
        render_text(diagnostic, result.source)
    assert result.ok == (result.program is not None)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(token_soup)
def test_random_token_soup(text):
    assert_well_formed(text.encode("utf-8"))


@FUZZ
@given(mutated_program())
@example(b'program "T"\nphase "P" 2w daily:\n  figure_four_stretch 3x4\r-60s each side\n')  # a token across lines
@example(b'program "Ten years"\nphase "Long" 3650d daily:\n' + b"  walking 20min\n" * 30)  # E215: plan too large
@example(b'program "T"\nequipment mat\nphase "P" 2w daily:\n  Clam-Shell 3x12 each side\n')  # was E101
# Numbers and dates at the edges (E214, E125), which raised or crashed a rule:
@example(b'program "T"\nphase "P" 2w daily:\n  clam_shell 3x1' + b"0" * 1000 + b" each side\n")
@example(b'program "T"\nphase "P" 2w daily:\n  clam_shell 3x12 each side rest 1' + b"0" * 307 + b"h\n")
@example(b'program "T"\nphase "P" 2w daily:\n  walking 1' + b"0" * 307 + b"h\n")
@example(b'program "T"\nphase "P" 2w daily:\n  clam_shell 3x12 each side tempo ' + b"9" * 400 + b"-1-1\n")
@example(
    b'program "T"\nset weekly_increase_limit ' + b"9" * 400 + b'%\nphase "P" 2w daily:\n'
    b"  clam_shell 3x12 each side progress from 8 over 2w\n"
)
@example(b'program "T"\ntime 07:00\nset reminder 99999999999999999999h\nphase "P" 2w daily:\n  walking 20min\n')
@example(b'program "T"\nstart 9999-12-31\nphase "P" 2w daily:\n  plank 3x20s\n')
@example(b'program "T"\nstart 0001-01-01\nphase "P" 2w daily:\n  plank 3x20s\n')
def test_mutated_example_programs(data):
    assert_well_formed(data)


@FUZZ
@given(st.binary(max_size=400))
@example(b"\0" * 2_000_001)  # /dev/zero, read up to the limit and one byte more: E005
def test_random_bytes(data):
    assert_well_formed(data)


@FUZZ
@given(st.text(max_size=60) | st.integers(min_value=-(10**20), max_value=10**20).map(str))
@example("²")  # int() refuses it although str.isdigit() takes it
@example("٣")  # int() reads it as 3
@example("99999999999999")  # after the year 9000
@example("9" * 400)
@example("9" * 5000)  # int() refuses strings of over 4,300 digits
def test_source_date_epoch_is_a_time_or_an_epoch_error(value):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", value.replace("\x00", ""))
        try:
            moment = clock.source_date_epoch()
        except clock.EpochError:
            return
    assert moment is None or dt.datetime(1970, 1, 1, tzinfo=dt.UTC) <= moment < clock.LATEST


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "BEGIN:VEVENT",
                "END:VEVENT",
                "UID:a",
                "UID:b",
                "SEQUENCE:1",
                "SEQUENCE:²",
                "SEQUENCE:٣",
                "SEQUENCE:" + "9" * 5000,
                "SEQUENCE;X=1:2",
                "X-PROGDSL-CONTENT:h",
                "DTSTART:20270301T080000",
                "DTSTART;VALUE=DATE:20270301",
                "DTSTART;TZID=Nowhere/Land:20270301T080000",
                "DTSTART:tomorrow",
                "DTEND:20270301T070000Z",
                "SUMMARY:x\\, y",
                "BEGIN:VALARM",
                "END:VALARM",
                "\u00e9",
                " folded",
            ]
        ),
        max_size=30,
    ).map("\r\n".join)
)
@example("BEGIN:VEVENT\r\nUID:a\r\nSEQUENCE:²\r\nEND:VEVENT")  # int() refuses `²`
def test_a_previous_calendar_is_read_or_passed_over(text):
    """Each event read back has a usable SEQUENCE, and cancelling it gives an event or None, never an error."""
    from progdsl.backends.ics import _cancelled, _previous_events

    for uid, previous in _previous_events(text.encode()).items():
        assert uid and 0 <= previous.sequence < 10**9
        cancelled = _cancelled(previous)
        if cancelled is not None:
            cancelled.to_ical()


@FUZZ
@given(st.binary(min_size=1, max_size=40).filter(lambda name: b"/" not in name and b"\x00" not in name))
@example(b"caf\xe9")  # Latin-1: the JSON backend raised UnicodeEncodeError
def test_any_file_name_is_json_text(name):
    import json
    import os

    from progdsl.backends.json import _file_name

    json.dumps({"name": _file_name(os.fsdecode(name))}, ensure_ascii=False).encode("utf-8")
