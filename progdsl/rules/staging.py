"""S301: advanced work only after a base of stabilisation and strengthening.

The registry gives each exercise a stage: 1 stabilisation, activation and mobility;
2 strengthening; 3 advanced, loaded or dynamic work.
"""

from __future__ import annotations

from .base import WARNING, rule


@rule("S301", "advanced-exercise-too-early", WARNING, "A stage 3 exercise comes before any stage 1 or 2 work.")
def advanced_exercise_too_early(program, ctx):
    """
    What it checks
        Every stage 3 exercise (advanced, loaded or dynamic, such as `hip_thrust`,
        `deadlift`, `lunge`, `side_plank` or `running`) that is in the first phase, or in
        a later phase when no earlier phase has any stage 1 or stage 2 exercise.
        `progdsl exercises` shows each exercise's stage.

    Why it matters
        A sore back is trained in order: pain-free stabilisation of a neutral pelvis
        first, then trunk strength, and only then harder stability and dynamic work.
        Skipping the base loads tissue that is not ready for it.

    Example
        program "Glutes"
        equipment mat, bench
        phase "Start" 2w:
          session on mon wed fri:
            hip_thrust 3x10 rest 90s

    Use instead
        program "Glutes"
        equipment mat, bench
        phase "Start" 2w:
          session on mon wed fri:
            glute_bridge 3x10 rest 60s
        phase "Load" 3w:
          session on mon wed fri:
            hip_thrust 3x10 rest 90s

    Where this comes from
        The order of stages follows [Training with LBP]: pain-free stabilisation of the
        lower back and a neutral pelvis first, then trunk strength, then harder
        stability and dynamic work. [Conway (CCHN)] likewise starts with two weeks of
        gluteus medius activation before strengthening. Which exercise is stage 1, 2 or
        3 is the registry's clinical judgement, as is the rule that any earlier stage 1
        or 2 work is enough of a base.
    """
    groundwork = False
    for index, phase in enumerate(program.phases):
        for session in phase.sessions:
            for p in session.prescriptions:
                if p.exercise.stage < 3 or groundwork:
                    continue
                where = "in the first phase" if index == 0 else "but no earlier phase has any stage 1 or 2 work"
                easier = ", ".join(f"`{e}`" for e in p.exercise.easier)
                yield ctx.report(
                    p.name_span,
                    f"`{p.written_name}` is a stage 3 (advanced) exercise {where}",
                    "build a base of stage 1 and 2 work in an earlier phase"
                    + (f"; easier versions: {easier}" if easier else ""),
                )
        groundwork = groundwork or any(
            p.exercise.stage <= 2 for session in phase.sessions for p in session.prescriptions
        )


RULES = (advanced_exercise_too_early,)
