"""The backend contract, shared by the built-in backends and third-party plugins.

A backend is a class registered in the `progdsl.backends` entry-point group:

    [project.entry-points."progdsl.backends"]
    markdown = "progdsl_markdown:MarkdownBackend"

It has three class attributes and one method, and is created with no arguments:

    name: str         the name users pass to `--to`
    suffix: str       the output file's extension, with its dot (".json")
    media_type: str   the output's MIME type
    render(plan, options) -> bytes

and may have a fourth attribute:

    guarded: bool     False when `render` only computes the file from the plan, with
                      nothing that could hang or crash its process (no templates, no
                      files, no layout engine): it then renders in the build's own
                      process, without the guarding helper process (default True)

`render` receives a checked, immutable `progdsl.plan.Plan` and must not change
it; it returns the whole file. It must not write files itself: progdsl writes
the bytes atomically, and writes nothing if `render` raises. For a problem the
user can fix (a missing font, a template folder that does not exist), raise
`BackendError` with a message for them; anything else is reported as a bug in
the backend, with the place it was raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from ..plugins import BACKENDS, Plugin, PluginError, failure, find, load
from ..records import Record, field
from ..settings import NOT_FOR_PROGRAMS

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..plan import Plan


class BackendError(Exception):
    """A problem with the user's input or machine that stops a backend: its message is shown as it is."""


class RenderOptions(Record, frozen=True):
    """What the command line adds to a build.

    `overrides` holds settings by their `set` key (see `progdsl.settings.SETTINGS`):
    a value given on the command line wins over the program's `set` line, which
    wins over the setting's default. It may also hold `template`, the clinic's
    folder of handout templates (`--template-dir`), which no program can set. `timestamp` comes from SOURCE_DATE_EPOCH and
    is None when it is not set; backends that need a time of creation must then
    derive one from the plan, so that the same program gives the same bytes.
    `previous` is the file this build will replace, when there is one, so that a
    backend can keep continuity with it (the calendar raises the SEQUENCE of
    events whose content changed). `findings` are the warnings the build's own
    safety check gave the program; None when the plan did not come from a build,
    and a backend that shows them (the clinician's summary) runs the rules itself.
    """

    overrides: Mapping[str, object] = field(default_factory=dict)
    timestamp: dt.datetime | None = None
    previous: bytes | None = None
    findings: tuple[Diagnostic, ...] | None = None

    def stamp(self, plan: Plan) -> dt.datetime:
        """When the output was made, in UTC: the build's timestamp (SOURCE_DATE_EPOCH),
        else midnight on the plan's first day, so that the same program gives the same bytes."""
        if self.timestamp is not None:
            return self.timestamp.astimezone(dt.UTC)
        return dt.datetime.combine(plan.start, dt.time(), dt.UTC)

    def setting(self, plan: Plan, key: str) -> object:
        """The command line's value, else the program's `set` line, else the default.

        For `template`, which no program may set, the command line's value or None.
        """
        if key in self.overrides:
            return self.overrides[key]
        if key in NOT_FOR_PROGRAMS:
            return None
        return plan.program.setting(key)


class Backend(Protocol):
    name: str
    suffix: str
    media_type: str

    def render(self, plan: Plan, options: RenderOptions) -> bytes: ...


def guarded(backend: Backend) -> bool:
    """Whether the backend renders in the helper process that a time limit guards: every
    backend but one that says `guarded = False`."""
    return getattr(backend, "guarded", True) is not False


def check_backend(plugin: Plugin, loaded: object) -> Backend:
    """A backend instance from the class an entry point names, once it keeps the contract."""
    if not isinstance(loaded, type):
        raise PluginError(f"{plugin.label} names {plugin.target}, which is not a class")
    try:
        backend = loaded()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit included: one plugin never stops the build
        raise PluginError(f"{plugin.label} could not be created: {failure(exc)}") from exc
    problems = [
        f"`{attribute}` is not a non-empty string"
        for attribute in ("name", "suffix", "media_type")
        if not isinstance(getattr(backend, attribute, None), str) or not getattr(backend, attribute)
    ]
    if not problems:
        if backend.name != plugin.name:
            problems.append(f"its `name` is '{backend.name}', not '{plugin.name}' as registered")
        if not backend.suffix.startswith(".") or "/" in backend.suffix or "\\" in backend.suffix:
            problems.append(f"its `suffix` '{backend.suffix}' is not a file extension such as '.json'")
    if not callable(getattr(backend, "render", None)):
        problems.append("`render` is not a method")
    if problems:
        raise PluginError(f"{plugin.label} does not keep the backend contract: " + "; ".join(problems))
    return backend


def load_backend(name: str) -> Backend:
    """The installed backend of that name, imported and checked."""
    plugin = find(BACKENDS, name)
    return check_backend(plugin, load(plugin))


def render(backend: Backend, plan: Plan, options: RenderOptions) -> bytes:
    """The backend's output for a plan; raises PluginError naming the backend when it fails."""
    try:
        data = backend.render(plan, options)
    except BackendError as exc:
        raise PluginError(f"backend '{backend.name}': {exc}") from exc
    except KeyboardInterrupt:  # Ctrl-C stops the build, not just this backend
        raise
    except BaseException as exc:  # SystemExit and a plugin's own BaseException too cost only this output
        raise PluginError(f"backend '{backend.name}' failed: {failure(exc)}") from exc
    if not isinstance(data, bytes):
        raise PluginError(f"backend '{backend.name}' returned {type(data).__name__}, not bytes")
    return data
