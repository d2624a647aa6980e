"""A day's dose in words, the same in every backend.

Two forms of one `progdsl.plan.DayDose`:

    describe_dose(d)           3 × 12 each side, hold 3 s, green band, rest 30–60 s
    describe_dose_in_words(d)  3 sets of 12, each side · hold each repetition 3 s · green band
                               · rest 30–60 s between sets

The first is for tables and calendars, the second for the client's handout.
Ranges use an en dash, numbers drop trailing zeros (2.5 kg, 8 kg).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plan import DayDose

_SHORT_UNIT = {"reps": "", "hold": " s", "duration": " min"}
_SET_WORDS = {"reps": ("set", "sets"), "hold": ("hold", "holds"), "duration": ("bout", "bouts")}
_AMOUNT_UNIT = {"reps": "", "hold": " seconds", "duration": " minutes"}


def describe_amount(d: DayDose) -> str:
    """`3 × 12`, `3 × 45–60 s`, `20 min` (a single bout has no sets)."""
    amount = f"{d.amount}{_SHORT_UNIT[d.kind]}"
    return amount if d.kind == "duration" and d.sets == 1 else f"{d.sets} × {amount}"


def describe_resistance(d: DayDose) -> str | None:
    """`green band`, `8 kg`, `bodyweight`, or None when the line names no resistance."""
    parts = []
    if d.band:
        parts.append(f"{d.band} band")
    if d.load:
        parts.append(f"{d.load.amount:g} {d.load.unit}")
    if d.bodyweight:
        parts.append("bodyweight")
    return ", ".join(parts) or None


def describe_dose(d: DayDose) -> str:
    """The compact form: `3 × 12 each side, hold 3 s, green band, rest 30–60 s`."""
    head = describe_amount(d) + (" each side" if d.each_side else "")
    details = [
        f"hold {d.hold_per_rep_s} s" if d.hold_per_rep_s else None,
        f"tempo {d.tempo}" if d.tempo else None,
        describe_resistance(d),
        f"rest {d.rest_s} s" if d.rest_s else None,
    ]
    return ", ".join([head, *(part for part in details if part)])


def describe_dose_in_words(d: DayDose) -> str:
    """The handout's form: `3 sets of 12, each side · rest 30–60 s between sets`."""
    amount = f"{d.amount}{_AMOUNT_UNIT[d.kind]}"
    if d.kind == "duration" and d.sets == 1:
        head = amount
    else:
        one, many = _SET_WORDS[d.kind]
        head = f"{d.sets} {one if d.sets == 1 else many} of {amount}"
    if d.each_side:
        head += ", each side"
    details = [
        f"hold each repetition {d.hold_per_rep_s} s" if d.hold_per_rep_s else None,
        f"tempo {d.tempo} (seconds lowering, pausing, lifting)" if d.tempo else None,
        describe_resistance(d),
        f"rest {d.rest_s} s between sets" if d.rest_s else None,
    ]
    return " · ".join([head, *(part for part in details if part)])
