"""The JSON backend: the whole plan as one document, described by `plan.schema.json`.

Same plan, same bytes: keys are sorted, lists keep the plan's order (the
schedule in date order), nothing depends on the time of the build, and the
file ends with a newline. `progdsl schema` prints the schema.

orjson writes the document: with indentation, Python's own encoder falls back to its
pure-Python loop, about forty times slower for a year of sessions. The bytes are the ones
`json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)` gives: the two
differ only in how they spell a float under 1e-4 (`0.00001` against `1e-05`) and an
infinity or NaN (`null` against `Infinity`), and such a float is handed to orjson as
Python's own spelling (`_exact`). What orjson refuses (a number too large for 64 bits)
goes through Python's encoder, as before.
"""

from __future__ import annotations

import math
import os

import orjson

from .. import model
from ..plan import (
    AllowRecord,
    DayDose,
    Plan,
    PlannedPhase,
    PlannedSession,
    weekdays_of,
)
from ..registry import Exercise, Limits
from ..units import Range
from ..vocabulary import LIMIT_KEYS, Weekday
from ..wording import describe_dose, describe_frequency
from . import RenderOptions

SCHEMA_VERSION = 1
_FORMS = {model.Daily: "daily", model.TimesAWeek: "times_a_week", model.OnDays: "on_days", model.Every: "every_n_days"}


def schema_text() -> str:
    """The JSON Schema that every document this backend writes validates against."""
    from importlib import resources

    return resources.files("progdsl").joinpath("data", "plan.schema.json").read_text(encoding="utf-8")


# orjson spells floats from here up to infinity as Python's json does.
_PLAIN_FLOATS = 1e-4


class _SpeltByPython(float):
    """A float that orjson would spell otherwise than Python's json (see the module's
    docstring). orjson hands a float subclass to `_as_python`; Python's json writes it as a float."""


def _as_python(value: object) -> orjson.Fragment:
    if isinstance(value, _SpeltByPython):
        return orjson.Fragment(float.__repr__(value).replace("inf", "Infinity").replace("nan", "NaN").encode())
    raise TypeError(f"{type(value).__name__} is not JSON")


def _exact(value):
    """A number as the document holds it: marked when orjson would spell it otherwise."""
    if value.__class__ is float and value != 0.0 and not _PLAIN_FLOATS <= abs(value) < math.inf:
        return _SpeltByPython(value)
    return value


def _range(value: Range | None) -> list | None:
    if value is None:
        return None
    low, high = value.low, value.high
    if low.__class__ is float or high.__class__ is float:
        return [_exact(low), _exact(high)]
    return [low, high]


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def _time(value) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _frequency(frequency: model.Frequency | None) -> dict[str, str | int | list[str]] | None:
    if frequency is None:
        return None
    found: dict[str, str | int | list[str]] = {"form": _FORMS[type(frequency)], "text": describe_frequency(frequency)}
    weekdays = weekdays_of(frequency)
    if weekdays is not None:
        found["weekdays"] = [Weekday(day).code for day in weekdays]
    if isinstance(frequency, model.TimesAWeek):
        found["count"] = frequency.count
    if isinstance(frequency, model.Every):
        found["days"] = frequency.days
    return found


def _limits(limits: Limits) -> dict:
    return {key: _range(limits.get(key)) for key in LIMIT_KEYS if limits.get(key) is not None}


def _exercise(exercise: Exercise) -> dict:
    return {
        "name": exercise.name,
        "aliases": list(exercise.aliases),
        "category": exercise.category,
        "doses": list(exercise.dose),
        "one_sided": exercise.one_sided,
        "equipment": list(exercise.equipment),
        "targets": list(exercise.targets),
        "stage": exercise.stage,
        "recommended": _limits(exercise.recommended),
        "safe": _limits(exercise.safe),
        "instructions": list(exercise.instructions),
        "cautions": list(exercise.cautions),
        "easier": list(exercise.easier),
        "harder": list(exercise.harder),
        "origin": exercise.origin,
    }


def _allow(record: AllowRecord) -> dict:
    return {"code": record.code, "reason": record.reason, "where": record.where, "line": record.line}


def _file_name(name: str) -> str:
    """A file name as JSON text. A name that is not UTF-8 on disk reaches Python with its
    bytes as lone surrogates (surrogateescape), which JSON cannot encode as UTF-8: each
    such byte becomes U+FFFD here; the output files keep the name's own bytes."""
    return os.fsencode(name).decode("utf-8", "replace")


def _program(plan: Plan) -> dict:
    program = plan.program
    return {
        "title": program.title,
        "client": program.client,
        "clinician": program.clinician,
        "name": _file_name(plan.name),
        "start": _date(plan.start),
        "end": _date(plan.end),
        "days": (plan.end - plan.start).days + 1,
        "timezone": program.timezone,
        "time": _time(program.time),
        "equipment": [{"name": item.name, "options": list(item.options)} for item in program.equipment],
        "flags": [flag for flag, _span in program.flags],
        "cleared": ({"by": program.cleared.by, "date": _date(program.cleared.date)} if program.cleared else None),
        "cautions": [remark.text for remark in program.cautions],
        "notes": [remark.text for remark in program.notes],
        "settings": {setting.key: _exact(setting.value) for setting in program.settings},
        "allows": [_allow(record) for record in plan.allows],
        "affected": program.affected.value if program.affected else None,
        "log": [{"item": entry.item.value if entry.item else None, "text": entry.text} for entry in program.log],
    }


def _number(value):
    return int(value) if value == int(value) else _exact(float(value))


def _progression(progression: model.Progression | None) -> dict | None:
    if progression is None:
        return None
    loads = progression.loads
    return {
        "moves": str(progression.moves),
        "start": _range(progression.start),
        "end": _range(progression.end),
        "step": _number(progression.step),
        "days": progression.days,
        "weekly": progression.weekly or progression.stepped,
        "taper": progression.taper,
        "sets": list(progression.sets) if progression.sets else None,
        "load": (
            {"start": _number(loads[0].amount), "end": _number(loads[1].amount), "unit": loads[0].unit}
            if loads
            else None
        ),
        "bands": list(progression.bands) or None,
    }


def _circuit(circuit: model.Circuit | None) -> dict | None:
    if circuit is None:
        return None
    rest = circuit.rest.seconds if circuit.rest else None
    return {"name": circuit.name, "rounds": circuit.rounds, "rest_s": _range(rest), "number": circuit.number}


def _line(prescription: model.Prescription, session: model.Session) -> dict:
    return {
        "id": prescription.exercise.id,
        "line": prescription.span.line,
        "frequency": _frequency(prescription.frequency or session.frequency),
        "side": prescription.side.side.value if prescription.side else None,
        "rpe": _range(prescription.rpe),
        "pain_limit": _exact(prescription.pain_limit),
        "circuit": _circuit(prescription.circuit),
        "progression": _progression(prescription.progression),
    }


def _phase(planned: PlannedPhase, phase_time) -> dict:
    phase = planned.phase
    return {
        "name": phase.name,
        "start": _date(planned.start),
        "end": _date(planned.end),
        "days": phase.days,
        "frequency": _frequency(phase.frequency),
        "notes": [remark.text for remark in phase.notes],
        "cautions": [remark.text for remark in phase.cautions],
        "sessions": [
            {
                "name": session.name,
                "frequency": _frequency(session.frequency),
                "time": _time(session.time),
                "per_day": session.per_day,
                "times": [_time(t) for t in session.occurrence_times(phase_time) if t is not None],
                "notes": [remark.text for remark in session.notes],
                "cautions": [remark.text for remark in session.cautions],
                "exercises": [_line(p, session) for p in session.prescriptions],
            }
            for session in phase.sessions
        ],
    }


def _day_dose(dose: DayDose) -> dict:
    return {
        "id": dose.exercise.id,
        "name": dose.exercise.name,
        "sets": dose.sets,
        dose.kind.limit_key: _range(dose.amount),
        "each_side": dose.each_side,
        "rest_s": _range(dose.rest_s),
        "hold_per_rep_s": _range(dose.hold_per_rep_s),
        "tempo": dose.tempo,
        "band": dose.band,
        "load": {"amount": _exact(dose.load.amount), "unit": dose.load.unit} if dose.load else None,
        "bodyweight": dose.bodyweight,
        "note": "\n".join(dose.notes) or None,
        "dose": describe_dose(dose),
        "reps_in_steps": dose.steps,
        "side": dose.side.value if dose.side else None,
        "rpe": _range(dose.rpe),
        "pain_limit": _exact(dose.pain_limit),
        "circuit": _circuit(dose.circuit),
    }


def _session(planned: PlannedSession, days: dict[int, list[dict]]) -> dict:
    # Days with the same doses share them in the plan: each is written out once (`days`, by identity).
    exercises = days.get(id(planned.exercises))
    if exercises is None:
        exercises = days[id(planned.exercises)] = [_day_dose(dose) for dose in planned.exercises]
    return {
        "date": _date(planned.date),
        "weekday": Weekday(planned.date.weekday()).code,
        "time": _time(planned.time),
        "phase": planned.phase,
        "session": planned.session,
        "key": planned.key,
        "occurrence": planned.occurrence,
        "per_day": planned.per_day,
        "exercises": exercises,
    }


def plan_document(plan: Plan) -> dict:
    """The plan as plain JSON data, shaped as `plan.schema.json` describes. Days with the same
    doses share one list of them."""
    days: dict[int, list[dict]] = {}
    return {
        "schema": SCHEMA_VERSION,
        "program": _program(plan),
        "exercises": {exercise.id: _exercise(exercise) for exercise in plan.exercises},
        "phases": [_phase(phase, plan.program.time) for phase in plan.phases],
        "schedule": [_session(session, days) for session in plan.sessions],
    }


class JsonBackend:
    name = "json"
    suffix = ".json"
    media_type = "application/json"
    guarded = False  # a document of the plan's values, written by orjson

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        return encode(plan_document(plan))


def encode(document: dict) -> bytes:
    """The document as UTF-8 JSON text: keys sorted, indented by two spaces, a newline at the end."""
    try:
        return orjson.dumps(
            document, _as_python, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
        )
    except orjson.JSONEncodeError:  # an integer past 64 bits, which Python's encoder writes
        import json

        return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
