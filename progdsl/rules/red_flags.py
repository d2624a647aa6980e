"""S4xx: client findings (`flags`) that need a health professional, or gentler dosing."""

from __future__ import annotations

from collections import defaultdict
from math import ceil

from ..suggest import close_matches
from ..wording import did_you_mean, long_date
from .base import ERROR, WARNING, rule

# Findings that mean a health professional must have seen the client first.
RED_FLAGS = {
    "radiating_pain": "pain that spreads up the back or down a leg",
    "numbness": "numbness, such as in a foot",
    "pins_and_needles": "pins and needles, such as in a foot",
    "nerve_pinching": "a pinching nerve",
    "severe_pain": "severe pain",
    "sharp_pain": "sharp pain",
    "chronic_pain": "long-standing pain",
    "pain_over_2_weeks": "pain that has not settled within about two weeks",
    "worsening_symptoms": "symptoms that are getting worse",
    "back_injury": "an injury to the lower back",
    "history_of_back_pain": "a considerable history of lower back pain",
    "night_pain": "pain at night or at rest",
    "bladder_or_bowel_change": "changes in bladder or bowel control",
    "saddle_numbness": "numbness around the groin or buttocks",
    "unexplained_weight_loss": "weight loss without a known reason",
    "fever": "fever alongside the back pain",
}

# Findings the rules know but that need no clearance on their own.
OTHER_FLAGS = {
    "prolonged_sitting": "sits for most of the day",
    "muscle_soreness": "muscles are sore after activity",
    "weak_glutes": "the glutes are weak or slow to switch on",
    "tight_hamstrings": "the hamstrings are tight",
    "tight_hip_flexors": "the hip flexors are tight",
    "poor_posture": "slouches when sitting or standing",
    "overtraining": "has been training too hard",
    "mild_pain": "mild, settling pain",
    # Conditions the S6xx rules read (progdsl.rules.conditions).
    "falls_history": "has fallen, or nearly fallen, in the past year",
    "osteoporosis": "osteoporosis: bones that break more easily",
    "pregnancy": "pregnant; how far along is not recorded",
    "pregnancy_first_trimester": "pregnant, up to 13 weeks",
    "pregnancy_second_trimester": "pregnant, 14 to 27 weeks",
    "pregnancy_third_trimester": "pregnant, 28 weeks or more",
    "hypertension": "high blood pressure",
    "dizziness": "dizzy spells or light-headedness",
    "vertigo": "vertigo: a spinning feeling, such as with BPPV",
}

# Nerve symptoms: long stretch holds are eased into (S402).
NERVE_FLAGS = ("numbness", "pins_and_needles", "nerve_pinching")
NERVE_HOLD_LIMIT_S = 30

# Other words a clinician might write, and the flag they mean.
_SYNONYMS = {
    "tingling": "pins_and_needles",
    "sciatica": "radiating_pain",
    "leg_pain": "radiating_pain",
    "pinched_nerve": "nerve_pinching",
    "persistent_pain": "pain_over_2_weeks",
    "injury": "back_injury",
    "sitting": "prolonged_sitting",
    "falls": "falls_history",
    "fall_risk": "falls_history",
    "history_of_falls": "falls_history",
    "pregnant": "pregnancy",
    "high_blood_pressure": "hypertension",
    "dizzy": "dizziness",
    "light_headedness": "dizziness",
    "bppv": "vertigo",
}


@rule("S401", "red-flag-not-cleared", ERROR, "A red-flag finding with no `cleared` line.")
def red_flag_not_cleared(program, ctx):
    """
    What it checks
        A `flags` line naming a red flag while the header has no
        `cleared "BY WHOM" YYYY-MM-DD` line. The red flags are radiating_pain, numbness,
        pins_and_needles, nerve_pinching, severe_pain, sharp_pain, chronic_pain,
        pain_over_2_weeks, worsening_symptoms, back_injury, history_of_back_pain,
        night_pain, bladder_or_bowel_change, saddle_numbness, unexplained_weight_loss and
        fever. One error is reported for each `flags` line.

    Why it matters
        These findings can mean more than a sore muscle: a nerve under pressure, an injury,
        or a condition that exercise will not fix. A home program must not reach such a
        client until a physiotherapist, doctor or other health professional has seen them,
        and the program has to say who did and when.

    Example
        program "Glutes"
        equipment mat
        flags numbness
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Use instead
        program "Glutes"
        equipment mat
        flags numbness
        cleared "Dr Jo Park, GP" 2026-11-30
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Where this comes from
        The red flags for serious spinal pathology are signs of the four conditions
        that [IFOMPT 2020] covers, which must be recognised early and acted on:
        cauda equina syndrome (saddle numbness, bladder or bowel change), fracture
        (an injury), cancer (unexplained weight loss, night pain) and infection
        (fever). The signs that call for a professional before training come from
        the clinic articles the project started from: nerve pinching, numbness or
        pins and needles ([Conway (CCHN)]), pain lasting more than a couple of weeks
        or sharp spreading pain ([Felstein 2021]), a history of back pain or injury
        and worsening symptoms ([Training with LBP]), severe or chronic pain
        ([LBP Part 3]). Making every flag an error until someone has cleared the
        client is a clinical judgement: [IFOMPT 2020] itself warns that single flags
        are weak evidence, so the rule asks for a clinician's decision, not a
        diagnosis.
    """
    if program.cleared is not None:
        return
    by_line = defaultdict(list)
    for word, span in program.flags:
        if word.lower() in RED_FLAGS:
            by_line[span.line].append((word, span))
    for found in by_line.values():
        words = " and ".join(f"`{word}`" for word, _ in found)
        yield ctx.report(
            found[0][1].to(found[-1][1]),
            f"red flag {words} needs a health professional's clearance, and the program has no `cleared` line",
            'add who cleared the client and when, such as: cleared "Dr Jo Park, GP" 2026-11-30',
        )


@rule(
    "S402",
    "nerve-symptoms-long-stretch-hold",
    WARNING,
    "Nerve symptoms, and stretch holds over 30 s that are not eased into.",
)
def nerve_symptoms_long_stretch_hold(program, ctx):
    """
    What it checks
        When `flags` names numbness, pins_and_needles or nerve_pinching: every stretch held
        for more than 30 seconds, unless the line has a progression that starts at 30
        seconds or less (at the low end of a range: `3x45-60s progress from 30s over 2w`
        starts at 30-45 s and builds to 45-60 s).

    Why it matters
        With nerve symptoms in the leg or foot, long stretch holds should be built up to
        slowly, and the client should have professional advice. A progression makes the
        easing-in part of the plan, instead of a note the client may not read.

    Example
        program "Glute stretch"
        flags pins_and_needles
        cleared "Dr Jo Park, GP" 2026-11-30
        phase "Stretch" 2w:
          session 4x/week:
            figure_four_stretch 3x45-60s each side

    Use instead
        program "Glute stretch"
        flags pins_and_needles
        cleared "Dr Jo Park, GP" 2026-11-30
        phase "Stretch" 2w:
          session 4x/week:
            figure_four_stretch 3x45-60s each side progress from 30s over 2w

    Where this comes from
        [Conway (CCHN)] tells anyone with nerve pinching, numbness or pins and needles
        to ease into its long (45-60 s) holds and to ask a health professional. The 30 s
        line is the top of the 10-30 s hold that [ACSM 2011] gives for most adults;
        treating longer holds as the ones to ease into is a clinical judgement.
    """
    nerve = [word for word, _ in program.flags if word.lower() in NERVE_FLAGS]
    if not nerve:
        return
    for _, _, p in program.prescriptions():
        if p.exercise.category != "stretch" or p.dose.kind != "hold":
            continue
        progression = p.progression
        longest = max(p.dose.amount.high, progression.end.high if progression else 0)
        eased = progression is not None and progression.start.low <= NERVE_HOLD_LIMIT_S
        if longest > NERVE_HOLD_LIMIT_S and not eased:
            yield ctx.report(
                p.dose.span,
                f"`{p.written_name}` holds a stretch for up to {longest} s, and the client has "
                f"{' and '.join(f'`{w}`' for w in nerve)}: long holds should be eased into",
                f"start at {NERVE_HOLD_LIMIT_S} s or less and build up, such as {_easing(p.dose, ctx)}",
            )


def _easing(dose, ctx) -> str:
    """A progression from 30 s that builds to the written hold within the weekly limit."""
    low = dose.amount.low
    target = low if low > NERVE_HOLD_LIMIT_S else dose.amount.high
    rise = (target - NERVE_HOLD_LIMIT_S) / NERVE_HOLD_LIMIT_S
    weeks = max(1, ceil(rise * 100 / ctx.setting("weekly_increase_limit")))
    progression = f"progress from {NERVE_HOLD_LIMIT_S}s over {weeks}w"
    return f"`{progression}`" if low > NERVE_HOLD_LIMIT_S else f"`{dose.sets}x{target}s {progression}`"


@rule("S403", "unknown-flag", WARNING, "A `flags` word that no rule knows.")
def unknown_flag(program, ctx):
    """
    What it checks
        Every word on a `flags` line against the words the safety rules read. Besides the
        red flags (see `progdsl explain S401`), these are known: prolonged_sitting,
        muscle_soreness, weak_glutes, tight_hamstrings, tight_hip_flexors, poor_posture,
        overtraining and mild_pain; and the conditions the S6xx rules read:
        falls_history (S602), osteoporosis (S603), pregnancy, pregnancy_first_trimester,
        pregnancy_second_trimester and pregnancy_third_trimester (S604), hypertension
        (S605), dizziness and vertigo (S606).

    Why it matters
        No rule reads an unknown word. A misspelt red flag (`numbess`) or a synonym
        (`tingling`) would let a client who needs clearance through without a word.

    Example
        program "Glutes"
        equipment mat
        flags numbess
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Use instead
        program "Glutes"
        equipment mat
        flags numbness
        cleared "Dr Jo Park, GP" 2026-11-30
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Where this comes from
        No clinical source: an unknown `flags` word would be silently ignored by every
        rule, so it is reported. The words that rules act on carry their own sources
        (S401, S601-S606).
    """
    known = [*RED_FLAGS, *OTHER_FLAGS]
    for word, span in program.flags:
        key = word.lower()
        if key in known:
            continue
        close = did_you_mean([_SYNONYMS[key]] if key in _SYNONYMS else close_matches(key, known, n=2))
        hint = f"{close} " if close else ""
        yield ctx.report(
            span,
            f"`{word}` is not a flag the safety rules know, so no rule reads it",
            hint + "`progdsl explain S403` lists the known flags",
        )


@rule("S404", "cleared-after-start", WARNING, "The client is cleared only after the program starts.")
def cleared_after_start(program, ctx):
    """
    What it checks
        A `cleared` date later than the program's `start` date.

    Why it matters
        The clearance is what allows the program to reach a client with red flags. If it
        comes after the start, the first sessions happen before anyone has seen the client,
        or one of the two dates is a typing mistake.

    Example
        program "Glutes"
        equipment mat
        start 2026-12-07
        flags severe_pain
        cleared "Dr Jo Park, GP" 2026-12-20
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Use instead
        program "Glutes"
        equipment mat
        start 2026-12-21
        flags severe_pain
        cleared "Dr Jo Park, GP" 2026-12-20
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Where this comes from
        [IFOMPT 2020] asks for red flags to be recognised early and acted on. That a
        clearance dated after the start leaves the first days uncovered is the program's
        own logic; warning rather than refusing is a clinical judgement.
    """
    cleared, start = program.cleared, program.start
    if cleared is not None and start is not None and cleared.date > start:
        yield ctx.report(
            ctx.line_span(cleared.span),
            f"the client is cleared on {long_date(cleared.date)}, after the program starts on {long_date(start)}",
            "start the program on or after the day of clearance, or correct the date",
        )


RULES = (red_flag_not_cleared, nerve_symptoms_long_stretch_hold, unknown_flag, cleared_after_start)
