"""The `progdsl` command line. Thin: arguments in, calls into the package, text out.

Heavy modules are imported inside the commands that need them, so that
`progdsl check` (run on every save) starts about as fast as Python itself.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypedDict

import click

from .collector import collector_paused  # loaded already: the script pauses the collector with it
from .version import __version__

if TYPE_CHECKING:
    from pathlib import Path

EXIT_OK, EXIT_ERRORS = 0, 1  # usage errors exit 2, through click


class _Style(TypedDict, total=False):
    """The keyword arguments of click.style that progdsl's roles use."""

    fg: str
    bold: bool


_STYLES: dict[str, _Style] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "location": {"bold": True},
    "gutter": {"fg": "blue", "bold": True},
    "caret": {"fg": "red"},
    "help": {"fg": "cyan", "bold": True},
}


def _style(text: str, role: str) -> str:
    return click.style(text, **_STYLES.get(role, {}))


class _PathlibPath(click.Path):
    """`click.Path(path_type=pathlib.Path)`, but importing pathlib only when the option or
    argument is given: a check, which takes none of them, imports no pathlib."""

    def convert(self, value, param, ctx) -> Path:
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


def _program_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given, folders expanded to the `.prog` files under them, `-` kept for stdin."""
    found: list[str] = []
    for given in paths:
        if given == "-" or os.path.isfile(given):  # os.path: a check imports no pathlib
            found.append(given)
        elif os.path.isdir(given):
            from pathlib import Path

            programs = []
            for candidate in sorted(Path(given).rglob("*.prog")):
                if candidate.is_file():
                    programs.append(str(candidate))
                elif not candidate.is_dir():  # a FIFO would block the read for ever; a device never ends
                    click.echo(f"note: skipped {candidate}: not a regular file", err=True)
            if not programs:
                raise click.UsageError(f"no .prog files in folder '{given}'")
            found += programs
        elif os.path.exists(given):  # a pipe or a device, such as /dev/stdin or the shell's <(...)
            raise click.BadParameter(
                f"'{given}' is not a file or a folder; to read a program from a pipe, give `-` and pipe it in",
                param_hint="PATH",
            )
        else:
            raise click.BadParameter(f"'{given}' does not exist", param_hint="PATH")
    return found


def _load(given: str, options=None, registries: tuple[str, ...] = ()):
    from .compiler import load_bytes

    return load_bytes(*_read(given), options=options, registries=registries)


def _read(given: str) -> tuple[bytes, str]:
    """A program's bytes and the name diagnostics call it by (`-` is standard input)."""
    from .parser import read_file, read_limited

    if given == "-":
        return read_limited(sys.stdin.buffer), "<stdin>"
    try:
        return read_file(given), given
    except OSError as exc:
        raise click.FileError(given, exc.strerror) from exc


_REGISTRY = click.option(
    "--registry",
    "registries",
    multiple=True,
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False),
    help="A clinic's registry file (TOML) to add to the built-in one; repeatable. See docs/registry.md.",
)


def _registry(registries: tuple[str, ...]):
    """The built-in registry with the clinic's (the project config above the working folder's,
    installed packages', and `--registry` files); its faults are printed and exit 1."""
    from . import plugins
    from .registry import builtin_registry, find_project_config

    config = find_project_config(os.getcwd())
    if not (registries or config or plugins.discover(plugins.REGISTRIES)):
        return builtin_registry()
    from .clinic import registry_with, sources_for
    from .diagnostics import render_text
    from .source import SourceFile

    sources, diagnostics = sources_for(config, registries)
    registry, found = registry_with(sources)
    diagnostics += found
    for diagnostic in diagnostics:
        click.echo(render_text(diagnostic, SourceFile("<registry>", ""), style=_style) + "\n", err=True)
    if registry is None or any(d.is_error for d in diagnostics):
        sys.exit(EXIT_ERRORS)
    return registry


def _rule_codes(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select`/`--ignore` values: repeatable, comma-separated, codes or prefixes such as S1."""
    from .rules import catalog, normalise_codes

    codes = normalise_codes(values)
    unknown = catalog().unmatched(codes) if codes else []
    if unknown:
        close = catalog().suggest(unknown[0])
        hint = f" Did you mean {' or '.join(close)}?" if close else " `progdsl rules` lists them all."
        raise click.BadParameter(f"no rule code starts with '{unknown[0]}'.{hint}")
    return codes


# ---- shell completion (docs/editors.md): values a shell can offer after TAB ----------------


def _complete_exercises(ctx, param, incomplete: str) -> list[str]:
    from .registry import builtin_registry

    return [e.id for e in builtin_registry() if e.id.startswith(incomplete)]


def _complete_codes(ctx, param, incomplete: str) -> list[str]:
    from .codes import ERROR_CODES
    from .rules import catalog

    codes = [*ERROR_CODES, *(rule.code for rule in catalog().rules)]
    return [code for code in codes if code.startswith(incomplete.upper())]


def _complete_backends(ctx, param, incomplete: str) -> list[str]:
    from . import plugins

    return [p.name for p in plugins.discover(plugins.BACKENDS) if p.name.startswith(incomplete)]


def _project_config(ctx: click.Context, param, value):
    """Runs first (an eager PATHS argument): the project config nearest the first program, or
    the working folder, gives this command's option defaults; the command line still wins."""
    from .registry import find_project_config

    first = next((given for given in value if given != "-"), None)
    folder = os.path.realpath(first) if first else os.getcwd()
    path = find_project_config(folder if os.path.isdir(folder) else os.path.dirname(folder))
    if path is None:
        return value
    from .config import read_config
    from .diagnostics import render_text
    from .source import SourceFile

    config, faults = read_config(path)
    for fault in faults:
        click.echo(render_text(fault, fault.source or SourceFile(str(path), ""), style=_style) + "\n", err=True)
    if config is None:
        sys.exit(EXIT_ERRORS)
    ctx.default_map = {**(ctx.default_map or {}), **config.defaults(ctx.info_name or "")}
    ctx.meta["progdsl.config"] = config
    return value


_PATHS = click.argument("paths", nargs=-1, required=True, is_eager=True, callback=_project_config)


class _Command(click.Command):
    """A command whose options are read with the collector paused, in a lasting pause: their
    callbacks load modules (the registry, for the project config; pathlib, for a folder),
    which live as long as the process, as the command line's own modules do (`__main__.py`)."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        with collector_paused(lasting=True):
            return super().make_context(info_name, args, parent, **extra)


class _Group(click.Group):
    command_class = _Command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="progdsl")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check exercise programs against the exercise registry and clinical safety rules,
    and compile them into handouts, calendars and JSON."""
    if ctx.invoked_subcommand == "check":
        # A check is brief and keeps what it makes (the results of every file) to the end:
        # the cyclic collector, paused from here (the check's imports included) until the
        # command ends, would only walk those objects again and again.
        ctx.with_resource(collector_paused(lasting=True))


@main.command()
@_PATHS
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option("--strict", is_flag=True, help="Treat safety-rule warnings as errors.")
@click.option(
    "--select",
    multiple=True,
    metavar="CODE",
    callback=_rule_codes,
    shell_complete=_complete_codes,
    help="Run only these safety rules: codes or prefixes (S4 is a family); repeatable or comma-separated.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODE",
    callback=_rule_codes,
    shell_complete=_complete_codes,
    help="Skip these safety rules: codes or prefixes; repeatable or comma-separated.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print each setting the project config (progdsl.toml) and the command line give, and where from.",
)
@_REGISTRY
def check(
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    show_settings: bool,
    registries: tuple[str, ...],
) -> None:
    """Check program files (or folders of them; `-` reads standard input).

    Exits 0 when there are no errors (warnings allowed), 1 when any file has errors.
    A project config (`progdsl.toml`, or `[tool.progdsl]` in pyproject.toml) above the
    first file gives defaults for `--select`, `--ignore` and the build options.
    """
    from .diagnostics import render_text, summary, to_json
    from .rules import CheckOptions

    if show_settings:
        _print_settings(click.get_current_context())
        return

    options = CheckOptions(select, ignore, strict)
    results = [_load(given, options, registries) for given in _program_paths(paths)]
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


def _print_settings(ctx: click.Context) -> None:
    """Every config key with its value and where it comes from: the command line, the config
    file and line, or progdsl's default."""
    from .config import KEYS, ProjectConfig

    config: ProjectConfig | None = ctx.meta.get("progdsl.config")
    click.echo(f"config: {config.path if config else 'none found (progdsl.toml or [tool.progdsl] in pyproject.toml)'}")
    for key, spec in KEYS.items():
        found = next((s for s in config.settings if s.key == key), None) if config else None
        if "check" in spec.commands and ctx.get_parameter_source(spec.option) is click.core.ParameterSource.COMMANDLINE:
            value, where = ctx.params[spec.option], "command line"
        elif found is not None and config is not None:
            value, where = found.value, config.where(key) or ""
        else:
            value, where = None, "default"
        shown = (
            "(not set)" if value in (None, (), []) else (", ".join(value) if isinstance(value, list | tuple) else value)
        )
        click.echo(f"{key:<16} {shown!s:<40} {where}")


def _regions() -> list[str]:
    from .vocabulary import Region

    return [region.value for region in Region]


def _equipment() -> list[str]:
    from .vocabulary import EQUIPMENT

    return sorted(EQUIPMENT)


@main.command()
@click.argument("query", required=False, default="")
@click.option("--region", type=click.Choice(_regions()), help="Only exercises for this region.")
@click.option("--equipment", type=click.Choice(_equipment()), help="Only exercises that use this equipment.")
@_REGISTRY
def exercises(query: str, region: str | None, equipment: str | None, registries: tuple[str, ...]) -> None:
    """List the exercise registry, or search it (by name, alias, category, region, target or equipment)."""
    from .terminal import console, exercise_table
    from .vocabulary import Region
    from .wording import did_you_mean

    registry = _registry(registries)
    found = registry.search(query, Region(region) if region else None, equipment)
    if not found:
        hint = did_you_mean(registry.suggest(query)) if query else None
        raise click.ClickException(f"no exercise matches `{query}`" + (f"; {hint}" if hint else ""))
    console().print(exercise_table(found))


@main.command()
@click.argument("name", shell_complete=_complete_exercises)
@click.option(
    "--figure",
    "figure_path",
    metavar="FILE.svg",
    type=click.Path(dir_okay=False),
    help="Draw its figure from its pose data into FILE.svg instead (docs/figures.md).",
)
@_REGISTRY
def exercise(name: str, figure_path: str | None, registries: tuple[str, ...]) -> None:
    """Show one exercise in full: doses, ranges, instructions, cautions, variants, and where it comes from."""
    from pathlib import Path

    from .terminal import console, exercise_detail
    from .wording import did_you_mean

    registry = _registry(registries)
    found = registry.get(name)
    if found is None:
        hint = did_you_mean(registry.suggest(name)) or "`progdsl exercises` lists them all"
        raise click.BadParameter(f"unknown exercise `{name}`; {hint}", param_hint="NAME")
    if figure_path is None:
        console().print(exercise_detail(found, registry))
        return
    if found.figure is None:
        raise click.ClickException(
            f"`{found.id}` has no pose data to draw"
            + (f" (its picture is {found.image})" if found.image else "")
            + "; docs/figures.md shows how to add a ["
            + found.id
            + ".figure] table"
        )
    from .figures import render_table
    from .output import WriteError, write_atomically

    try:
        write_atomically(Path(figure_path), render_table(found.figure))
    except WriteError as exc:
        raise click.ClickException(str(exc)) from None
    _say(f"wrote {figure_path}")


@main.command()
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The folder to write ID.svg into, one for each exercise with pose data.",
)
@click.option(
    "--contact-sheet",
    "sheet",
    metavar="FILE.png|FILE.pdf",
    type=click.Path(dir_okay=False),
    help="Also print every figure with its id under it on one sheet (PNG needs pdftoppm).",
)
@_REGISTRY
def figures(folder: str, sheet: str | None, registries: tuple[str, ...]) -> None:
    """Draw the figure of every exercise that has pose data (docs/figures.md)."""
    from pathlib import Path

    from .figures import render_table
    from .output import WriteError, prepare_folder, write_atomically

    registry = _registry(registries)
    drawn = [(e.id, render_table(e.figure)) for e in registry if e.figure is not None]
    if sheet and not sheet.lower().endswith((".png", ".pdf")):
        raise click.BadParameter("give a .png or .pdf file", param_hint="--contact-sheet")
    data = None
    if sheet:  # made before anything is written, so a failure leaves nothing half done
        from .figures.sheet import NoPdftoppm, sheet_pdf, sheet_png

        if not Path(sheet).absolute().parent.is_dir():
            raise click.ClickException(f"cannot write {sheet}: the folder does not exist")
        data = sheet_pdf(drawn)
        if sheet.lower().endswith(".png"):
            try:
                data = sheet_png(data)
            except NoPdftoppm:
                raise click.ClickException(
                    "a PNG contact sheet needs pdftoppm (poppler-utils); write a .pdf sheet instead"
                ) from None
    try:
        prepare_folder(Path(folder))
        for id, svg in drawn:
            write_atomically(Path(folder) / f"{id}.svg", svg)
        if sheet and data is not None:
            write_atomically(Path(sheet), data)
    except WriteError as exc:
        raise click.ClickException(str(exc)) from None
    _say(f"wrote {len(drawn)} figures to {folder}; {len(registry) - len(drawn)} exercises have no pose data yet")
    if sheet:
        _say(f"wrote {sheet}")


@main.command(name="rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="A table, JSON records, or the Markdown reference (docs/rules.md).",
)
def list_rules(output_format: str) -> None:
    """List every safety rule: code, name, severity and summary."""
    from .rules import catalog

    found = catalog()
    for problem in found.problems:
        click.echo(f"{_style('error:', 'error')} {problem}", err=True)
    if output_format == "json":
        import json

        from .rules import SOURCE_SECTION
        from .sources import load

        records = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "summary": r.summary,
                "sources": load().citations(r.sections().get(SOURCE_SECTION, "")),
            }
            for r in found.rules
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        from .rules.docs import markdown

        click.echo(markdown(found), nl=False)
    else:
        from .terminal import console, rule_table

        console().print(rule_table(found.rules))


@main.command()
@click.argument("code", shell_complete=_complete_codes)
def explain(code: str) -> None:
    """Explain one code, E201 or S201 (or a name such as unknown-exercise): what it means, an example, the fix."""
    from .codes import ERROR_CODES
    from .rules import catalog
    from .rules.base import find, suggest

    known = [*ERROR_CODES.values(), *catalog().rules]
    found = find(code, known)
    if found is None:
        close = suggest(code, known)
        hint = (
            f" Did you mean {' or '.join(close)}?"
            if close
            else " `progdsl rules` lists the safety rules; docs/language.md lists the E codes."
        )
        raise click.BadParameter(f"unknown code '{code}'.{hint}", param_hint="CODE")
    click.echo(found.describe())


# ---- build, plan, plugins, schema -------------------------------------------------


class _Duration(click.ParamType):
    """A time such as `15m`, `15min`, `90s` or `1h`, converted to whole seconds above zero."""

    name = "duration"

    def convert(self, value, param, ctx) -> int:
        import re

        from .settings import SETTINGS
        from .units import TIME_UNITS, UNIT_SPELLINGS

        factors = {"m": 60, **{word: TIME_UNITS[unit] for word, unit in UNIT_SPELLINGS.items() if unit in TIME_UNITS}}
        match = re.fullmatch(r"\s*(\d+)\s*([a-z]+)\s*", str(value).lower())
        if not match or match.group(2) not in factors or int(match.group(1)) == 0:
            self.fail(f"'{value}' is not a time before the session such as 15m, 90s or 1h", param, ctx)
        seconds = int(match.group(1)) * factors[match.group(2)]
        most = SETTINGS["reminder"].most or 0
        if seconds > most * 60:
            self.fail(f"'{value}' is more than progdsl accepts (at most {most:,} minutes, a week)", param, ctx)
        return seconds


class _TimeOfDay(click.ParamType):
    """A time of day such as `08:00`, kept as `HH:MM` like the `reminder_at` setting."""

    name = "time"

    def convert(self, value, param, ctx) -> str:
        from .settings import time_of_day

        try:
            return time_of_day(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a time of day on the 24-hour clock such as 08:00 or 19:30", param, ctx)


class _Date(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "date"

    def convert(self, value, param, ctx):
        import datetime as dt

        from .resolve import date_out_of_range

        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"'{value}' is not a date written YYYY-MM-DD, such as 2026-12-07", param, ctx)
        out_of_range = date_out_of_range(day)
        if out_of_range is not None:
            why, help = out_of_range
            self.fail(f"'{value}' is {why} ({help})", param, ctx)
        return day


# The options `build` and `watch` share.
_TO = click.option(
    "--to",
    "backend_names",
    multiple=True,
    shell_complete=_complete_backends,
    metavar="NAME",
    help="Backend to build with; repeat for several (default: every built-in one). `progdsl plugins` lists them.",
)


def _output_folder(ctx: click.Context, param, value: Path) -> Path:
    """The output folder; `-` is refused rather than made into a folder named `-`."""
    if str(value) == "-":
        raise click.BadParameter(
            "outputs are files written into a folder, never standard output: name a folder "
            "(`progdsl plan PATH` prints a program's dated plan)"
        )
    return value


_OUTPUT_DIR = click.option(
    "-o",
    "--output-dir",
    type=_PathlibPath(),
    default=".",
    show_default=True,
    metavar="DIR",
    callback=_output_folder,
    help="Folder to write NAME.SUFFIX into; created when missing.",
)


_START = click.option(
    "--start",
    type=_Date(),
    metavar="YYYY-MM-DD",
    help="First day for programs without a `start` line (default: the next Monday).",
)


def _say(text: str, err: bool = False) -> None:
    """Print a line to the current sys.stdout or sys.stderr: a progress bar moves those above itself,
    where click.echo's own err=True stream would write underneath it. A file name's bytes that
    are not UTF-8 (lone surrogates in Python) are shown as U+FFFD rather than failing to print."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    click.echo(text, file=sys.stderr if err else sys.stdout)


def _print_diagnostics(result) -> None:
    from .diagnostics import render_text

    for diagnostic in result.diagnostics:
        _say(render_text(diagnostic, result.source, style=_style) + "\n", err=True)


@contextmanager
def _progress_bar(total: int):
    """A progress bar on standard error when that is a terminal: yields the function that
    moves it on by one program, or None when standard error is piped or saved."""
    if not sys.stderr.isatty():  # asked first: most builds (scripts, CI) then never import rich
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # Lines printed while the bar shows go above it; standard output only when it is the terminal too.
    columns = (TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, redirect_stdout=sys.stdout.isatty()) as progress:
        task = progress.add_task("build", total=total)
        yield lambda: progress.advance(task)


def _source_date_epoch():
    """SOURCE_DATE_EPOCH as a UTC time, or None; a value that is not a time is a usage error."""
    from .clock import EpochError, source_date_epoch

    try:
        return source_date_epoch()
    except EpochError as exc:
        raise click.UsageError(str(exc)) from exc


# Built-in backends that build only when `--to` names them: the clinician's summary.
ON_REQUEST = ("summary",)


def _load_backends(given: tuple[str, ...]) -> tuple[list, list[str]]:
    """The plugins of the backends `--to` names (every built-in one but ON_REQUEST when it
    names none) that loaded, and a message, printed here, for each that did not. Unknown
    names are a usage error."""
    from . import plugins
    from .batch import backend_for

    names = list(dict.fromkeys(given)) or [
        plugin.name for plugin in plugins.discover(plugins.BACKENDS) if plugin.builtin and plugin.name not in ON_REQUEST
    ]
    for name in names:
        try:
            plugins.find(plugins.BACKENDS, name)
        except plugins.UnknownPlugin as exc:
            raise click.UsageError(str(exc)) from exc
        except plugins.PluginError:
            pass  # reported when loading, below
    loaded, failed = [], []
    for name in names:
        try:
            plugin = plugins.find(plugins.BACKENDS, name)
            backend_for(plugin)
        except plugins.PluginError as exc:
            failed.append(f"{exc}; no {name} output is written")
        else:
            loaded.append(plugin)
    for problem in failed:
        click.echo(f"{_style('error:', 'error')} {problem}", err=True)
    return loaded, failed


class _Tally:
    """What one build did, for the summary line."""

    def __init__(self, invalid: int = 0) -> None:
        self.written = self.failed = self.built = self.warned = 0
        self.invalid = invalid
        self.on_terminal = False


def _say_build(reports, total: int, *, by_client: bool = False, invalid: int = 0) -> _Tally:
    """Print each diagnostic, file written and failure of a build as it comes, and count them.
    `by_client`: the reports are a protocol's check, then one per client (`--clients`)."""
    from .batch import Checked, Failed, Noted, Written

    tally = _Tally(invalid=invalid)
    with _progress_bar(total) as advance:
        for report in reports:
            for event in report.events:
                if isinstance(event, Checked):
                    if by_client and report.path != _PROTOCOL_CHECK and event.result.diagnostics:
                        _say(f"{event.path}:", err=True)  # what this client's own values bring
                    _print_diagnostics(event.result)
                    if not event.result.ok:
                        tally.invalid += 1
                        _say(f"{_style('error:', 'error')} {event.path}: not built, it has errors", err=True)
                elif isinstance(event, Written):
                    tally.written += 1
                    _say(f"wrote {event.output}")
                elif isinstance(event, Failed):
                    tally.failed += 1
                    _say(f"{_style('error:', 'error')} {event.path}: {event.message}", err=True)
                elif isinstance(event, Noted):
                    _say(f"{_style('note:', 'help')} {event.path}: {event.message}", err=True)
            if report.path == _PROTOCOL_CHECK:
                continue  # the protocol's own check, before its clients: not one of the programs built
            tally.built += report.ok
            tally.warned += report.warned
            if advance:
                advance()
        tally.on_terminal = advance is not None
    return tally


@main.command()
@_PATHS
@_TO
@_OUTPUT_DIR
@_START
@click.option(
    "--reminder",
    type=_Duration(),
    metavar="DURATION",
    help="Calendar reminder this long before each timed session, such as 15m (overrides `set reminder`).",
)
@click.option(
    "--reminder-at",
    type=_TimeOfDay(),
    metavar="HH:MM",
    help="Time of day to remind of each session without a time, such as 08:00 (overrides `set reminder_at`).",
)
@click.option("--no-reminder", is_flag=True, help="No calendar reminders (overrides `set reminder`).")
@click.option(
    "--page-size",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    help="Paper size of the handout (overrides `set page_size`).",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Print the handout in large type (overrides `set print_size`).",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1"], case_sensitive=False),
    help="Make the PDFs archival PDF/A or PDF/UA files (they are always tagged for screen readers).",
)
@click.option(
    "--template-dir",
    type=_PathlibPath(exists=True, file_okay=False),
    metavar="DIR",
    help="Folder of handout templates that override the built-in ones; they run sandboxed.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Build N programs at a time, each in its own process (default: one per core; 1 builds in this process).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where programs are built: worker processes on this machine, or a Dask cluster (docs/batch.md).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --executor dask: the cluster's scheduler, such as tcp://10.0.0.5:8786 "
    "(default: a cluster of --jobs workers started on this machine).",
)
@click.option(
    "--name",
    "output_name",
    metavar="NAME",
    help="What to call the outputs (NAME.json, NAME.ics, ...) instead of the file's name; needed with `-`.",
)
@click.option(
    "--clients",
    "clients_file",
    type=click.Path(exists=True, dir_okay=False),
    metavar="CSV",
    help="Build the one program given once per client listed in this CSV file (docs/batch.md).",
)
@click.option(
    "--backend-timeout",
    type=click.FloatRange(min=0),
    default=120,
    show_default=True,
    metavar="SECONDS",
    help="Stop a backend that works longer than this on one program: only that output is lost. "
    "Backends render in a helper process, killed at the limit or when it crashes; "
    "0 renders in the building process, with no limit.",
)
@_REGISTRY
def build(
    paths,
    backend_names,
    output_dir,
    start,
    reminder,
    no_reminder,
    page_size,
    large_print,
    pdf_variant,
    template_dir,
    jobs,
    reminder_at,
    executor,
    scheduler,
    output_name,
    clients_file,
    backend_timeout,
    registries,
) -> None:
    """Build outputs from program files (or folders of them): NAME.json, NAME.ics, NAME.html, NAME.pdf.

    `-` reads one program from standard input; `--name` then says what to call its outputs.
    With `--clients CSV`, the one program given is built for each client in the file:
    PROGRAM-CLIENT.json and so on.

    A file with errors writes nothing. One bad file, backend or output does not stop
    the others; the exit status is then 1. Every file is written whole or not at all.
    """
    from pathlib import Path

    with collector_paused(lasting=True):  # the modules a build needs, as the command line's own
        from .batch import build_files, build_named
        from .build_settings import BuildSettings
        from .records import replace

    if "-" in paths and len(paths) > 1:
        raise click.BadParameter("`-` reads one program from standard input; give it alone", param_hint="PATH")
    if "-" in paths and not output_name:
        raise click.BadParameter(
            "standard input has no file name to call the outputs after: add --name NAME, such as --name sam-lee",
            param_hint="PATH",
        )
    if output_name is not None:
        _check_output_name(output_name)
    if (output_name or clients_file) and (len(paths) > 1 or Path(paths[0]).is_dir()):
        option = "--clients" if clients_file else "--name"
        raise click.BadParameter(f"{option} goes with one program file, not several", param_hint="PATH")
    if clients_file and paths[0] == "-":
        raise click.BadParameter("--clients builds a program file; save the program first", param_hint="PATH")
    if reminder is not None and no_reminder:
        raise click.UsageError("give --reminder or --no-reminder, not both")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    if executor == "dask" and (output_name or clients_file):
        raise click.UsageError("--executor dask builds program files; --name and --clients build on this machine")
    overrides = {}
    if reminder_at is not None and no_reminder:
        raise click.UsageError("give --reminder-at or --no-reminder, not both")
    if reminder is not None or no_reminder:
        overrides["reminder"] = reminder
    if reminder_at is not None:
        overrides["reminder_at"] = reminder_at
    if page_size:
        overrides["page_size"] = page_size.lower()
    if large_print:
        overrides["print_size"] = "large"
    if pdf_variant:
        overrides["pdf_variant"] = pdf_variant.lower()
    if template_dir:
        overrides["template"] = str(template_dir.resolve())
    settings = BuildSettings(
        output_dir, start, overrides, _source_date_epoch(), tuple(str(Path(r).resolve()) for r in registries)
    )
    settings = replace(settings, backend_timeout=backend_timeout or None)  # 0: no limit
    programs = list(dict.fromkeys(_program_paths(paths)))
    clients, invalid_rows = [], 0
    if clients_file:
        clients, invalid_rows = _read_clients(clients_file)
    with collector_paused(lasting=True):  # the backends' modules
        backends, problems = _load_backends(backend_names)

    workers = jobs or os.cpu_count() or 1
    if clients_file:
        reports = _client_reports(programs[0], clients, backends, settings, workers, clients_file)
        programs = [f"{programs[0]} for {client.client}" for client in clients]
    elif output_name:
        data = None
        if programs[0] == "-":
            from .parser import read_limited

            data, programs = read_limited(sys.stdin.buffer), ["<stdin>"]
        reports = iter([build_named(programs[0], output_name, backends, settings, data)])
    elif executor == "dask":
        pool = _dask_pool(scheduler, jobs)
        reports = _closing(build_files(programs, backends, settings, executor=pool), pool)
    else:
        reports = build_files(programs, backends, settings, workers)
    tally = _say_build(reports, len(programs), by_client=bool(clients_file), invalid=invalid_rows)
    if tally.on_terminal:
        unavailable = f", {len(problems)} backend(s) unavailable" if problems else ""
        click.echo(
            f"{tally.built} of {len(programs)} program(s) built, {len(programs) - tally.built} failed, "
            f"{tally.warned} with warnings; {tally.written} file(s) written{unavailable}",
            err=True,
        )
    elif problems or tally.failed or tally.invalid:
        click.echo(
            f"{tally.written} written, {tally.failed} failed, {len(problems)} backend(s) unavailable, "
            f"{tally.invalid} file(s) with errors",
            err=True,
        )
    if problems or tally.failed or tally.invalid:
        sys.exit(EXIT_ERRORS)


def _dask_pool(scheduler, jobs):
    """The Dask cluster at `scheduler`, or one of `jobs` workers started here; a usage error without Dask."""
    from .dask_pool import DaskMissing, DaskPool

    try:
        return DaskPool(scheduler, jobs)
    except DaskMissing as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:  # no scheduler at that address
        raise click.UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _closing(reports, pool):
    """The reports, then the pool closed (also when the build stops early)."""
    try:
        yield from reports
    finally:
        pool.close()


def _check_output_name(name: str) -> None:
    """`--name` is a file name without a folder or a suffix of its own."""
    if not name.strip() or name in (".", "..") or any(ch in name for ch in "/\\\0") or name.startswith("-"):
        raise click.BadParameter(
            f"'{name}' is not a name for files; give a plain name such as sam-lee (no folder, no suffix)",
            param_hint="--name",
        )


def _read_clients(clients_file: str):
    """The clients in a CSV file, its diagnostics printed; and how many of its rows are not built."""
    from .clients import read_clients
    from .diagnostics import render_text
    from .parser import read_limited

    try:
        with open(clients_file, "rb") as stream:
            data = read_limited(stream)
    except OSError as exc:
        raise click.FileError(clients_file, exc.strerror) from exc
    source, clients, diagnostics = read_clients(data, clients_file)
    for diagnostic in diagnostics:
        _say(render_text(diagnostic, source, style=_style) + "\n", err=True)
    if diagnostics and not clients:
        _say(f"{_style('error:', 'error')} {clients_file}: no client is built", err=True)
    return clients, len({d.span.line for d in diagnostics})  # rows not built (or the whole file)


# Marks the report of a protocol's own check in a build for clients (`build --clients`).
_PROTOCOL_CHECK = "<protocol>"


def _client_reports(path, clients, backends, settings, jobs, clients_file):
    """`batch.build_for_clients`, its first report (the protocol's check) marked as such."""
    from .batch import build_for_clients
    from .records import replace

    reports = build_for_clients(path, clients, backends, settings, jobs, clients_file)
    first = next(reports, None)
    if first is not None:
        yield replace(first, path=_PROTOCOL_CHECK)
    yield from reports


@main.command()
@_PATHS
@_TO
@_OUTPUT_DIR
@_START
@_REGISTRY
def watch(paths, backend_names, output_dir, start, registries) -> None:
    """Build programs now and again each time one is saved, printing diagnostics; Ctrl-C stops.

    A change to a registry, project config, included program or clients file builds
    every watched program again.
    """
    import datetime as dt
    from pathlib import Path

    from .batch import build_files
    from .build_settings import BuildSettings
    from .watch import changes

    settings = BuildSettings(
        output_dir, start, {}, _source_date_epoch(), tuple(str(Path(r).resolve()) for r in registries)
    )
    programs = list(dict.fromkeys(_program_paths(paths)))
    if "-" in programs:
        raise click.BadParameter("watch reads program files, not standard input", param_hint="PATH")
    backends, _ = _load_backends(backend_names)
    try:
        for again in changes(programs):
            if not again:  # the watcher runs: build everything once, then only what changes
                _say_build(build_files(programs, backends, settings, 1), len(programs))
                click.echo(f"watching {len(programs)} program(s) for changes; press Ctrl-C to stop", err=True)
                continue
            click.echo(f"[{dt.datetime.now():%H:%M:%S}] changed: building {len(again)} program(s) again", err=True)
            _say_build(build_files(again, backends, settings, 1), len(again))
    except KeyboardInterrupt:
        pass
    click.echo("stopped watching", err=True)


@main.command()
@click.argument("path")
@_START
@_REGISTRY
def plan(path: str, start, registries) -> None:
    """Show the dated plan of one program: every session with that day's doses (`-` reads standard input)."""
    from .compiler import load_and_plan
    from .terminal import console, plan_view

    _source_date_epoch()  # a value that is not a time stops here, before the plan reads it
    dated, result = load_and_plan(*_read(path), start, registries=registries)
    _print_diagnostics(result)
    if dated is None:
        sys.exit(EXIT_ERRORS)
    out = console()
    out.print(plan_view(dated, plain=not out.is_terminal))


@main.command(name="plugins")
def list_plugins() -> None:
    """List installed backends, rule packs and registry packs, with the distribution of each."""
    from . import plugins
    from .terminal import console, plugin_table

    found = [plugin for group in plugins.GROUPS for plugin in plugins.discover(group)]
    out = console()
    out.print(plugin_table(found))
    for group, kind in plugins.GROUPS.items():
        if not any(plugin.group == group for plugin in found):
            out.print(f"No {kind}s installed (entry-point group {group}).")


@main.command("fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when any file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would change as a unified diff.")
def fmt_command(paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Lay out program files (or folders of them; `-` reads standard input, writes standard output)
    in the one canonical layout, keeping their comments.

    Each result is checked before it is written: it must mean the same program, and formatting
    it again must change nothing. Exits 0 when all is well, 1 when a file has syntax errors or
    could not be formatted, or with --check when a file would change.
    """
    import difflib
    from pathlib import Path

    from .fmt import format_bytes
    from .output import WriteError, write_atomically
    from .parser import read_file, read_limited
    from .wording import fmt_summary

    changed = unchanged = left = 0
    for given in _program_paths(paths):
        if given == "-":
            data, name = read_limited(sys.stdin.buffer), "<stdin>"
        else:
            try:
                data, name = read_file(given), given
            except OSError as exc:
                raise click.FileError(given, exc.strerror) from exc
        found = format_bytes(data, name)
        if found.text is None:
            left += 1
            _print_diagnostics(found)
            if found.refusal:
                _say(_style("error", "error") + f": {found.refusal}", err=True)
            continue
        if not found.changed:
            unchanged += 1
            if given == "-" and not (check or show_diff):
                click.echo(found.text, nl=False)
            continue
        changed += 1
        if show_diff:
            lines = difflib.unified_diff(
                found.original.splitlines(keepends=True),
                found.text.splitlines(keepends=True),
                f"{name} (as written)",
                f"{name} (formatted)",
            )
            click.echo(
                "".join(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n" for ln in lines), nl=False
            )
        if check:
            _say(f"would reformat {name}", err=True)
        elif show_diff:
            continue
        elif given == "-":
            click.echo(found.text, nl=False)
        else:
            try:
                write_atomically(Path(given), found.text.encode("utf-8"))
            except WriteError as exc:
                _say(_style("error", "error") + f": {exc}", err=True)
                changed, left = changed - 1, left + 1
                continue
            _say(f"reformatted {name}", err=True)
    _say(fmt_summary(changed, unchanged, left, check=check or show_diff), err=True)
    sys.exit(EXIT_ERRORS if left or (check and changed) else EXIT_OK)


@main.command()
@click.argument("folder", type=_PathlibPath(file_okay=False))
def init(folder: Path) -> None:
    """Start a clinic's folder: a project config, programs/ with an example, an empty registry
    file and templates/ ready to brand. Writes nothing if any of those files exists."""
    from .output import WriteError
    from .starter import existing, write_starter

    taken = existing(folder)
    if taken:
        raise click.UsageError(f"{folder} already has {', '.join(taken)}; init writes into a new or empty folder")
    try:
        written = write_starter(folder)
    except (WriteError, OSError) as exc:
        click.echo(f"{_style('error:', 'error')} {exc}", err=True)
        sys.exit(EXIT_ERRORS)
    for path in written:
        _say(f"wrote {path}")
    _say(f"next: cd {folder} && progdsl check programs && progdsl build programs")


@main.command()
def lsp() -> None:
    """Run the language server on standard input and output, for an editor (docs/editors.md)."""
    from .lsp import serve

    serve()


@main.command()
def schema() -> None:
    """Print the JSON Schema that `build --to json` output follows."""
    from .backends.json import schema_text

    click.echo(schema_text(), nl=False)
