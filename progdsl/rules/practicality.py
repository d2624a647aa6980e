"""S5xx: whether the client can actually do the program as written, at home."""

from __future__ import annotations

from .. import model
from ..plan import estimated_seconds
from ..suggest import close_matches
from ..vocabulary import EQUIPMENT
from ..wording import days, did_you_mean
from .base import ERROR, MAX_PROGRAM_DAYS, WARNING, rule

WEIGHTS = ("dumbbell", "kettlebell", "barbell", "ankle_weight")
MAX_EXERCISES_PER_SESSION = 10


def _is_band(item: str) -> bool:
    return item.endswith("band")


def _listing(program: model.Program) -> str:
    if not program.equipment:
        return "the program has no `equipment` line"
    return "the `equipment` line does not list it"


@rule("S501", "equipment-not-listed", WARNING, "An exercise needs equipment that the header does not list.")
def equipment_not_listed(program, ctx):
    """
    What it checks
        Every piece of equipment an exercise needs (the registry's `equipment`, such as
        `mat`, `mini_band`, `foam_roller`, `bench` or `kettlebell`) against the header's
        `equipment` line. A `band COLOUR` modifier needs some band (`mini_band` or
        `resistance_band`) and a `load` needs a weight (`dumbbell`, `kettlebell`,
        `barbell` or `ankle_weight`), unless the exercise already names one.

    Why it matters
        A client who finds on day one that they have no foam roller or band skips the
        exercise, or improvises. The equipment line is also the shopping list the handout
        prints.

    Example
        program "Release"
        phase "Release" 2w:
          session 3x/week:
            glute_foam_roll 2min each side

    Use instead
        program "Release"
        equipment foam_roller
        phase "Release" 2w:
          session 3x/week:
            glute_foam_roll 2min each side

    Where this comes from
        No clinical source: a client without the equipment cannot do the exercise, or
        improvises with something less safe. Checking the header's list is a practical
        matter, not a clinical threshold.
    """
    listed = {item.name for item in program.equipment}
    for _, _, p in program.prescriptions():
        needs = p.exercise.equipment
        for item in needs:
            if item not in listed:
                yield ctx.report(
                    p.name_span,
                    f"`{p.written_name}` needs `{item}`, and {_listing(program)}",
                    f"add `{item}` to the equipment line, or choose an exercise the client can do without it",
                )
        if p.band and not any(map(_is_band, needs)) and not any(map(_is_band, listed)):
            yield ctx.report(
                p.band.span,
                f"`band {p.band.colour}` needs a band, and the equipment line lists none",
                f"add the band with its colours, such as: equipment mini_band({p.band.colour})",
            )
        if p.load and not any(w in needs for w in WEIGHTS) and not any(w in listed for w in WEIGHTS):
            yield ctx.report(
                p.load.span,
                f"`load {p.load.amount:g}{p.load.unit}` needs a weight, and the equipment line lists none",
                "add what the client lifts, such as `dumbbell` or `kettlebell`",
            )


@rule("S502", "band-colour-not-listed", WARNING, "A band colour that the header's equipment line does not list.")
def band_colour_not_listed(program, ctx):
    """
    What it checks
        The colour in `band COLOUR` against the colours listed for the client's bands, as
        in `equipment mini_band(yellow, green)`. When the exercise itself needs a kind of
        band, only that kind's colours count. A band listed without colours is reported
        too. (A missing band altogether is S501.)

    Why it matters
        Band colours stand for resistance levels. A colour the client does not own leaves
        them guessing which band to use, and the wrong one changes the dose.

    Example
        program "Bridges"
        equipment mat, mini_band(yellow, green)
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 band blue rest 60s

    Use instead
        program "Bridges"
        equipment mat, mini_band(yellow, green, blue)
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 band blue rest 60s

    Where this comes from
        Band colours stand for different resistances ([LBP Part 3]: yellow, green and
        blue are the most used), so a colour the client does not have changes the dose.
        The check itself is a practical one.
    """
    for _, _, p in program.prescriptions():
        if p.band is None:
            continue
        own = [item for item in p.exercise.equipment if _is_band(item)]
        bands = [i for i in program.equipment if _is_band(i.name) and (i.name in own or not own)]
        if not bands:
            continue
        colours = list(dict.fromkeys(option.lower() for item in bands for option in item.options))
        names = " or ".join(f"`{item.name}`" for item in bands)
        if not colours:
            yield ctx.report(
                p.band.span,
                f"the equipment line lists {names} without colours, so `band {p.band.colour}` cannot be checked",
                f"name the colours the client has, such as: {bands[0].name}({p.band.colour})",
            )
        elif p.band.colour not in colours:
            close = did_you_mean(close_matches(p.band.colour, colours, n=1))
            hint = f"{close} " if close else ""
            yield ctx.report(
                p.band.span,
                f"`{p.band.colour}` is not among the band colours listed ({', '.join(colours)})",
                hint
                + f"or add it to the equipment line: {bands[0].name}({', '.join([*bands[0].options, p.band.colour])})",
            )


def _session_label(phase: model.Phase, session: model.Session) -> str:
    return f'session "{session.name}"' if session.name else f'the session in phase "{phase.name}"'


@rule("S503", "session-too-long", WARNING, "A session is estimated to take longer than the limit (60 minutes).")
def session_too_long(program, ctx):
    """
    What it checks
        The estimated length of every session on every day of the plan, against
        `session_minutes_limit` (60 minutes unless the program sets it, such as
        `set session_minutes_limit 75min`). Each session is reported once, with its
        longest day. The estimate, for each exercise due that day:

        - repetitions take `seconds_per_rep` each (4 s unless the program sets it), or the
          sum of a written `tempo` (`3-1-3` is 7 s; an `x` counts as 1 s), plus any `hold`
          in each repetition;
        - holds take their seconds and bouts their minutes;
        - the top of every written range is used (the longest the session can run);
        - `each side` doubles the work, not the rests;
        - between sets comes the written `rest` (its top), or without one the shortest
          rest in the exercise's recommended range;
        - each exercise adds 30 s to get into position and set up.

        The calendar gives timed events the same length, rounded up to five minutes.

    Why it matters
        Long home sessions are the first thing clients drop: adherence falls as programs
        grow. A shorter session done every time does more than a long one skipped.

    Example
        program "Long walk"
        phase "Walk" 2w:
          session 3x/week:
            walking 2x45min rest 5min

    Use instead
        program "Long walk"
        phase "Walk" 2w:
          session 3x/week:
            walking 40min

    Where this comes from
        [Feigenbaum 1999] finds that shorter, single-set programs are kept to better,
        and [ACSM 2011] that adherence improves with programs that are pleasant and
        supported. The 60-minute default is a clinical judgement for home sessions, not
        a published limit; a program can set its own with `set session_minutes_limit`.
    """
    plan = ctx.plan
    if plan is None:
        return
    limit = ctx.setting("session_minutes_limit")
    pace = ctx.setting("seconds_per_rep")
    longest: dict[tuple[int, int], float] = {}
    for planned in plan.sessions:
        key = (planned.phase_index, planned.session_index)
        minutes = sum(estimated_seconds(d, pace) for d in planned.exercises) / 60
        longest[key] = max(longest.get(key, 0), minutes)
    for (phase_index, session_index), minutes in sorted(longest.items()):
        if minutes <= limit:
            continue
        phase = program.phases[phase_index]
        session = phase.sessions[session_index]
        yield ctx.report(
            session.header,
            f"{_session_label(phase, session)} may take about {round(minutes)} minutes, over the {limit:g}-minute limit",
            "split it into two sessions or trim sets or exercises; to accept it for this program, "
            "write `set session_minutes_limit 75min` in the header",
        )


@rule("S504", "too-many-exercises", WARNING, "A session has more than 10 exercises.")
def too_many_exercises(program, ctx):
    """
    What it checks
        Sessions with more than 10 exercise lines.

    Why it matters
        Clients remember and keep doing a handful of exercises; a long list is done
        partly, in a hurry, or not at all. Split the work across sessions or phases.

    Example
        program "Everything"
        equipment mat
        phase "All" 2w:
          session on mon wed fri:
            clam_shell 2x10 each side
            glute_bridge 2x10
            dead_bug 2x8 each side
            bird_dog 2x8 each side
            pelvic_tilt 2x10
            cat_camel 2x8
            abdominal_bracing 2x8
            back_extension 2x10
            childs_pose 2x30s
            hamstring_stretch 2x30s each side
            hip_flexor_stretch 2x30s each side

    Use instead
        program "Everything"
        equipment mat
        phase "Strength" 2w:
          session on mon wed fri:
            clam_shell 2x10 each side
            glute_bridge 2x10
            dead_bug 2x8 each side
            bird_dog 2x8 each side
            back_extension 2x10
          session "Mobility and stretch" on tue thu sat:
            pelvic_tilt 2x10
            cat_camel 2x8
            childs_pose 2x30s
            hamstring_stretch 2x30s each side
            hip_flexor_stretch 2x30s each side

    Where this comes from
        [Feigenbaum 1999] puts 8-10 different exercises in a session for the whole body;
        the limit of 10 follows that figure. Applying it to home programs, where fewer
        is usually better, is a clinical judgement.
    """
    for phase in program.phases:
        for session in phase.sessions:
            count = len(session.prescriptions)
            if count > MAX_EXERCISES_PER_SESSION:
                yield ctx.report(
                    session.header,
                    f"{_session_label(phase, session)} has {count} exercises, more than {MAX_EXERCISES_PER_SESSION}",
                    "split it into two sessions on different days, or keep the most useful few",
                )


@rule("S505", "program-too-long", ERROR, "The program runs longer than 52 weeks.")
def program_too_long(program, ctx):
    """
    What it checks
        The total length of all phases. More than 52 weeks is an error, reported on the
        phase that runs past the 52nd week. Rules that follow the calendar (S302, S503)
        wait until the program fits.

    Why it matters
        Nobody should follow a home program for more than a year without being reviewed.
        A length of years is almost always a typing mistake (`52w` meant as `52d`, or an
        extra digit).

    Example
        program "Walking"
        phase "Walk" 60w:
          session 3x/week:
            walking 30min

    Use instead
        program "Walking"
        phase "Walk" 12w:
          session 3x/week:
            walking 30min

    Where this comes from
        A clinical judgement, not a published figure: nobody should follow a home
        program for more than a year without review, and a longer one is almost always a
        typing mistake.
    """
    if program.days <= MAX_PROGRAM_DAYS:
        return
    phase = next(p for p in program.phases if p.first_day + p.days > MAX_PROGRAM_DAYS)
    yield ctx.report(
        phase.header,
        f'the program lasts {days(program.days)}, longer than 52 weeks (phase "{phase.name}" runs past week 52)',
        "end it within a year; review the client, then write the next program",
    )


@rule("S506", "one-sided-without-each-side", WARNING, "A one-sided exercise without `each side`.")
def one_sided_without_each_side(program, ctx):
    """
    What it checks
        Exercise lines for one-sided exercises (`clam_shell`, `dead_bug`, the stretches,
        `lunge`, ...; `progdsl exercises` shows which) that do not say `each side`.

    Why it matters
        `clam_shell 3x12` could mean twelve on each side or six on each: the client has to
        guess, and one side may get half the work.

    Example
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 rest 30-60s

    Use instead
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Where this comes from
        No clinical source: without `each side`, a one-sided exercise reads as if one
        side were enough, and the client may work only one. The check keeps the handout
        clear.
    """
    for _, _, p in program.prescriptions():
        if p.exercise.one_sided and p.each_side is None and p.side is None:
            yield ctx.report(
                p.name_span,
                f"`{p.written_name}` works one side at a time, but the line does not say the dose is for each side",
                "add `each side`: the client then does the dose on one side, then on the other",
            )


@rule("S507", "unknown-equipment", WARNING, "An `equipment` line names something progdsl does not know.")
def unknown_equipment(program, ctx):
    """
    What it checks
        Every item on the `equipment` lines against the equipment progdsl knows (the
        words registry entries use: mat, chair, wall, step, bench, table, towel, wand,
        strap, pillow, mini_band, resistance_band, door_anchor, dumbbell, kettlebell,
        barbell, ankle_weight, putty, ball, stability_ball, foam_roller, massage_ball,
        balance_pad),
        and any item an exercise in the program needs.

    Why it matters
        The equipment line is the client's shopping list, and the handout prints it as
        written. A misspelt item (`foam_rollr`) is printed as it stands, and the exercises
        that need the real item are then reported as missing it (S501).

    Example
        program "Release"
        equipment foam_rollr
        phase "Release" 2w:
          session 3x/week:
            walking 20min

    Use instead
        program "Release"
        equipment foam_roller
        phase "Release" 2w:
          session 3x/week:
            walking 20min

    Where this comes from
        No clinical source: the equipment words are progdsl's vocabulary, and an unknown
        one cannot be checked against the exercises. Reporting it is a practical check.
    """
    known = set(EQUIPMENT).union(WEIGHTS, *(p.exercise.equipment for _, _, p in program.prescriptions()))
    for item in program.equipment:
        if item.name in known:
            continue
        close = did_you_mean(close_matches(item.name, sorted(known), n=2))
        yield ctx.report(
            item.span,
            f"`{item.name}` is not equipment progdsl knows, and the handout will print it as written",
            (f"{close} " if close else "") + "`progdsl explain S507` lists the equipment progdsl knows",
        )


RULES = (
    equipment_not_listed,
    band_colour_not_listed,
    session_too_long,
    too_many_exercises,
    program_too_long,
    one_sided_without_each_side,
    unknown_equipment,
)
