"""The programs the benchmarks run on, generated into a temporary folder (never committed).

Every generated program checks without errors, so that each figure times the whole
pipeline rather than a stop at the first error; safety-rule warnings are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

from handout import PROGRAM

HANDOUT = PROGRAM  # the 12-week handout of handout.py (11 pages; 20 before issue 14), for run.py and recycle.py

HEADER = """\
program "{title}"
client "Client {number}"
clinician "Sam Okafor, Physiotherapist"
start 2027-01-04
timezone "Europe/London"
time 07:00
equipment mat, mini_band(yellow, green, blue), bench
caution "Stop and call the clinic if pain spreads into a leg."
"""

# Sessions that repeat, phase after phase: every line an exercise from the registry.
MOBILITY = """\
  session "Mobility" daily:
    pelvic_tilt 2x10 hold 3s rest 30s
    cat_camel 2x8 rest 30s
    knee_to_chest_stretch 2x30s each side
    hamstring_stretch 2x30s each side
"""
STRENGTH = """\
  session "Strength" on mon wed fri:
    clam_shell 3x10 each side rest 45s
    glute_bridge 3x10 band yellow rest 60s
    bird_dog 3x8 each side hold 3s rest 45s
    dead_bug 3x8 each side rest 45s
    side_lying_leg_raise 3x10 each side rest 45s
    abdominal_bracing 2x8 hold 5s rest 30s
"""
WALK = """\
  session "Walk" on tue thu sat:
    walking 20min
"""


def _phase(number: int, days: int, body: str) -> str:
    return f'\nphase "Phase {number}" {days}d:\n{body}'


def phased(phases: int, days: int = 3, body: str = MOBILITY, title: str = "Generated") -> str:
    """A program of `phases` phases of `days` days each, every phase holding `body`."""
    header = HEADER.format(title=title, number=1)
    if phases * days > 364:  # S505 stops programs longer than a year unless allowed
        header += 'allow S505 "a generated program for the benchmarks"\n'
    return header + "".join(_phase(n, days, body) for n in range(1, phases + 1))


def long_program(lines: int = 10_000) -> str:
    """About `lines` lines: phases of five days with three sessions (and twelve exercises) each."""
    body = MOBILITY + STRENGTH + WALK
    per_phase = body.count("\n") + 2
    return phased(lines // per_phase, days=5, body=body, title="Ten thousand lines")


def year_daily() -> str:
    """52 weeks of daily sessions at a set time, in four phases of 13 weeks."""
    text = HEADER.format(title="A year of daily sessions", number=1)
    for number in range(1, 5):
        text += f'\nphase "Quarter {number}" 13w:\n{MOBILITY}{STRENGTH}'
    return text


def handouts(folder: Path, count: int, program: Path) -> list[Path]:
    """`count` copies of a program, each for another client."""
    text = program.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, count + 1):
        path = folder / f"handout_{number:04}.prog"
        path.write_text(re.sub(r'(?m)^client ".*"$', f'client "Client {number}"', text), encoding="utf-8")
        written.append(path)
    return written


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
