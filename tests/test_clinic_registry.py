"""A clinic's own registry: the four ways to load one, the faults a registry file can hold
(each reported in that file, at its line, with nothing built), and docs/registry.md."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner
from support import CLINIC_ENTRY, ROOT, install_offline

from progdsl import load
from progdsl.cli import main
from progdsl.registry_schema import FIELDS, with_table

PROGRAM = 'program "Clinic"\n{header}phase "Mobility" 2w daily:\n  wall_angel 3x10\n'
REGISTRY_PACKAGE = ROOT / "tests" / "registry_package"


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# ---- the four ways -------------------------------------------------------------------------------


def test_a_registry_line_loads_a_file_relative_to_the_program(tmp_path):
    write(tmp_path / "clinic" / "exercises.toml", CLINIC_ENTRY)
    program = write(tmp_path / "programs" / "p.prog", PROGRAM.format(header='registry "../clinic/exercises.toml"\n'))
    result = load(program)
    assert result.ok, result.diagnostics
    assert result.program is not None
    assert not load(write(tmp_path / "programs" / "q.prog", PROGRAM.format(header=""))).ok


def test_registry_option_on_check_build_plan_exercises_and_exercise(tmp_path):
    registry = write(tmp_path / "clinic.toml", CLINIC_ENTRY)
    program = write(tmp_path / "p.prog", PROGRAM.format(header=""))
    assert run("check", str(program)).exit_code == 1
    assert run("check", "--registry", str(registry), str(program)).exit_code == 0
    out = tmp_path / "out"
    built = run("build", "--registry", str(registry), "--to", "json", "-o", str(out), "-j", "1", str(program))
    assert built.exit_code == 0, built.output
    assert [p.name for p in out.iterdir()] == ["p.json"]
    assert run("plan", "--registry", str(registry), str(program), "--start", "2026-12-07").exit_code == 0
    listing = run("exercises", "--registry", str(registry), "wall")
    assert "wall_angel" in listing.output
    shown = run("exercise", "--registry", str(registry), "wall_angel")
    assert shown.exit_code == 0 and str(registry) in " ".join(shown.output.split())


@pytest.mark.parametrize(
    "config, text",
    [
        ("progdsl.toml", 'registries = ["clinic/exercises.toml"]\n'),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.progdsl]\nregistries = ["clinic/exercises.toml"]\n'),
    ],
)
def test_a_project_config_above_the_program_names_registries(tmp_path, config, text):
    write(tmp_path / config, text)
    write(tmp_path / "clinic" / "exercises.toml", CLINIC_ENTRY)
    program = write(tmp_path / "programs" / "deep" / "p.prog", PROGRAM.format(header=""))
    result = load(program)
    assert result.ok, result.diagnostics


def test_a_pyproject_without_a_progdsl_table_is_not_a_config(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    program = write(tmp_path / "p.prog", PROGRAM.format(header=""))
    assert [d.code for d in load(program).diagnostics] == ["E201"]


def test_a_config_naming_a_missing_registry_reports_it_in_the_config(tmp_path):
    config = write(tmp_path / "progdsl.toml", 'registries = ["nowhere.toml"]\n')
    program = write(tmp_path / "p.prog", PROGRAM.format(header=""))
    [diagnostic] = load(program).diagnostics
    assert diagnostic.code == "E310" and diagnostic.source.name == str(config) and diagnostic.span.line == 1


@pytest.fixture(scope="module")
def registry_site(tmp_path_factory):
    """The tiny registry package installed into a folder of its own, built offline."""
    site = tmp_path_factory.mktemp("site")
    install_offline(REGISTRY_PACKAGE, site)
    return site


def test_an_installed_package_adds_its_registry_through_the_entry_point(registry_site, tmp_path):
    program = write(tmp_path / "p.prog", PROGRAM.format(header="").replace("wall_angel", "packaged_arm_circle"))
    env = {
        **os.environ,
        "PYTHONPATH": str(registry_site),
        "COLUMNS": "200",
        "PROGDSL_CACHE_DIR": str(tmp_path / "cache"),
    }
    checked = subprocess.run(
        [sys.executable, "-m", "progdsl", "check", str(program)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "progdsl", "exercise", "packaged_arm_circle"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert "progdsl-physio-clinic" in shown.stdout


# ---- faults in a registry file -----------------------------------------------------------------

FAULTS = {
    "bad TOML": (CLINIC_ENTRY.replace('name = "Wall angel"', 'name = "Wall angel'), "E301", 2),
    "unknown field": (CLINIC_ENTRY + 'colour = "red"\n', "E302", 7),
    "unknown dose form": (CLINIC_ENTRY.replace('dose = ["reps"]', 'dose = ["reps", "reapz"]'), "E305", 4),
    "unknown category": (CLINIC_ENTRY.replace('"mobility"', '"flexibility"'), "E305", 3),
    "backwards range": (CLINIC_ENTRY + "\n[wall_angel.safe]\nsets = [5, 1]\n", "E306", 9),
    "unknown easier id": (CLINIC_ENTRY + 'easier = ["ankle_pump"]\n', "E308", 7),
    "image outside the folder": (CLINIC_ENTRY + 'image = "../secret.png"\n', "E307", 7),
    "built-in id without override": (
        CLINIC_ENTRY.replace("[wall_angel]", "[clam_shell]") + "\n" + CLINIC_ENTRY,
        "E309",
        1,
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_is_reported_in_the_registry_file_and_nothing_is_built(fault, tmp_path):
    text, code, line = FAULTS[fault]
    registry = tmp_path / "clinic" / "exercises.toml"
    registry.parent.mkdir()
    registry.write_text(text, encoding="utf-8")
    program = write(tmp_path / "p.prog", PROGRAM.format(header='registry "clinic/exercises.toml"\n'))
    result = load(program)
    assert not result.ok
    assert [(d.code, d.source.name, d.span.line) for d in result.diagnostics] == [(code, str(registry), line)]

    out = tmp_path / "out"
    built = run("build", "--to", "json", "-o", str(out), "-j", "1", str(program))
    assert built.exit_code == 1
    assert f"{registry}:{line}:" in built.output and code in built.output
    assert "Traceback" not in built.output
    assert not out.exists() or list(out.iterdir()) == []


def test_the_built_in_clash_names_both_files_and_override_allows_it(tmp_path):
    registry = write(tmp_path / "clinic.toml", CLINIC_ENTRY.replace("[wall_angel]", "[clam_shell]"))
    program = write(tmp_path / "p.prog", PROGRAM.format(header="").replace("wall_angel", "clam_shell"))
    checked = run("check", "--registry", str(registry), str(program))
    assert checked.exit_code == 1
    assert f"{registry}:1:1: E309" in checked.output and "progdsl/data/exercises/glutes.toml" in checked.output
    registry.write_text(CLINIC_ENTRY.replace("[wall_angel]", "[clam_shell]") + "override = true\n", encoding="utf-8")
    shown = run("exercise", "--registry", str(registry), "clam_shell")
    assert shown.exit_code == 0 and "Wall angel" in shown.output


def test_a_clinic_entry_gets_the_documented_defaults(tmp_path):
    from progdsl.clinic import Source, registry_with

    registry_file = write(tmp_path / "clinic.toml", CLINIC_ENTRY)
    registry, diagnostics = registry_with([Source(str(registry_file), registry_file)])
    assert diagnostics == [] and registry is not None
    entry = registry.get("wall_angel")
    assert entry.stage == 1 and entry.aliases == () and entry.origin == str(registry_file)
    assert entry.safe.get("reps") is not None and entry.recommended.get("reps") is not None
    assert entry.safe.get("hold_s") is None


def test_an_image_inside_the_folder_is_kept_with_its_credit(tmp_path):
    from progdsl.clinic import Source, registry_with

    write(tmp_path / "pictures" / "wall.svg", "<svg/>")
    registry_file = write(
        tmp_path / "clinic.toml", CLINIC_ENTRY + 'image = "pictures/wall.svg"\ncredit = "Clinic, CC BY 4.0"\n'
    )
    registry, diagnostics = registry_with([Source(str(registry_file), registry_file)])
    assert diagnostics == []
    entry = registry.get("wall_angel")
    assert entry.image == str((tmp_path / "pictures" / "wall.svg").resolve()) and entry.credit == "Clinic, CC BY 4.0"


def test_check_imports_no_clinic_module_without_a_clinic_registry(tmp_path):
    program = write(tmp_path / "p.prog", PROGRAM.format(header="").replace("wall_angel 3x10", "walking 20min"))
    code = (
        "import sys\nfrom progdsl import load\n"
        f"assert load({str(program)!r}).ok\n"
        "print(sorted(m for m in sys.modules if m in ('progdsl.clinic', 'progdsl.registry_schema')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# ---- docs/registry.md ----------------------------------------------------------------------------


def test_docs_registry_md_has_the_generated_schema():
    text = (ROOT / "docs" / "registry.md").read_text(encoding="utf-8")
    assert text == with_table(text), "regenerate it: python -m progdsl.registry_schema --write docs/registry.md"
    assert all(f"| `{field.name}` |" in text for field in FIELDS)
