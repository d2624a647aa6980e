"""A Markdown backend for progdsl, written against the public plugin contract only.

Registered in this distribution's pyproject.toml:

    [project.entry-points."progdsl.backends"]
    markdown = "progdsl_markdown:MarkdownBackend"
"""

from __future__ import annotations

import re

from progdsl.backends import RenderOptions
from progdsl.plan import Plan
from progdsl.wording import describe_dose, describe_frequency

__all__ = ["MarkdownBackend", "escape"]
__version__ = "0.1.0"

# Characters that would start Markdown or HTML syntax in the middle of a line.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def escape(text: str) -> str:
    """Program text as literal Markdown: no emphasis, links, HTML or table breaks."""
    return _SPECIAL.sub(r"\\\1", text)


def _day(date) -> str:
    return f"{date:%a} {date.isoformat()}"


def _header(plan: Plan) -> list[str]:
    program = plan.program
    facts = [
        ("Client", program.client),
        ("Clinician", program.clinician),
        ("Dates", f"{_day(plan.start)} to {_day(plan.end)}"),
        ("Times", program.timezone and f"local time in {program.timezone}"),
    ]
    lines = [f"# {escape(program.title)}", ""]
    lines += [f"- **{label}:** {escape(value)}" for label, value in facts if value]
    lines.append("")
    lines += [f"> **Caution:** {escape(remark.text)}\n" for remark in program.cautions]
    lines += [f"{escape(remark.text)}\n" for remark in program.notes]
    return lines


def _phases(plan: Plan) -> list[str]:
    lines = ["## Phases", ""]
    for planned in plan.phases:
        phase = planned.phase
        lines += [f"### {escape(phase.name)}: {_day(planned.start)} to {_day(planned.end)}", ""]
        for session in phase.sessions:
            when = f" at {session.time:%H:%M}" if session.time else ""
            lines.append(f"- **{escape(session.name or 'Exercises')}**{when}")
            for prescription in session.prescriptions:
                frequency = describe_frequency(prescription.frequency or session.frequency)
                lines.append(f"  - {escape(prescription.exercise.name)}: {frequency}")
        lines.append("")
    return lines


def _schedule(plan: Plan) -> list[str]:
    lines = ["## Schedule", "", "| Date | Time | Session | Exercises |", "| --- | --- | --- | --- |"]
    for session in plan.sessions:
        name = f"{session.phase}: {session.session}" if session.session else session.phase
        doses = "<br>".join(f"{escape(d.exercise.name)} {escape(describe_dose(d))}" for d in session.exercises)
        time = f"{session.time:%H:%M}" if session.time else "any time"
        lines.append(f"| {_day(session.date)} | {time} | {escape(name)} | {doses} |")
    return [*lines, ""]


def _exercises(plan: Plan) -> list[str]:
    lines = ["## How to do each exercise", ""]
    for exercise in plan.exercises:
        lines += [f"### {escape(exercise.name)}", ""]
        lines += [f"{number}. {escape(step)}" for number, step in enumerate(exercise.instructions, start=1)]
        lines.append("")
        lines += [f"- **Take care:** {escape(caution)}" for caution in exercise.cautions]
        lines.append("")
    return lines


def _allows(plan: Plan) -> list[str]:
    if not plan.allows:
        return []
    lines = ["## Safety rules set aside", ""]
    lines += [f"- `{record.code}` ({escape(record.where)}): {escape(record.reason)}" for record in plan.allows]
    return [*lines, ""]


class MarkdownBackend:
    """The dated plan as one Markdown page."""

    name = "markdown"
    suffix = ".md"
    media_type = "text/markdown; charset=utf-8"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        lines = _header(plan) + _phases(plan) + _schedule(plan) + _exercises(plan) + _allows(plan)
        return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
