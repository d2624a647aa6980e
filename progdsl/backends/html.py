"""The handout as one self-contained HTML file: CSS inline, images as data: URIs.

The PDF backend prints this same HTML, so both come from one set of Jinja2
templates: the built-in ones in `templates/`, or a clinic's folder in front of
them (`--template-dir DIR`, the `template` override), where any template the
clinic does not provide falls back to the built-in one. Only the clinic chooses
the folder: a program cannot (`set template` is error E152). The
built-in templates are also reachable as `builtin/NAME`, so a clinic's template
can extend the one it replaces. See docs/templates.md.

Every template, built-in or the clinic's, runs in Jinja2's immutable sandbox:
it can print the handout's data, call the filters and `asset()`, and loop and
branch, but not reach Python's internals (attributes starting with `_`, function
globals) or change the data it is given. A template that tries stops the build
with a message naming it. Autoescaping is on for every template: nothing a
program says reaches the HTML unescaped.
"""

from __future__ import annotations

import base64
import mimetypes
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from ..resources import resource_dir
from ..wording import day_and_date, long_date, short_date
from . import RenderOptions
from .handout import HandoutError, build_handout, build_summary

if TYPE_CHECKING:
    from ..plan import Plan

ENTRY_TEMPLATE = "handout.html"
SUMMARY_TEMPLATE = "summary.html"  # the clinician's summary
PAGE_SIZES = {"a4": "A4", "letter": "letter"}  # setting → CSS @page size
MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".webp": "image/webp",
}


def template_folders(plan: Plan, options: RenderOptions) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the clinic's folder, then the built-in one.

    The clinic's folder is the `template` override (`--template-dir`), taken from
    the working directory when relative; never anything the program says.
    """
    builtin = resource_dir("templates").resolve()
    chosen = options.overrides.get("template")
    if not chosen:
        return (builtin,)
    folder = Path(str(chosen)).expanduser()
    if not folder.is_dir():
        raise HandoutError(f"the template folder '{chosen}' does not exist (looked for {folder})")
    return (folder.resolve(), builtin)


def find_asset(folders: tuple[Path, ...], name: str) -> Path:
    """The file `name` (a relative path such as `assets/logo.png`) in the first template folder that has it."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise HandoutError(f"template asset '{name}' must be a path inside the template folder")
    for folder in folders:
        candidate = (folder / relative).resolve()
        if candidate.is_relative_to(folder) and candidate.is_file():
            return candidate
    raise HandoutError(f"no template asset '{name}' in " + ", ".join(str(f) for f in folders))


def asset_data_uri(folders: tuple[Path, ...], name: str) -> str:
    """A template asset as a data: URI, so that the HTML needs no other file."""
    path = find_asset(folders, name)
    media_type = MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{media_type or 'application/octet-stream'};base64,{encoded}"


def code_spans(text: str) -> Markup:
    """Text, escaped, with each part in backticks set as code, as diagnostics quote names
    (`` `clam_shell`: 5 s of rest ``); text with an unpaired backtick is left as it is."""
    escaped = escape(text)
    parts = str(escaped).split("`")
    if len(parts) % 2 == 0:
        return escaped
    return Markup("".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)))


@lru_cache(maxsize=8)
def environment(folders: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    """The sandboxed Jinja2 environment for a list of template folders (kept, so templates compile once)."""
    builtin = jinja2.FileSystemLoader(folders[-1])
    loader = jinja2.ChoiceLoader(
        [
            *(jinja2.FileSystemLoader(folder) for folder in folders[:-1]),
            builtin,
            jinja2.PrefixLoader({"builtin": builtin}),
        ]
    )
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(long_date=long_date, short_date=short_date, day_and_date=day_and_date, code_spans=code_spans)
    env.globals["asset"] = lambda name: asset_data_uri(folders, name)
    return env


def render_html(
    plan: Plan, options: RenderOptions, folders: tuple[Path, ...] | None = None, audience: str = "client"
) -> str:
    """The handout's HTML, from the templates in `folders` (by default, those the options choose).

    `audience` is `client` for the client's handout (`handout.html`), or `clinician` for the
    clinician's summary (`summary.html`), which shares the handout's styles and macros.
    """
    folders = folders or template_folders(plan, options)
    page_size = options.setting(plan, "page_size")
    if page_size not in PAGE_SIZES:
        raise HandoutError(f"unknown page size '{page_size}'; choose " + " or ".join(PAGE_SIZES))
    context: dict[str, object] = {
        "page_size": PAGE_SIZES[page_size],
        "large_print": options.setting(plan, "print_size") == "large",
    }
    if audience == "clinician":
        entry = SUMMARY_TEMPLATE
        context["summary"] = build_summary(plan, options.findings)
    else:
        entry = ENTRY_TEMPLATE
        context["handout"] = build_handout(plan)
    try:
        template = environment(folders).get_template(entry)
        return template.render(context)
    except SecurityError as exc:
        raise HandoutError(
            f"{_template_at_fault(exc, folders)} tried something unsafe, so no handout was made: {exc} "
            "Templates run in a sandbox that lets them print the handout's data but not reach into Python; "
            "see docs/templates.md"
        ) from exc


def _template_at_fault(exc: BaseException, folders: tuple[Path, ...]) -> str:
    """`the template NAME (line N, in FOLDER)` for the innermost template in the error's traceback.

    Jinja2 rewrites the traceback of an error raised while rendering so that each
    template's frames carry the template's file name and line.
    """
    found = "a template"
    frame = exc.__traceback__
    while frame is not None:
        path = Path(frame.tb_frame.f_code.co_filename)
        folder = next((f for f in folders if path.is_relative_to(f)), None)
        if folder is not None:
            where = "built in" if folder == folders[-1] else f"in {folder}"
            found = f"the template {path.relative_to(folder).as_posix()} (line {frame.tb_lineno}, {where})"
        frame = frame.tb_next
    return found


class HtmlBackend:
    name = "html"
    suffix = ".html"
    media_type = "text/html"

    def render(self, plan: Plan, options: RenderOptions) -> bytes:
        return render_html(plan, options).encode("utf-8")
