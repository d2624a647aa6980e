"""Rich renderings for the terminal: registry tables and entries, the dated plan, installed plugins.

Only commands that print tables import this (and so rich).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .registry import Exercise, Registry
from .vocabulary import LIMIT_KEYS
from .wording import (
    LIMIT_NAMES,
    day_and_date,
    day_name,
    days,
    describe_frequency,
    dose_lines,
    humanize,
    long_date,
    range_basis,
    session_when,
)

if TYPE_CHECKING:
    from .plan import Plan
    from .plugins import Plugin
    from .rules import Rule


# Piped or saved output has no width to fit; wide enough that ids and dose lines never wrap.
PIPED_WIDTH = 160


def console() -> Console:
    """A console that colours on a terminal and prints plain, unwrapped text when piped."""
    out = Console(highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out.width = max(out.width, PIPED_WIDTH)
    return out


def exercise_table(exercises: list[Exercise]) -> Table:
    table = Table(title=f"{len(exercises)} exercises", title_justify="left")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("name")
    table.add_column("region")
    table.add_column("category")
    table.add_column("dose")
    table.add_column("stage", justify="right")
    table.add_column("sides")
    for e in exercises:
        table.add_row(
            e.id,
            e.name,
            ", ".join(e.regions),
            e.category,
            ", ".join(e.dose),
            str(e.stage),
            "each side" if e.one_sided else "both",
        )
    return table


def _range_basis(e: Exercise) -> str:
    from .sources import load

    sources = load()
    origin = None if e.origin == "progdsl" else e.origin
    return range_basis(origin, sources.range_basis(e.category, e.id), sources.ranges["defaults"])


def exercise_detail(e: Exercise, registry: Registry) -> Group:
    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(f"{i} ({exercise.name})" if (exercise := registry.get(i)) else i for i in ids) or "—"

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("id", e.id)
    facts.add_row("aliases", ", ".join(e.aliases) or "—")
    facts.add_row("category", f"{e.category} (stage {e.stage})")
    facts.add_row("regions", ", ".join(e.regions) or "—")
    facts.add_row("position", humanize(e.position) if e.position else "—")
    facts.add_row("dose", " or ".join(e.dose))
    facts.add_row("sides", "one side at a time: write `each side`" if e.one_sided else "both sides at once")
    facts.add_row("equipment", ", ".join(e.equipment) or "none")
    facts.add_row("targets", ", ".join(e.targets))
    facts.add_row("easier", names(e.easier))
    facts.add_row("harder", names(e.harder))
    facts.add_row("from", "progdsl's built-in registry" if e.origin == "progdsl" else e.origin)
    if e.image:
        facts.add_row("image", e.image + (f" ({e.credit})" if e.credit else ""))
    if e.figure is not None:
        facts.add_row("figure", f"drawn from its pose data: `progdsl exercise {e.id} --figure {e.id}.svg`")

    ranges = Table(title="ranges", title_justify="left")
    ranges.add_column("")
    ranges.add_column("recommended", justify="right")
    ranges.add_column("safe", justify="right")
    for key in LIMIT_KEYS:
        safe, recommended = e.safe.get(key), e.recommended.get(key)
        if safe is not None:
            ranges.add_row(LIMIT_NAMES[key], str(recommended) if recommended else "—", str(safe))

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
        Text(_range_basis(e) + "\n"),
        Text("How to do it", style="bold"),
        steps,
        Text("Take care", style="bold"),
        cautions,
    )


def plan_view(plan: Plan, *, plain: bool = False) -> Group:
    """The dated plan as a clinician reads it: one row per session with that day's doses.

    `plain` leaves out the lines between rows, for output that is piped or saved.
    """
    program = plan.program
    about = [f"{long_date(plan.start)} to {long_date(plan.end)} ({len(plan.sessions)} sessions)"]
    about += [f"for {program.client}"] if program.client else []
    about += [f"by {program.clinician}"] if program.clinician else []
    about += [f"times in {program.timezone}"] if program.timezone else []

    phases = Text()
    for planned in plan.phases:
        phase = planned.phase
        phases.append(f"{phase.name}", style="bold")
        phases.append(f"  {day_and_date(planned.start)} to {day_and_date(planned.end)}, {days(phase.days)}\n")
        for session in phase.sessions:
            frequencies = {describe_frequency(session.frequency_for(p)) for p in session.prescriptions}
            when = session_when(session, program.time if session.per_day > 1 else None)
            when = f", {when}" if when else ""
            phases.append(f"  {session.name or 'exercises'}: {', '.join(sorted(frequencies))}{when}\n")

    table = Table(box=box.SIMPLE if plain else box.SIMPLE_HEAVY, show_lines=not plain, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("day", no_wrap=True)
    table.add_column("time", no_wrap=True)
    table.add_column("session")
    table.add_column("exercises, with that day's dose")
    for planned_session in plan.sessions:
        name = (
            f"{planned_session.phase} / {planned_session.session}" if planned_session.session else planned_session.phase
        )
        doses = "\n".join(dose_lines(planned_session.exercises))
        table.add_row(
            planned_session.date.isoformat(),
            day_name(planned_session.date),
            f"{planned_session.time:%H:%M}" if planned_session.time else "any time",
            name,
            doses,
        )

    extras = Text()
    for caution in program.cautions:
        extras.append("caution: ", style="bold yellow")
        extras.append(f"{caution.text}\n")
    for allow in plan.allows:
        extras.append(f"allowed {allow.code}", style="bold")
        extras.append(f" ({allow.where}): {allow.reason}\n")
    return Group(Text(program.title, style="bold underline"), Text(" · ".join(about)), Text(), phases, table, extras)


def plugin_table(plugins: list[Plugin]) -> Table:
    """Installed plugins with the distribution that provides each one."""
    from .plugins import GROUPS

    table = Table(title="installed plugins", title_justify="left")
    table.add_column("kind")
    table.add_column("name", style="bold")
    table.add_column("distribution")
    table.add_column("version")
    table.add_column("provided by")
    for plugin in plugins:
        table.add_row(GROUPS[plugin.group], plugin.name, plugin.distribution, plugin.version, plugin.target)
    return table


def rule_table(rules: tuple[Rule, ...]) -> Table:
    """Safety rules: code, name, severity, summary."""
    table = Table(title=f"{len(rules)} safety rules", title_justify="left")
    table.add_column("code", style="bold")
    table.add_column("name")
    table.add_column("severity")
    table.add_column("summary")
    for r in rules:
        colour = "red" if r.severity.value == "error" else "yellow"
        table.add_row(r.code, r.name, Text(r.severity.value, style=colour), r.summary)
    return table
