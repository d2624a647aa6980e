"""Plugin discovery and loading, and the example plugin installed and used like a third party's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, ROOT, install_offline

from progdsl import __version__, loads, plugins
from progdsl.backends import BackendError, RenderOptions, check_backend, load_backend, render
from progdsl.cli import main
from progdsl.plan import build_plan

EXAMPLE_PLUGIN = ROOT / "plugins" / "progdsl-markdown"


def run_python(code: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, **kwargs)


# ---- discovery ------------------------------------------------------------------------


def test_the_builtin_backends_are_registered_like_any_plugin():
    found = {p.name: p for p in plugins.discover(plugins.BACKENDS)}
    for name in ("json", "ics", "html", "pdf"):
        assert found[name].distribution == "progdsl" and found[name].builtin
        assert found[name].target == f"progdsl.backends.{name}:{name.capitalize() if name != 'ics' else 'Ics'}Backend"
    assert found["json"].label == f"backend 'json' (progdsl {__version__})"


def test_discovery_and_the_plugins_command_import_no_plugin():
    code = (
        "import sys\n"
        "from progdsl import plugins\n"
        "from progdsl.cli import main\n"
        "for group in plugins.GROUPS: plugins.discover(group)\n"
        "main(['plugins'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('progdsl.backends.')))\n"
    )
    result = run_python(code, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("[]")


def test_check_imports_nothing_that_build_needs(tmp_path):
    """A warm `progdsl check` reads discovery and the registry from the cache: no metadata scan, no TOML."""
    program = tmp_path / "t.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    env = {**os.environ, "PROGDSL_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-X", "importtime", "-m", "progdsl", "check", str(program)]
    subprocess.run(command, capture_output=True, env=env, check=False)  # fills the cache
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "progdsl.compiler" in imported
    heavy = {"importlib.metadata", "tomllib", "progdsl.batch", "progdsl.output", "progdsl.backends.json", "jsonschema"}
    assert not imported & heavy
    # Nor what only a faulty program, a table or a build uses: a portable zone is not looked up
    # with zoneinfo, did-you-mean's difflib waits for a misspelling, the cache is not read with json.
    assert not imported & {"zoneinfo", "difflib", "json", "rich"}
    # Nor what a check can do without: pathlib (with the urllib.parse and ipaddress it
    # imports), as its paths are os.path strings; hashlib, for the cache's environment name.
    assert not imported & {"pathlib", "urllib.parse", "ipaddress", "hashlib"}


def test_plugins_command_lists_every_group_with_distribution_and_version():
    result = CliRunner().invoke(main, ["plugins"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    json_row = next(line for line in result.output.splitlines() if " json " in line)
    assert "progdsl" in json_row and __version__ in json_row and "progdsl.backends.json:JsonBackend" in json_row
    for kind in ("backend", "rule pack", "registry pack"):
        assert kind in result.output


def entry(name: str, target: str, distribution: str = "acme", group: str = plugins.BACKENDS) -> plugins.Plugin:
    return plugins.Plugin(group, name, target, distribution, "2.0")


def test_an_unknown_name_lists_the_installed_ones(monkeypatch):
    monkeypatch.setattr(plugins, "discover", lambda group: (entry("json", "x:Y"), entry("pdf", "x:Z")))
    with pytest.raises(
        plugins.UnknownPlugin, match=r"unknown backend `pfd` \(did you mean `pdf`\?\); installed: json, pdf"
    ):
        plugins.find(plugins.BACKENDS, "pfd")
    with pytest.raises(plugins.UnknownPlugin, match="installed: json, pdf$"):
        plugins.find(plugins.BACKENDS, "zzz")


def test_a_name_registered_twice_is_an_error_naming_both(monkeypatch):
    monkeypatch.setattr(plugins, "discover", lambda group: (entry("md", "a:B", "one"), entry("md", "c:D", "two")))
    with pytest.raises(plugins.PluginError, match="registered by both one 2.0 and two 2.0"):
        plugins.find(plugins.BACKENDS, "md")


# ---- loading and the contract ------------------------------------------------------------


class Good:
    name, suffix, media_type = "good", ".txt", "text/plain"

    def render(self, plan, options):
        return b"ok"


class NeedsArguments(Good):
    def __init__(self, folder):
        self.folder = folder


class Incomplete:
    name = "incomplete"
    suffix = ""


def test_load_reports_an_import_failure_by_name():
    with pytest.raises(plugins.PluginError, match=r"backend 'gone' \(acme 2.0\) failed to import: ModuleNotFoundError"):
        plugins.load(entry("gone", "no_such_module_anywhere:Backend"))


def test_load_reports_a_missing_attribute():
    with pytest.raises(plugins.PluginError, match="failed to import: AttributeError"):
        plugins.load(entry("gone", "progdsl.plugins:NoSuchBackend"))


def test_a_backend_that_keeps_the_contract_is_created():
    assert isinstance(check_backend(entry("good", "t:Good"), Good), Good)


@pytest.mark.parametrize(
    "loaded, registered, message",
    [
        (Good(), "good", "is not a class"),
        (NeedsArguments, "good", "could not be created: TypeError"),
        (
            Incomplete,
            "incomplete",
            "`suffix` is not a non-empty string; `media_type` is not a non-empty string; `render` is not a method",
        ),
        (Good, "other", "its `name` is 'good', not 'other' as registered"),
    ],
)
def test_a_backend_that_breaks_the_contract_is_refused(loaded, registered, message):
    with pytest.raises(plugins.PluginError, match="does not keep|is not a class|could not be created") as caught:
        check_backend(entry(registered, "t:X"), loaded)
    assert message in str(caught.value)


def test_render_reports_a_raising_backend_by_name_and_where_it_raised():
    class Broken(Good):
        def render(self, plan, options):
            return {}["missing"]

    with pytest.raises(
        plugins.PluginError, match=r"backend 'good' failed: KeyError: 'missing' \(at test_plugins.py:\d+\)"
    ):
        render(Broken(), None, RenderOptions())


def test_render_shows_a_backend_error_as_the_users_message():
    class Fussy:
        name = "fussy"

        def render(self, plan, options):
            raise BackendError("no installed font has 李 (U+674E)")

    with pytest.raises(plugins.PluginError) as caught:
        render(Fussy(), None, RenderOptions())
    assert str(caught.value) == "backend 'fussy': no installed font has 李 (U+674E)"


def test_render_refuses_anything_but_bytes():
    class Text(Good):
        def render(self, plan, options):
            return "text"

    with pytest.raises(plugins.PluginError, match="returned str, not bytes"):
        render(Text(), None, RenderOptions())


def test_load_backend_finds_imports_and_checks():
    backend = load_backend("json")
    result = loads(LANGUAGE_EXAMPLE, "glutes.prog")
    assert render(backend, build_plan(result.program), RenderOptions()).startswith(b"{")


# ---- the example plugin, installed as a user would ---------------------------------------------


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """progdsl-markdown installed into a folder of its own, built offline with the hatchling
    the test extras install, and put on the path of the progdsl commands run below."""
    site = tmp_path_factory.mktemp("site")
    install_offline(EXAMPLE_PLUGIN, site)
    return site


def with_plugin(site, *args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_the_installed_plugin_is_listed_with_its_distribution(plugin_site):
    result = with_plugin(plugin_site, "-m", "progdsl", "plugins")
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if " markdown " in line)
    assert "progdsl-markdown" in row and "0.1.0" in row and "progdsl_markdown:MarkdownBackend" in row


def test_build_with_the_installed_plugin(plugin_site, tmp_path):
    program = PROGRAMS / "glutes_sore_back.prog"
    result = with_plugin(
        plugin_site, "-m", "progdsl", "build", str(program), "--to", "markdown", "--to", "json", "-o", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["glutes_sore_back.json", "glutes_sore_back.md"]
    text = (tmp_path / "glutes_sore_back.md").read_text(encoding="utf-8")
    assert text.startswith("# Glutes for a sore back: part 1\n")
    assert text.count("| Activate and stretch: ") == 22
    assert "| Sun 2026-12-20 | 07:30 | Activate and stretch: Glute activation | Clam shell 3 × 12 each side" in text


def test_the_example_plugins_own_tests_pass_against_the_installed_plugin(plugin_site):
    result = with_plugin(plugin_site, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=EXAMPLE_PLUGIN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
