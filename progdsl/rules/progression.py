"""S2xx: progressions that build too fast, go the wrong way, or outlast their phase.

Volume is sets × amount (repetitions, seconds held, or minutes) at the low end of
the written range. Doses are the planner's: worked out over the line's own sessions
(`progdsl.plan.progression_stages`), on the program's dates, else from a Monday.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from math import ceil

from .. import model
from ..plan import Stage, day_dose, final_stage, first_stage, progression_stages
from ..wording import days, percent, progression_change, progression_ends, stage_words, volume_words, written_days
from .base import ERROR, REFERENCE_MONDAY, WARNING, rule


def _volume(stage: Stage) -> float:
    return stage.sets * stage.amount.low


def _volumes(progression: model.Progression, dose: model.Dose) -> tuple[Fraction, Fraction]:
    """Sets × amount (low end) at the progression's start and end."""
    first, last = progression.sets or (dose.sets, dose.sets)
    return Fraction(first * progression.start.low), Fraction(last * progression.end.low)


def weekly_rise(progression: model.Progression, dose: model.Dose) -> Fraction:
    """The rise a progression makes in a week, as a share of the volume it starts from.

    It climbs evenly from start to end, so every week adds the same amount, and the
    first week's rise is the largest share of the dose before it. A weekly progression
    makes its rise in one step fewer than its weeks (the first week holds the start);
    one with `by STEP weekly` and no span adds one step a week. A span shorter than a
    week rises by the whole amount within one week."""
    start, end = _volumes(progression, dose)
    if progression.stepped or progression.weekly:
        weeks = Fraction(max(progression.weeks - 1, 1))
    else:
        weeks = Fraction(max(progression.days, 7), 7)
    return (end - start) / start / weeks


def phase_starts(program: model.Program) -> list[dt.date]:
    """Each phase's first date, as the plan has it (from a Monday without a `start` line)."""
    first = program.start or REFERENCE_MONDAY
    return [first + dt.timedelta(days=phase.first_day) for phase in program.phases]


def last_in_phase(phase: model.Phase, session: model.Session, p: model.Prescription, start: dt.date) -> Stage:
    """The line's dose on its last session in the phase."""
    if p.progression is None or p.progression.days <= phase.days:
        return final_stage(p)
    end = start + dt.timedelta(days=phase.days)
    inside = [stage for date, stage in progression_stages(p, session.frequency_for(p), start) if date < end]
    return inside[-1] if inside else first_stage(p)


@rule("S201", "progression-too-steep", WARNING, "A progression raises weekly volume faster than the limit (25%).")
def progression_too_steep(program, ctx):
    """
    What it checks
        Every `progress` on an exercise line. A progression from A to B over W weeks adds
        (B − A) / W each week; as a share of A, that is its first week's rise in volume
        (sets × repetitions, or total seconds held, or minutes; ranges are judged by their
        low end). A rise larger than `weekly_increase_limit` is reported: 25% unless the
        program says otherwise, such as `set weekly_increase_limit 30%`. A span shorter
        than a week counts as rising all at once. `3x12 progress from 8 over 2w` rises by
        2 a week from 8, exactly 25%, and passes.

    Why it matters
        Tissues adapt to load gradually. Sudden increases in training bring soreness,
        flare-ups and injury; a gradual build lets the client keep going.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x15 rest 60s progress from 5 over 10d

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 6w:
          session on mon wed fri:
            glute_bridge 3x15 rest 60s progress from 8 over 6w

    Where this comes from
        [Gabbett 2016] finds that rapid rises in training load, not training itself,
        cause a large share of soft-tissue injuries, and [ACSM 2011] holds that gradual
        progression lowers the risks of exercise. [ACSM 2009] raises a load by 2-10%
        once the client can do one or two repetitions more than the target. The 25%
        weekly limit on volume is a clinical judgement, not a published figure: home
        volumes are small (8 to 10 repetitions is already 25%), so a 10% limit would
        flag nearly every real step, and the limit can be set per program with `set
        weekly_increase_limit`.
    """
    limit = Fraction(ctx.setting("weekly_increase_limit")) / 100
    for _, _, p in program.prescriptions():
        progression = p.progression
        if progression is None or progression.moves not in (model.Moves.AMOUNT, model.Moves.SETS):
            continue
        start, end = _volumes(progression, p.dose)
        if end <= start:
            continue
        rise = weekly_rise(progression, p.dose)
        if rise <= limit:
            continue
        weeks = ceil((end - start) / start / limit) + (1 if progression.weekly or progression.stepped else 0)
        yield ctx.report(
            progression.span,
            f"`{p.written_name}` builds {progression_change(p.dose.kind, progression)} over "
            f"{days(progression.days)}: {percent(rise)} in the first week, more than the {percent(limit)} weekly limit",
            f"spread it over at least {weeks} weeks (`over {weeks}w`), or raise the limit for this program "
            "with `set weekly_increase_limit 30%`",
        )


def _sessions_a_week(frequency: model.Frequency) -> float:
    match frequency:
        case model.Daily():
            return 7
        case model.TimesAWeek(count=count):
            return count
        case model.OnDays(weekdays=weekdays):
            return len(weekdays)
        case model.Every(days=every):
            return 7 / every
    raise AssertionError(frequency)


def weekly_volumes(
    phase: model.Phase, start: dt.date, at_end: bool
) -> dict[tuple[str, str], tuple[float, model.Prescription]]:
    """Weekly volume of each (exercise id, dose kind) in a phase, at its first sessions or,
    with `at_end`, its last ones; with the exercise's first line in the phase."""
    volumes: dict[tuple[str, str], float] = defaultdict(float)
    first: dict[tuple[str, str], model.Prescription] = {}
    for session in phase.sessions:
        for p in session.prescriptions:
            key = (p.exercise.id, p.dose.kind)
            stage = last_in_phase(phase, session, p, start) if at_end else first_stage(p)
            volumes[key] += _sessions_a_week(session.frequency_for(p)) * _volume(stage)
            first.setdefault(key, p)
    return {key: (volume, first[key]) for key, volume in volumes.items()}


@rule("S202", "volume-jump-between-phases", WARNING, "Weekly volume of an exercise jumps from one phase to the next.")
def volume_jump_between_phases(program, ctx):
    """
    What it checks
        An exercise done in two phases in a row: its weekly volume on the last day of the
        first phase (sessions a week × sets × amount, at the low end of ranges) against its
        weekly volume on the first day of the next. A rise larger than
        `weekly_increase_limit` (25% by default) is reported on the exercise's first line
        in the later phase. More sessions a week count as more volume.

    Why it matters
        A new phase is where doses are easiest to raise without noticing: 3x8 three times
        a week becoming 3x12 every day is more than three times the work overnight.

    Example
        program "Bridges"
        equipment mat
        phase "Start" 2w:
          session on mon wed fri:
            glute_bridge 3x8 rest 60s
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x15 rest 60s

    Use instead
        program "Bridges"
        equipment mat
        phase "Start" 2w:
          session on mon wed fri:
            glute_bridge 3x8 rest 60s
        phase "Build" 3w:
          session on mon wed fri:
            glute_bridge 3x15 rest 60s progress from 10 over 3w

    Where this comes from
        The same basis as S201: [Gabbett 2016] on rapid rises in load and [ACSM 2011] on
        gradual progression. Judging the jump between phases against the weekly limit
        (25% unless set) is a clinical judgement: a new phase should not add more than a
        week of progression would.
    """
    limit = ctx.setting("weekly_increase_limit") / 100
    starts = phase_starts(program)
    for index, (earlier, later) in enumerate(zip(program.phases, program.phases[1:])):
        before = weekly_volumes(earlier, starts[index], at_end=True)
        for key, (after, p) in weekly_volumes(later, starts[index + 1], at_end=False).items():
            if key not in before:
                continue
            previous = before[key][0]
            rise = (after - previous) / previous
            if rise > limit:
                unit = volume_words(p.dose.kind)
                yield ctx.report(
                    p.name_span,
                    f'weekly volume of `{p.written_name}` jumps {percent(rise)} from phase "{earlier.name}" to '
                    f'"{later.name}" ({previous:.0f} to {after:.0f} {unit} a week), more than the {percent(limit)} limit',
                    "start the new phase near the old dose and build up with `progress from N over Nw`",
                )


@rule("S203", "progression-decreases", ERROR, "A progression lowers the dose.")
def progression_decreases(program, ctx):
    """
    What it checks
        A `progress from` whose starting value is above the written dose, or a
        `progress to` whose value is below it: the dose would go down day by day.

    Why it matters
        `progress` means building up, and the plan promises doses that never fall. A
        decreasing one is usually a slip (`from 15` where `from 5` was meant), and the
        client would start at the hardest dose. A dose lowered on purpose (a deload) is
        written with `taper`, which this rule leaves alone. The same holds for a load,
        a band colour earlier on the equipment line, or fewer sets.

    Example
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s progress from 15 over 2w

    Use instead
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s progress from 8 over 2w

    Where this comes from
        No clinical source: a progression written from a higher dose to a lower one is
        almost always a slip in the numbers. A deliberate reduction (a deload) is
        written `taper`, so the rule treats a falling `progress` as a mistake.
    """
    for _, _, p in program.prescriptions():
        progression = p.progression
        if progression is not None and not progression.taper and progression.lowers:
            yield ctx.report(
                progression.span,
                f"this progression lowers `{p.written_name}` {progression_change(p.dose.kind, progression)}",
                "to build up, start lower (`progress from 8 over 2w`); to lower the dose on purpose, "
                "write `taper` instead of `progress`",
            )


@rule("S205", "progression-does-nothing", WARNING, "A progression starts and ends at the same dose.")
def progression_does_nothing(program, ctx):
    """
    What it checks
        A progression whose start and end are the same, such as `3x12 progress from 12`.

    Why it matters
        It changes nothing, yet the handout would show a build-up table and the reader
        would look for a change that never comes. It is usually a slip in one number.

    Example
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s progress from 12 over 2w

    Use instead
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s progress from 8 over 2w

    Where this comes from
        No clinical source: a progression that starts and ends at the same dose changes
        nothing, which is almost always a slip in the numbers. Reporting it is a
        consistency check.
    """
    for _, _, p in program.prescriptions():
        progression = p.progression
        if progression is not None and progression.flat:
            yield ctx.report(
                progression.span,
                f"this progression starts and ends at {progression_ends(p.dose.kind, progression)[0]}, "
                "so the dose never changes",
                "remove it, or give a different starting or end value",
            )


@rule("S204", "progression-longer-than-phase", WARNING, "A progression runs past the end of its phase.")
def progression_longer_than_phase(program, ctx):
    """
    What it checks
        A progression whose span (`over 4w`) is longer than the phase it is written in.
        Progressions start on the phase's first day and stop when the phase ends.

    Why it matters
        The end value is never reached: the client stops short of the dose the program
        names, and the handout would promise a dose that never comes.

    Example
        program "Planks"
        equipment mat
        phase "Core" 2w:
          session on mon wed fri:
            plank 3x20s rest 60s progress to 30s over 4w

    Use instead
        program "Planks"
        equipment mat
        phase "Core" 4w:
          session on mon wed fri:
            plank 3x20s rest 60s progress to 30s over 4w

    Where this comes from
        No clinical source: a progression that outlasts its phase never reaches its end
        dose, so the program does not do what it says. Checking it is a matter of the
        program's consistency, not a clinical threshold.
    """
    starts = dict(zip((id(phase) for phase in program.phases), phase_starts(program)))
    for phase, session, p in program.prescriptions():
        progression = p.progression
        if progression is None or progression.days <= phase.days:
            continue
        reached = last_in_phase(phase, session, p, starts[id(phase)])
        end = progression_ends(p.dose.kind, progression)[1]
        shown = stage_words(day_dose(p, reached), progression.moves)
        yield ctx.report(
            progression.span,
            f'this progression runs {days(progression.days)} but phase "{phase.name}" lasts {days(phase.days)}: '
            f"`{p.written_name}` reaches {shown}, not {end}",
            f"shorten it to `over {written_days(phase.days)}`, or lengthen the phase",
        )


@rule(
    "S290",
    "progression-too-few-sessions",
    WARNING,
    "A progression whose span holds fewer than two of its line's sessions.",
)
def progression_too_few_sessions(program, ctx):
    """
    What it checks
        The line's own sessions inside a progression's span. The plan gives the first
        of them the start and the last the end; with fewer than two there is nothing
        to build over: the one session gets the start and the next, after the span,
        jumps straight to the end (or, with none, the line starts at the end).

    Why it matters
        A short span on an exercise done twice a week can hold one session or none, and
        the gradual build the program promises becomes a single jump.

    Example
        program "Walks"
        phase "Walk" 3w on tue sat:
          walking 20min progress to 22min over 3d

    Use instead
        program "Walks"
        phase "Walk" 3w on tue sat:
          walking 20min progress to 22min over 3w

    Where this comes from
        The same basis as S201: [Gabbett 2016] on rapid rises in load and [ACSM 2011] on
        gradual progression. That a progression needs at least two of its own sessions
        to be gradual follows from how progdsl spreads the doses, not from a source.
    """
    starts = dict(zip((id(phase) for phase in program.phases), phase_starts(program)))
    for phase, session, p in program.prescriptions():
        progression = p.progression
        if progression is None or progression.flat:
            continue
        found = len(progression_stages(p, session.frequency_for(p), starts[id(phase)]))
        if found < 2:
            start, end = progression_ends(p.dose.kind, progression)
            yield ctx.report(
                progression.span,
                f"the span of {days(progression.days)} holds {'one' if found else 'none'} of the sessions of "
                f"`{p.written_name}`, so it goes from {start} to {end} in one jump",
                "lengthen the span, such as `over 3w`, or do the exercise more often",
            )


RULES = (
    progression_too_steep,
    volume_jump_between_phases,
    progression_decreases,
    progression_longer_than_phase,
    progression_does_nothing,
    progression_too_few_sessions,
)
