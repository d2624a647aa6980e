"""A day's dose in words: the compact form and the handout's plain form."""

from __future__ import annotations

import pytest
from support import day_dose

from progdsl.model import Load
from progdsl.plan import DayDose
from progdsl.units import Range
from progdsl.wording import calendar_title, describe_dose, describe_dose_in_words, in_a_list, in_sentence


def dose(kind="reps", sets=3, amount=(12, 12), **changes) -> DayDose:
    return day_dose(kind, sets, amount, **changes)


@pytest.mark.parametrize(
    "day, compact, in_words",
    [
        (
            dose(each_side=True, rest_s=Range(30, 60)),
            "3 × 12 each side, rest 30–60 s",
            "3 sets of 12, each side · rest 30–60 s between sets",
        ),
        (
            dose(amount=(10, 15), band="green", rest_s=Range(60, 60)),
            "3 × 10–15, green band, rest 60 s",
            "3 sets of 10–15 · green band · rest 60 s between sets",
        ),
        (
            dose(kind="hold", amount=(45, 60), each_side=True),
            "3 × 45–60 s each side",
            "3 holds of 45–60 seconds, each side",
        ),
        (dose(kind="hold", sets=1, amount=(30, 30)), "1 × 30 s", "1 hold of 30 seconds"),
        (dose(kind="duration", sets=1, amount=(20, 20)), "20 min", "20 minutes"),
        (dose(kind="duration", sets=2, amount=(10, 10)), "2 × 10 min", "2 bouts of 10 minutes"),
        (
            dose(hold_per_rep_s=Range(3, 3), tempo="3-1-3", load=Load(2.5, "kg", None)),
            "3 × 12, hold 3 s, tempo 3-1-3, 2.5 kg",
            "3 sets of 12 · hold each repetition 3 s · tempo 3-1-3 (seconds lowering, pausing, lifting) · 2.5 kg",
        ),
        (
            dose(bodyweight=True, load=Load(8, "kg", None)),
            "3 × 12, 8 kg, bodyweight",
            "3 sets of 12 · 8 kg, bodyweight",
        ),
    ],
)
def test_every_form_in_both_wordings(day, compact, in_words):
    assert describe_dose(day) == compact
    assert describe_dose_in_words(day) == in_words


@pytest.mark.parametrize(
    "name, inside",
    [
        ("Glute activation", "glute activation"),
        ("A walk", "a walk"),
        ("Cat-camel", "cat-camel"),
        ("ACL rehab", "ACL rehab"),
        ("McKenzie press-ups", "McKenzie press-ups"),
        ("stretch", "stretch"),
        ("腰痛", "腰痛"),
    ],
)
def test_a_name_inside_a_sentence(name, inside):
    assert in_sentence(name) == inside


def test_calendar_titles_list_the_sessions():
    assert in_a_list(["a"]) == "a" and in_a_list(["a", "b"]) == "a and b" and in_a_list("abc") == "a, b and c"
    assert calendar_title(["Glute activation"], 5) == "Home exercises: glute activation, 5 min"
    assert calendar_title(["Neutral pelvis", "Flexibility"], 17) == (
        "Home exercises: neutral pelvis and flexibility, 17 min"
    )
