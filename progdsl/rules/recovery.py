"""S302: a rest day between strengthening sessions for the same muscles.

The check walks the dated plan (see `progdsl.plan`); without a `start` line the
plan starts on a Monday, which is what the planner does too, so weekdays agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from ..wording import full_day_name
from .base import WARNING, rule

if TYPE_CHECKING:
    from ..plan import DayDose

# Strengthening, for this rule: the categories that load a muscle to fatigue, at stage 2 or 3.
STRENGTHENING = ("strength", "core")


@rule("S302", "strengthening-on-consecutive-days", WARNING, "The same muscles are strengthened two days running.")
def strengthening_on_consecutive_days(program, ctx):
    """
    What it checks
        Stage 2 and 3 strength and core exercises, day by day through the dated plan: an
        exercise done on the day after any such exercise that works one of the same
        targets (muscles or regions in the registry). Each line is reported once, at the
        first such day. Activation, mobility, stretching, release and cardio are exempt
        and may be done daily. Phase boundaries count: Sunday of one phase and Monday of
        the next are consecutive. `4x/week` falls on mon wed fri sun, so it has such a pair.

    Why it matters
        Muscles get stronger while they recover, not while they work. Strengthening the
        same muscles without a rest day between sessions piles up fatigue and soreness;
        a rest day, or light walking or swimming, lets them recover.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session daily:
            glute_bridge 3x12 rest 60s

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s

    Where this comes from
        [ACSM 2011] and [ACSM 2009] advise resistance training of each muscle group on
        2-3 days a week, and summaries of [ACSM 2011] add 48 hours or more between
        sessions for the same muscles; [WHO 2020] asks for muscle strengthening on 2 or
        more days a week. Activation, mobility and stretching are exempt because they
        load little: [Conway (CCHN)] prescribes activation daily, and [ACSM 2011] finds
        daily stretching most effective. Treating any two consecutive days as too close,
        whatever the dose, is a clinical judgement.
    """
    plan = ctx.plan
    if plan is None:
        return
    lines = {p.span.line: p for _, _, p in program.prescriptions()}
    by_date: defaultdict[dt.date, list[DayDose]] = defaultdict(list)
    for session in plan.sessions:
        by_date[session.date] += [
            d for d in session.exercises if d.exercise.category in STRENGTHENING and d.exercise.stage >= 2
        ]
    reported: set[int] = set()
    for date in sorted(by_date):
        # 0001-01-01 has no day before it that a date can hold
        before = by_date.get(date - dt.timedelta(days=1), ()) if date > dt.date.min else ()
        for today in by_date[date]:
            if today.line in reported:
                continue
            for yesterday in before:
                shared = [t for t in today.exercise.targets if t in yesterday.exercise.targets]
                if not shared:
                    continue
                reported.add(today.line)
                p = lines[today.line]
                week = (date - plan.start).days // 7 + 1
                muscles = " and ".join(t.replace("_", " ") for t in shared[:2])
                if yesterday.line == today.line:
                    the_day_before = full_day_name(date - dt.timedelta(days=1))
                    when = f"on consecutive days ({the_day_before} and {full_day_name(date)} of week {week})"
                else:
                    when = (
                        f"on {full_day_name(date)} of week {week}, "
                        f"the day after `{lines[yesterday.line].written_name}` does"
                    )
                yield ctx.report(
                    p.name_span,
                    f"`{p.written_name}` strengthens {muscles} {when}, with no rest day between",
                    "strengthen the same muscles every other day, such as `on mon wed fri`; "
                    "activation, mobility and stretching may be daily",
                )
                break


RULES = (strengthening_on_consecutive_days,)
