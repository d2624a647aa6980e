"""Helpers the tests share: the language reference's example and ways to check program text."""

from __future__ import annotations

from pathlib import Path

from progdsl import loads

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "programs"

# The complete example from the language reference (docs/language.md).
LANGUAGE_EXAMPLE = """\
# Glute activation and stretching for a sore lower back
program "Glutes for a sore back"
client "Sam Lee"
clinician "Alex Moore, Exercise Physiologist"
start 2026-12-07
timezone "Australia/Sydney"
time 07:30
equipment mini_band(yellow, green), mat
caution "Numbness, or pins and needles in the foot: ease off the longer holds and see a health professional."

phase "Activate" 2w:
  session "Daily activation" daily:
    clam_shell 3x12 rest 30-60s progress from 8 over 2w
  session "Stretch" 4x/week at 18:00:
    figure_four_stretch 3x45-60s each side

phase "Strengthen" 4w:
  session on mon wed fri:
    glute_bridge 3x10-15 band green rest 60s
    dead_bug 3x8 each side
    bird_dog 3x8 hold 3s each side
    plank 3x20s progress to 30s over 4w
"""

HEADER = 'program "Test"\n'

# One exercise in a clinic's own registry file.
CLINIC_ENTRY = """\
[wall_angel]
name = "Wall angel"
category = "mobility"
dose = ["reps"]
one_sided = false
instructions = ["Stand with your back to a wall.", "Slide your arms up and down it."]
"""


def program_with(body: str, header: str = HEADER) -> str:
    """A program: a header, then `body` inside a daily session of a two-week phase."""
    lines = "".join(f"    {line}\n" for line in body.strip("\n").split("\n"))
    return f'{header}phase "P" 2w:\n  session daily:\n{lines}'


def codes(text: str) -> list[tuple[str, int]]:
    """(code, line) of every diagnostic of a program text."""
    return [(d.code, d.span.line) for d in loads(text, "t.prog").diagnostics]


def error_codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in loads(text, "t.prog").errors]


def install_backends(monkeypatch, table: dict[str, tuple[str, str]]) -> tuple:
    """Make plugin discovery see exactly these backends: name -> (entry-point target, distribution)."""
    from progdsl import plugins

    found = tuple(
        plugins.Plugin(plugins.BACKENDS, name, target, distribution, "1.0")
        for name, (target, distribution) in sorted(table.items())
    )
    monkeypatch.setattr(plugins, "discover", lambda group: found if group == plugins.BACKENDS else ())
    return found


def install_offline(project: Path, site: Path) -> None:
    """pip-install a project folder into `site`, built offline with the hatchling the test extra installs."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
               "--no-build-isolation", "--target", str(site), str(project)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)


def day_dose(kind: str = "reps", sets: int = 3, amount: tuple[int, int] = (12, 12), exercise=None, **changes):
    """A `progdsl.plan.DayDose` with nothing but what a test names."""
    from progdsl.plan import DayDose
    from progdsl.units import Range
    from progdsl.vocabulary import DoseKind

    fields = dict(each_side=False, rest_s=None, hold_per_rep_s=None, tempo=None, band=None, load=None,
                  bodyweight=False, notes=(), line=1)  # fmt: skip
    return DayDose(exercise, DoseKind(kind), sets, Range(*amount), **{**fields, **changes})
