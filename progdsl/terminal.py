"""Rich renderings for the terminal: registry tables and entries.

Only commands that print tables import this (and so rich).
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .registry import LIMIT_KEYS, Exercise, Registry

_LIMIT_WORDS = {
    "sets": "sets",
    "reps": "repetitions",
    "hold_s": "hold (seconds)",
    "duration_min": "duration (minutes)",
    "rest_s": "rest between sets (seconds)",
    "hold_per_rep_s": "pause in each repetition (seconds)",
}


def console() -> Console:
    """A console that colours on a terminal and prints plain text when piped."""
    return Console(highlight=False, soft_wrap=False)


def exercise_table(exercises: list[Exercise]) -> Table:
    table = Table(title=f"{len(exercises)} exercises", title_justify="left")
    table.add_column("id", style="bold")
    table.add_column("name")
    table.add_column("category")
    table.add_column("dose")
    table.add_column("stage", justify="right")
    table.add_column("sides")
    for e in exercises:
        table.add_row(e.id, e.name, e.category, ", ".join(e.dose), str(e.stage), "each side" if e.one_sided else "both")
    return table


def exercise_detail(e: Exercise, registry: Registry) -> Group:
    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(f"{i} ({registry.get(i).name})" if registry.get(i) else i for i in ids) or "—"

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("id", e.id)
    facts.add_row("aliases", ", ".join(e.aliases) or "—")
    facts.add_row("category", f"{e.category} (stage {e.stage})")
    facts.add_row("dose", " or ".join(e.dose))
    facts.add_row("sides", "one side at a time: write `each side`" if e.one_sided else "both sides at once")
    facts.add_row("equipment", ", ".join(e.equipment) or "none")
    facts.add_row("targets", ", ".join(e.targets))
    facts.add_row("easier", names(e.easier))
    facts.add_row("harder", names(e.harder))

    ranges = Table(title="ranges", title_justify="left")
    ranges.add_column("")
    ranges.add_column("recommended", justify="right")
    ranges.add_column("safe", justify="right")
    for key in LIMIT_KEYS:
        safe, recommended = e.safe.get(key), e.recommended.get(key)
        if safe is not None:
            ranges.add_row(_LIMIT_WORDS[key], str(recommended) if recommended else "—", str(safe))

    steps = Text()
    for number, step in enumerate(e.instructions, start=1):
        steps.append(f"  {number}. {step}\n")
    cautions = Text()
    for caution in e.cautions:
        cautions.append(f"  • {caution}\n")
    return Group(
        Text(e.name, style="bold underline"),
        facts,
        ranges,
        Text("How to do it", style="bold"),
        steps,
        Text("Take care", style="bold"),
        cautions,
    )
