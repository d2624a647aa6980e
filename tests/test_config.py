"""The project config (progdsl.toml, [tool.progdsl]) and `progdsl init`."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from progdsl.cli import main

PROGRAM = """\
program "Clams"
equipment mat
phase "Activate" 2w:
  session daily:
    clam_shell 3x12 rest 30s
"""  # S506: a one-sided exercise without `each side`


def run(*args, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


def project(tmp_path: Path, config: str, name: str = "progdsl.toml") -> Path:
    (tmp_path / name).write_text(config, encoding="utf-8")
    (tmp_path / "programs").mkdir()
    program = tmp_path / "programs" / "clams.prog"
    program.write_text(PROGRAM, encoding="utf-8")
    return program


def test_the_config_above_a_program_gives_check_its_defaults(tmp_path):
    program = project(tmp_path, 'ignore = ["S506"]\n')
    assert "S506" not in run("check", program, cwd=tmp_path.parent).output
    assert "S506" in run("check", program, "--ignore", "S1", cwd=tmp_path.parent).output  # the command line wins


def test_a_pyproject_tool_table_is_a_config_too(tmp_path):
    program = project(tmp_path, '[project]\nname = "clinic"\n\n[tool.progdsl]\nignore = ["S5"]\n', "pyproject.toml")
    assert "S506" not in run("check", program, cwd=tmp_path).output


def test_build_takes_its_backends_and_folder_from_the_config(tmp_path):
    program = project(tmp_path, 'backends = ["json"]\noutput-dir = "out"\n')
    result = run("build", program, cwd=tmp_path.parent)  # the folder is the config's, not the working one's
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["clams.json"]
    assert json.loads((tmp_path / "out" / "clams.json").read_text(encoding="utf-8"))["program"]["title"] == "Clams"


def test_show_settings_says_where_each_value_comes_from(tmp_path):
    program = project(tmp_path, 'ignore = ["S5"]\npage-size = "letter"\n')
    lines = run("check", "--show-settings", "--select", "S1", program, cwd=tmp_path).output.splitlines()
    table = {line.split()[0]: line for line in lines[1:]}
    assert lines[0] == f"config: {tmp_path / 'progdsl.toml'}"
    assert table["select"].endswith("command line") and "S1" in table["select"]
    assert table["ignore"].endswith("progdsl.toml:1")
    assert table["page-size"].endswith("progdsl.toml:2") and "letter" in table["page-size"]
    assert table["jobs"].endswith("default")


def test_a_fault_in_the_config_is_reported_at_its_line_and_nothing_is_checked(tmp_path):
    program = project(tmp_path, 'ignor = ["S5"]\njobs = "two"\n')
    result = run("check", program, cwd=tmp_path)
    assert result.exit_code == 1
    assert "progdsl.toml:1:1: E330 error: `ignor` is not a progdsl setting" in result.output
    assert "did you mean `ignore`?" in result.output
    assert "progdsl.toml:2:1: E331 error: `jobs` takes a whole number" in result.output
    assert "All clear" not in result.output and "Found" not in result.output


def test_init_writes_a_folder_that_checks_and_builds(tmp_path):
    result = run("init", "clinic", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    clinic = tmp_path / "clinic"
    assert (clinic / "templates" / "partials" / "brand.html").is_file()
    assert run("check", "programs", cwd=clinic).output.startswith("All clear")
    built = run("build", "programs", "--to", "json", cwd=clinic)
    assert built.exit_code == 0, built.output
    assert (clinic / "out" / "example.json").is_file()


def test_init_overwrites_nothing(tmp_path):
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "progdsl.toml").write_text("# mine\n", encoding="utf-8")
    result = run("init", "clinic", cwd=tmp_path)
    assert result.exit_code == 2 and "already has progdsl.toml" in result.output
    assert (tmp_path / "clinic" / "progdsl.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "clinic" / "programs").exists()
