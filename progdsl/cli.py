"""The `progdsl` command line. Thin: arguments in, calls into the package, text out.

Heavy modules are imported inside the commands that need them, so that
`progdsl check` (run on every save) starts about as fast as Python itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

_STYLES = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "location": {"bold": True},
    "gutter": {"fg": "blue", "bold": True},
    "caret": {"fg": "red"},
    "help": {"fg": "cyan", "bold": True},
}


def _style(text: str, role: str) -> str:
    return click.style(text, **_STYLES.get(role, {}))


def _program_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given, folders expanded to the `.prog` files under them, `-` kept for stdin."""
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if given == "-" or path.is_file():
            found.append(given)
        elif path.is_dir():
            programs = sorted(str(p) for p in path.rglob("*.prog"))
            if not programs:
                raise click.UsageError(f"no .prog files in folder '{given}'")
            found += programs
        else:
            raise click.BadParameter(f"'{given}' does not exist", param_hint="PATH")
    return found


def _load(given: str):
    from .compiler import load_bytes

    if given == "-":
        return load_bytes(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(given).read_bytes()
    except OSError as exc:
        raise click.FileError(given, exc.strerror) from exc
    return load_bytes(data, given)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="progdsl")
def main() -> None:
    """Check exercise programs against the exercise registry and clinical safety rules,
    and compile them into handouts, calendars and JSON."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print diagnostics.")
def check(paths: tuple[str, ...], output_format: str) -> None:
    """Check program files (or folders of them; `-` reads standard input).

    Exits 0 when there are no errors (warnings allowed), 1 when any file has errors.
    """
    from .diagnostics import render_text, summary, to_json

    results = [_load(given) for given in _program_paths(paths)]
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    if output_format == "json":
        import json

        records = [to_json(d, r.source) for r in results for d in r.diagnostics]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for result in results:
            for diagnostic in result.diagnostics:
                click.echo(render_text(diagnostic, result.source, style=_style) + "\n")
        click.echo(summary(errors, warnings, len(results)))
    sys.exit(EXIT_ERRORS if errors else EXIT_OK)


@main.command()
@click.argument("query", required=False, default="")
def exercises(query: str) -> None:
    """List the exercise registry, or search it (by name, alias, category, target or equipment)."""
    from .registry import builtin_registry
    from .terminal import exercise_table, console

    registry = builtin_registry()
    found = registry.search(query) if query else list(registry)
    if not found:
        close = registry.suggest(query)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise click.ClickException(f"no exercise matches '{query}'.{hint}")
    console().print(exercise_table(found))


@main.command()
@click.argument("name")
def exercise(name: str) -> None:
    """Show one exercise in full: doses, ranges, instructions, cautions, variants."""
    from .registry import builtin_registry
    from .terminal import console, exercise_detail

    registry = builtin_registry()
    found = registry.get(name)
    if found is None:
        close = registry.suggest(name)
        hint = f" Did you mean {' or '.join(close)}?" if close else " `progdsl exercises` lists them all."
        raise click.BadParameter(f"unknown exercise '{name}'.{hint}", param_hint="NAME")
    console().print(exercise_detail(found, registry))
