"""The JSON backend: content, schema and reproducible bytes."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS

from progdsl import loads
from progdsl.backends import RenderOptions
from progdsl.backends.json import JsonBackend, schema_text
from progdsl.cli import main
from progdsl.plan import build_plan

SCHEMA = json.loads(schema_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

# Every modifier and dose form at least once, so the schema is tried on all of them.
EVERY_FORM = """\
program "Every form"
client "Kim"
clinician "Jo"
start 2026-12-07
timezone "Europe/London"
equipment mat, kettlebell, mini_band(green)
flags radiating_pain
cleared "Dr Lee" 2026-12-01
caution "Stop if it hurts."
note "Two notes, the second one."
note "Second."
set page_size letter
set reminder 15min
set reminder_at 7:05
allow S102 "Reviewed in clinic"

phase "A" 2w 3x/week:
  note "Phase note"
  caution "Phase caution"
  session "Strength" at 18:00:
    goblet_squat 3x8-10 load 8kg rest 60-90s tempo 3-1-3 progress from 6 over 2w
    glute_bridge 3x10 band green hold 2s note "Squeeze at the top" note "Breathe out"
    squat 2x10 bodyweight on tue sat
  session "Walk" every 2 days:
    walking 20min progress to 30min over 10d
  session:
    plank 3x20-30s every 3 days
"""


def document(text: str, name: str = "t.prog") -> dict:
    result = loads(text, name)
    assert result.ok, [f"{d.code} {d.message}" for d in result.errors]
    return json.loads(JsonBackend().render(build_plan(result.program), RenderOptions()))


def example_texts() -> list[tuple[str, str]]:
    shipped = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(PROGRAMS.glob("*.prog"))]
    return [*shipped, ("language.prog", LANGUAGE_EXAMPLE), ("every_form.prog", EVERY_FORM)]


def test_the_schema_is_a_valid_draft_2020_12_schema_with_a_version():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema"] == {"const": 1, "description": "Version of this schema."}


@pytest.mark.parametrize("name, text", example_texts(), ids=[name for name, _ in example_texts()])
def test_every_output_validates_against_the_schema(name, text):
    errors = sorted(VALIDATOR.iter_errors(document(text, name)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_schema_rejects_what_it_does_not_describe():
    doc = document(LANGUAGE_EXAMPLE)
    doc["schedule"][0]["exercises"][0]["hold_s"] = [10, 10]  # reps and hold_s at once
    assert not VALIDATOR.is_valid(doc)
    doc = document(LANGUAGE_EXAMPLE)
    doc["program"]["surprise"] = True
    assert not VALIDATOR.is_valid(doc)


def test_program_metadata():
    program = document(EVERY_FORM)["program"]
    assert program == {
        "title": "Every form",
        "client": "Kim",
        "clinician": "Jo",
        "name": "t",
        "start": "2026-12-07",
        "end": "2026-12-20",
        "days": 14,
        "timezone": "Europe/London",
        "time": None,
        "equipment": [
            {"name": "mat", "options": []},
            {"name": "kettlebell", "options": []},
            {"name": "mini_band", "options": ["green"]},
        ],
        "flags": ["radiating_pain"],
        "cleared": {"by": "Dr Lee", "date": "2026-12-01"},
        "cautions": ["Stop if it hurts."],
        "notes": ["Two notes, the second one.", "Second."],
        "settings": {"page_size": "letter", "reminder": 900, "reminder_at": "07:05"},
        "allows": [{"code": "S102", "reason": "Reviewed in clinic", "where": "program", "line": 15}],
        "affected": None,
        "log": [],
    }


def test_seed_000_schedule_in_date_order_with_each_days_dose():
    doc = document((PROGRAMS / "glutes_sore_back.prog").read_text(encoding="utf-8"), "glutes_sore_back.prog")
    schedule = doc["schedule"]
    assert len(schedule) == 22
    assert [s["date"] for s in schedule] == sorted(s["date"] for s in schedule)
    first, last_clam = schedule[0], [s for s in schedule if s["exercises"][0]["id"] == "clam_shell"][-1]
    assert first == {
        "date": "2026-12-07",
        "weekday": "mon",
        "time": "07:30",
        "phase": "Activate and stretch",
        "session": "Glute activation",
        "key": "activate-and-stretch/glute-activation",
        "occurrence": 1,
        "per_day": 1,
        "exercises": [
            {
                "id": "clam_shell",
                "name": "Clam shell",
                "sets": 3,
                "reps": [8, 8],
                "each_side": True,
                "rest_s": [30, 60],
                "hold_per_rep_s": [1, 1],
                "tempo": None,
                "band": None,
                "load": None,
                "bodyweight": False,
                "note": None,
                "dose": "3 × 8 each side, hold 1 s, rest 30–60 s",
                "reps_in_steps": False,
                "side": None,
                "rpe": None,
                "pain_limit": None,
                "circuit": None,
            }
        ],
    }
    assert (last_clam["date"], last_clam["exercises"][0]["reps"]) == ("2026-12-20", [12, 12])
    stretch = [s for s in schedule if s["session"] == "Glute stretch"]
    assert len(stretch) == 8 and {s["weekday"] for s in stretch} == {"mon", "wed", "fri", "sun"}
    assert stretch[0]["exercises"][0]["hold_s"] == [45, 60] and stretch[0]["time"] == "18:00"
    assert stretch[0]["exercises"][0]["note"] == "Sit tall, then hinge forward at the hips for a deeper stretch."


def test_exercises_are_the_registry_entries_used_keyed_by_id():
    exercises = document(LANGUAGE_EXAMPLE)["exercises"]
    assert list(exercises) == sorted(
        ["clam_shell", "figure_four_stretch", "glute_bridge", "dead_bug", "bird_dog", "plank"]
    )
    clam = exercises["clam_shell"]
    assert clam["name"] == "Clam shell" and clam["category"] == "activation"
    assert clam["instructions"] and clam["cautions"] and isinstance(clam["easier"], list)


def test_the_weekday_choice_for_times_a_week_is_in_the_output():
    phases = document(LANGUAGE_EXAMPLE)["phases"]
    stretch = phases[0]["sessions"][1]
    assert stretch["frequency"] == {
        "form": "times_a_week",
        "count": 4,
        "weekdays": ["mon", "wed", "fri", "sun"],
        "text": "4x/week (mon wed fri sun)",
    }
    assert stretch["exercises"] == [
        {
            "id": "figure_four_stretch",
            "line": 15,
            "frequency": stretch["frequency"],
            "progression": None,
            "side": None,
            "rpe": None,
            "pain_limit": None,
            "circuit": None,
        }
    ]
    assert phases[1]["sessions"][0]["frequency"] == {
        "form": "on_days",
        "weekdays": ["mon", "wed", "fri"],
        "text": "on mon wed fri",
    }
    assert phases[0]["sessions"][0]["exercises"][0]["progression"] == {
        "moves": "amount",
        "start": [8, 8],
        "end": [12, 12],
        "step": 1,
        "days": 14,
        "weekly": False,
        "taper": False,
        "sets": None,
        "load": None,
        "bands": None,
    }


def test_every_dose_form_and_modifier():
    doc = document(EVERY_FORM)
    by_id = {}
    for session in doc["schedule"]:
        for dose in session["exercises"]:
            by_id.setdefault(dose["id"], dose)
    assert by_id["goblet_squat"]["load"] == {"amount": 8, "unit": "kg"}
    assert by_id["goblet_squat"]["tempo"] == "3-1-3" and by_id["goblet_squat"]["reps"] == [6, 8]
    assert (
        by_id["glute_bridge"]["band"] == "green" and by_id["glute_bridge"]["note"] == "Squeeze at the top\nBreathe out"
    )
    assert by_id["squat"]["bodyweight"] is True
    assert by_id["walking"]["duration_min"] == [20, 20] and by_id["walking"]["dose"] == "20 min"
    assert by_id["plank"]["hold_s"] == [20, 30] and by_id["plank"]["rest_s"] is None
    walk = doc["phases"][0]["sessions"][1]
    assert walk["frequency"] == {"form": "every_n_days", "days": 2, "text": "every 2 days"}
    assert doc["phases"][0]["frequency"]["form"] == "times_a_week"


def test_same_input_same_bytes(monkeypatch):
    result = loads(LANGUAGE_EXAMPLE, "glutes.prog")
    first = JsonBackend().render(build_plan(result.program), RenderOptions())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    later = RenderOptions(timestamp=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), previous=b"{}")
    again = JsonBackend().render(build_plan(loads(LANGUAGE_EXAMPLE, "glutes.prog").program), later)
    assert first == again
    assert first.endswith(b"}\n") and not first.endswith(b"\n\n")
    text = first.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_built_twice_from_the_command_line_gives_identical_files(tmp_path):
    source = tmp_path / "glutes.prog"
    source.write_text(LANGUAGE_EXAMPLE, encoding="utf-8")
    for folder in ("one", "two"):
        outcome = CliRunner().invoke(main, ["build", str(source), "--to", "json", "-o", str(tmp_path / folder)])
        assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "one" / "glutes.json").read_bytes() == (tmp_path / "two" / "glutes.json").read_bytes()


def test_schema_command_prints_the_shipped_schema():
    outcome = CliRunner().invoke(main, ["schema"])
    assert outcome.exit_code == 0
    assert json.loads(outcome.output) == SCHEMA


def test_backend_contract():
    backend = JsonBackend()
    assert (backend.name, backend.suffix, backend.media_type) == ("json", ".json", "application/json")


def test_a_file_name_that_is_not_utf8_builds_json_with_replacement_characters(tmp_path):
    import os

    folder = os.fsencode(tmp_path)
    program = os.path.join(folder, b"caf\xe9.prog")  # Latin-1 on disk, not UTF-8
    with open(program, "wb") as file:
        file.write(LANGUAGE_EXAMPLE.encode())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", os.fsdecode(program), "--to", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output  # was UnicodeEncodeError in the JSON backend
    written = os.path.join(os.fsencode(out), b"caf\xe9.json")  # the file keeps the name's own bytes
    with open(written, "rb") as file:
        data = json.loads(file.read().decode("utf-8"))
    assert data["program"]["name"] == "caf\ufffd"


V2_PROGRESSIONS = """\
program "Progressions"
start 2026-12-07
equipment mat, dumbbell, mini_band(yellow, green, blue)
phase "Build" 4w on mon thu:
  plank 3x20s rest 60s progress to 30s by 5s weekly
  biceps_curl 3x10 each side load 3kg rest 60s progress to load 4kg over 4w
  glute_bridge 3x12 band yellow rest 60s progress to band blue over 4w
  dead_bug 2x8 each side rest 60s progress to 3x10 over 4w
phase "Deload" 1w on mon thu:
  glute_bridge 3x12 rest 60s taper to 8 over 1w
"""


def test_each_progression_carries_its_start_end_step_and_span_and_each_day_its_dose():
    doc = document(V2_PROGRESSIONS)
    VALIDATOR.validate(doc)
    lines = {e["line"]: e["progression"] for p in doc["phases"] for s in p["sessions"] for e in s["exercises"]}
    assert lines[5] == {
        "moves": "amount",
        "start": [20, 20],
        "end": [30, 30],
        "step": 5,
        "days": 21,
        "weekly": True,
        "taper": False,
        "sets": None,
        "load": None,
        "bands": None,
    }
    assert lines[6]["moves"] == "load" and lines[6]["load"] == {"start": 3, "end": 4, "unit": "kg"}
    assert lines[6]["step"] == 0.5
    assert lines[7]["moves"] == "band" and lines[7]["bands"] == ["yellow", "green", "blue"]
    assert lines[8]["moves"] == "sets" and lines[8]["sets"] == [2, 3] and lines[8]["end"] == [10, 10]
    assert lines[10]["taper"] is True and (lines[10]["start"], lines[10]["end"]) == ([12, 12], [8, 8])

    def daily(exercise_id, key):
        return [e[key] for s in doc["schedule"] for e in s["exercises"] if e["id"] == exercise_id]

    assert daily("plank", "hold_s") == [[20, 20]] * 2 + [[25, 25]] * 2 + [[30, 30]] * 4
    assert [load["amount"] for load in daily("biceps_curl", "load")] == [3, 3, 3.5, 3.5, 3.5, 3.5, 4, 4]
    assert daily("glute_bridge", "band")[:8] == ["yellow"] * 2 + ["green"] * 4 + ["blue"] * 2
    assert daily("dead_bug", "sets")[0] == 2 and daily("dead_bug", "sets")[-1] == 3
    assert daily("glute_bridge", "reps")[8:] == [[12, 12], [8, 8]]


def _python_json(document: dict) -> bytes:
    """What the backend wrote before orjson: Python's own encoder."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


NON_ASCII = EVERY_FORM.replace('program "Every form"', 'program "Rücken — Übungen für Zoë ✓"').replace(
    'client "Kim"', 'client "Ñúñez \\"Kim\\" O\'Brien"'
)


@pytest.mark.parametrize(("name", "text"), [*example_texts(), ("zoë_ñ.prog", NON_ASCII)], ids=lambda value: value[:30])
def test_orjson_writes_the_bytes_python_json_wrote_for_every_example(name, text):
    from progdsl.backends.json import plan_document

    result = loads(text, name)
    assert result.ok, [f"{d.code} {d.message}" for d in result.errors]
    plan = build_plan(result.program)
    written = JsonBackend().render(plan, RenderOptions())
    assert written == _python_json(plan_document(plan))
    VALIDATOR.validate(json.loads(written))


@pytest.mark.parametrize("value", [1e-05, -2.5e-07, 5e-324, float("inf"), float("-inf"), float("nan"), 0.5, 1e20])
def test_floats_orjson_spells_otherwise_are_written_as_python_json_writes_them(value):
    from progdsl.backends.json import _exact, encode

    document = {"a": [_exact(value), 3], "b": {"load": _exact(value)}}
    assert encode(document) == _python_json({"a": [value, 3], "b": {"load": value}})


def test_a_small_decimal_load_is_written_as_python_json_writes_it():
    from progdsl.backends.json import plan_document

    text = EVERY_FORM.replace("load 8kg", "load 0.00005kg")
    result = loads(text, "small.prog")
    assert result.ok, [f"{d.code} {d.message}" for d in result.errors]
    plan = build_plan(result.program)
    written = JsonBackend().render(plan, RenderOptions())
    assert b"5e-05" in written
    assert written == _python_json(plan_document(plan))


def test_what_orjson_refuses_goes_through_python_json():
    from progdsl.backends.json import encode

    assert encode({"big": 2**70, "é": "ü"}) == _python_json({"big": 2**70, "é": "ü"})
