"""S6xx: the client's conditions (`surgery` lines and `flags`) against the work the program asks for.

Each rule reads registry facts about an exercise (`stage`, `regions`, `impact`,
`loaded_spinal_flexion`, `breath_hold_risk`, `balance`, `eyes_closed`,
`quick_position_change`, `position`) and says, in its documentation, where its
threshold comes from. Where a threshold is a clinical judgement rather than a published
cut-off, the documentation says so: a clinic that judges otherwise records it with
`allow CODE "REASON"`.
"""

from __future__ import annotations

import datetime as dt

from ..plan import day_dose, estimated_seconds, final_stage, first_stage
from ..registry import builtin_registry
from ..vocabulary import Balance, Category, Position, Region
from ..wording import long_date
from .base import WARNING, rule

# S601: the early weeks after surgery.
SURGERY_EARLY_WEEKS = 12
HIGH_STAGE = 3
WEIGHTS = ("dumbbell", "kettlebell", "barbell", "ankle_weight")
# Impact loads the whole lower limb and the lower back, whatever region an exercise is filed under.
IMPACT_REGIONS = (Region.LUMBAR, Region.HIP, Region.KNEE, Region.ANKLE_FOOT)

# S604: pregnancy.
PREGNANCY_LATER = ("pregnancy", "pregnancy_second_trimester", "pregnancy_third_trimester")
LYING_ON_BACK_LIMIT_MIN = 5

# S605: high blood pressure.
HYPERTENSION_HOLD_LIMIT_S = 30
ISOMETRIC_CATEGORIES = (Category.STRENGTH, Category.CORE, Category.ACTIVATION)

# S606: dizziness.
DIZZINESS_FLAGS = ("dizziness", "vertigo")
LYING = (Position.LYING_ON_BACK, Position.LYING_FACE_DOWN, Position.SIDE_LYING)


def _flags(program, words) -> list[str]:
    """The program's flags among `words`, as written, each once."""
    return list(dict.fromkeys(word for word, _ in program.flags if word.lower() in words))


def _quoted(words) -> str:
    """`a`, `b` and `c`."""
    quoted = [f"`{word}`" for word in words]
    return " and ".join(filter(None, (", ".join(quoted[:-1]), quoted[-1])))


def _alternatives(exercise, keep) -> list[str]:
    """The exercise's easier versions (registry `easier`) that `keep` accepts, at most two."""
    registry = builtin_registry()
    found = [registry.get(name) for name in exercise.easier]
    return [e.id for e in found if e is not None and keep(e)][:2]


def _such_as(names: list[str]) -> str:
    return f", such as {' or '.join(f'`{name}`' for name in names)}" if names else ""


def _region_label(region: Region) -> str:
    return region.value.replace("_", " ")


# ---- S601, S607: surgery ---------------------------------------------------------


def _heavy(p) -> list[str]:
    """What makes a line more than early post-operative work: its stage, a load, impact."""
    exercise, reasons = p.exercise, []
    if exercise.stage >= HIGH_STAGE:
        reasons.append(f"stage {exercise.stage}")
    if p.load is not None or any(w in exercise.equipment for w in WEIGHTS):
        reasons.append("loaded")
    if exercise.impact:
        reasons.append("impact")
    return reasons


def _on_region(exercise, region: Region) -> bool:
    return region in exercise.regions or (exercise.impact and region in IMPACT_REGIONS)


@rule(
    "S601",
    "surgery-early-heavy-work",
    WARNING,
    "Stage 3, loaded or impact work on an operated region in the first 12 weeks after surgery.",
)
def surgery_early_heavy_work(program, ctx):
    """
    What it checks
        For each `surgery "WHAT, WHERE" YYYY-MM-DD` line, the exercise lines that work
        the operated region (the body part the text names; `progdsl explain E117` and
        docs/language.md list the words) and are stage 3 in the registry, carry a `load`
        or need a weight, or are impact work (running loads the back and the whole leg,
        whatever its region). A line is reported when its phase runs during the first
        12 weeks after the operation. Without a `start` line the dates are unknown, and
        every phase is taken to fall in those weeks.

    Why it matters
        Healing tissue (a graft, a repaired tendon, a new joint) is weakest in the first
        weeks, and a home program is done without anyone watching. Early work on the
        operated part follows the surgeon's protocol, and is usually low-stage, unloaded
        and without impact. The 12 weeks and the stage 3 line are a clinical judgement, not
        a published cut-off: they match common protocols for ligament repair and joint
        replacement, and many protocols are stricter. When the surgeon's protocol allows
        the work, record it with `allow S601 "REASON"`.

    Example
        program "Knee"
        start 2026-11-16
        surgery "ACL reconstruction, left knee" 2026-11-02
        phase "Strength" 2w:
          session on mon wed fri:
            lunge 3x8 each side rest 60s

    Use instead
        program "Knee"
        equipment towel
        start 2026-11-16
        surgery "ACL reconstruction, left knee" 2026-11-02
        phase "Strength" 2w:
          session on mon wed fri:
            quad_set 3x10 each side rest 30s

    Where this comes from
        Rehabilitation after surgery moves through phases opened by healing time and
        clinical milestones, as [Brinlee 2021] sets out for ACL reconstruction, where
        return to sport is expected only after 9-12 months. The 12 weeks and the choice
        of stage 3, loaded and impact work are a clinical judgement, not a published
        cut-off; the operating team's protocol decides, and `allow S601` records it.
    """
    start = program.start
    for phase, _, p in program.prescriptions():
        reasons = _heavy(p)
        if not reasons:
            continue
        for surgery in program.surgeries:
            region = next((r for r in surgery.regions if _on_region(p.exercise, r)), None)
            if region is None:
                continue
            if start is None:
                when = "and the program has no `start` line, so it may fall in the first weeks after"
            else:
                first = start + dt.timedelta(days=phase.first_day)
                last = first + dt.timedelta(days=phase.days - 1)
                ends = surgery.date + dt.timedelta(weeks=SURGERY_EARLY_WEEKS)
                if last < surgery.date or first >= ends:
                    continue
                week = max(1, (first - surgery.date).days // 7 + 1)
                when = f"from week {week} after"
            easier = _alternatives(p.exercise, lambda e: not _heavy_exercise(e))
            yield ctx.report(
                p.name_span,
                f"`{p.written_name}` is {' and '.join(reasons)} work on the {_region_label(region)}, {when} "
                f'"{surgery.text}" ({long_date(surgery.date)}): within the first {SURGERY_EARLY_WEEKS} weeks',
                f"follow the surgeon's protocol: keep the early weeks to stage 1-2 work without load or "
                f'impact{_such_as(easier)}; if the protocol allows this, record it with allow S601 "REASON"',
            )
            break


def _heavy_exercise(exercise) -> bool:
    return exercise.stage >= HIGH_STAGE or exercise.impact or any(w in exercise.equipment for w in WEIGHTS)


@rule("S607", "surgery-region-unknown", WARNING, "A `surgery` line names no body part the rules know.")
def surgery_region_unknown(program, ctx):
    """
    What it checks
        The text of every `surgery` line, for a word naming a body part: neck, shoulder,
        elbow, wrist or hand, thoracic spine, lower back, hip, knee, or ankle and foot
        (docs/language.md lists every word, such as `acl`, `rotator` or `achilles`).

    Why it matters
        S601 keeps early work on the operated part gentle, and it can only do that when
        it knows which part was operated on. A text such as "Reconstruction" is read by
        no rule.

    Example
        program "Walking"
        surgery "Reconstruction" 2026-11-02
        phase "Walk" 2w:
          session 3x/week:
            walking 20min

    Use instead
        program "Walking"
        surgery "ACL reconstruction, left knee" 2026-11-02
        phase "Walk" 2w:
          session 3x/week:
            walking 20min

    Where this comes from
        No clinical source: a `surgery` line whose body part is not known cannot be
        checked by S601, so it is reported.
    """
    for surgery in program.surgeries:
        if not surgery.regions:
            yield ctx.report(
                ctx.line_span(surgery.span),
                f'the surgery "{surgery.text}" names no body part the safety rules know, so no rule reads it',
                'name the body part in the text, such as: surgery "ACL reconstruction, left knee" 2026-11-02',
            )


# ---- S602: falls --------------------------------------------------------------


def _unsupported(exercise) -> bool:
    return exercise.balance is Balance.UNSUPPORTED or exercise.eyes_closed


@rule(
    "S602",
    "falls-history-unsupported-balance",
    WARNING,
    "A history of falls, and balance work with nothing to hold or with the eyes closed.",
)
def falls_history_unsupported_balance(program, ctx):
    """
    What it checks
        When `flags` names falls_history: every exercise the registry marks as balance
        work with nothing to hold (`balance = "unsupported"`, such as
        `single_leg_stance_unsupported`, `tandem_stance_unsupported`, `lunge` or
        `single_leg_deadlift`) or done with the eyes closed (`feet_together_eyes_closed`).

    Why it matters
        Balance training prevents falls, but a client who has fallen should build it up
        at home within reach of support: a hand on a bench, a worktop or a wall, with
        the eyes open. Harder balance work belongs in the clinic, where someone can catch
        them, until the clinician has seen them manage it.

    Example
        program "Balance"
        flags falls_history
        phase "Balance" 2w:
          session daily:
            single_leg_stance_unsupported 3x20s each side rest 30s

    Use instead
        program "Balance"
        flags falls_history
        phase "Balance" 2w:
          session daily:
            single_leg_stance 3x20s each side rest 30s

    Where this comes from
        [WHO 2020] advises varied activity that stresses balance and strength on 3 or
        more days a week to prevent falls in older people, and [ACSM 2011] balance work
        for all adults. The [Otago 2003] home program, which cut falls by over a third
        in trials, starts its balance exercises holding on to something stable and lets
        go only at its harder levels. Flagging every unsupported or eyes-closed exercise
        for a client with a history of falls follows that progression; which exercises
        count as unsupported is the registry's clinical judgement.
    """
    if not _flags(program, ("falls_history",)):
        return
    for _, _, p in program.prescriptions():
        exercise = p.exercise
        if not _unsupported(exercise):
            continue
        what = "with the eyes closed" if exercise.eyes_closed else "with nothing to hold on to"
        easier = _alternatives(exercise, lambda e: not _unsupported(e))
        yield ctx.report(
            p.name_span,
            f"`{p.written_name}` is balance work {what}, and the client has a history of falls (`falls_history`)",
            f"choose a version done with a hand on a bench, worktop or wall and the eyes open{_such_as(easier)}",
        )


# ---- S603: osteoporosis ---------------------------------------------------------


@rule("S603", "osteoporosis-loaded-spinal-flexion", WARNING, "Osteoporosis, and loaded bending of the spine.")
def osteoporosis_loaded_spinal_flexion(program, ctx):
    """
    What it checks
        When `flags` names osteoporosis: every exercise the registry marks as loaded
        spinal flexion (`loaded_spinal_flexion = true`: bending the spine forward under
        effort or weight, such as `curl_up`, `seated_lumbar_flexion` or `rowing_machine`).

    Why it matters
        Bending the spine forward under load is the movement most linked with vertebral
        fractures in people with osteoporosis, and guidance for them (such as the Royal
        Osteoporosis Society's "Strong, Steady and Straight" statement) advises against
        repeated, loaded or end-of-range flexion. Strength work that keeps the spine
        straight, and back-extensor work, are advised instead.

    Example
        program "Core"
        equipment mat
        flags osteoporosis
        phase "Core" 2w:
          session on mon wed fri:
            curl_up 2x8 rest 30s

    Use instead
        program "Core"
        equipment mat
        flags osteoporosis
        phase "Core" 2w:
          session on mon wed fri:
            dead_bug 2x8 each side rest 30s

    Where this comes from
        [ROS 2022] advises people with osteoporosis to avoid postures with a high degree
        of spinal flexion, in exercise and daily life, while encouraging strength,
        impact and spinal extension work. Which exercises count as loaded spinal flexion
        is the registry's clinical judgement.
    """
    if not _flags(program, ("osteoporosis",)):
        return
    for _, _, p in program.prescriptions():
        if p.exercise.loaded_spinal_flexion:
            yield ctx.report(
                p.name_span,
                f"`{p.written_name}` bends the spine forward under load, and the client has osteoporosis",
                "choose work that keeps the spine straight, such as `dead_bug` or `bird_dog`, "
                "and strengthen the back with `back_extension`",
            )


# ---- S604: pregnancy --------------------------------------------------------------


def _lying_on_back_runs(session, pace: float):
    """Runs of consecutive lines that start lying on the back, with their estimated minutes
    (the longest of each line's first and last day in the phase)."""
    run: list = []
    seconds = 0.0
    for p in [*session.prescriptions, None]:
        if p is not None and p.exercise.position is Position.LYING_ON_BACK:
            run.append(p)
            seconds += max(estimated_seconds(day_dose(p, stage), pace) for stage in (first_stage(p), final_stage(p)))
            continue
        if run:
            yield run, seconds / 60
        run, seconds = [], 0.0


@rule(
    "S604",
    "pregnancy-long-lying-on-back",
    WARNING,
    "Pregnancy, and more than 5 minutes in a row lying flat on the back.",
)
def pregnancy_long_lying_on_back(program, ctx):
    """
    What it checks
        When `flags` names pregnancy_second_trimester, pregnancy_third_trimester, or
        pregnancy without saying how far along: each session's runs of exercise lines
        in a row that start lying on the back (the registry's `position`), and their
        estimated length (as S503 estimates it, with rests). A run over 5 minutes is
        reported once, on its first line. With pregnancy_first_trimester the rule is
        quiet.

    Why it matters
        From about the middle of pregnancy, the womb can press on the large veins when
        the client lies flat on her back, which can make her feel faint and reduce the
        blood returning to the heart. Guidance (such as ACOG's on exercise in pregnancy)
        advises avoiding long periods lying flat after the first trimester. Guidance gives
        no number of minutes: the 5-minute limit is a clinical judgement. Write the stage
        of pregnancy (`pregnancy_second_trimester`) when it is known; a program that runs
        past 13 weeks of pregnancy should say the later stage.

    Example
        program "Pregnancy core"
        equipment mat
        flags pregnancy_second_trimester
        phase "Core" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s
            dead_bug 3x10 each side rest 60s
            pelvic_tilt 3x15 rest 30s

    Use instead
        program "Pregnancy core"
        equipment mat
        flags pregnancy_second_trimester
        phase "Core" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s
            bird_dog 3x10 each side rest 60s
            pelvic_tilt 3x15 rest 30s

    Where this comes from
        [ACOG 2002] advised avoiding exercise lying on the back after the first
        trimester; [SOGC/CSEP 2018] asks women who feel light-headed or unwell lying on
        their back to change position, and [ACOG 2020] notes that routines may need
        changing as pregnancy advances. None gives a duration: the 5-minute run is a
        clinical judgement, and the rule stays quiet in the first trimester.
    """
    found = _flags(program, PREGNANCY_LATER)
    if not found:
        return
    pace = ctx.setting("seconds_per_rep")
    for _, session, _ in _sessions(program):
        for run, minutes in _lying_on_back_runs(session, pace):
            if minutes <= LYING_ON_BACK_LIMIT_MIN:
                continue
            names = _quoted(p.written_name for p in run)
            yield ctx.report(
                run[0].name_span,
                f"{names} keep the client lying flat on her back for about {round(minutes)} minutes in a row, "
                f"and she is pregnant ({_quoted(found)}): over {LYING_ON_BACK_LIMIT_MIN} minutes",
                "break the run with work on hands and knees, on the side, sitting or standing, "
                "or do these propped up on pillows with the head and shoulders raised",
            )


def _sessions(program):
    for phase in program.phases:
        for session in phase.sessions:
            yield phase, session, None


# ---- S605: high blood pressure -------------------------------------------------------


@rule("S605", "hypertension-long-isometric-hold", WARNING, "High blood pressure, and isometric holds over 30 seconds.")
def hypertension_long_isometric_hold(program, ctx):
    """
    What it checks
        When `flags` names hypertension: every isometric hold (a `hold` dose, or `hold`
        in each repetition) longer than 30 seconds, at the top of its range or
        progression, in strength, core or activation work, or in any exercise the
        registry marks as a breath-holding risk (`breath_hold_risk = true`, such as
        `plank`, `wall_sit` or `side_plank`). Stretches are not isometric effort and are
        not checked.

    Why it matters
        Blood pressure climbs through a sustained contraction, and climbs further when
        the client holds their breath to brace (the Valsalva manoeuvre), which long holds
        invite. Guidance for people with high blood pressure (such as the ACSM's) asks for
        breathing throughout and for avoiding the Valsalva manoeuvre. The 30-second limit is
        a clinical judgement, not a published cut-off: shorter holds, repeated, do the same
        work with more chances to breathe.

    Example
        program "Core"
        equipment mat
        flags hypertension
        phase "Core" 2w:
          session on mon wed fri:
            plank 3x45s rest 60s

    Use instead
        program "Core"
        equipment mat
        flags hypertension
        phase "Core" 2w:
          session on mon wed fri:
            plank 4x20s rest 60s

    Where this comes from
        [AHA 2007] advises breathing out on the effort, and not holding the breath or
        straining, during resistance exercise. The 30-second limit on holds is a
        clinical judgement, not a published figure: shorter holds can be done while
        breathing steadily.
    """
    if not _flags(program, ("hypertension",)):
        return
    limit = HYPERTENSION_HOLD_LIMIT_S
    for _, _, p in program.prescriptions():
        exercise = p.exercise
        if not (exercise.breath_hold_risk or exercise.category in ISOMETRIC_CATEGORIES):
            continue
        longest = 0
        if p.dose.kind == "hold":
            longest = max(p.dose.amount.high, p.progression.end.high if p.progression else 0)
        if p.hold_per_rep is not None:
            longest = max(longest, p.hold_per_rep.seconds.high)
        if longest > limit:
            yield ctx.report(
                p.dose.span if p.dose.kind == "hold" else p.hold_per_rep.span,
                f"`{p.written_name}` holds an effort for up to {longest:g} s, and the client has high blood pressure: "
                f"over {limit} s",
                f"keep each hold to {limit} s or less and more sets, such as `{p.dose.sets + 1}x20s`, "
                "and tell the client to breathe out through the effort, never holding the breath",
            )


# ---- S606: dizziness -------------------------------------------------------------------


@rule(
    "S606",
    "dizziness-quick-position-change",
    WARNING,
    "Dizziness or vertigo, and quick changes of head or body position.",
)
def dizziness_quick_position_change(program, ctx):
    """
    What it checks
        When `flags` names dizziness or vertigo: every exercise the registry marks as a
        quick change of head or body position (`quick_position_change = true`), and
        every exercise that starts standing straight after one done lying down (on the
        back, face down or on the side) in the same session.

    Why it matters
        Getting up quickly from lying, and fast head movements, are what most often bring
        on dizziness: blood pressure drops on standing, and vertigo such as BPPV is set off
        by moving the head. A dizzy client who stands up fast can fall. Putting a sitting
        or kneeling exercise between lying and standing work gives the body time to adjust.

    Example
        program "Hips"
        equipment mat
        flags dizziness
        phase "Strength" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s
            squat 3x10 rest 60s

    Use instead
        program "Hips"
        equipment mat, chair
        flags dizziness
        phase "Strength" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s
            sit_to_stand 3x10 rest 60s
            squat 3x10 rest 60s

    Where this comes from
        [AAO-HNSF 2017] describes BPPV as vertigo brought on by changes in the position
        of the head, [Pauwels 2023] finds that people with BPPV fall more often, and
        [APTA 2022] that inner-ear (vestibular) loss causes dizziness and imbalance.
        Which exercises count as a quick change of position, and asking for a slower
        order (lying, then sitting, then standing), are a clinical judgement.
    """
    found = _flags(program, DIZZINESS_FLAGS)
    if not found:
        return
    flags = _quoted(found)
    for _, session, _ in _sessions(program):
        before = None
        for p in session.prescriptions:
            if p.exercise.quick_position_change:
                yield ctx.report(
                    p.name_span,
                    f"`{p.written_name}` changes head or body position quickly, and the client has {flags}",
                    "choose a version done slowly, or keep the head still; let the clinician try it in the clinic first",
                )
            elif before is not None and before.exercise.position in LYING and p.exercise.position is Position.STANDING:
                yield ctx.report(
                    p.name_span,
                    f"`{p.written_name}` starts standing straight after `{before.written_name}` lying down, "
                    f"and the client has {flags}: getting up quickly can bring the dizziness on",
                    "put a sitting or kneeling exercise between them, or do the standing work first; "
                    "tell the client to sit for a moment before standing up",
                )
            before = p


RULES = (
    surgery_early_heavy_work,
    falls_history_unsupported_balance,
    osteoporosis_loaded_spinal_flexion,
    pregnancy_long_lying_on_back,
    hypertension_long_isometric_hold,
    dizziness_quick_position_change,
    surgery_region_unknown,
)
