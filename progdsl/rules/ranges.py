"""S1xx: every dose, rest and pause against the exercise's registry ranges.

Each exercise in the registry has a safe range (beyond it is a risk: an error) and a
recommended range (the usual prescription: outside it is a warning) for its sets,
its amount (repetitions, seconds held or minutes), its rest between sets and the
pause held in each repetition.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import model
from ..diagnostics import Diagnostic
from ..registry import Limits
from ..source import Span
from ..units import Range
from ..wording import limit_value
from .base import ERROR, WARNING, RuleContext, rule

Measure = tuple[str, Range, Span, str]  # limit key, value, where it is written, how it is reached


def _dose_checks(p: model.Prescription, final_only: bool) -> Iterator[Measure]:
    """The line's sets and amounts; with `final_only`, a progression's start is left out."""
    rounds = p.circuit.rounds if p.circuit else 1  # a circuit's rounds count as sets
    progression = p.progression
    if progression is None or progression.sets is None:
        yield "sets", Range(p.total_sets, p.total_sets), p.dose.span, ""
    else:
        sets_ends = (
            (progression.sets[0], "the progression starts at "),
            (progression.sets[1], "the progression reaches "),
        )
        for count, how in sets_ends[1:] if final_only else sets_ends:
            written = count == p.dose.sets
            total = count * rounds
            yield "sets", Range(total, total), p.dose.span if written else progression.span, "" if written else how
    key = p.dose.kind.limit_key
    if progression is None:
        yield key, p.dose.amount, p.dose.span, ""
        return
    ends = ((progression.start, "the progression starts at "), (progression.end, "the progression reaches "))
    for value, how in ends[1:] if final_only else ends:
        written = value == p.dose.amount
        yield key, value, p.dose.span if written else progression.span, "" if written else how


def _timing_checks(p: model.Prescription, key: str) -> Iterator[Measure]:
    timing = p.rest if key == "rest_s" else p.hold_per_rep
    if timing is not None:
        yield key, timing.seconds, timing.span, ""


def _outside(value: Range, limit: Range | None) -> bool:
    return limit is not None and (value.low < limit.low or value.high > limit.high)


def _findings(program: model.Program, ctx: RuleContext, kind: str, measures) -> Iterator[Diagnostic]:
    code = ctx.rule.code
    for _, _, p in program.prescriptions():
        limits: Limits = getattr(p.exercise, kind)
        for key, value, span, how in measures(p):
            limit = limits.get(key)
            if (
                limit is None
                or not _outside(value, limit)
                or (kind == "recommended" and _outside(value, p.exercise.safe.get(key)))
            ):
                continue

            def words(r: Range, key: str = key) -> str:
                return limit_value(key, r)

            if kind == "safe":
                help = f"keep within {words(limit)}; `progdsl exercise {p.exercise.id}` lists every range"
            else:
                help = f'the usual prescription is {words(limit)}; if this is deliberate, add `allow {code} "REASON"` to the line'
            verb = ", outside" if how else " is outside"
            yield ctx.report(
                span, f"`{p.written_name}`: {how}{words(value)}{verb} the {kind} range ({words(limit)})", help
            )


@rule("S101", "dose-outside-safe-range", ERROR, "Sets or amount outside the exercise's safe range.")
def dose_outside_safe_range(program, ctx):
    """
    What it checks
        The sets and the amount (repetitions, seconds held, or minutes) of every exercise
        line, and both ends of its progression, against the safe range that the exercise
        registry gives for that exercise (`progdsl exercise ID` shows it).

    Why it matters
        The safe range is the limit of what the exercise should ever be prescribed at.
        Beyond it the dose is a risk of injury or flare-up, not a slow build, so it is an
        error: `glute_bridge 20x100` must never reach a client. (Numbers beyond any
        prescription, such as `99999x99999`, are refused before the rules run: E214.)

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 20x100

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x10-15 rest 60s

    Where this comes from
        The rule compares a dose with the exercise's safe range in the registry; the
        ranges carry their own basis, by category, which `progdsl exercise ID` names and
        docs/sources.md lists. Strength doses, for instance, follow [ACSM 2009] and
        [ACSM 2011], stretches [ACSM 2011], and activation work [Conway (CCHN)]. That a
        dose outside the safe range is an error, rather than a warning, is a clinical
        judgement: the safe range marks what should never reach a client.
    """
    return _findings(program, ctx, "safe", lambda p: _dose_checks(p, final_only=False))


@rule("S102", "dose-outside-recommended-range", WARNING, "Sets or amount outside the exercise's recommended range.")
def dose_outside_recommended_range(program, ctx):
    """
    What it checks
        The sets and the amount of every exercise line against the registry's recommended
        range. With a progression, the dose it builds to is checked; its starting point
        may lie below the range, since easing in is the point of a progression. A value
        outside the safe range is left to S101.

    Why it matters
        The recommended range is the usual prescription. Outside it the dose may still be
        right for this client, but it should be a decision, not a slip of the keyboard.

    Example
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x30 each side rest 30-60s

    Use instead
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side rest 30-60s

    Where this comes from
        The recommended ranges are the everyday prescription of each exercise's
        category, with the basis that `progdsl exercise ID` names and docs/sources.md
        lists: for strength work the 8-12 (up to 15) repetitions and 2-4 sets of
        [ACSM 2009], [ACSM 2011] and [Feigenbaum 1999]; for stretches the holds of
        [ACSM 2011]. A dose outside them is only a warning because a clinician may have
        a reason; where a range is a clinical judgement rather than a published figure,
        docs/sources.md says so.
    """
    return _findings(program, ctx, "recommended", lambda p: _dose_checks(p, final_only=True))


@rule("S103", "rest-outside-safe-range", ERROR, "Rest between sets outside the exercise's safe range.")
def rest_outside_safe_range(program, ctx):
    """
    What it checks
        The `rest` of every exercise line against the safe range of rest between sets that
        the registry gives for that exercise.

    Why it matters
        Too little rest before another set of a demanding exercise invites poor form and
        strain; an absurd rest (such as `rest 30min`) is almost always a typing mistake.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 30min

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s

    Where this comes from
        The safe rest ranges are registry data, with the basis docs/sources.md lists by
        category. [ACSM 2009] gives 3-5 minutes between sets only for heavy loads; for
        the light loads of home exercise the safe limits (usually 2-5 minutes) are a
        clinical judgement: a longer rest is not dangerous in itself, but it is almost
        always a slip (`rest 30min`) and makes the session estimate meaningless.
    """
    return _findings(program, ctx, "safe", lambda p: _timing_checks(p, "rest_s"))


@rule("S104", "rest-outside-recommended-range", WARNING, "Rest between sets outside the exercise's recommended range.")
def rest_outside_recommended_range(program, ctx):
    """
    What it checks
        The `rest` of every exercise line against the registry's recommended rest between
        sets for that exercise.

    Why it matters
        Rest shapes what a set trains: too short and the muscle has not recovered, too
        long and the session drags on and adherence falls.

    Example
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 5s

    Use instead
        program "Bridges"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            glute_bridge 3x12 rest 60s

    Where this comes from
        [ACSM 2011], as summarised, gives 2-3 minutes between sets of resistance work
        and [ACSM 2009] 3-5 minutes for heavy loads. Home programs use light loads, so
        the registry recommends 30-90 s for most strength work and 15-60 s for
        activation, close to [Conway (CCHN)] does; those figures are a clinical
        judgement, listed by category in docs/sources.md.
    """
    return _findings(program, ctx, "recommended", lambda p: _timing_checks(p, "rest_s"))


@rule("S105", "pause-outside-safe-range", ERROR, "Pause held in each repetition outside the safe range.")
def pause_outside_safe_range(program, ctx):
    """
    What it checks
        The `hold` written on a repetition exercise (a pause at the end position of every
        repetition) against the registry's safe range for that pause. Exercises whose
        registry entry gives no pause range are not checked.

    Why it matters
        A long pause under load in every repetition multiplies the time the back and hips
        spend working; beyond the safe range it is a strain, not a progression.

    Example
        program "Bird dogs"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            bird_dog 3x8 each side hold 30s rest 45s

    Use instead
        program "Bird dogs"
        equipment mat
        phase "Build" 2w:
          session on mon wed fri:
            bird_dog 3x8 each side hold 3s rest 45s

    Where this comes from
        [ACSM 2009] advises a moderate speed of 1-2 s up and 1-2 s down for heavy
        strength work, and [AHA 2007] a rhythmic, moderate to slow pace without holding the
        breath. The safe pause in each repetition (usually up to 5-10 s) is a clinical
        judgement built on that: a long squeeze in every repetition turns a dynamic
        exercise into repeated isometric holds, with the breath-holding they invite.
    """
    return _findings(program, ctx, "safe", lambda p: _timing_checks(p, "hold_per_rep_s"))


@rule(
    "S106", "pause-outside-recommended-range", WARNING, "Pause held in each repetition outside the recommended range."
)
def pause_outside_recommended_range(program, ctx):
    """
    What it checks
        The `hold` written on a repetition exercise against the registry's recommended
        pause for that exercise. Exercises without a pause range are not checked.

    Why it matters
        The recommended pause is long enough to feel the muscle work and short enough to
        keep good form through every repetition of every set.

    Example
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side hold 8s rest 30-60s

    Use instead
        program "Clams"
        equipment mat
        phase "Activate" 2w:
          session daily:
            clam_shell 3x12 each side hold 1s rest 30-60s

    Where this comes from
        [Conway (CCHN)] holds each repetition of its activation exercise for about 1 s,
        and [ACSM 2009] advises 1-2 s phases for heavy strength work. The recommended pauses
        (mostly 1-3 s, up to 10 s for holds such as bird dog) are a clinical judgement
        built on those.
    """
    return _findings(program, ctx, "recommended", lambda p: _timing_checks(p, "hold_per_rep_s"))


RULES = (
    dose_outside_safe_range,
    dose_outside_recommended_range,
    rest_outside_safe_range,
    rest_outside_recommended_range,
    pause_outside_safe_range,
    pause_outside_recommended_range,
)
