"""S2xx: progressions that build too fast, go the wrong way, or outlast their phase.

Volume is sets × amount (repetitions, seconds held, or minutes) at the low end of
the written range. Days are counted as the planner counts them: day 0 is the first
day of the line's phase.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from math import ceil

from .. import model
from ..plan import amount_on
from ..units import Number
from ..wording import amount, days, percent, volume_words, written_days
from .base import ERROR, WARNING, rule


def _volume(dose: model.Dose, progression: model.Progression | None, day: int) -> Number:
    return dose.sets * amount_on(dose, progression, day).low


def weekly_rise(progression: model.Progression) -> Fraction:
    """The rise a progression makes in a week, as a share of where it starts.

    It climbs evenly from start to end over its span, so every week adds the same
    amount, and the first week's rise is the largest share of the dose before it.
    A span shorter than a week rises by the whole amount within one week."""
    start, end = progression.start.low, progression.end.low
    return Fraction(end - start) / Fraction(start) / Fraction(max(progression.days, 7), 7)


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
        if progression is None or progression.end.low <= progression.start.low:
            continue
        rise = weekly_rise(progression)
        if rise <= limit:
            continue
        weeks = ceil(Fraction(progression.end.low - progression.start.low, progression.start.low) / limit)
        yield ctx.report(
            progression.span,
            f"`{p.written_name}` builds from {amount(p.dose.kind, progression.start)} to "
            f"{amount(p.dose.kind, progression.end)} over {days(progression.days)}: {percent(rise)} in the first week, "
            f"more than the {percent(limit)} weekly limit",
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


def weekly_volumes(phase: model.Phase, day: int) -> dict[tuple[str, str], tuple[float, model.Prescription]]:
    """Weekly volume of each (exercise id, dose kind) in a phase on one of its days,
    with the exercise's first line in the phase."""
    volumes: dict[tuple[str, str], float] = defaultdict(float)
    first: dict[tuple[str, str], model.Prescription] = {}
    for session in phase.sessions:
        for p in session.prescriptions:
            key = (p.exercise.id, p.dose.kind)
            volumes[key] += _sessions_a_week(session.frequency_for(p)) * _volume(p.dose, p.progression, day)
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
    for earlier, later in zip(program.phases, program.phases[1:]):
        before = weekly_volumes(earlier, earlier.days - 1)
        for key, (after, p) in weekly_volumes(later, 0).items():
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
        client would start at the hardest dose. If tapering is intended, record it with
        an allow and its reason.

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
        almost always a slip in the numbers. A deliberate reduction (a taper, a deload)
        is written as a dose of its own, so the rule treats this one as a mistake.
    """
    for _, _, p in program.prescriptions():
        progression = p.progression
        if progression is not None and progression.end.low < progression.start.low:
            start, end = amount(p.dose.kind, progression.start), amount(p.dose.kind, progression.end)
            yield ctx.report(
                progression.span,
                f"this progression lowers `{p.written_name}` from {start} to {end}",
                'to build up, start lower (`progress from 8 over 2w`); to taper on purpose, add `allow S203 "REASON"`',
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
        if progression is not None and progression.end == progression.start:
            yield ctx.report(
                progression.span,
                f"this progression starts and ends at {amount(p.dose.kind, progression.start)}, so the dose never changes",
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
    for phase, _, p in program.prescriptions():
        progression = p.progression
        if progression is None or progression.days <= phase.days:
            continue
        reached = amount_on(p.dose, progression, phase.days - 1)
        yield ctx.report(
            progression.span,
            f'this progression runs {days(progression.days)} but phase "{phase.name}" lasts {days(phase.days)}: '
            f"`{p.written_name}` reaches {amount(p.dose.kind, reached)}, not {amount(p.dose.kind, progression.end)}",
            f"shorten it to `over {written_days(phase.days)}`, or lengthen the phase",
        )


RULES = (
    progression_too_steep,
    volume_jump_between_phases,
    progression_decreases,
    progression_longer_than_phase,
    progression_does_nothing,
)
